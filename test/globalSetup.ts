// End-to-end tests run the built CLI (dist/). When anything under src/ (or the build config) is
// newer than dist/, build first, so `npx vitest` never runs stale code. This runs once per vitest
// process, before any test file: building inside test files instead would rewrite dist/ while
// other files run it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The newest modification time under `dir`, directories included (adding or deleting a file changes its directory's). */
export function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether dist/ is missing or older than a source of the build. */
export function distIsStale(root: string): boolean {
  const dist = path.join(root, "dist");
  if (!existsSync(path.join(dist, "cli.js"))) return true;
  const sources = Math.max(newestMtime(path.join(root, "src")), ...["tsconfig.json", "tsconfig.build.json"].map((f) => statSync(path.join(root, f)).mtimeMs));
  return sources > newestMtime(dist);
}

export default function buildIfStale(): void {
  if (!distIsStale(repo)) return;
  process.stderr.write("src/ is newer than dist/: running npm run build first.\n");
  const built = spawnSync("npm", ["run", "build", "--silent"], { cwd: repo, stdio: "inherit" });
  if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status ?? built.signal}): the tests would run stale or missing code.`);
}
