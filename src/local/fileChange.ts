/**
 * Plan, then apply, for the files people care about (docs/local-files.md): each `plan*Change` reads one
 * file, runs a pure editor and returns a `FileChange` (before, after, status, conflicts, unified
 * diff) that the command shows and confirms; `applyFileChange` then backs up the original once
 * (`<file>.org-bootstrap.bak`), writes atomically (temp file + rename, mode kept, symlinks
 * followed) and writes nothing at all when nothing changed.
 *
 * Exports: `planAwsConfigChange`, `planAwsConfigRemoval`, `planSstConfigChange`,
 * `planPackageJsonChange`, `planWorkflowChange`, `applyFileChange`, `readTextFile`, `backupPathFor`, `templatePath`,
 * `assertWritable`, `assertDirectoryWritable`, `checkConfigWritableFirst`.
 */
import { constants, promises as fs, type Stats } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTwoFilesPatch } from "diff";
import { UserError, OperationError } from "../errors.js";
import { removeSectionChange, sectionIdentities, upsertSections, type Conflict, type SectionKind, type SectionSpec, type TextChange } from "./awsConfig.js";
import { removeOrphanedTempFiles, resolveWriteTarget, writeFileAtomic, writeThroughTemp } from "./atomicWrite.js";
import { boundedDiff } from "./boundedDiff.js";
import { describeKind, ownerName, readRegularFile, statRegularFile } from "./regularFile.js";
import { addSsoScript, detectPackageManager, runScriptCommand, ssoScriptCommand, type PackageManager } from "./packageJson.js";
import { profileSelectorExpression, profileSelectorSnippet } from "./sstProfileSelector.js";
import { deployStepsSnippet, renderDeployWorkflow, type WorkflowInput } from "./githubWorkflow.js";
// The editor pulls in magicast (recast and a Babel parser): ~250 ms to load, more than the rest of
// the CLI together (bench/RESULTS.md). It is loaded only when there is an sst.config.ts to edit.
const loadSstEditor = () => import("./sstConfig.js");

/**
 * - `created`: the file does not exist yet and will be written.
 * - `updated`: the file changes (with `force`, `conflicts` lists the values replaced).
 * - `unchanged`: nothing to do; applying writes nothing.
 * - `conflict`: an existing value differs; `after === before` until planned again with `force`.
 * - `skipped`: we will not touch the file (absent, or a shape we do not recognise); `message`
 *   says why and `snippet` is what to paste by hand.
 */
export type FileChangeStatus = "created" | "updated" | "unchanged" | "conflict" | "skipped";

export interface FileChange {
  /** The path as given (a symlink stays a symlink: the write lands on its target). */
  path: string;
  /** Short human name: "~/.aws/config", "sst.config.ts", "package.json". */
  label: string;
  before: string | null;
  after: string;
  status: FileChangeStatus;
  conflicts: Conflict[];
  /** Unified diff of before → after ("" when nothing changes). */
  diff: string;
  message?: string;
  snippet?: string;
  /** Mode for a new file. */
  mode?: number;
}

/** Reads a text file we may edit: `null` when absent, a clear `UserError` for anything unreadable. */
export async function readTextFile(file: string, label = file): Promise<string | null> {
  return (await readEditableText(file, label))?.text ?? null;
}

const BOM = "\uFEFF";

/**
 * The file's text for the editors, without a UTF-8 byte order mark (`bom` says whether there was
 * one: applyFileChange puts it back, in the backup and in the edited file, so both keep the
 * user's bytes). Only regular files are read, never blocking (src/local/regularFile.ts).
 */
async function readEditableText(file: string, label: string): Promise<{ text: string; bom: boolean } | null> {
  const data = await readRegularFile(file, label);
  if (data === null) return null;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new UserError(`Cannot edit ${label}: it is not UTF-8 text.`, `Check ${file}; nothing was written.`);
  }
  if (text.includes("\u0000")) throw new UserError(`Cannot edit ${label}: it looks like a binary file.`, `Check ${file}; nothing was written.`);
  const bom = text.startsWith(BOM);
  return { text: bom ? text.slice(1) : text, bom };
}

/**
 * Refuses a file we would change but must not (docs/security.md): one the user made read-only
 * (checked on the mode bits, because root ignores them), and, unless we are root, another user's
 * file — replacing it would make it ours. Root keeps the owner instead (writeFileAtomic).
 */
export async function assertWritable(file: string, label = file): Promise<void> {
  const stat = await statRegularFile(file, label);
  if (!stat) return;
  if ((stat.mode & 0o200) === 0) {
    throw new UserError(
      `Refusing to change ${label}: it is read-only (mode ${modeOf(stat)}).`,
      `Make it writable (chmod u+w "${file}") to let org-bootstrap edit it, or make the change by hand; nothing was written.`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0 && stat.uid !== uid) {
    throw new UserError(
      `Refusing to change ${label}: it belongs to ${ownerName(stat.uid)}, and rewriting it would make it yours.`,
      `Run the command as that user, or take the file over first (chown ${uid} "${file}"); nothing was written.`,
    );
  }
}

function modeOf(stat: Stats): string {
  return (stat.mode & 0o7777).toString(8).padStart(4, "0");
}

/**
 * Refuses a file whose write cannot land (docs/errors.md, "Hostile files"): a write puts a temp
 * file and the backup next to the file's target (a link followed) and renames, so that directory
 * must be one we can write in, or, when it does not exist yet, the nearest existing directory
 * above it must be, to create it (`~/.aws` missing, HOME read-only). Checked with access(2),
 * which is what the write will meet: root passes, as its write would succeed.
 */
export async function assertDirectoryWritable(file: string, label = file, home?: string): Promise<void> {
  const dir = path.dirname(await resolveWriteTarget(file));
  let existing = dir;
  let stat: Stats | undefined;
  for (;;) {
    try {
      stat = await fs.stat(existing);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const parent = path.dirname(existing);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === existing) {
        // Not there to look at (a directory above it we may not search): the same failure awaits the write.
        throw new UserError(
          `Cannot write ${label}: ${displayLabel(existing, home)} cannot be reached (${code === "EACCES" || code === "EPERM" ? "permission denied" : (err as Error).message}).`,
          `Fix the directories above ${existing} (or point to another file), then run again; nothing was written.`,
        );
      }
      existing = parent;
    }
  }
  const where = displayLabel(existing, home);
  const missing = existing === dir ? "" : `${displayLabel(dir, home)} does not exist, and `;
  if (!stat.isDirectory()) {
    throw new UserError(
      `Cannot write ${label}: ${missing}${where} is ${stat.isFile() ? "a file" : describeKind(stat)}, not a directory.`,
      `Move ${existing} away (or point to another file), then run again; nothing was written.`,
    );
  }
  const ok = await fs.access(existing, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (ok) return;
  const uid = process.getuid?.();
  const owner = uid !== undefined && stat.uid !== uid ? `it belongs to ${ownerName(stat.uid)}, mode ${modeOf(stat)}` : `mode ${modeOf(stat)}`;
  throw new UserError(
    `Cannot write ${label}: ${missing}the directory ${where} is not writable (${owner}).`,
    `Make it writable (chmod u+w "${existing}"), or point to another file, or make the change by hand; nothing was written.`,
  );
}

/**
 * Before any AWS call (docs/errors.md): the AWS config file is written for sure when it lacks one
 * of the sections the run writes, whatever AWS answers, so a read-only file or a directory the
 * write cannot land in is refused now rather than after AWS changed. When every section is there
 * already, the run may change nothing, and a read-only config that needs no change must not stop
 * it; the check then comes with the plan (`writable`), still before the first AWS change.
 */
export async function checkConfigWritableFirst(configFile: string, sections: { kind: SectionKind; name: string }[], home?: string): Promise<void> {
  const label = displayLabel(configFile, home);
  const before = await readTextFile(configFile, label);
  if (before !== null) {
    // Only which sections are there: no values, so a big file costs one scan (docs/local-files.md, "Big files").
    const found = sectionIdentities(before);
    if (sections.every((s) => found.some((f) => f.kind === s.kind && f.name === s.name))) return;
    await assertWritable(configFile, label);
  }
  await assertDirectoryWritable(configFile, label, home);
}

/** A change we will write, once we know we may write that file; any other change as it is. */
async function writable<T extends FileChange>(planned: T): Promise<T> {
  if (planned.status !== "created" && planned.status !== "updated") return planned;
  await assertWritable(planned.path, planned.label);
  await assertDirectoryWritable(planned.path, planned.label);
  if (planned.before !== null) await backupState(backupPathFor(planned.path), `${planned.label}.org-bootstrap.bak`);
  return planned;
}

/** What is at the backup path: nothing, or our backup (a regular file); anything else is refused. */
async function backupState(backup: string, label: string): Promise<Stats | undefined> {
  const existing = await fs.lstat(backup).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (existing && !existing.isFile()) {
    throw new UserError(`Cannot keep a backup at ${label}: it is ${describeKind(existing)}.`, `Move ${backup} away, then run again; nothing was written.`);
  }
  return existing;
}

/** Above this size the `diff` package's whole-file comparison takes seconds to minutes (bench/RESULTS.md). */
const WHOLE_FILE_DIFF_LIMIT = 1024 * 1024;

function unifiedDiff(label: string, before: string | null, after: string, changes?: TextChange[]): string {
  if ((before ?? "") === after && before !== null) return "";
  const name = label.replace(/^\/+/, "");
  const oldName = before === null ? "/dev/null" : `a/${name}`;
  // A big file: only the lines around what the editor changed (linear in the file's size).
  if (changes && before !== null && before.length + after.length > WHOLE_FILE_DIFF_LIMIT) return boundedDiff(oldName, `b/${name}`, before, changes);
  return createTwoFilesPatch(oldName, `b/${name}`, before ?? "", after, undefined, undefined, { context: 3 });
}

function displayLabel(file: string, home?: string): string {
  const h = home ?? os.homedir();
  if (file === h) return "~";
  return file.startsWith(h + path.sep) ? `~${file.slice(h.length)}` : file;
}

function change(file: string, label: string, before: string | null, after: string, status: FileChangeStatus, extra: Partial<FileChange> = {}, changes?: TextChange[]): FileChange {
  const diff = status === "created" || status === "updated" ? unifiedDiff(label, before, after, changes) : "";
  return { path: file, label, before, after, status, conflicts: [], diff, ...extra };
}

export interface AwsConfigChangeOptions {
  configFile: string;
  sections: SectionSpec[];
  /** Replace differing values (the user confirmed, or `--force`). */
  force?: boolean;
  home?: string;
}

export async function planAwsConfigChange(options: AwsConfigChangeOptions): Promise<FileChange> {
  const label = displayLabel(options.configFile, options.home);
  const before = await readTextFile(options.configFile, label);
  // One scan of the file for all the blocks (src/local/awsConfig.ts, upsertSections).
  const { text, results, changes } = upsertSections(before ?? "", options.sections, { force: options.force }, label);
  const conflicts: Conflict[] = results.flatMap((result, n) => result.conflicts.map((c) => ({ ...c, key: `[${options.sections[n].kind} ${options.sections[n].name}] ${c.key}` })));
  const anyChange = results.some((r) => r.status === "created" || r.status === "updated");
  if (conflicts.length > 0 && !options.force) {
    return change(options.configFile, label, before, before ?? "", "conflict", {
      conflicts,
      message: `${label} already has different values; nothing will be written unless they are replaced.`,
    });
  }
  const status: FileChangeStatus = before === null ? "created" : anyChange ? "updated" : "unchanged";
  return writable(change(options.configFile, label, before, text, status, { conflicts, mode: 0o600 }, changes));
}

export interface AwsConfigEditOptions extends AwsConfigChangeOptions {
  /** Blocks to remove after the upserts (`profiles --prune`). */
  remove: { kind: SectionKind; name: string }[];
}

/**
 * `planAwsConfigChange` plus removals, as one change of the file (one diff, one backup, one
 * write): the blocks are upserted, then the removed ones taken out of the result.
 */
export async function planAwsConfigEdit(options: AwsConfigEditOptions): Promise<FileChange> {
  const upserted = await planAwsConfigChange(options);
  if (options.remove.length === 0 || upserted.status === "conflict") return upserted;
  let text = upserted.after;
  for (const r of options.remove) text = removeSectionChange(text, r.kind, r.name).text;
  if (text === upserted.after) return upserted;
  const label = upserted.label;
  return writable(change(options.configFile, label, upserted.before, text, upserted.before === null ? "created" : "updated", { conflicts: upserted.conflicts, mode: 0o600 }));
}

export async function planAwsConfigRemoval(options: { configFile: string; kind: SectionKind; name: string; home?: string }): Promise<FileChange> {
  const label = displayLabel(options.configFile, options.home);
  const before = await readTextFile(options.configFile, label);
  if (before === null) return change(options.configFile, label, null, "", "unchanged", { message: `${label} does not exist.` });
  const result = removeSectionChange(before, options.kind, options.name);
  return writable(change(options.configFile, label, before, result.text, result.removed ? "updated" : "unchanged", {}, result.change ? [result.change] : undefined));
}

/** Where the sst.config.ts templates live (shipped in the package's `templates/`). */
export function templatePath(version: 2 | 3): string {
  return fileURLToPath(new URL(`../../templates/sst.config.v${version}.ts`, import.meta.url));
}

/**
 * A full sst.config.ts from our template, with the selector filled in. SST v2's config names its
 * region (v3 and v4 take the profile's): the workload region goes there (docs/init.md, Regions).
 */
export async function renderSstTemplate(options: { org: string; stages: string[]; version: 2 | 3; appName?: string; region?: string }): Promise<string> {
  const template = await fs.readFile(templatePath(options.version), "utf8");
  return template
    .replace('"__PROFILE_SELECTOR__"', profileSelectorExpression(options))
    .replace('"__APP_NAME__"', JSON.stringify(options.appName ?? options.org))
    .replace('region: "us-east-1",', `region: ${JSON.stringify(options.region ?? "us-east-1")},`);
}

/**
 * The sst.config.ts selector for `stages`, keeping the stages a selector of ours already selects
 * (minus `drop`); a profile the person wrote is a conflict unless `force` (see `setProfileSelector`).
 */
export async function planSstConfigChange(options: { projectDir: string; org: string; stages: string[]; drop?: string[]; force?: boolean; version?: 2 | 3; region?: string }): Promise<FileChange> {
  const file = path.join(options.projectDir, "sst.config.ts");
  const label = "sst.config.ts";
  const before = await readTextFile(file, label);
  if (before === null) {
    // Nothing to select (close-account only takes a stage out): nothing to suggest either.
    if (options.stages.length === 0) return change(file, label, null, "", "skipped", { message: `No sst.config.ts in ${options.projectDir}.` });
    const version = options.version ?? (await sstVersionFromPackageJson(options.projectDir));
    return change(file, label, null, "", "skipped", {
      message: `No sst.config.ts in ${options.projectDir}. When you add SST, select the profile per stage like this:`,
      snippet: `${profileSelectorSnippet({ ...options, version })}\n\n// or start from the full template:\n${await renderSstTemplate({ ...options, version })}`,
    });
  }
  const { setProfileSelector } = await loadSstEditor();
  const result = setProfileSelector(before, options);
  if (result.status === "unrecognised") {
    return change(file, label, before, before, "skipped", {
      message: `sst.config.ts was left untouched: ${result.reason}.${result.snippet ? " Paste this into it:" : ""}`,
      ...(result.snippet ? { snippet: result.snippet } : {}),
    });
  }
  if (result.status === "conflict" && result.conflict) {
    return change(file, label, before, before, "conflict", {
      conflicts: [result.conflict],
      message: `sst.config.ts already selects its own profile; nothing will be written unless it is replaced.`,
      snippet: result.snippet,
    });
  }
  return writable(
    change(file, label, before, result.text, result.status === "conflict" ? "unchanged" : result.status, {
      snippet: result.snippet,
      conflicts: result.conflict ? [result.conflict] : [],
    }),
  );
}

async function sstVersionFromPackageJson(projectDir: string): Promise<2 | 3> {
  try {
    const data = await readRegularFile(path.join(projectDir, "package.json"), "package.json");
    const pkg = JSON.parse(data?.toString("utf8") ?? "{}") as Record<string, Record<string, string> | undefined>;
    const range = pkg.dependencies?.sst ?? pkg.devDependencies?.sst ?? "";
    return /^[\^~>=\s]*2\./.test(range) ? 2 : 3;
  } catch {
    return 3;
  }
}

export interface PackageJsonChangeOptions {
  projectDir: string;
  /** The `sso` script; default: `ssoScriptCommand({ session, version })`. */
  script: { name?: string; command: string };
  force?: boolean;
}

export interface PackageJsonChange extends FileChange {
  packageManager: PackageManager;
  /** What to type, e.g. `pnpm sso`. */
  runCommand: string;
  /** What the script runs, e.g. `npx --yes org-bootstrap@0.1.0 login --sso-session acme`. */
  scriptCommand: string;
}

export async function planPackageJsonChange(options: PackageJsonChangeOptions): Promise<PackageJsonChange> {
  const file = path.join(options.projectDir, "package.json");
  const label = "package.json";
  const name = options.script.name ?? "sso";
  const packageManager = await detectPackageManager(options.projectDir);
  const runCommand = runScriptCommand(packageManager, name);
  const scriptCommand = options.script.command;
  const before = await readTextFile(file, label);
  if (before === null) {
    return { ...change(file, label, null, "", "skipped", { message: `No package.json in ${options.projectDir}; log in with the command itself.` }), packageManager, runCommand, scriptCommand };
  }
  const result = addSsoScript(before, { name, command: options.script.command }, { force: options.force });
  if (result.status === "conflict") {
    return {
      ...change(file, label, before, before, "conflict", {
        conflicts: [{ key: `scripts.${name}`, old: result.existing ?? "", new: options.script.command }],
        message: `package.json already has a different "${name}" script.`,
      }),
      packageManager,
      runCommand,
      scriptCommand,
    };
  }
  const status: FileChangeStatus = result.status === "unchanged" ? "unchanged" : "updated";
  const conflicts = result.status === "updated" ? [{ key: `scripts.${name}`, old: result.existing ?? "", new: options.script.command }] : [];
  return writable({ ...change(file, label, before, result.text, status, { conflicts }), packageManager, runCommand, scriptCommand });
}

export { ssoScriptCommand };

/** `<file>.org-bootstrap.bak`, next to the path the user knows (for ~/.aws/config: `config.org-bootstrap.bak`). */
export function backupPathFor(file: string): string {
  return `${file}.org-bootstrap.bak`;
}

export interface ApplyResult {
  written: boolean;
  backup?: string;
}

/**
 * Writes a planned change. Refuses when the file changed since it was planned (someone edited it
 * while the diff was on screen), so the user never loses an edit they just made. The backup is
 * the original's exact bytes (a byte order mark included), written like the file itself: whole
 * or not at all, so a full disk never leaves an empty backup that later runs would keep.
 */
export async function applyFileChange(planned: FileChange): Promise<ApplyResult> {
  if (planned.status !== "created" && planned.status !== "updated") return { written: false };
  const current = await unchangedSincePlanned(planned);
  await assertWritable(planned.path, planned.label);
  const bom = current?.bom ? BOM : "";
  let backup: string | undefined;
  if (planned.before !== null && current) {
    backup = backupPathFor(planned.path);
    // Root editing another user's file: the backup is theirs too, like the file.
    const owner = await statRegularFile(planned.path, planned.label);
    await keepFirstBackup(backup, current.bytes, `${planned.label}.org-bootstrap.bak`, owner);
  }
  await writeFileAtomic(planned.path, bom + planned.after, { mode: planned.mode ?? 0o600, dirMode: 0o700, label: planned.label });
  return { written: true, backup };
}

/**
 * The file's bytes now (`null`: absent) and whether they start with a byte order mark; a
 * `OperationError` when its text is not the one the change was planned on. The bytes are compared
 * first: for a big file, decoding it again costs more than the comparison (docs/local-files.md,
 * "Big files"); only bytes that differ are decoded, to tell a changed file from an unreadable one.
 */
async function unchangedSincePlanned(planned: FileChange): Promise<{ bytes: Buffer; bom: boolean } | null> {
  const bytes = await readRegularFile(planned.path, planned.label);
  if (bytes !== null && planned.before !== null) {
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    // (planned.before was decoded from UTF-8: its encoding is those bytes exactly.)
    if (sameUtf8(planned.before, bom ? bytes.subarray(3) : bytes)) return { bytes, bom };
  }
  const current = await readEditableText(planned.path, planned.label);
  if ((current?.text ?? null) !== planned.before) {
    throw new OperationError(`${planned.label} changed while we were preparing the edit; nothing was written.`, "Run the command again to see a fresh diff.");
  }
  return current ? { bytes: Buffer.from((current.bom ? BOM : "") + current.text, "utf8"), bom: current.bom } : null;
}

/**
 * Whether `bytes` is the UTF-8 encoding of `text`, encoded a piece at a time (a big file's second
 * copy would cost as much memory as the file). A piece that cuts a surrogate pair in two encodes
 * differently and answers "no": the caller then compares the decoded text.
 */
function sameUtf8(text: string, bytes: Buffer): boolean {
  const PIECE = 1 << 20;
  const scratch = Buffer.allocUnsafe(3 * PIECE);
  const encoder = new TextEncoder();
  let at = 0;
  for (let i = 0; i < text.length; i += PIECE) {
    const { written } = encoder.encodeInto(text.slice(i, i + PIECE), scratch);
    if (at + written > bytes.length || !scratch.subarray(0, written).equals(bytes.subarray(at, at + written))) return false;
    at += written;
  }
  return at === bytes.length;
}

/**
 * The first original is kept: a backup that exists is never replaced — except an empty one
 * while the original is not, which only an interrupted write (a full disk, before backups were
 * written whole) leaves. The new backup appears under its name only once complete (a hard link
 * from the finished temp file, which also never replaces a backup made meanwhile).
 */
async function keepFirstBackup(backup: string, bytes: Buffer, label: string, owner: { uid: number; gid: number } | undefined): Promise<void> {
  const existing = await backupState(backup, label);
  if (existing && (existing.size > 0 || bytes.length === 0)) {
    // A writer killed between the link and the temp file's removal left the temp file behind.
    await removeOrphanedTempFiles(path.dirname(backup), path.basename(backup));
    return;
  }
  const options = { mode: 0o600, owner };
  if (existing) return writeThroughTemp(backup, bytes, options);
  await writeThroughTemp(backup, bytes, options, async (temp, to) => {
    try {
      await fs.link(temp, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "";
      if (code === "EEXIST") return;
      // A file system without hard links: a rename, now that we know nothing is there.
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"].includes(code)) throw err;
      if ((await fs.lstat(to).catch(() => undefined)) === undefined) await fs.rename(temp, to);
    } finally {
      await fs.rm(temp, { force: true });
    }
  });
}

/**
 * The deploy workflow `ci github` offers (src/local/githubWorkflow.ts): created when the file is
 * absent; an existing file is never edited, the steps to paste come back as the snippet.
 */
export async function planWorkflowChange(options: { file: string; label: string; input: WorkflowInput }): Promise<FileChange> {
  const before = await readTextFile(options.file, options.label);
  if (before !== null) {
    return change(options.file, options.label, before, before, "skipped", {
      message: `${options.label} exists and is left as it is; to deploy with the roles, paste into it:`,
      snippet: deployStepsSnippet(options.input),
    });
  }
  const read = (name: string) => fs.readFile(fileURLToPath(new URL(`../../templates/${name}`, import.meta.url)), "utf8");
  const [workflow, job] = await Promise.all([read("github-deploy.yml"), read("github-deploy-job.yml")]);
  return writable(change(options.file, options.label, null, renderDeployWorkflow({ workflow, job }, options.input), "created", { mode: 0o644 }));
}
