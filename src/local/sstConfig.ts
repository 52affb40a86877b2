/**
 * Sets the per-stage AWS profile selector in an `sst.config.ts`, pure string → string, through the
 * AST: magicast's parser (Babel with TypeScript) finds the nodes, and the edit splices text at those
 * nodes' offsets. Reprinting the file (recast, as magicast's own generator does) moves comments
 * and reflows objects it touches; splicing leaves every byte outside the edit as the user wrote it.
 *
 * - SST v3 and v4 (v4 keeps v3's config shape): `export default $config({ app(input) { return { providers: { aws: { profile } } } } })`
 * - SST v2: `export default { config(input) { return { profile } }, stacks(app) {} }` (also
 *   `satisfies SSTConfig`, or `const config: SSTConfig = {…}; export default config;`)
 *
 * Stages map to `<org>-<stage>` profiles. SST's docs (https://sst.dev/docs/iam-credentials) show
 * `profile: input?.stage === "staging" ? "staging" : "default"` and warn that "the profile in your
 * sst.config.ts takes precedence" over CI's environment credentials, "so make sure to unset it for
 * the stage that is being deployed through CI". So the selector yields `undefined` under CI
 * (`CI` is set by GitHub Actions, GitLab, CircleCI and most others; `GITHUB_ACTIONS` too):
 *
 *   process.env.CI || process.env.GITHUB_ACTIONS ? undefined : input?.stage === "production" ? "acme-production" : "acme-dev"
 *
 * Next to that guard, SST v3 and v4 have their own: `SST_AWS_NO_PROFILE` set to any value drops
 * the profile before credentials are loaded (docs/local-files.md, `sst.config.ts`).
 *
 * With more than two stages, a small lookup (a `Map`, which only finds the stages listed) that
 * falls back to the dev profile.
 *
 * Every selector this editor ever generated is recognised as ours (`isGeneratedSelector`), also
 * the object-literal lookup of earlier versions, so an old one is replaced in place (upgraded),
 * never kept next to a new one; `previous` tells the caller what was replaced and whether it was
 * ours or written by the user.
 *
 * Exports: `setProfileSelector(source, options)`, `isGeneratedSelector(code)`,
 * `profileSelectorExpression(options, stageRef)`, `profileSelectorSnippet(options)`,
 * `profileNameFor(org, stage)`, `detectSstVersion(source)`.
 */
import { parseModule } from "magicast";

import { profileSelectorExpression, profileSelectorSnippet, type ProfileSelectorOptions } from "./sstProfileSelector.js";

export { profileNameFor, profileSelectorExpression, profileSelectorSnippet, type ProfileSelectorOptions } from "./sstProfileSelector.js";

export type SstEditStatus = "updated" | "unchanged" | "unrecognised" | "conflict";

/**
 * What to select. A selector we generated keeps its stages (a re-run of init never drops the
 * stage add-account added, docs/init.md): the result selects the stages already there, then
 * `stages`, minus `drop` (close-account). A profile the person wrote themselves (anything that is
 * not a generated selector for this organisation's profiles) is a conflict, replaced only with
 * `force`.
 */
export interface SetSelectorOptions extends ProfileSelectorOptions {
  drop?: string[];
  force?: boolean;
}

export interface SstEditResult {
  text: string;
  status: SstEditStatus;
  /** For `conflict` (and for `updated` with `force`): the person's own profile value and ours. */
  conflict?: { key: string; old: string; new: string };
  /** The stages the selector selects afterwards. */
  stages?: string[];
  /** Why the file was left alone (status `unrecognised`). */
  reason?: string;
  /** What to paste by hand; always present so callers can print it. */
  snippet: string;
  version?: 2 | 3;
  /** The profile value that was replaced (status `updated`), and whether we generated it. */
  previous?: { text: string; generated: boolean };
}

// Babel AST nodes, loosely typed: magicast exposes them untyped.
type Node = { type: string; start: number; end: number; [key: string]: any };

class Unrecognised extends Error {}

interface Edit {
  at: number;
  end: number;
  text: string;
}

/**
 * Parses with magicast (Babel + TypeScript). recast, underneath, parses a normalised copy of the
 * source (LF line endings, tabs in indentation expanded), so Babel's `start`/`end` offsets do not
 * match the original text; `tabWidth: 1` keeps columns aligned, and the offsets are rebuilt here
 * from each node's line and column against the original's own line starts.
 */
function parseAst(source: string): Node {
  const program = parseModule(source, { tabWidth: 1 } as Parameters<typeof parseModule>[1]).$ast as Node;
  const lineStarts = [0];
  for (const m of source.matchAll(/\r\n?|\n|\u2028|\u2029/g)) lineStarts.push(m.index + m[0].length);
  const offset = (p: { line: number; column: number }) => lineStarts[p.line - 1] + p.column;
  const seen = new Set<object>();
  const fix = (n: unknown): void => {
    if (!n || typeof n !== "object" || seen.has(n)) return;
    seen.add(n);
    if (Array.isArray(n)) return n.forEach(fix);
    const node = n as Node;
    if (typeof node.type === "string" && node.loc?.start && node.loc?.end) {
      node.start = offset(node.loc.start);
      node.end = offset(node.loc.end);
    }
    for (const [k, v] of Object.entries(node)) if (k !== "loc" && k !== "tokens") fix(v);
  };
  fix(program);
  return program;
}

/** Parses one expression (TypeScript syntax allowed) for structural comparison. */
function parseExpression(code: string): Node {
  return parseAst(`const __value = ${code};`).body[0].declarations[0].init;
}

function unwrap(node: Node | null | undefined): Node | undefined {
  let n = node ?? undefined;
  while (n && ["TSSatisfiesExpression", "TSAsExpression", "ParenthesizedExpression", "TSNonNullExpression"].includes(n.type)) n = n.expression;
  return n;
}

function keyName(prop: Node): string | undefined {
  if (prop.computed) return undefined;
  if (prop.key?.type === "Identifier") return prop.key.name;
  if (prop.key?.type === "StringLiteral") return prop.key.value;
  return undefined;
}

function findProperty(obj: Node, name: string): Node | undefined {
  return obj.properties.find((p: Node) => (p.type === "ObjectProperty" || p.type === "ObjectMethod") && keyName(p) === name);
}

/** The object a config function returns, and the function. */
function returnedObject(prop: Node | undefined, what: string): { fn: Node; obj: Node } {
  if (!prop) throw new Unrecognised(`no ${what} function found`);
  const fn = prop.type === "ObjectMethod" ? prop : unwrap(prop.value);
  if (!fn || !["ObjectMethod", "FunctionExpression", "ArrowFunctionExpression"].includes(fn.type)) throw new Unrecognised(`${what} is not a function`);
  if (fn.body.type !== "BlockStatement") {
    const obj = unwrap(fn.body);
    if (obj?.type !== "ObjectExpression") throw new Unrecognised(`${what} does not return an object literal`);
    return { fn, obj };
  }
  const returns = fn.body.body.filter((s: Node) => s.type === "ReturnStatement");
  const obj = returns.length === 1 ? unwrap(returns[0].argument) : undefined;
  if (obj?.type !== "ObjectExpression") throw new Unrecognised(`${what} does not end in one \`return { … }\``);
  return { fn, obj };
}

/** How the function reads the stage: its first parameter, added as `input` when there is none. */
function stageRef(source: string, fn: Node, edits: Edit[]): string {
  const param = fn.params[0];
  if (!param) {
    const open = source.indexOf("(", fn.type === "ObjectMethod" ? fn.key.end : fn.start);
    if (open < 0 || open > fn.body.start) throw new Unrecognised("cannot find the config function's parameter list");
    edits.push({ at: open + 1, end: open + 1, text: "input" });
    return "input?.stage";
  }
  if (param.type === "Identifier") return `${param.name}?.stage`;
  if (param.type === "ObjectPattern") {
    const stage = param.properties.find((p: Node) => p.type === "ObjectProperty" && keyName(p) === "stage" && p.value.type === "Identifier");
    if (stage) return stage.value.name;
  }
  throw new Unrecognised("the config function's parameter does not give access to the stage");
}

/** Finds the config object behind `export default`, following one identifier. */
function exportedConfig(program: Node): { version: 2 | 3; config: Node } {
  const exp = program.body.find((n: Node) => n.type === "ExportDefaultDeclaration");
  if (!exp) throw new Unrecognised("no `export default` found");
  let decl = unwrap(exp.declaration);
  if (decl?.type === "Identifier") {
    const name = decl.name;
    const declarator = program.body
      .filter((n: Node) => n.type === "VariableDeclaration")
      .flatMap((n: Node) => n.declarations)
      .find((d: Node) => d.id.type === "Identifier" && d.id.name === name);
    decl = unwrap(declarator?.init);
  }
  if (decl?.type === "CallExpression" && decl.callee.type === "Identifier" && decl.callee.name === "$config") {
    const arg = unwrap(decl.arguments[0]);
    if (arg?.type === "ObjectExpression") return { version: 3, config: arg };
  }
  if (decl?.type === "ObjectExpression" && findProperty(decl, "config")) return { version: 2, config: decl };
  throw new Unrecognised("the default export is neither `$config({ app() … })` (SST v3 and v4) nor `{ config() … }` (SST v2)");
}

/** Structural equality of two expressions, ignoring positions, quotes, parentheses and formatting. */
function sameExpression(a: Node, b: Node): boolean {
  const ignored = new Set(["start", "end", "loc", "extra", "comments", "leadingComments", "trailingComments", "innerComments", "range", "tokens"]);
  const strip = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(strip);
    if (n && typeof n === "object") {
      const node = n as Node;
      if (node.type === "ParenthesizedExpression") return strip(node.expression);
      return Object.fromEntries(Object.entries(node).filter(([k]) => !ignored.has(k)).map(([k, v]) => [k, strip(v)]));
    }
    return n;
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

function lineStart(source: string, at: number): number {
  return source.lastIndexOf("\n", at - 1) + 1;
}

function indentAt(source: string, at: number): string {
  return /^[ \t]*/.exec(source.slice(lineStart(source, at)))![0];
}

/** Skips whitespace and comments forward from `at`. */
function skipTrivia(source: string, at: number): number {
  for (;;) {
    const m = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(source.slice(at));
    if (!m) return at;
    at += m[0].length;
  }
}

interface Style {
  eol: string;
  unit: string;
}

/**
 * Text edits that add `key: value` to an object literal, matching its layout: one property per
 * line with the last property's indentation (after any comment ending that line), or inline for a
 * one-line object. A multi-line `value` is re-indented to the new property's depth.
 */
function insertProperty(source: string, obj: Node, key: string, value: string, style: Style): Edit[] {
  const props: Node[] = obj.properties;
  if (props.length === 0) {
    const inner = source.slice(obj.start + 1, obj.end - 1);
    if (!inner.includes("\n")) return [{ at: obj.start, end: obj.end, text: `{ ${key}: ${value.replace(/\n\s*/g, " ")} }` }];
    const indent = indentAt(source, obj.start) + style.unit;
    return [{ at: obj.start + 1, end: obj.start + 1, text: `${style.eol}${indent}${key}: ${reindent(value, indent, style.eol)},` }];
  }
  const last = props[props.length - 1];
  const afterLast = skipTrivia(source, last.end);
  const hasComma = source[afterLast] === ",";
  const multiline = source.slice(obj.start, obj.end).includes("\n");
  if (!multiline) {
    const flat = value.replace(/\n\s*/g, " ").replace(/,\s*}/g, " }");
    return hasComma ? [{ at: afterLast + 1, end: afterLast + 1, text: ` ${key}: ${flat},` }] : [{ at: last.end, end: last.end, text: `, ${key}: ${flat}` }];
  }
  const indent = indentAt(source, last.start);
  const edits: Edit[] = [];
  let lineEndFrom = last.end;
  if (hasComma) lineEndFrom = afterLast + 1;
  else edits.push({ at: last.end, end: last.end, text: "," });
  // Insert after a comment that ends the last property's line, so the comment stays with it.
  const rest = /^[ \t]*(\/\/[^\n]*|\/\*[^\n]*?\*\/[ \t]*)?/.exec(source.slice(lineEndFrom))![0];
  let at = lineEndFrom + rest.length;
  if (source[at] === "\r") at++;
  const newlineHere = source[at] === "\n";
  const lineEnd = newlineHere ? (source[at - 1] === "\r" ? at - 1 : at) : at;
  edits.push({ at: lineEnd, end: lineEnd, text: `${style.eol}${indent}${key}: ${reindent(value, indent, style.eol)}${hasComma ? "," : ""}` });
  return edits;
}

function reindent(value: string, indent: string, eol: string): string {
  return value.split("\n").map((line, i) => (i === 0 ? line : indent + line)).join(eol);
}

/** A nested object literal as multi-line text, e.g. `{\n  aws: {\n    profile: …,\n  },\n}`. */
function nestedObject(path: string[], leafKey: string, leafValue: string, unit: string): string {
  let text = `{\n${unit}${leafKey}: ${leafValue},\n}`;
  for (const key of [...path].reverse()) text = `{\n${unit}${key}: ${text.split("\n").join(`\n${unit}`)},\n}`;
  return text;
}

/** Edits that make `obj.<key>` equal to `value`, or none when it already is. */
function setProperty(source: string, obj: Node, key: string, value: string, style: Style, replaced?: Replaced): Edit[] {
  const existing = findProperty(obj, key);
  if (!existing) return insertProperty(source, obj, key, value, style);
  if (existing.type !== "ObjectProperty") throw new Unrecognised(`\`${key}\` is a method, not a value`);
  if (sameExpression(existing.value, parseExpression(value))) return [];
  if (replaced) replaced.previous = { text: source.slice(existing.value.start, existing.value.end), generated: generatedSelectorNode(existing.value) };
  if (existing.shorthand) return [{ at: existing.start, end: existing.end, text: `${key}: ${value}` }];
  return [{ at: existing.value.start, end: existing.value.end, text: value }];
}

/** The existing `profile` value node (v3: `providers.aws.profile`, v2: `profile`), if any. */
function existingProfile(returned: Node, version: 2 | 3): Node | undefined {
  let holder: Node | undefined = returned;
  if (version === 3) {
    const providers = findProperty(returned, "providers");
    const aws = providers?.type === "ObjectProperty" ? unwrap(providers.value) : undefined;
    const awsProp = aws?.type === "ObjectExpression" ? findProperty(aws, "aws") : undefined;
    holder = awsProp?.type === "ObjectProperty" ? unwrap(awsProp.value) : undefined;
    if (holder?.type !== "ObjectExpression") return undefined;
  }
  const prop = findProperty(holder, "profile");
  return prop?.type === "ObjectProperty" ? prop.value : undefined;
}

/**
 * The stages of a selector this editor generated for `org` (any form, `isGeneratedSelector`), or
 * undefined when the value is something else: the profiles it selects, in the order written
 * (the fallback last), must all be `<org>-<stage>`. Returned fallback first, as
 * `profileSelectorExpression` takes them.
 */
function selectorStages(value: Node, org: string): string[] | undefined {
  if (!generatedSelectorNode(value)) return undefined;
  const select = unwrap(unwrap(value)!.alternate)!;
  const str = (n: Node | null | undefined) => unwrap(n)!.value as string;
  let profiles: string[];
  if (select.type === "StringLiteral") profiles = [select.value];
  else if (select.type === "ConditionalExpression") profiles = [str(select.consequent), str(select.alternate)];
  else {
    const lookup = unwrap(select.left)!;
    const others =
      lookup.type === "MemberExpression"
        ? unwrap(lookup.object)!.properties.map((p: Node) => str(p.value))
        : unwrap(unwrap(unwrap(lookup.callee)!.object)!.arguments[0])!.elements.map((e: Node) => str(unwrap(e)!.elements[1]));
    profiles = [...others, str(select.right)];
  }
  const prefix = `${org}-`;
  if (!profiles.every((p) => p.startsWith(prefix) && p.length > prefix.length)) return undefined;
  const stages = profiles.map((p) => p.slice(prefix.length));
  return [...new Set([stages[stages.length - 1], ...stages.slice(0, -1)])];
}

interface Replaced {
  previous?: { text: string; generated: boolean };
}

/** `providers.aws.profile`, creating `providers` and `aws` as needed; `aws: "6.27.0"` keeps its version. */
function v3ProfileEdits(source: string, returned: Node, expr: string, style: Style, replaced: Replaced): Edit[] {
  const providersProp = findProperty(returned, "providers");
  if (!providersProp) return insertProperty(source, returned, "providers", nestedObject(["aws"], "profile", expr, style.unit), style);
  const providers = unwrap(providersProp.value);
  if (providersProp.type !== "ObjectProperty" || providers?.type !== "ObjectExpression") throw new Unrecognised("`providers` is not an object literal");
  const awsProp = findProperty(providers, "aws");
  if (!awsProp) return insertProperty(source, providers, "aws", nestedObject([], "profile", expr, style.unit), style);
  if (awsProp.type !== "ObjectProperty") throw new Unrecognised("`providers.aws` is not a value");
  const aws = unwrap(awsProp.value);
  if (aws?.type === "ObjectExpression") return setProperty(source, aws, "profile", expr, style, replaced);
  if (aws?.type === "StringLiteral" || (aws?.type === "BooleanLiteral" && aws.value === true)) {
    // `aws: "6.27.0"` is shorthand for `{ version: "6.27.0" }` and `aws: true` for `{}` (https://sst.dev/docs/providers).
    const version = aws.type === "StringLiteral" ? `version: ${source.slice(aws.start, aws.end)}, ` : "";
    return [{ at: awsProp.value.start, end: awsProp.value.end, text: `{ ${version}profile: ${expr} }` }];
  }
  throw new Unrecognised("`providers.aws` is neither an object, a version string nor `true`");
}

function detectStyle(source: string): Style {
  const eol = source.includes("\r\n") ? "\r\n" : "\n";
  const indents = [...source.matchAll(/\n([ \t]+)\S/g)].map((m) => m[1]);
  const tab = indents.some((i) => i.startsWith("\t"));
  const spaces = indents.filter((i) => !i.startsWith("\t")).map((i) => i.length);
  const unit = tab ? "\t" : " ".repeat(spaces.length ? Math.min(...spaces) : 2);
  return { eol, unit };
}

function applyEdits(source: string, edits: Edit[], eol: string): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text.replace(/\r?\n/g, eol) + out.slice(e.end);
  return out;
}

/** Detects the SST major version from the file's shape, or undefined when unrecognised. */
export function detectSstVersion(source: string): 2 | 3 | undefined {
  try {
    return exportedConfig(parseAst(source)).version;
  } catch {
    return undefined;
  }
}

export function setProfileSelector(source: string, options: SetSelectorOptions): SstEditResult {
  const snippetFor = (version?: 2 | 3) => (options.stages.length ? profileSelectorSnippet({ ...options, version: options.version ?? version }) : "");
  let program: Node;
  try {
    program = parseAst(source);
  } catch (err) {
    return { text: source, status: "unrecognised", reason: `it does not parse (${(err as Error).message.split("\n")[0]})`, snippet: snippetFor() };
  }
  let version: 2 | 3 | undefined;
  try {
    const found = exportedConfig(program);
    version = found.version;
    if (options.version && options.version !== version) throw new Unrecognised(`it looks like SST v${version}, not v${options.version}`);
    const style = detectStyle(source);
    const edits: Edit[] = [];
    const { fn, obj } = returnedObject(findProperty(found.config, version === 3 ? "app" : "config"), version === 3 ? "app()" : "config()");
    const ref = stageRef(source, fn, edits);
    const existing = existingProfile(obj, version);
    const drop = new Set(options.drop ?? []);
    let stages = options.stages.filter((st) => !drop.has(st));
    let conflict: SstEditResult["conflict"];
    if (existing) {
      const ours = selectorStages(existing, options.org);
      if (ours) stages = [...new Set([...ours, ...options.stages])].filter((st) => !drop.has(st));
      else conflict = { key: version === 3 ? "providers.aws.profile" : "profile", old: source.slice(existing.start, existing.end), new: "" };
    }
    // Nothing left to select (the last stage was dropped): leave the file as it is.
    if (stages.length === 0) return { text: source, status: "unchanged", snippet: snippetFor(version), version, stages };
    const expr = profileSelectorExpression({ org: options.org, stages }, ref);
    const snippet = profileSelectorSnippet({ org: options.org, stages, version });
    if (conflict) {
      conflict.new = expr;
      if (!options.force) return { text: source, status: "conflict", conflict, snippet, version, stages };
    }
    const replaced: Replaced = {};
    const valueEdits = version === 3 ? v3ProfileEdits(source, obj, expr, style, replaced) : setProperty(source, obj, "profile", expr, style, replaced);
    if (valueEdits.length === 0) return { text: source, status: "unchanged", snippet, version, stages };
    const text = applyEdits(source, [...edits, ...valueEdits], style.eol);
    parseAst(text); // never hand back a file we broke
    return { text, status: "updated", snippet, version, stages, ...(conflict ? { conflict } : {}), ...(replaced.previous ? { previous: replaced.previous } : {}) };
  } catch (err) {
    if (!(err instanceof Unrecognised)) throw err;
    return { text: source, status: "unrecognised", reason: err.message, snippet: snippetFor(version), version };
  }
}

/**
 * Whether an expression has the shape of a selector this editor generates or generated before,
 * for any organization and stages:
 *
 *   process.env.CI || process.env.GITHUB_ACTIONS ? undefined : SELECT
 *
 * where SELECT is a profile string, `STAGE === "s" ? "p" : "d"`, the `Map` lookup
 * `new Map([["s", "p"], …]).get(STAGE ?? "") ?? "d"`, or the object lookup of earlier versions
 * `({ s: "p", … } as Record<string, string>)[STAGE ?? ""] ?? "d"`. STAGE is `x?.stage`, `x.stage`
 * or an identifier.
 */
export function isGeneratedSelector(code: string): boolean {
  try {
    return generatedSelectorNode(parseExpression(code));
  } catch {
    return false;
  }
}

function generatedSelectorNode(node: Node): boolean {
  const n = unwrap(node);
  if (n?.type !== "ConditionalExpression") return false;
  const test = unwrap(n.test);
  const envRead = (e: Node | undefined, name: string) => {
    const m = unwrap(e);
    const env = unwrap(m?.object);
    return m?.type === "MemberExpression" && !m.computed && m.property.name === name && env?.type === "MemberExpression" && !env.computed && env.property.name === "env" && unwrap(env.object)?.type === "Identifier" && unwrap(env.object)?.name === "process";
  };
  if (test?.type !== "LogicalExpression" || test.operator !== "||" || !envRead(test.left, "CI") || !envRead(test.right, "GITHUB_ACTIONS")) return false;
  if (unwrap(n.consequent)?.type !== "Identifier" || unwrap(n.consequent)?.name !== "undefined") return false;
  return generatedSelect(unwrap(n.alternate));
}

const isString = (n: Node | undefined | null) => unwrap(n)?.type === "StringLiteral";

function isStageRef(node: Node | undefined): boolean {
  const n = unwrap(node);
  if (n?.type === "Identifier") return true;
  return (n?.type === "OptionalMemberExpression" || n?.type === "MemberExpression") && !n.computed && n.property?.name === "stage" && unwrap(n.object)?.type === "Identifier";
}

/** `STAGE ?? ""` */
function isStageOrEmpty(node: Node | undefined): boolean {
  const n = unwrap(node);
  return n?.type === "LogicalExpression" && n.operator === "??" && isStageRef(n.left) && unwrap(n.right)?.type === "StringLiteral" && unwrap(n.right)?.value === "";
}

function generatedSelect(n: Node | undefined): boolean {
  if (!n) return false;
  if (n.type === "StringLiteral") return true;
  if (n.type === "ConditionalExpression") {
    const t = unwrap(n.test);
    return t?.type === "BinaryExpression" && t.operator === "===" && isStageRef(t.left) && isString(t.right) && isString(n.consequent) && isString(n.alternate);
  }
  if (n.type !== "LogicalExpression" || n.operator !== "??" || !isString(n.right)) return false;
  const lookup = unwrap(n.left);
  // new Map([["s", "p"], …]).get(STAGE ?? "")
  if (lookup?.type === "CallExpression" || lookup?.type === "OptionalCallExpression") {
    const callee = unwrap(lookup.callee);
    const map = unwrap(callee?.object);
    const list = unwrap(map?.arguments?.[0]);
    return (
      callee?.type === "MemberExpression" && !callee.computed && callee.property.name === "get" &&
      map?.type === "NewExpression" && unwrap(map.callee)?.name === "Map" && map.arguments.length === 1 &&
      list?.type === "ArrayExpression" &&
      list.elements.every((e: Node | null) => unwrap(e)?.type === "ArrayExpression" && unwrap(e)!.elements.length === 2 && unwrap(e)!.elements.every(isString)) &&
      lookup.arguments.length === 1 && isStageOrEmpty(lookup.arguments[0])
    );
  }
  // ({ s: "p", … } as Record<string, string>)[STAGE ?? ""]  (before the Map)
  if (lookup?.type === "MemberExpression" && lookup.computed) {
    const obj = unwrap(lookup.object);
    return (
      obj?.type === "ObjectExpression" &&
      obj.properties.every((p: Node) => p.type === "ObjectProperty" && !p.computed && isString(p.value)) &&
      isStageOrEmpty(lookup.property)
    );
  }
  return false;
}
