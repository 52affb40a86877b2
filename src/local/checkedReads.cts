/**
 * The checked reads of the files we never trust blindly (docs/security.md): a regular file that
 * must not block (src/local/regularFile.ts explains why), and a file of a private cache of secrets
 * (the SSO token cache, our role credentials cache: src/local/tokenCache.ts). Each answers what it
 * found — the bytes, nothing, or why the file is refused — and says nothing itself: the full CLI
 * turns a refusal into its message, and the installed command's warm path (src/bin.cts) hands any
 * doubt to the full CLI. CommonJS with Node's fs alone, so that warm path needs no ES-module loader.
 * Synchronous: the files are small, and nothing else runs while they are read.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, statSync, type Stats } from "node:fs";

export type RegularRead = { absent: true } | { notFile: Stats; viaLink: boolean } | { data: Buffer };

/**
 * The file at `file` (a link followed to a regular file) without ever blocking: `absent` when
 * there is none (a dangling link included), `notFile` for anything but a regular file. A
 * machine error (EACCES, EIO, …) is thrown as Node gives it.
 */
export function readRegularFileSync(file: string): RegularRead {
  const link = lstatSync(file, { throwIfNoEntry: false });
  const before = link?.isSymbolicLink() ? statSync(file, { throwIfNoEntry: false }) : link;
  if (!link || !before) return { absent: true };
  if (!before.isFile()) return { notFile: before, viaLink: link.isSymbolicLink() };
  let fd: number;
  try {
    // O_NONBLOCK: a named pipe swapped in since the stat does not block the open.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { absent: true };
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { notFile: stat, viaLink: false };
    return { data: readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
}

/** Why a cache directory must not hold secrets: not a directory, someone else's (root aside), or writable by others. */
export type DirProblem = "not-directory" | "owner" | "writable";
/** Why a cache file must not be used: a link (we and the AWS CLI write plain files), another kind of file, or one others could have changed. */
export type FileProblem = "link" | "not-file" | "changeable";

export function cacheDirProblem(stat: Stats, uid = process.getuid?.()): DirProblem | undefined {
  if (!stat.isDirectory()) return "not-directory";
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) return "owner";
  return (stat.mode & 0o022) !== 0 ? "writable" : undefined;
}

export function cacheFileProblem(stat: Stats, uid = process.getuid?.()): FileProblem | undefined {
  if (stat.isSymbolicLink()) return "link";
  if (!stat.isFile()) return "not-file";
  return (stat.mode & 0o022) !== 0 || (uid !== undefined && stat.uid !== uid && stat.uid !== 0) ? "changeable" : undefined;
}

export type PrivateRead = { absent: true } | { refused: DirProblem | FileProblem; path: string; stat: Stats } | { data: Buffer; stat: Stats };

/**
 * A file of a private cache whose directories are `dirs` (outermost first): each existing one must
 * be ours alone — in a directory others can write to, another user could plant `<sha1>.json ->
 * ~/.bashrc`, or swap in a token of theirs — and the file a plain file only we can change. `stat`
 * is the open file's: one readable by others is the caller's to replace (never to chmod).
 */
export function readPrivateFile(file: string, dirs: string[]): PrivateRead {
  const uid = process.getuid?.();
  for (const dir of dirs) {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (!stat) break;
    const refused = cacheDirProblem(stat, uid);
    if (refused) return { refused, path: dir, stat };
  }
  const link = lstatSync(file, { throwIfNoEntry: false });
  if (!link) return { absent: true };
  const before = cacheFileProblem(link, uid);
  if (before) return { refused: before, path: file, stat: link };
  let fd: number;
  try {
    // O_NOFOLLOW: a link swapped in since the lstat is not followed (ELOOP); O_NONBLOCK: nor does
    // a named pipe block the read. The open file is checked again.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") return { refused: "link", path: file, stat: link };
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    const refused = cacheFileProblem(stat, uid);
    if (refused) return { refused, path: file, stat };
    return { data: readFileSync(fd), stat };
  } finally {
    closeSync(fd);
  }
}
