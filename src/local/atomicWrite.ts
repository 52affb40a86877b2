/**
 * Writes a file so that a crash or kill at any moment leaves either the old bytes or the new
 * bytes, never a truncated file: write a temp file in the same directory, fsync, rename.
 *
 * - A symlinked target is followed (unless `noFollow`), so the link stays a link and its target
 *   gets the new bytes; the target must then be a regular file or absent.
 * - An existing file keeps its mode, and its owner and group: run as root, the temp file is
 *   given the original owner before it replaces the file (a `nobody`-owned config stays
 *   `nobody`'s). Callers refuse another user's file when not root (see `assertWritable`).
 * - The temp file has a name nobody can guess (pid + random) and is created with O_EXCL, so a
 *   file, link or directory someone left at some path never blocks or redirects a write. On
 *   any failure (disk full, read-only file system, …) it is removed before the error goes up.
 */
import { randomBytes } from "node:crypto";
import { constants, promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";
import { describeKind } from "./regularFile.js";

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own mode (unless `exactMode`). */
  mode?: number;
  /** Mode for directories we create (e.g. `~/.aws` → 0o700). */
  dirMode?: number;
  /**
   * Secrets: write the path itself, never a link's target, with exactly `mode` (an existing
   * file is replaced by a new one of ours; it is never chmod-ed).
   */
  noFollow?: boolean;
  /** How to name the file in an error ("~/.aws/config"); default: the path. */
  label?: string;
}

/** The real path a write to `file` should land on: a symlink's target, or the path itself. */
export async function resolveWriteTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    // A dangling symlink: write where it points, so the link starts working.
    try {
      const link = await fs.readlink(file);
      return path.resolve(path.dirname(file), link);
    } catch {
      return path.resolve(file);
    }
  }
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

export async function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  const label = options.label ?? file;
  const target = options.noFollow ? path.resolve(file) : await resolveWriteTarget(file);
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });
  const existing = await lstatOrUndefined(target);
  if (existing && !existing.isFile()) {
    // A link here means noFollow (resolveWriteTarget resolved every other one): a secret is
    // never written through a link someone planted. A pipe or device is never replaced.
    throw new UserError(`Refusing to write ${label}: it is ${describeKind(existing)}, not a file.`, `Remove or move ${target} away, then run again; nothing was written.`);
  }
  const mode = existing && !options.noFollow ? existing.mode & 0o7777 : (options.mode ?? 0o600);
  await writeThroughTemp(target, data, { mode, owner: existing && !options.noFollow ? existing : undefined });
}

/**
 * Writes `data` to a new temp file next to `target`, then hands the finished file to `commit`
 * (rename, or link for a write that must not replace anything). The temp file never outlives
 * this call, whatever fails.
 */
export async function writeThroughTemp(
  target: string,
  data: string | Buffer,
  options: { mode: number; owner?: { uid: number; gid: number } },
  commit: (temp: string, target: string) => Promise<void> = (temp, to) => fs.rename(temp, to),
): Promise<void> {
  const dir = path.dirname(target);
  await removeOrphanedTempFiles(dir, path.basename(target));
  // The writer's pid in the name lets a later write tell a killed writer's leftover from a live one's.
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  let committed = false;
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
      await keepOwner(handle, options.owner);
      // After the chown, which clears set-id bits; fchmod, so no path is followed.
      await handle.chmod(options.mode);
    } finally {
      await handle.close();
    }
    await commit(temp, target);
    committed = true;
  } catch (err) {
    // The error names the file the person knows, not our temp file (a write on the open handle,
    // ENOSPC say, names no file at all).
    const e = err as NodeJS.ErrnoException;
    if (e.code && (e.path === temp || e.path === undefined)) e.path = target;
    throw err;
  } finally {
    if (!committed) await fs.rm(temp, { force: true }).catch(() => {});
  }
}

/** Gives the temp file the original's owner and group. Only root can give a file away. */
async function keepOwner(handle: fs.FileHandle, owner: { uid: number; gid: number } | undefined): Promise<void> {
  if (!owner || process.getuid === undefined) return;
  const mine = await handle.stat();
  if (mine.uid === owner.uid && mine.gid === owner.gid) return;
  try {
    await handle.chown(owner.uid, owner.gid);
  } catch (err) {
    // Our own file in a group we are no longer in: the owner is kept, the group cannot be.
    if (mine.uid === owner.uid && (err as NodeJS.ErrnoException).code === "EPERM") return;
    throw err;
  }
}

/**
 * A writer killed mid-write (SIGKILL, power loss) leaves its temp file behind; the target itself
 * is whole. The next write removes such leftovers: our own regular temp files of this target
 * whose writer process no longer exists. A live writer's temp file, another user's file and
 * anything that is not a regular file are left alone, and never stop the write.
 */
export async function removeOrphanedTempFiles(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  const uid = process.getuid?.();
  for (const entry of await fs.readdir(dir).catch(() => [] as string[])) {
    const m = entry.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(entry.slice(prefix.length)) : null;
    if (!m || isRunning(Number(m[1]))) continue;
    const full = path.join(dir, entry);
    const stat = await lstatOrUndefined(full).catch(() => undefined);
    if (!stat?.isFile() || (uid !== undefined && stat.uid !== uid)) continue;
    await fs.rm(full, { force: true }).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
