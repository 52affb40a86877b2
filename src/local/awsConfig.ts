/**
 * A line-based editor for the AWS shared config file (`~/.aws/config`), pure string → string.
 *
 * Only the blocks we own change; every other byte survives: comments (`#`, `;`), blank lines,
 * ordering, other sections, unknown keys inside our blocks, nested sub-sections (`s3 =` followed
 * by indented keys), CRLF line endings and a missing final newline (DESIGN §6). The npm `ini`
 * package is not used: it splits section names on dots and writes `[profile my\.dev]`, which the
 * AWS parsers drop.
 *
 * Exports:
 * - `validateSectionName(name)` — throws `UserError` for names the AWS SDK would silently drop.
 * - `findSections(text)` — every section with its line range and values, as the SDK reads them.
 * - `checkConfigText(text)` — problems that make the AWS CLI refuse the file (or us refuse to edit).
 * - `upsertSection(text, { kind, name, values }, { force })` → `{ text, status, conflicts }`.
 * - `removeSection(text, kind, name)` → `{ text, removed }`.
 *
 * How the two readers parse the file, which this editor follows:
 * - AWS SDK for JavaScript (`@smithy/shared-ini-file-loader` `parseIni`): a section name must
 *   match `[\w-@+.%:/]+` after the `profile `/`sso-session ` prefix, otherwise the section is
 *   dropped without a word; `key = value`, inline comments start at whitespace + `#`/`;`; a key
 *   with an empty value opens a sub-section of indented keys.
 * - AWS CLI v2 (botocore `raw_config_parse`, Python `configparser.RawConfigParser`, strict mode):
 *   a duplicate section or a duplicate key in one section is a parse error ("Unable to parse
 *   config file"), so every `aws` command fails on such a file. We refuse to edit it too, and
 *   say so. Keys before the first section header are a parse error as well.
 */
import { UserError } from "../errors.js";

export type SectionKind = "profile" | "sso-session";

export interface SectionSpec {
  kind: SectionKind;
  name: string;
  values: Record<string, string>;
}

export interface Conflict {
  key: string;
  old: string;
  new: string;
}

export type UpsertStatus = "created" | "unchanged" | "updated" | "conflict";

export interface UpsertResult {
  text: string;
  status: UpsertStatus;
  conflicts: Conflict[];
}

export interface FoundSection {
  /** `profile`, `sso-session`, `default` (the `[default]` profile) or `other` (e.g. `[services x]`). */
  kind: SectionKind | "default" | "other";
  /** The profile/session name, or the raw header text for `other`. */
  name: string;
  /** The text between the brackets, as written. */
  header: string;
  /** 0-based index of the header line. */
  headerLine: number;
  /** 0-based index one past the last key or continuation line of the section. */
  contentEnd: number;
  /** 0-based index of the next header line (or the line count). */
  end: number;
  /** Top-level keys and their values as the SDK reads them (inline comments stripped). */
  values: Record<string, string>;
}

export interface ConfigProblem {
  /** 1-based line number. */
  line: number;
  message: string;
}

/** The characters the SDK keeps in a section name (`prefixKeyRegex` in `@smithy/shared-ini-file-loader`). */
const SECTION_NAME = /^[A-Za-z0-9_\-@+.%:/]+$/;
const KEY_NAME = /^[A-Za-z0-9_\-.]+$/;

/** The order owned keys are written in, per block kind; keys not listed follow in given order. */
export const OWNED_KEY_ORDER: Record<SectionKind, readonly string[]> = {
  "sso-session": ["sso_start_url", "sso_region", "sso_registration_scopes"],
  profile: ["sso_session", "sso_account_id", "sso_role_name", "region"],
};

export function validateSectionName(name: string, kind: SectionKind = "profile"): void {
  const what = kind === "sso-session" ? "SSO session" : "profile";
  if (name.length === 0) throw new UserError(`The ${what} name is empty.`, `Choose a name such as "acme" or "acme-dev".`);
  if (!SECTION_NAME.test(name)) {
    const bad = [...new Set([...name].filter((c) => !SECTION_NAME.test(c)))].map((c) => JSON.stringify(c)).join(", ");
    throw new UserError(
      `The ${what} name ${JSON.stringify(name)} contains ${bad}; the AWS SDKs silently ignore a [${kind} …] section with such a name.`,
      "Use only letters, digits and _ - @ + . % : / (for example \"data.lake-prod\").",
    );
  }
  if (name === "__proto__") throw new UserError(`The ${what} name "__proto__" is rejected by the AWS SDK for JavaScript.`, "Choose another name.");
}

function validateValues(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!KEY_NAME.test(key)) throw new UserError(`Invalid config key ${JSON.stringify(key)}.`, "Keys use letters, digits, _ - and .");
    // An empty value opens a sub-section; a line break or an inline comment marker would change
    // what the SDK reads (it cuts values at whitespace followed by # or ;).
    if (value.trim() === "" || value !== value.trim() || /[\r\n]/.test(value) || /\s[#;]/.test(value)) {
      throw new UserError(`Invalid value for ${key}: ${JSON.stringify(value)}.`, "Values are one non-empty line without \" #\" or \" ;\".");
    }
  }
}

interface Line {
  content: string;
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /\r?\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    lines.push({ content: text.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  if (start < text.length) lines.push({ content: text.slice(start), eol: "" });
  return lines;
}

function joinLines(lines: Line[]): string {
  return lines.map((l) => l.content + l.eol).join("");
}

/** CRLF when most line breaks are CRLF, else LF. */
function detectEol(lines: Line[]): string {
  let crlf = 0;
  let lf = 0;
  for (const l of lines) {
    if (l.eol === "\r\n") crlf++;
    else if (l.eol === "\n") lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}

/** The line without its comment, trimmed, exactly as the SDK's `parseIni` sees it. */
function meaningful(content: string): string {
  return content.split(/(^|\s)[;#]/)[0].trim();
}

function isHeader(content: string): boolean {
  const t = meaningful(content);
  return t.length >= 2 && t[0] === "[" && t[t.length - 1] === "]";
}

function headerText(content: string): string {
  const t = meaningful(content);
  return t.slice(1, -1);
}

function classifyHeader(header: string): { kind: FoundSection["kind"]; name: string } {
  if (header === "default") return { kind: "default", name: "default" };
  // Same shape as the SDK's prefixKeyRegex: prefix, one whitespace, optionally quoted name.
  const m = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/.exec(header);
  if (m && (m[1] === "profile" || m[1] === "sso-session")) return { kind: m[1], name: m[3] };
  return { kind: "other", name: header };
}

type LineKind = "blank" | "comment" | "header" | "key" | "continuation" | "invalid";

function lineKind(content: string): LineKind {
  const trimmed = content.trim();
  if (trimmed === "") return "blank";
  if (trimmed[0] === "#" || trimmed[0] === ";") return "comment";
  if (isHeader(content)) return "header";
  if (/^\s/.test(content)) return "continuation";
  const eq = content.indexOf("=");
  // configparser also accepts `key: value`; the SDK ignores such a line, which is harmless.
  const colon = content.indexOf(":");
  if (eq > 0 || colon > 0) return "key";
  return "invalid";
}

function keyOf(content: string): { key: string; value: string } | undefined {
  const eq = content.indexOf("=");
  if (eq <= 0) return undefined;
  return { key: content.slice(0, eq).trim(), value: meaningful(content.slice(eq + 1)) };
}

interface Parsed {
  lines: Line[];
  sections: FoundSection[];
  kinds: LineKind[];
}

function parse(text: string): Parsed {
  const lines = splitLines(text);
  const kinds = lines.map((l) => lineKind(l.content));
  const sections: FoundSection[] = [];
  let current: FoundSection | undefined;
  lines.forEach((line, i) => {
    const kind = kinds[i];
    if (kind === "header") {
      if (current) current.end = i;
      const header = headerText(line.content);
      current = { ...classifyHeader(header), header, headerLine: i, contentEnd: i + 1, end: lines.length, values: {} };
      sections.push(current);
      return;
    }
    if (!current) return;
    if (kind === "key" || kind === "continuation") current.contentEnd = i + 1;
    if (kind === "key") {
      const kv = keyOf(line.content);
      // A key with an empty value opens a sub-section (`s3 =`); its indented keys are not ours.
      if (kv && kv.value !== "") current.values[kv.key] = kv.value;
    }
  });
  return { lines, sections, kinds };
}

export function findSections(text: string): FoundSection[] {
  return parse(text).sections;
}

export function checkConfigText(text: string): ConfigProblem[] {
  const { lines, sections, kinds } = parse(text);
  const problems: ConfigProblem[] = [];
  const firstHeader = kinds.indexOf("header");
  kinds.forEach((kind, i) => {
    if (kind === "invalid") {
      problems.push({ line: i + 1, message: `not a [section], key = value, comment or blank line: ${JSON.stringify(lines[i].content.slice(0, 80))}` });
    } else if ((kind === "key" || kind === "continuation") && (firstHeader === -1 || i < firstHeader)) {
      problems.push({ line: i + 1, message: "a setting before the first [section] header" });
    }
  });
  const seen = new Map<string, number>();
  for (const s of sections) {
    const previous = seen.get(s.header);
    if (previous !== undefined) {
      problems.push({ line: s.headerLine + 1, message: `[${s.header}] appears twice (first on line ${previous + 1})` });
    } else seen.set(s.header, s.headerLine);
    const keys = new Map<string, number>();
    for (let i = s.headerLine + 1; i < s.end; i++) {
      if (kinds[i] !== "key") continue;
      const kv = keyOf(lines[i].content);
      if (!kv) continue;
      const k = kv.key.toLowerCase(); // configparser compares keys case-insensitively
      const first = keys.get(k);
      if (first !== undefined) problems.push({ line: i + 1, message: `${kv.key} is set twice in [${s.header}] (first on line ${first + 1})` });
      else keys.set(k, i);
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** Throws a `UserError` listing what makes the text unsafe to edit. `where` names the file. */
export function assertEditable(text: string, where = "the AWS config file"): void {
  const problems = checkConfigText(text);
  if (problems.length === 0) return;
  const list = problems.slice(0, 5).map((p) => `  line ${p.line}: ${p.message}`).join("\n");
  const duplicate = problems.some((p) => /appears twice|set twice/.test(p.message));
  throw new UserError(
    `Cannot safely edit ${where}:\n${list}${problems.length > 5 ? `\n  … and ${problems.length - 5} more` : ""}`,
    duplicate
      ? "The AWS CLI refuses such a file too (\"Unable to parse config file\"). Merge or remove the duplicate, then run again; nothing was written."
      : "Fix or remove the line, then run again; nothing was written.",
  );
}

function orderedKeys(kind: SectionKind, values: Record<string, string>): string[] {
  const known = OWNED_KEY_ORDER[kind].filter((k) => k in values);
  const rest = Object.keys(values).filter((k) => !OWNED_KEY_ORDER[kind].includes(k));
  return [...known, ...rest];
}

function sectionHeader(kind: SectionKind, name: string): string {
  return `${kind} ${name}`;
}

function locate(parsed: Parsed, kind: SectionKind, name: string): FoundSection | undefined {
  return parsed.sections.find((s) => s.kind === kind && s.name === name);
}

export interface UpsertOptions {
  /** Replace existing values that differ (the user confirmed, or passed `--force`). */
  force?: boolean;
}

export function upsertSection(text: string, spec: SectionSpec, options: UpsertOptions = {}): UpsertResult {
  validateSectionName(spec.name, spec.kind);
  validateValues(spec.values);
  assertEditable(text);
  const parsed = parse(text);
  const { lines } = parsed;
  const eol = detectEol(lines);
  const keys = orderedKeys(spec.kind, spec.values);
  const section = locate(parsed, spec.kind, spec.name);

  if (!section) {
    const block = [`[${sectionHeader(spec.kind, spec.name)}]`, ...keys.map((k) => `${k} = ${spec.values[k]}`)];
    return { text: appendBlock(text, lines, block, eol), status: "created", conflicts: [] };
  }

  const conflicts: Conflict[] = [];
  const replacements = new Map<number, string>();
  const dropped = new Set<number>();
  const missing: string[] = [];
  for (const key of keys) {
    const at = findKeyLine(parsed, section, key);
    if (at === undefined) {
      missing.push(key);
      continue;
    }
    const content = lines[at].content;
    const eq = content.indexOf("=");
    const current = meaningful(content.slice(eq + 1));
    if (current === spec.values[key]) continue;
    conflicts.push({ key, old: current, new: spec.values[key] });
    // Keep the user's spacing around `=` and any inline comment; swap only the value.
    const afterEq = content.slice(eq + 1);
    const lead = /^\s*/.exec(afterEq)![0];
    const rest = afterEq.slice(lead.length);
    const tail = current === "" ? rest : rest.slice(rest.indexOf(current) + current.length);
    replacements.set(at, `${content.slice(0, eq + 1)}${lead || " "}${spec.values[key]}${tail}`);
    // A key that opened a sub-section loses its indented lines along with its old meaning.
    if (current === "") for (let j = at + 1; j < section.contentEnd && parsed.kinds[j] === "continuation"; j++) dropped.add(j);
  }

  if (conflicts.length > 0 && !options.force) return { text, status: "conflict", conflicts };
  if (conflicts.length === 0 && missing.length === 0) return { text, status: "unchanged", conflicts: [] };

  const out: Line[] = [];
  lines.forEach((line, i) => {
    if (dropped.has(i)) return;
    out.push(replacements.has(i) ? { content: replacements.get(i)!, eol: line.eol } : line);
    if (i === section.contentEnd - 1) {
      if (line.eol === "" && missing.length > 0) out[out.length - 1] = { ...out[out.length - 1], eol };
      missing.forEach((k, n) => {
        const last = n === missing.length - 1 && i === lines.length - 1 && line.eol === "";
        out.push({ content: `${k} = ${spec.values[k]}`, eol: last ? "" : eol });
      });
    }
  });
  return { text: joinLines(out), status: "updated", conflicts };
}

function findKeyLine(parsed: Parsed, section: FoundSection, key: string): number | undefined {
  for (let i = section.headerLine + 1; i < section.contentEnd; i++) {
    // Only top-level keys: indented lines belong to a sub-section or continue a value.
    if (parsed.kinds[i] !== "key") continue;
    if (keyOf(parsed.lines[i].content)?.key === key) return i;
  }
  return undefined;
}

/** Appends a block after one blank line, keeping the file's line endings and final-newline habit. */
function appendBlock(text: string, lines: Line[], block: string[], eol: string): string {
  if (text.length === 0) return block.map((l) => l + eol).join("");
  const endsWithoutNewline = lines[lines.length - 1].eol === "";
  const lastBlank = lines[lines.length - 1].content.trim() === "" && !endsWithoutNewline;
  let out = text + (endsWithoutNewline ? eol : "");
  if (!lastBlank) out += eol;
  out += block.join(eol);
  return out + (endsWithoutNewline ? "" : eol);
}

export interface RemoveResult {
  text: string;
  removed: boolean;
}

/**
 * Removes the header and the key/continuation lines of one block. Comments and blank lines after
 * its last key are kept: they usually introduce the next section.
 */
export function removeSection(text: string, kind: SectionKind, name: string): RemoveResult {
  validateSectionName(name, kind);
  assertEditable(text);
  const parsed = parse(text);
  const section = locate(parsed, kind, name);
  if (!section) return { text, removed: false };
  const { lines } = parsed;
  let from = section.headerLine;
  const to = section.contentEnd;
  // Also drop one blank separator line so removal undoes an append exactly.
  if (from > 0 && lines[from - 1].content.trim() === "" && (to === lines.length || parsed.kinds[to] === "blank")) from--;
  const kept = [...lines.slice(0, from), ...lines.slice(to)];
  if (kept.length > 0 && to === lines.length && from > 0) {
    // The removed block was last: carry its final-newline habit over to the new last line.
    kept[kept.length - 1] = { ...kept[kept.length - 1], eol: lines[lines.length - 1].eol === "" ? "" : kept[kept.length - 1].eol };
  }
  return { text: joinLines(kept), removed: true };
}
