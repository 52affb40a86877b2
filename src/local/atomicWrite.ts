/**
 * Writes a file so that a crash or kill at any moment leaves either the old bytes or the new
 * bytes, never a truncated file: write a temp file in the same directory, fsync, rename.
 * A symlinked target is followed, so the link stays a link and its target gets the new bytes.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own mode. */
  mode?: number;
  /** Mode for directories we create (e.g. `~/.aws` → 0o700). */
  dirMode?: number;
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

export async function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  const target = await resolveWriteTarget(file);
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });
  let mode = options.mode ?? 0o600;
  try {
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await removeOrphanedTempFiles(dir, path.basename(target));
  // The writer's pid in the name lets a later write tell a killed writer's leftover from a live one's.
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await fs.open(temp, "wx", mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.chmod(temp, mode);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/**
 * A writer killed mid-write (SIGKILL, power loss) leaves its temp file behind; the target itself
 * is whole. The next write removes such leftovers: temp files of this target whose writer process
 * no longer exists. A live writer's temp file (another process writing right now) is left alone.
 */
async function removeOrphanedTempFiles(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  for (const entry of await fs.readdir(dir).catch(() => [] as string[])) {
    const m = entry.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(entry.slice(prefix.length)) : null;
    if (m && !isRunning(Number(m[1]))) await fs.rm(path.join(dir, entry), { force: true });
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
