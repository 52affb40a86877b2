/**
 * The files we read and edit (the AWS config and credentials files, sst.config.ts, package.json)
 * must be plain files: a link is followed only to a regular file (docs/security.md).
 *
 * Reading a named pipe blocks until someone writes to it, and a blocked read holds one of Node's
 * file-system threads, which even `process.exit` waits for: `mkfifo ~/.aws/config` used to hang
 * every command, Ctrl-C included. Reading a device has effects of its own (`/dev/zero` never
 * ends; opening a tape drive rewinds it). So the kind of file is checked with `stat` before it is
 * opened, and it is opened with O_NONBLOCK and checked again on the open handle, so a file
 * swapped in between never blocks either.
 */
import { promises as fs, readFileSync, type Stats } from "node:fs";
import { UserError } from "../errors.js";
import { readRegularFileSync, type RegularRead } from "./checkedReads.cjs";

/** "a named pipe (FIFO)", "a directory", …: what a person would call this kind of file. */
export function describeKind(stat: Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isFile()) return "a file";
  return "not a regular file";
}

const READ_ERRORS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  ELOOP: "it is a symbolic link loop",
  ENOTDIR: "a part of its path is not a directory",
};

function cannotRead(file: string, label: string, why: string): UserError {
  return new UserError(`Cannot read ${label}: ${why}.`, `Fix ${file} (or point to another file), then run again; nothing was written.`);
}

function notAFile(file: string, label: string, stat: Stats, viaLink: boolean): UserError {
  return new UserError(
    `Cannot read ${label}: ${viaLink ? "it is a symbolic link to " : "it is "}${describeKind(stat)}, not a file.`,
    `Put a regular file at ${file} (or point to another file), then run again; nothing was written.`,
  );
}

/**
 * The file at `file` (following links), or undefined when there is none (a dangling link
 * included: a write creates its target). Anything but a regular file is a `UserError`.
 */
export async function statRegularFile(file: string, label = file): Promise<Stats | undefined> {
  let link: Stats;
  let stat: Stats;
  try {
    link = await fs.lstat(file);
    stat = link.isSymbolicLink() ? await fs.stat(file) : link;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code === "ENOENT") return undefined;
    throw cannotRead(file, label, READ_ERRORS[code] ?? (err as Error).message);
  }
  if (!stat.isFile()) throw notAFile(file, label, stat, link.isSymbolicLink());
  return stat;
}

/**
 * Reads a regular file without ever blocking (src/local/checkedReads.cts): null when absent, a
 * `UserError` for anything that is not a regular file or cannot be read.
 */
export async function readRegularFile(file: string, label = file): Promise<Buffer | null> {
  let read: RegularRead;
  try {
    read = readRegularFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    throw cannotRead(file, label, READ_ERRORS[code] ?? (err as Error).message);
  }
  if ("absent" in read) return null;
  if ("notFile" in read) throw notAFile(file, label, read.notFile, read.viaLink);
  return read.data;
}

/** `name (uid N)` from /etc/passwd, or `uid N` when the user has no entry there. */
export function ownerName(uid: number): string {
  try {
    for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (name && Number(id) === uid) return `${name} (uid ${uid})`;
    }
  } catch {
    // No /etc/passwd (Windows, some containers): the number alone.
  }
  return `uid ${uid}`;
}
