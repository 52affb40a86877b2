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
 * - `findSections(text)` — every section with its line range and values, as the SDK reads them
 *   (`sectionIdentities(text)`: only their kinds and names).
 * - `checkConfigText(text)` — problems that make the AWS CLI or the SDKs refuse or misread the file.
 * - `upsertSection(text, { kind, name, values }, { force })` → `{ text, status, conflicts }`.
 * - `upsertSections(text, specs, { force }, where)` → `{ text, results, changes }`: every block on one scan.
 * - `removeSection(text, kind, name)` → `{ text, removed }` (`removeSectionChange` also says what changed).
 * - `composeChange(changes, change, current)` — one more edit's change, in the original's characters.
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
 * numbers in typed arrays, and a plan of several blocks scans once (`upsertSections`): the cost is
 * linear in the file's size (docs/local-files.md, "Big files"; bench/RESULTS.md, figure 6).
 */
import { UserError } from "../errors.js";

export type SectionKind = "profile" | "sso-session";

export interface SectionSpec {
  kind: SectionKind;
  name: string;
  values: Record<string, string>;
  /**
   * Keys whose value in an existing section stays whatever it is (never a conflict); written only
   * where the section lacks them. A profile's `region` is the person's choice once written
   * (docs/local-files.md).
   */
  keep?: readonly string[];
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

/**
 * `profile NAME`, `sso-session NAME`, `services NAME` with a name of the SDK's characters only:
 * botocore's shlex and the SDK's prefix regex both read it as `{ kind, name }` (most headers of
 * a big file), so one identity serves both, and the header text itself is its key.
 */
const PLAIN_TYPED_HEADER = /^(profile|sso-session|services) ([\w\-@+.%:/]+)$/;

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
/** The duplicate checks' key: `kind name` (the header itself when it is written that way: no new string). */
const identityKey = (id: Identity, header: string) =>
  header.length === id.kind.length + 1 + id.name.length && header.startsWith(id.kind) && header.endsWith(id.name) && header.charCodeAt(id.kind.length) === 32 ? header : `${id.kind} ${id.name}`;
const identityText = (id: Identity) => (id.kind === "other" ? `[${id.name}]` : `${id.kind} ${id.name}`);

/** The line as the SDK's `parseIni` sees it: the comment cut off at (start or whitespace) + `#`/`;`. */
function sdkTrimmed(content: string, trimmed?: string): string {
  // Without a comment character the cut changes nothing (and costs an array per line).
  if (content.indexOf("#") < 0 && content.indexOf(";") < 0) return trimmed ?? content.trim();
  return content.split(/(^|\s)[;#]/)[0].trim();
}

/** configparser's option line: name (up to the first `=` or `:`), delimiter, value. */
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

/**
 * Numbers the distinct strings it is given (0, 1, 2, … in order of first appearance): a hash
 * table in typed arrays. On a big file a `Map` of 400,000 header strings took most of the scan
 * (its entries and their growth are garbage to collect); this one holds four bytes a slot.
 */
class KeySlots {
  private keys: string[] = [];
  private hashes = new Int32Array(1024);
  private table = new Int32Array(2048).fill(-1);

  slotOf(key: string): number {
    let h = 0x811c9dc5; // FNV-1a
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    const mask = this.table.length - 1;
    for (let p = h & mask; ; p = (p + 1) & mask) {
      const slot = this.table[p];
      if (slot < 0) break;
      if (this.hashes[slot] === h && this.keys[slot] === key) return slot;
    }
    const slot = this.keys.length;
    this.keys.push(key);
    if (slot >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[slot] = h;
    // At most half full: rebuild twice as large.
    if (2 * this.keys.length > this.table.length) {
      this.table = new Int32Array(this.table.length * 2).fill(-1);
      for (let k = 0; k < this.keys.length - 1; k++) this.place(k);
    }
    this.place(slot);
    return slot;
  }

  private place(slot: number): void {
    const mask = this.table.length - 1;
    let p = this.hashes[slot] & mask;
    while (this.table[p] >= 0) p = (p + 1) & mask;
    this.table[p] = slot;
  }
}

/**
 * Where `OPTION` puts the delimiter of a trimmed line without line-break characters (-1: no
 * match): at the first `=` or `:`. Its name is the text before it without the whitespace at its
 * end; its value is empty when the delimiter ends the line (the line is trimmed).
 */
function optionDelimiter(stripped: string): number {
  const eq = stripped.indexOf("=");
  const colon = stripped.indexOf(":");
  return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
}

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
  // The keys of the current section (lower case) and their lines: a section has a few, so a list
  // searched from the start is cheaper than a Map per section.
  const keyNames: string[] = [];
  const keyLines: number[] = [];
  // The duplicate checks: headers as written, and each parser's `kind name`, in one map (a big
  // file's cost is its lookups) from the key to a slot of the three "first line" lists; a plain
  // header is its own `kind name`, so most sections cost one lookup.
  const slots = new KeySlots();
  const firstHeader: number[] = [];
  const firstOf = { boto: [] as number[], sdk: [] as number[] };
  const slotOf = (key: string): number => {
    const slot = slots.slotOf(key);
    if (slot === firstHeader.length) {
      firstHeader.push(-1);
      firstOf.boto.push(-1);
      firstOf.sdk.push(-1);
    }
    return slot;
  };
  // No character that ends a line for a regex's `.` other than the one we split on: an option
  // line is then read without the regex (the same reading, see readOption).
  const noRegexBreaks = !/[\u2028\u2029]/.test(text);
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
    const hasCr = content.includes("\r");
    if (hasCr) problems.push({ line, message: "a carriage return inside the line: the AWS CLI reads it as a line break, the AWS SDKs do not" });

    // --- the AWS CLI (configparser._read)
    // Most lines start and end with a printable ASCII character: nothing to trim.
    const c0 = content.charCodeAt(0);
    const cl = content.charCodeAt(content.length - 1);
    const plain = c0 > 32 && c0 < 127 && cl > 32 && cl < 127;
    const stripped = plain ? content : content.trim();
    const ind = plain || stripped === "" ? 0 : content.search(/\S/);
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
      const h = stripped.charCodeAt(0) === 91 ? /^\[(.+)\]/.exec(stripped) : null;
      if (h) {
        b = B_HEADER;
        header = h[1];
        inSection = true;
        optionOpen = false;
        nestedOption = undefined;
        keyNames.length = 0;
        keyLines.length = 0;
      } else if (!inSection) {
        b = B_ORPHAN;
        problems.push({ line, message: "a setting before the first [section] header" });
      } else {
        let rawKey = "";
        let emptyValue = false;
        if (noRegexBreaks && !hasCr) {
          const d = optionDelimiter(stripped);
          if (d > 0) {
            rawKey = stripped.slice(0, d).trimEnd();
            emptyValue = d === stripped.length - 1;
          }
        } else {
          const o = OPTION.exec(stripped);
          if (o) {
            rawKey = o[1].trimEnd();
            emptyValue = o[3] === "";
          }
        }
        if (rawKey !== "") {
          b = B_OPTION;
          const key = rawKey.toLowerCase();
          optionOpen = true;
          nestedOption = emptyValue ? rawKey : undefined;
          const seenAt = keyNames.indexOf(key);
          if (seenAt >= 0) problems.push({ line, message: `${rawKey} is set twice in [${current?.header ?? ""}] (first on line ${keyLines[seenAt] + 1}, the AWS CLI compares names without case)` });
          else {
            keyNames.push(key);
            keyLines.push(i);
          }
        } else {
          b = B_INVALID;
          problems.push({ line, message: `not a [section], key = value, comment or blank line: ${JSON.stringify(content.slice(0, 80))}` });
        }
      }
    }
    boto[i] = b;

    // --- the SDK (parseIni)
    const t = sdkTrimmed(content, stripped);
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
        // (t is trimmed: the value after `=` is empty only when `=` is its last character)
        if (eq === t.length - 1) {
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
      const plainHeader = s === S_HEADER && sdkName === header ? PLAIN_TYPED_HEADER.exec(header!) : null;
      const plainId = plainHeader ? { kind: plainHeader[1], name: plainHeader[2] } : undefined;
      current = {
        headerLine: i,
        contentEnd: i + 1,
        end: count,
        header: header!,
        boto: plainId ?? botoIdentity(header!),
        sdk: plainId ?? (s === S_HEADER ? sdkIdentity(sdkName!) : undefined),
      };
      sections.push(current);
      const slot = slotOf(header!);
      const previous = firstHeader[slot];
      if (previous >= 0 && header !== "DEFAULT") problems.push({ line, message: `[${header}] appears twice (first on line ${previous + 1})` });
      else {
        firstHeader[slot] = i;
        for (const parser of ["boto", "sdk"] as const) {
          const id = current[parser];
          if (!id || id.kind === "other") continue;
          const key = identityKey(id, header!);
          const at = key === header ? slot : slotOf(key);
          const first = firstOf[parser][at];
          if (first >= 0) {
            const who = parser === "boto" ? "the AWS CLI" : "the AWS SDKs";
            problems.push({ line, message: `[${header}] is ${identityText(id)} again for ${who} (first on line ${first + 1}); the AWS CLI keeps only the last one, the SDKs merge them` });
          } else firstOf[parser][at] = i;
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

/** `findSections(text)` with only each section's kind and name (no values to collect). */
export function sectionIdentities(text: string): Pick<FoundSection, "kind" | "name">[] {
  return scan(text).sections.map(legacyKind);
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

function editable(text: string, where = "the AWS config file"): Scan {
  const sc = scan(text);
  if (sc.problems.length > 0) throwProblems([...sc.problems].sort((a, b) => a.line - b.line), where);
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
  const found: Section[] = [];
  for (const s of sc.sections) {
    if ((s.boto?.name === name && s.boto.kind === kind) || (s.sdk?.name === name && s.sdk.kind === kind)) found.push(s);
  }
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

/**
 * One change of the text: the characters `from`–`to` of the text it was planned on (whole lines,
 * or the end of the text) become `text`. Returned with every edit, so that a caller can show a
 * diff of only the changed lines (src/local/boundedDiff.ts) without comparing whole files.
 */
export interface TextChange {
  from: number;
  to: number;
  text: string;
}

interface PlannedUpsert {
  status: UpsertStatus;
  conflicts: Conflict[];
  /** A rebuilt section (whole lines of the text scanned), or a block to append. */
  change?: TextChange;
  append?: string[];
  /** The lines `change` replaces (from, to exclusive). */
  lines?: [number, number];
  /** The section's last line is the text's last line (its rebuilt lines end the text). */
  endsText?: boolean;
}

export function upsertSection(text: string, spec: SectionSpec, options: UpsertOptions = {}): UpsertResult {
  return upsertOne(text, spec, options).result;
}

function upsertOne(text: string, spec: SectionSpec, options: UpsertOptions, where?: string): { result: UpsertResult; change?: TextChange } {
  validateSectionName(spec.name, spec.kind);
  validateValues(spec.values);
  const sc = editable(text, where);
  const planned = planUpsert(sc, spec, detectEol(sc), options);
  const change = planned.append ? appendBlock(sc, planned.append, detectEol(sc)) : planned.change;
  const result = { text: change ? applyChanges(text, [change]) : text, status: planned.status, conflicts: planned.conflicts };
  return { result, change };
}

export interface UpsertManyResult {
  text: string;
  /** One per spec: its status and conflicts as `upsertSection` applied to each in turn gives (`text` is the final text). */
  results: UpsertResult[];
  /** What changed, in the original text's characters, in order and not overlapping. */
  changes: TextChange[];
}

/**
 * `upsertSection` for each spec in turn, on one scan of the text: the text is read once, every
 * block's edit is planned on that reading and the pieces are joined once, so a big file costs one
 * pass (docs/local-files.md, "Big files"). The result is the same text as applying the specs one
 * by one. Where the earlier edits could change how a later one is made — two specs for the same
 * block, a file without a final newline (an appended block then ends the file instead), or an
 * edit that changes which line ending most lines have — it applies them one by one instead.
 */
export function upsertSections(text: string, specs: SectionSpec[], options: UpsertOptions = {}, where?: string): UpsertManyResult {
  const sc = editable(text, where);
  const identities = new Set(specs.map((spec) => `${spec.kind} ${spec.name}`));
  if (identities.size < specs.length || (text.length > 0 && !text.endsWith("\n"))) return upsertOneByOne(text, specs, options, where);

  const counts = eolCounts(sc);
  const eol = counts.crlf > counts.lf ? "\r\n" : "\n";
  const results: UpsertResult[] = [];
  const changes: TextChange[] = [];
  let appended = "";
  // What an appended block follows: nothing, a blank last line, or a line with text.
  let lastBlank = sc.count > 0 && lineText(sc, sc.count - 1).trim() === "";
  for (const spec of specs) {
    if ((counts.crlf > counts.lf ? "\r\n" : "\n") !== eol) return upsertOneByOne(text, specs, options, where);
    validateSectionName(spec.name, spec.kind);
    validateValues(spec.values);
    const planned = planUpsert(sc, spec, eol, options);
    results.push({ text: "", status: planned.status, conflicts: planned.conflicts });
    if (planned.change) {
      changes.push(planned.change);
      const removed = eolCountsOfLines(sc, planned.lines![0], planned.lines![1]);
      const added = eolCountsOf(planned.change.text);
      counts.crlf += added.crlf - removed.crlf;
      counts.lf += added.lf - removed.lf;
      if (planned.endsText && appended === "") lastBlank = lastLineOf(planned.change.text).trim() === "";
    } else if (planned.append) {
      const block = planned.append.join(eol);
      const piece = text.length === 0 && appended === "" ? planned.append.map((l) => l + eol).join("") : (lastBlank ? "" : eol) + block + eol;
      appended += piece;
      lastBlank = false;
      const added = eolCountsOf(piece);
      counts.crlf += added.crlf;
      counts.lf += added.lf;
    }
  }
  changes.sort((a, b) => a.from - b.from);
  if (appended) changes.push({ from: text.length, to: text.length, text: appended });
  const out = applyChanges(text, changes);
  for (const r of results) r.text = out;
  return { text: out, results, changes };
}

function upsertOneByOne(text: string, specs: SectionSpec[], options: UpsertOptions, where?: string): UpsertManyResult {
  const results: UpsertResult[] = [];
  let changes: TextChange[] = [];
  let current = text;
  for (const spec of specs) {
    const { result, change } = upsertOne(current, spec, options, where);
    results.push(result);
    if (change) changes = composeChange(changes, change, current);
    current = result.text;
  }
  return { text: current, results, changes };
}

/**
 * Adds `change` (made on `current`, the text after `changes`) to `changes` (in the original's
 * characters, in order): the changes it overlaps or touches become one with it.
 */
export function composeChange(changes: TextChange[], change: TextChange, current: string): TextChange[] {
  const before: TextChange[] = [];
  const overlapping: { c: TextChange; curFrom: number; curTo: number }[] = [];
  const after: TextChange[] = [];
  let deltaBefore = 0; // current − original, up to the change
  let deltaOverlapping = 0;
  let delta = 0;
  for (const c of changes) {
    const curFrom = c.from + delta;
    const curTo = curFrom + c.text.length;
    const d = c.text.length - (c.to - c.from);
    if (curTo < change.from) {
      before.push(c);
      deltaBefore += d;
    } else if (curFrom > change.to) after.push(c);
    else {
      overlapping.push({ c, curFrom, curTo });
      deltaOverlapping += d;
    }
    delta += d;
  }
  let merged: TextChange;
  if (overlapping.length === 0) merged = { from: change.from - deltaBefore, to: change.to - deltaBefore, text: change.text };
  else {
    const first = overlapping[0];
    const last = overlapping[overlapping.length - 1];
    const curStart = Math.min(change.from, first.curFrom);
    const curEnd = Math.max(change.to, last.curTo);
    merged = {
      from: change.from < first.curFrom ? change.from - deltaBefore : first.c.from,
      to: change.to > last.curTo ? change.to - deltaBefore - deltaOverlapping : last.c.to,
      text: current.slice(curStart, change.from) + change.text + current.slice(change.to, curEnd),
    };
  }
  return [...before, merged, ...after];
}

function applyChanges(text: string, changes: TextChange[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const c of changes) {
    parts.push(text.slice(at, c.from), c.text);
    at = c.to;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

function eolCounts(sc: Scan): { crlf: number; lf: number } {
  return eolCountsOfLines(sc, 0, sc.count);
}

/** Line breaks of lines `from`–`to` (exclusive), counted as `detectEol` counts them. */
function eolCountsOfLines(sc: Scan, from: number, to: number): { crlf: number; lf: number } {
  let crlf = 0;
  let lf = 0;
  for (let i = from; i < to; i++) {
    const e = sc.next[i] - sc.end[i];
    if (e === 2) crlf++;
    else if (e === 1) lf++;
  }
  return { crlf, lf };
}

/** The same count for whole lines of text (each ending with a line break). */
function eolCountsOf(text: string): { crlf: number; lf: number } {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return { crlf, lf };
}

/** The last line of whole lines of text, without its line break. */
function lastLineOf(text: string): string {
  const body = text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
  return body.slice(body.lastIndexOf("\n") + 1);
}

/** What upserting `spec` into the scanned text does, without building the new text. */
function planUpsert(sc: Scan, spec: SectionSpec, eol: string, options: UpsertOptions): PlannedUpsert {
  const keys = orderedKeys(spec.kind, spec.values);
  const section = locate(sc, spec.kind, spec.name);

  if (!section) {
    return { status: "created", conflicts: [], append: [`[${spec.kind} ${spec.name}]`, ...keys.map((k) => `${k} = ${spec.values[k]}`)] };
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
    // A kept key stays when both readers see the same value; one they read differently is rewritten.
    if (spec.keep?.includes(key) && value !== "" && sdkReads === value) continue;
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

  if (conflicts.length > 0 && !options.force) return { status: "conflict", conflicts };
  if (replacements.size === 0 && missing.length === 0) return { status: "unchanged", conflicts: [] };

  // Rebuild only the section's lines; everything before and after stays as it is.
  const from = sc.start[section.headerLine];
  const lastContent = section.contentEnd - 1;
  const to = sc.next[lastContent];
  const finalLine = lastContent === sc.count - 1 && sc.next[lastContent] === sc.end[lastContent];
  const middle: string[] = [];
  for (let i = section.headerLine; i <= lastContent; i++) {
    if (dropped.has(i)) continue;
    const lineEol = eolOf(sc, i) || (i === lastContent && missing.length > 0 ? eol : "");
    const replaced = replacements.get(i);
    if (replaced?.length === 0) continue;
    middle.push(replaced ? replaced.join(eol) + lineEol : lineText(sc, i) + lineEol);
  }
  missing.forEach((k, n) => {
    const last = n === missing.length - 1 && finalLine;
    middle.push(`${k} = ${spec.values[k]}${last ? "" : eol}`);
  });
  return { status: "updated", conflicts, change: { from, to, text: middle.join("") }, lines: [section.headerLine, lastContent + 1], endsText: lastContent === sc.count - 1 };
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
function appendBlock(sc: Scan, block: string[], eol: string): TextChange {
  const { text } = sc;
  const at = { from: text.length, to: text.length };
  if (text.length === 0) return { ...at, text: block.map((l) => l + eol).join("") };
  const last = sc.count - 1;
  const endsWithoutNewline = sc.next[last] === sc.end[last];
  const lastBlank = lineText(sc, last).trim() === "" && !endsWithoutNewline;
  let out = endsWithoutNewline ? eol : "";
  if (!lastBlank) out += eol;
  out += block.join(eol);
  return { ...at, text: out + (endsWithoutNewline ? "" : eol) };
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
  const { text: out, removed } = removeSectionChange(text, kind, name);
  return { text: out, removed };
}

/** `removeSection`, and what changed (in `text`'s characters) when something was removed. */
export function removeSectionChange(text: string, kind: SectionKind, name: string): RemoveResult & { change?: TextChange } {
  validateSectionName(name, kind);
  const sc = editable(text);
  const section = locate(sc, kind, name);
  if (!section) return { text, removed: false };
  let from = section.headerLine;
  const to = section.contentEnd;
  // Also drop one blank separator line so removal undoes an append exactly.
  if (from > 0 && sc.boto[from - 1] === B_BLANK && (to === sc.count || sc.boto[to] === B_BLANK)) from--;
  const headEnd = from < sc.count ? sc.start[from] : text.length;
  const restStart = to < sc.count ? sc.start[to] : text.length;
  if (to === sc.count && from > 0 && headEnd > 0) {
    // The removed block was last: carry its final-newline habit over to the new last line.
    const last = sc.count - 1;
    if (sc.next[last] === sc.end[last]) return { text: text.slice(0, sc.end[from - 1]), removed: true, change: { from: sc.end[from - 1], to: text.length, text: "" } };
  }
  return { text: text.slice(0, headEnd) + text.slice(restStart), removed: true, change: { from: headEnd, to: restStart, text: "" } };
}
