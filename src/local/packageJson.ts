/**
 * Adds the daily-login `sso` script to a project's `package.json`, pure string → string: the text
 * is scanned for the byte ranges of `scripts` and its entries and only those bytes change, so key
 * order, indentation, line endings and the final newline stay as the user had them.
 *
 * How the script runs after a fresh clone (documented in docs/local-files.md): when the project
 * already lists `org-bootstrap` as a dependency, the script calls the installed binary; otherwise
 * it goes through `npx --yes org-bootstrap@<version>`, which needs nothing installed and does not
 * touch the lockfile (adding a devDependency without re-running the install would break
 * `npm ci` / `pnpm install --frozen-lockfile` in CI). `npx` ships with Node, so it works for
 * pnpm, yarn and bun projects too. With `--use-aws-cli` the script is `aws sso login --sso-session=<name>`.
 *
 * Exports: `addSsoScript`, `ssoScriptCommand`, `detectPackageManager`, `runScriptCommand`.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";
import { readRegularFile } from "./regularFile.js";

export type PackageManager = "pnpm" | "npm" | "yarn" | "bun";

export interface ScriptSpec {
  name: string;
  command: string;
}

export interface AddScriptResult {
  text: string;
  status: "created" | "unchanged" | "conflict" | "updated";
  /** The script already there, when it differs (status `conflict`, or `updated` with force). */
  existing?: string;
}

export interface SsoScriptOptions {
  session: string;
  /** `aws` → the AWS CLI's own login; default → org-bootstrap's `login`. */
  via?: "org-bootstrap" | "aws";
  /** Our version, pinned in the package-runner form so every teammate runs the same code. */
  version: string;
  /** The project's package.json text, to see whether org-bootstrap is already a dependency. */
  packageJson?: string;
}

export function ssoScriptCommand(options: SsoScriptOptions): string {
  if (options.via === "aws") return `aws sso login --sso-session=${options.session}`;
  const login = `login --sso-session ${options.session}`;
  return dependsOnUs(options.packageJson) ? `org-bootstrap ${login}` : `npx --yes org-bootstrap@${options.version} ${login}`;
}

function dependsOnUs(packageJson: string | undefined): boolean {
  if (!packageJson) return false;
  try {
    const pkg = JSON.parse(packageJson) as Record<string, Record<string, string> | undefined>;
    return Boolean(pkg.dependencies?.["org-bootstrap"] ?? pkg.devDependencies?.["org-bootstrap"]);
  } catch {
    return false;
  }
}

// ---- a minimal JSON scanner that reports byte ranges ----

interface Member {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

interface ObjectRange {
  start: number;
  end: number; // one past `}`
  members: Member[];
}

function skipWs(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

function scanString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}

function scanValue(text: string, at: number): number {
  const c = text[at];
  if (c === '"') return scanString(text, at);
  if (c === "{" || c === "[") {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') {
        i = scanString(text, i);
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  let i = at;
  while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
  return i;
}

function scanObject(text: string, at: number): ObjectRange {
  const members: Member[] = [];
  let i = skipWs(text, at + 1);
  while (text[i] !== "}") {
    const keyStart = i;
    const keyEnd = scanString(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipWs(text, keyEnd) + 1; // past ':'
    const valueStart = skipWs(text, i);
    const valueEnd = scanValue(text, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd });
    i = skipWs(text, valueEnd);
    if (text[i] === ",") i = skipWs(text, i + 1);
  }
  return { start: at, end: i + 1, members };
}

function indentOf(text: string, at: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** Text that inserts `"key": value` as the last member of `obj`, in the object's own layout. */
function appendMember(text: string, obj: ObjectRange, key: string, value: string, eol: string, unit: string): { at: number; end: number; insert: string } {
  const member = `${JSON.stringify(key)}: ${value}`;
  const last = obj.members[obj.members.length - 1];
  const multiline = text.slice(obj.start, obj.end).includes("\n");
  if (!last) {
    if (!multiline && unit === "") return { at: obj.start, end: obj.end, insert: `{${member.replace(": ", ":")}}` };
    const outer = indentOf(text, obj.start);
    return { at: obj.start, end: obj.end, insert: `{${eol}${outer}${unit}${member.split("\n").join(`${eol}${outer}${unit}`)}${eol}${outer}}` };
  }
  if (!multiline) return { at: last.valueEnd, end: last.valueEnd, insert: unit === "" ? `,${member.replace(": ", ":")}` : `, ${member}` };
  const indent = indentOf(text, last.keyStart);
  return { at: last.valueEnd, end: last.valueEnd, insert: `,${eol}${indent}${member.split("\n").join(`${eol}${indent}`)}` };
}

export function addSsoScript(text: string, script: ScriptSpec, options: { force?: boolean } = {}): AddScriptResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`package.json is not valid JSON (${(err as Error).message}).`, "Fix the file, then run again; nothing was written.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UserError("package.json does not hold a JSON object.", "Fix the file, then run again; nothing was written.");
  const scripts = (parsed as { scripts?: unknown }).scripts;
  if (scripts !== undefined && (!scripts || typeof scripts !== "object" || Array.isArray(scripts))) {
    throw new UserError("package.json has a \"scripts\" field that is not an object.", "Fix the file, then run again; nothing was written.");
  }
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const root = scanObject(text, skipWs(text, 0));
  const unit = root.members.length > 0 && text.slice(root.start, root.end).includes("\n") ? indentOf(text, root.members[0].keyStart) : "";
  const scriptsMember = [...root.members].reverse().find((m) => m.key === "scripts"); // JSON.parse keeps the last duplicate
  const value = JSON.stringify(script.command);
  let edit: { at: number; end: number; insert: string };
  let existing: string | undefined;
  if (!scriptsMember) {
    edit = appendMember(text, root, "scripts", `{\n${unit}${JSON.stringify(script.name)}: ${value}\n}`.replace(/\n/g, unit === "" ? "" : "\n"), eol, unit);
  } else {
    const obj = scanObject(text, scriptsMember.valueStart);
    const current = [...obj.members].reverse().find((m) => m.key === script.name);
    if (current) {
      existing = (scripts as Record<string, unknown>)[script.name] as string;
      if (existing === script.command) return { text, status: "unchanged" };
      if (!options.force) return { text, status: "conflict", existing: String(existing) };
      edit = { at: current.valueStart, end: current.valueEnd, insert: value };
    } else {
      edit = appendMember(text, obj, script.name, value, eol, unit);
    }
  }
  const out = text.slice(0, edit.at) + edit.insert + text.slice(edit.end);
  JSON.parse(out); // never hand back a file we broke
  return existing === undefined ? { text: out, status: "created" } : { text: out, status: "updated", existing: String(existing) };
}

/**
 * The project's package manager: the `packageManager` field (Corepack) first, then the nearest
 * lockfile walking up from `projectDir` (workspaces keep it at the root); npm when nothing says.
 */
export async function detectPackageManager(projectDir: string): Promise<PackageManager> {
  try {
    // Never blocks on a named pipe or reads a device (src/local/regularFile.ts).
    const data = await readRegularFile(path.join(projectDir, "package.json"), "package.json");
    const pkg = JSON.parse(data?.toString("utf8") ?? "{}") as { packageManager?: unknown };
    const named = typeof pkg.packageManager === "string" ? pkg.packageManager.split("@")[0] : "";
    if (named === "pnpm" || named === "npm" || named === "yarn" || named === "bun") return named;
  } catch {
    // no or unreadable package.json: lockfiles decide
  }
  const lockfiles: [string, PackageManager][] = [
    ["pnpm-lock.yaml", "pnpm"],
    ["bun.lock", "bun"],
    ["bun.lockb", "bun"],
    ["yarn.lock", "yarn"],
    ["package-lock.json", "npm"],
    ["npm-shrinkwrap.json", "npm"],
  ];
  let dir = path.resolve(projectDir);
  for (;;) {
    for (const [file, pm] of lockfiles) {
      if (await exists(path.join(dir, file))) return pm;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return "npm";
    dir = parent;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** What a person types to run a package.json script. */
export function runScriptCommand(pm: PackageManager, script: string): string {
  switch (pm) {
    case "pnpm":
      return `pnpm ${script}`;
    case "yarn":
      return `yarn ${script}`;
    case "bun":
      return `bun run ${script}`;
    default:
      return `npm run ${script}`;
  }
}
