/**
 * A line-based editor for the AWS shared config file (`~/.aws/config`), pure string → string.
 *
 * Only the blocks we own change; every other byte survives: comments (`#`, `;`), blank lines,
 * ordering, other sections, unknown keys inside our blocks, nested sub-sections (`s3 =` followed
 * by indented keys), CRLF line endings and a missing final newline (docs/local-files.md). The npm
 * `ini` package is not used: it splits section names on dots and writes `[profile my\.dev]`, which
 * the AWS parsers drop.
 *
 * Exports:
 * - `validateSectionName(name)` — throws `UserError` for names the AWS SDK would silently drop.
 * - `findSections(text)` — every section with its line range and values, as the SDK reads them.
 * - `checkConfigText(text)` — problems that make the AWS CLI or the SDKs refuse or misread the file.
 * - `upsertSection(text, { kind, name, values }, { force })` → `{ text, status, conflicts }`.
 * - `removeSection(text, kind, name)` → `{ text, removed }`.
 *
 * The editor reads every line the way both AWS parsers do, and only edits what both read the same
 * way. What they do (botocore 1.43 `configloader.raw_config_parse` on Python 3.11's
 * `configparser.RawConfigParser`, and `parseIni` of `@smithy/shared-ini-file-loader` 4.7, checked
 * with small scripts and by `test/reliability/configParsers.test.ts` against both):
 *
 * | file text | AWS CLI (botocore) | AWS SDK for JavaScript |
 * |---|---|---|
 * | `  key = v` right under a header | a key (indentation counts only after a key) | a key |
 * | `  key = v` after `other = w` | part of `other`'s value (`"w\nkey = v"`) | a key |
 * | `key: v` | a key | ignored (no `=`) |
 * | `KEY = v` | the key `key` (names are lower-cased) | the key `KEY`, not `key` |
 * | `key = v # c` | the value `v # c` (no inline comments) | the value `v` |
 * | `key` twice in a section (any case) | parse error: every command fails | the last wins |
 * | `[x]` twice (same text) | parse error | merged |
 * | `[sso-session "acme"]`, `[sso-session 'acme']`, `[profile\tacme]` | session/profile `acme` (shlex) | the same |
 * | those next to `[sso-session acme]` | the last section only | merged |
 * | `[profile  acme]` (two spaces) | profile `acme` | dropped |
 * | `[profile.acme]` | ignored | profile `acme` |
 * | `[profile x y]`, a name with other characters | ignored | dropped |
 * | indented `[header]` after a key | part of that key's value | a section |
 * | `s3 =` then indented `k = v` | nested `{k: v}` (a line without `=` in it: parse error) | `s3.k` |
 * | `[__proto__]`, `[profile __proto__]` | a section | the whole file is ignored |
 * | text before the first header | parse error | ignored |
 * | a lone CR (`\r`) | a line break | part of the line |
 *
 * So: a key is found case-insensitively and by either delimiter (as the AWS CLI finds it), and a
 * key line of ours is rewritten as `key = value` in lower case without an inline comment (the
 * comment moves to its own line above), so that both parsers read exactly our value; keys we add
 * go at column 0 after the section's last key, where both read them as top-level keys of that
 * section. A file the two parsers read differently in a way that matters for the edit is refused
 * with the line and the reason, never edited. The scan is one pass over the text with per-line
 * numbers in typed arrays: a 50 MB file edits in about a second (bench/RESULTS.md).
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
const KEY_NAME = /^[a-z0-9_\-.]+$/;
const SDK_PREFIX_KEY = /^([\w-]+)\s(["'])?([\w\-@+.%:/]+)\2$/;
const SDK_SECTION_TYPES = ["profile", "sso-session", "services"];

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
    // Lower case: the AWS CLI lower-cases key names, the SDKs do not.
    if (!KEY_NAME.test(key)) throw new UserError(`Invalid config key ${JSON.stringify(key)}.`, "Keys use lower-case letters, digits, _ - and .");
    // An empty value opens a sub-section; a line break or an inline comment marker would change
    // what the SDK reads (it cuts values at whitespace followed by # or ;).
    if (value.trim() === "" || value !== value.trim() || /[\r\n]/.test(value) || /\s[#;]/.test(value)) {
      throw new UserError(`Invalid value for ${key}: ${JSON.stringify(value)}.`, "Values are one non-empty line without \" #\" or \" ;\".");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The scan: one pass, both parsers' reading of every line.

/** How the AWS CLI (configparser) reads a line. */
const B_BLANK = 0;
const B_COMMENT = 1;
const B_HEADER = 2;
const B_OPTION = 3;
const B_CONTINUATION = 4;
const B_INVALID = 5;
const B_ORPHAN = 6;

/** How the SDK (`parseIni`) reads a line. */
const S_IGNORED = 0;
const S_HEADER = 1;
const S_KEY = 2;
const S_SUBOPEN = 3;
const S_SUBKEY = 4;

interface Identity {
  kind: string;
  name: string;
}

interface Section {
  headerLine: number;
  /** One past the last option or continuation line (the AWS CLI's reading). */
  contentEnd: number;
  end: number;
  /** The AWS CLI's section name: the text between `[` and the last `]`. */
  header: string;
  /** What each parser makes of the header: a profile, session or services entry, or nothing. */
  boto: Identity | undefined;
  sdk: Identity | undefined;
}

interface Scan {
  text: string;
  count: number;
  start: Int32Array;
  end: Int32Array;
  next: Int32Array;
  indent: Int32Array;
  boto: Uint8Array;
  sdk: Uint8Array;
  sections: Section[];
  problems: ConfigProblem[];
}

/** Python's `shlex.split` (POSIX mode, no comments), as botocore applies it to section names. */
function shlexSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (/\s/.test(c)) {
      if (token !== undefined) out.push(token);
      token = undefined;
    } else if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) return undefined;
      token = (token ?? "") + s.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      let t = "";
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === "\\" && j + 1 < s.length && (s[j + 1] === '"' || s[j + 1] === "\\")) t += s[++j];
        else t += s[j];
      }
      if (j >= s.length) return undefined;
      token = (token ?? "") + t;
      i = j;
    } else if (c === "\\") {
      if (i + 1 >= s.length) return undefined;
      token = (token ?? "") + s[++i];
    } else token = (token ?? "") + c;
  }
  if (token !== undefined) out.push(token);
  return out;
}

/** botocore's `build_profile_map`: which profile, session or services entry a section is. */
function botoIdentity(header: string): Identity | undefined {
  for (const kind of SDK_SECTION_TYPES) {
    if (!header.startsWith(kind)) continue;
    const parts = shlexSplit(header);
    return parts?.length === 2 ? { kind, name: parts[1] } : undefined;
  }
  if (header === "default") return { kind: "profile", name: "default" };
  return { kind: "other", name: header };
}

/** The SDK's `parseIni` + `getConfigData`/`getSsoSessionData`: which entry a section is. */
function sdkIdentity(name: string): Identity | undefined {
  const m = SDK_PREFIX_KEY.exec(name);
  if (m) return SDK_SECTION_TYPES.includes(m[1]) ? (m[1] === "profile" && m[3] === "default" ? { kind: "profile", name: "default" } : { kind: m[1], name: m[3] }) : undefined;
  if (name === "") return undefined;
  if (name === "default") return { kind: "profile", name: "default" };
  const dot = name.indexOf(".");
  if (dot > 0 && SDK_SECTION_TYPES.includes(name.slice(0, dot))) return { kind: name.slice(0, dot), name: name.slice(dot + 1) };
  return { kind: "other", name };
}

const sameIdentity = (a: Identity | undefined, b: Identity | undefined) => !!a && !!b && a.kind === b.kind && a.name === b.name;
const identityText = (id: Identity) => (id.kind === "other" ? `[${id.name}]` : `${id.kind} ${id.name}`);

/** The line as the SDK's `parseIni` sees it: the comment cut off at (start or whitespace) + `#`/`;`. */
function sdkTrimmed(content: string): string {
  return content.split(/(^|\s)[;#]/)[0].trim();
}

/** configparser's option line: name (up to the first `=` or `:`), delimiter, value. */
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

function scan(text: string): Scan {
  let count = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
  if (text.length > 0 && !text.endsWith("\n")) count++;
  const start = new Int32Array(count);
  const end = new Int32Array(count);
  const next = new Int32Array(count);
  const indent = new Int32Array(count);
  const boto = new Uint8Array(count);
  const sdk = new Uint8Array(count);
  const sections: Section[] = [];
  const problems: ConfigProblem[] = [];

  // configparser state
  let inSection = false;
  let optionOpen = false;
  let indentLevel = 0;
  let nestedOption: string | undefined; // an option whose value started empty: its lines must be `k = v`
  let keys = new Map<string, number>();
  const headers = new Map<string, number>();
  const botoIds = new Map<string, number>();
  const sdkIds = new Map<string, number>();
  // parseIni state
  let sdkActive = false;
  let sdkSub = false;
  let current: Section | undefined;

  let pos = 0;
  for (let i = 0; i < count; i++) {
    const nl = text.indexOf("\n", pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const contentEnd = lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    start[i] = pos;
    end[i] = contentEnd;
    next[i] = nl < 0 ? text.length : nl + 1;
    pos = next[i];
    const content = text.slice(start[i], contentEnd);
    const line = i + 1;
    if (content.includes("\r")) problems.push({ line, message: "a carriage return inside the line: the AWS CLI reads it as a line break, the AWS SDKs do not" });

    // --- the AWS CLI (configparser._read)
    const stripped = content.trim();
    const ind = stripped === "" ? 0 : content.search(/\S/);
    indent[i] = ind;
    let b: number;
    let header: string | undefined;
    if (stripped === "") b = B_BLANK;
    else if (stripped[0] === "#" || stripped[0] === ";") b = B_COMMENT;
    else if (inSection && optionOpen && ind > indentLevel) {
      b = B_CONTINUATION;
      if (nestedOption !== undefined && !stripped.includes("=")) {
        problems.push({ line, message: `a line without "=" inside the nested setting ${nestedOption}: the AWS CLI cannot parse it` });
      }
    } else {
      indentLevel = ind;
      const h = /^\[(.+)\]/.exec(stripped);
      if (h) {
        b = B_HEADER;
        header = h[1];
        inSection = true;
        optionOpen = false;
        nestedOption = undefined;
        keys = new Map();
      } else if (!inSection) {
        b = B_ORPHAN;
        problems.push({ line, message: "a setting before the first [section] header" });
      } else {
        const o = OPTION.exec(stripped);
        if (o && o[1].trimEnd() !== "") {
          b = B_OPTION;
          const rawKey = o[1].trimEnd();
          const key = rawKey.toLowerCase();
          optionOpen = true;
          nestedOption = o[3] === "" ? rawKey : undefined;
          const first = keys.get(key);
          if (first !== undefined) problems.push({ line, message: `${rawKey} is set twice in [${current?.header ?? ""}] (first on line ${first + 1}, the AWS CLI compares names without case)` });
          else keys.set(key, i);
        } else {
          b = B_INVALID;
          problems.push({ line, message: `not a [section], key = value, comment or blank line: ${JSON.stringify(content.slice(0, 80))}` });
        }
      }
    }
    boto[i] = b;

    // --- the SDK (parseIni)
    const t = sdkTrimmed(content);
    let s = S_IGNORED;
    let sdkName: string | undefined;
    if (t[0] === "[" && t[t.length - 1] === "]") {
      s = S_HEADER;
      sdkName = t.slice(1, -1);
      const m = SDK_PREFIX_KEY.exec(sdkName);
      sdkActive = m ? SDK_SECTION_TYPES.includes(m[1]) : sdkName !== "";
      sdkSub = false;
      if (sdkName === "__proto__" || sdkName === "profile __proto__") {
        problems.push({ line, message: `[${sdkName}]: the AWS SDKs for JavaScript refuse the whole file because of it` });
      }
    } else if (sdkActive) {
      const eq = t.indexOf("=");
      if (eq > 0) {
        if (t.slice(eq + 1).trim() === "") {
          s = S_SUBOPEN;
          sdkSub = true;
        } else {
          if (sdkSub && content.trimStart() === content) sdkSub = false;
          s = sdkSub ? S_SUBKEY : S_KEY;
        }
      }
    }
    sdk[i] = s;

    // --- sections, and where the two readings part
    if (b === B_HEADER) {
      if (current) current.end = i;
      current = { headerLine: i, contentEnd: i + 1, end: count, header: header!, boto: botoIdentity(header!), sdk: s === S_HEADER ? sdkIdentity(sdkName!) : undefined };
      sections.push(current);
      const previous = headers.get(header!);
      if (previous !== undefined && header !== "DEFAULT") problems.push({ line, message: `[${header}] appears twice (first on line ${previous + 1})` });
      else {
        headers.set(header!, i);
        for (const [id, seen, who] of [
          [current.boto, botoIds, "the AWS CLI"],
          [current.sdk, sdkIds, "the AWS SDKs"],
        ] as const) {
          if (!id || id.kind === "other") continue;
          const key = `${id.kind} ${id.name}`;
          const first = seen.get(key);
          if (first !== undefined) {
            problems.push({ line, message: `[${header}] is ${identityText(id)} again for ${who} (first on line ${first + 1}); the AWS CLI keeps only the last one, the SDKs merge them` });
          } else seen.set(key, i);
        }
      }
      if (s !== S_HEADER) problems.push({ line, message: `the AWS CLI reads [${header}] as a section header, the AWS SDKs do not: ${JSON.stringify(content.slice(0, 80))}` });
      else if (current.sdk?.kind !== "other" && current.boto?.kind !== "other" && !sameIdentity(current.boto, current.sdk)) {
        const what = (id: Identity | undefined) => (id ? identityText(id) : "nothing (ignored)");
        problems.push({ line, message: `[${header}] is ${what(current.boto)} for the AWS CLI but ${what(current.sdk)} for the AWS SDKs; write it as [${current.boto?.kind ?? current.sdk?.kind} ${current.boto?.name ?? current.sdk?.name}]` });
      }
    } else if (s === S_HEADER && b !== B_COMMENT) {
      problems.push({ line, message: `the AWS SDKs read ${JSON.stringify(t)} as a section header, the AWS CLI as part of the setting above it (remove the indentation)` });
    }
    if (current && (b === B_OPTION || b === B_CONTINUATION)) current.contentEnd = i + 1;
  }
  return { text, count, start, end, next, indent, boto, sdk, sections, problems };
}

const lineText = (sc: Scan, i: number) => sc.text.slice(sc.start[i], sc.end[i]);
const eolOf = (sc: Scan, i: number) => sc.text.slice(sc.end[i], sc.next[i]);

/** CRLF when most line breaks are CRLF, else LF. */
function detectEol(sc: Scan): string {
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < sc.count; i++) {
    const e = sc.next[i] - sc.end[i];
    if (e === 2) crlf++;
    else if (e === 1) lf++;
  }
  return crlf > lf ? "\r\n" : "\n";
}

function legacyKind(section: Section): { kind: FoundSection["kind"]; name: string } {
  const id = section.sdk ?? section.boto;
  if (section.header === "default") return { kind: "default", name: "default" };
  if (id && (id.kind === "profile" || id.kind === "sso-session") && sameIdentity(section.boto, section.sdk)) return { kind: id.kind, name: id.name };
  return { kind: "other", name: section.header };
}

/** Top-level keys of one section as the SDK reads them (the last one wins). */
function sdkValues(sc: Scan, section: Section): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = section.headerLine + 1; i < section.end; i++) {
    if (sc.sdk[i] !== S_KEY) continue;
    const t = sdkTrimmed(lineText(sc, i));
    const eq = t.indexOf("=");
    values[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
  }
  return values;
}

export function findSections(text: string): FoundSection[] {
  const sc = scan(text);
  return sc.sections.map((s) => ({ ...legacyKind(s), header: s.header, headerLine: s.headerLine, contentEnd: s.contentEnd, end: s.end, values: sdkValues(sc, s) }));
}

export function checkConfigText(text: string): ConfigProblem[] {
  return [...scan(text).problems].sort((a, b) => a.line - b.line);
}

function throwProblems(problems: ConfigProblem[], where: string): never {
  const list = problems.slice(0, 5).map((p) => `  line ${p.line}: ${p.message}`).join("\n");
  const duplicate = problems.some((p) => /appears twice|set twice| again for /.test(p.message));
  throw new UserError(
    `Cannot safely edit ${where}:\n${list}${problems.length > 5 ? `\n  … and ${problems.length - 5} more` : ""}`,
    duplicate
      ? "The AWS CLI refuses such a file too (\"Unable to parse config file\") or reads it differently from the SDKs. Merge or remove the duplicate, then run again; nothing was written."
      : "Fix or remove the line, then run again; nothing was written.",
  );
}

/** Throws a `UserError` listing what makes the text unsafe to edit. `where` names the file. */
export function assertEditable(text: string, where = "the AWS config file"): void {
  const problems = checkConfigText(text);
  if (problems.length > 0) throwProblems(problems, where);
}

function editable(text: string): Scan {
  const sc = scan(text);
  if (sc.problems.length > 0) throwProblems([...sc.problems].sort((a, b) => a.line - b.line), "the AWS config file");
  return sc;
}

function orderedKeys(kind: SectionKind, values: Record<string, string>): string[] {
  const known = OWNED_KEY_ORDER[kind].filter((k) => k in values);
  const rest = Object.keys(values).filter((k) => !OWNED_KEY_ORDER[kind].includes(k));
  return [...known, ...rest];
}

/** The one section both parsers read as `[kind name]`, refusing one that only one of them does. */
function locate(sc: Scan, kind: SectionKind, name: string): Section | undefined {
  const target = { kind, name };
  const found = sc.sections.filter((s) => sameIdentity(s.boto, target) || sameIdentity(s.sdk, target));
  for (const s of found) {
    if (!sameIdentity(s.boto, target) || !sameIdentity(s.sdk, target)) {
      throw new UserError(
        `Cannot safely edit the AWS config file: line ${s.headerLine + 1}, [${s.header}], is ${kind} ${name} for ${sameIdentity(s.boto, target) ? "the AWS CLI but not for the AWS SDKs" : "the AWS SDKs but not for the AWS CLI"}.`,
        `Write the header as [${kind} ${name}], then run again; nothing was written.`,
      );
    }
  }
  return found[0];
}

/** The AWS CLI's value of the option on line `at`: its first line and its continuation lines. */
function botoValue(sc: Scan, at: number, section: Section): { value: string; continuation: number[] } {
  const first = OPTION.exec(lineText(sc, at).trim())!;
  const parts = [first[3]];
  const continuation: number[] = [];
  for (let j = at + 1; j < section.contentEnd; j++) {
    if (sc.boto[j] === B_CONTINUATION) {
      parts.push(lineText(sc, j).trim());
      continuation.push(j);
    } else if (sc.boto[j] === B_BLANK) parts.push("");
    else if (sc.boto[j] !== B_COMMENT) break;
  }
  return { value: parts.join("\n").trimEnd(), continuation };
}

function findOption(sc: Scan, section: Section, key: string): number | undefined {
  for (let i = section.headerLine + 1; i < section.contentEnd; i++) {
    if (sc.boto[i] !== B_OPTION) continue;
    const o = OPTION.exec(lineText(sc, i).trim());
    if (o && o[1].trimEnd().toLowerCase() === key) return i;
  }
  return undefined;
}

/**
 * The option line rewritten so that both parsers read `key = value`: the user's indentation and
 * spacing around `=` stay; the key goes lower case and `=` replaces `:`; an inline comment (part
 * of the value for the AWS CLI) moves to its own line just above.
 */
function rewriteOption(content: string, key: string, value: string): string[] {
  const indent = /^\s*/.exec(content)![0];
  const body = content.slice(indent.length);
  const o = /^(.*?)(\s*)([=:])(\s*)(.*)$/.exec(body)!;
  const m = /(^|\s)[;#]/.exec(o[5]);
  const comment = m ? o[5].slice(m.index + m[1].length).trimEnd() : undefined;
  const same = o[1] === key && o[3] === "=";
  const line = same ? `${indent}${key}${o[2]}=${o[4] || " "}${value}` : `${indent}${key} = ${value}`;
  return comment ? [`${indent}${comment}`, line] : [line];
}

export interface UpsertOptions {
  /** Replace existing values that differ (the user confirmed, or passed `--force`). */
  force?: boolean;
}

export function upsertSection(text: string, spec: SectionSpec, options: UpsertOptions = {}): UpsertResult {
  validateSectionName(spec.name, spec.kind);
  validateValues(spec.values);
  const sc = editable(text);
  const eol = detectEol(sc);
  const keys = orderedKeys(spec.kind, spec.values);
  const section = locate(sc, spec.kind, spec.name);

  if (!section) {
    const block = [`[${spec.kind} ${spec.name}]`, ...keys.map((k) => `${k} = ${spec.values[k]}`)];
    return { text: appendBlock(sc, block, eol), status: "created", conflicts: [] };
  }

  const conflicts: Conflict[] = [];
  const replacements = new Map<number, string[]>();
  const dropped = new Set<number>();
  const missing: string[] = [];
  for (const key of keys) {
    const at = findOption(sc, section, key);
    if (at === undefined) {
      missing.push(key);
      continue;
    }
    const want = spec.values[key];
    const { value, continuation } = botoValue(sc, at, section);
    const content = lineText(sc, at);
    const t = sdkTrimmed(content);
    const sdkReads = sc.sdk[at] === S_KEY && t.slice(0, t.indexOf("=")).trim() === key ? t.slice(t.indexOf("=") + 1).trim() : undefined;
    if (value === want && sdkReads === want) continue;
    if (value !== want) conflicts.push({ key, old: value, new: want });
    const rewritten = rewriteOption(content, key, want);
    if (sc.indent[at] > 0 && subsectionOpenBefore(sc, section, at)) {
      // Indented under a nested setting the SDK still has open, the line would stay part of that
      // setting for the SDK whatever we write on it: the key moves to the end of the section
      // (column 0, a top-level key for both), and only an inline comment stays where it was.
      replacements.set(at, rewritten.slice(0, -1));
      missing.push(key);
    } else replacements.set(at, rewritten);
    // The value's continuation lines (a nested sub-section, or a value on several lines) go with it.
    for (const j of continuation) dropped.add(j);
  }

  if (conflicts.length > 0 && !options.force) return { text, status: "conflict", conflicts };
  if (replacements.size === 0 && missing.length === 0) return { text, status: "unchanged", conflicts: [] };

  // Rebuild only the section's lines; everything before and after is sliced as is.
  const from = sc.start[section.headerLine];
  const lastContent = section.contentEnd - 1;
  const to = sc.next[lastContent];
  const finalLine = lastContent === sc.count - 1 && sc.next[lastContent] === sc.end[lastContent];
  let middle = "";
  for (let i = section.headerLine; i <= lastContent; i++) {
    if (dropped.has(i)) continue;
    const lineEol = eolOf(sc, i) || (i === lastContent && missing.length > 0 ? eol : "");
    const replaced = replacements.get(i);
    if (replaced?.length === 0) continue;
    middle += replaced ? replaced.join(eol) + lineEol : lineText(sc, i) + lineEol;
  }
  missing.forEach((k, n) => {
    const last = n === missing.length - 1 && finalLine;
    middle += `${k} = ${spec.values[k]}${last ? "" : eol}`;
  });
  return { text: text.slice(0, from) + middle + text.slice(to), status: "updated", conflicts };
}

/** Whether the SDK has a nested sub-section open when it reaches line `at` of the section. */
function subsectionOpenBefore(sc: Scan, section: Section, at: number): boolean {
  let open = false;
  for (let i = section.headerLine + 1; i < at; i++) {
    if (sc.sdk[i] === S_SUBOPEN) open = true;
    else if (sc.sdk[i] === S_KEY && sc.indent[i] === 0) open = false;
  }
  return open;
}

/** Appends a block after one blank line, keeping the file's line endings and final-newline habit. */
function appendBlock(sc: Scan, block: string[], eol: string): string {
  const { text } = sc;
  if (text.length === 0) return block.map((l) => l + eol).join("");
  const last = sc.count - 1;
  const endsWithoutNewline = sc.next[last] === sc.end[last];
  const lastBlank = lineText(sc, last).trim() === "" && !endsWithoutNewline;
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
  const sc = editable(text);
  const section = locate(sc, kind, name);
  if (!section) return { text, removed: false };
  let from = section.headerLine;
  const to = section.contentEnd;
  // Also drop one blank separator line so removal undoes an append exactly.
  if (from > 0 && sc.boto[from - 1] === B_BLANK && (to === sc.count || sc.boto[to] === B_BLANK)) from--;
  const head = text.slice(0, from < sc.count ? sc.start[from] : text.length);
  const rest = to < sc.count ? text.slice(sc.start[to]) : "";
  if (to === sc.count && from > 0 && head.length > 0) {
    // The removed block was last: carry its final-newline habit over to the new last line.
    const last = sc.count - 1;
    if (sc.next[last] === sc.end[last]) return { text: head.slice(0, sc.end[from - 1]), removed: true };
  }
  return { text: head + rest, removed: true };
}
