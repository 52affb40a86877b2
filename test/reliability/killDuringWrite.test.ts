/**
 * A kill while a file is being written never leaves a truncated or empty file (docs/local-files.md, docs/security.md:
 * temp file + fsync + rename). First the mechanism, with a write big enough to be caught in the
 * middle; then `init` itself, killed while it rewrites a large existing ~/.aws/config.
 */
import { spawn } from "node:child_process";
import { promises as fs, watch } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { writeFileAtomic } from "../../src/local/atomicWrite.js";
import { makeInitHome, runInit, startInit } from "../e2e/initHarness.js";

const atomicWriteModule = fileURLToPath(new URL("../../dist/local/atomicWrite.js", import.meta.url));

/** Resolves when a temp file (`.<name>.<hex>.tmp`) for `name` shows up in `dir` with some bytes in it. */
function whenTempFileGrows(dir: string, name: string, minBytes: number): { seen: Promise<string>; stop(): void } {
  let stop = () => {};
  const seen = new Promise<string>((resolve) => {
    const check = async () => {
      for (const entry of await fs.readdir(dir).catch(() => [] as string[])) {
        if (!entry.startsWith(`.${name}.`) || !entry.endsWith(".tmp")) continue;
        const size = (await fs.stat(path.join(dir, entry)).catch(() => undefined))?.size ?? 0;
        if (size >= minBytes) return resolve(entry);
      }
    };
    const watcher = watch(dir, () => void check());
    const timer = setInterval(() => void check(), 1);
    stop = () => {
      watcher.close();
      clearInterval(timer);
    };
  });
  return { seen, stop: () => stop() };
}

describe("a kill during a file write", () => {
  it("writeFileAtomic killed mid-write leaves the old bytes in place, whole", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ob-atomic-"));
    const file = path.join(dir, "config");
    const old = "[profile keep]\nregion = eu-west-1\n";
    await fs.writeFile(file, old, { mode: 0o600 });
    const watcher = whenTempFileGrows(dir, "config", 1);
    // 400 MB: long enough to be caught half-written.
    const script = `import(${JSON.stringify(atomicWriteModule)}).then((m) => m.writeFileAtomic(${JSON.stringify(file)}, Buffer.alloc(400e6, 97)))`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
    const exited = new Promise<string | null>((r) => child.once("exit", (_c, signal) => r(signal)));
    const temp = await Promise.race([watcher.seen, exited.then(() => undefined)]);
    child.kill("SIGKILL");
    const signal = await exited;
    watcher.stop();
    expect(temp, "the write finished before it could be interrupted").toBeDefined();
    expect(signal).toBe("SIGKILL");
    expect(await fs.readFile(file, "utf8")).toBe(old);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await fs.readdir(dir)).toContain(temp);

    // The next write finishes the job and clears the killed writer's leftover.
    await writeFileAtomic(file, "[profile keep]\nregion = eu-west-2\n");
    expect(await fs.readdir(dir)).toEqual(["config"]);
    expect(await fs.readFile(file, "utf8")).toBe("[profile keep]\nregion = eu-west-2\n");
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe("init rewriting a large ~/.aws/config", () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
    });
    afterAll(() => sandbox.close());

    it("killed as the new config is being written: the config is the old one or the new one, never a part; the re-run completes it", async () => {
      const h = await makeInitHome(sandbox);
      await fs.mkdir(path.dirname(h.configFile), { recursive: true, mode: 0o700 });
      // A config with many profiles of the person's own, which must all survive.
      const theirs = Array.from({ length: 3_000 }, (_, i) => `[profile legacy-${i}]\nregion = eu-west-1\noutput = json\n`).join("\n");
      await fs.writeFile(h.configFile, theirs, { mode: 0o600 });

      const watcher = whenTempFileGrows(path.dirname(h.configFile), "config", 1);
      const running = startInit(h);
      const temp = await Promise.race([watcher.seen, running.exit.then(() => undefined)]);
      running.child.kill("SIGKILL");
      await running.exit;
      watcher.stop();

      const afterKill = await fs.readFile(h.configFile, "utf8");
      const again = await runInit(h);
      expect(again.code, again.stderr).toBe(0);
      const complete = await fs.readFile(h.configFile, "utf8");
      expect(complete.startsWith(theirs)).toBe(true);
      expect(complete).toMatch(/\[sso-session acme\][\s\S]*\[profile acme-production\]/);
      // Killed mid-write (the usual case) or just after the rename: either way, whole.
      expect([theirs, complete]).toContain(afterKill);
      expect(temp === undefined || afterKill === theirs || afterKill === complete).toBe(true);
      expect((await fs.readdir(path.dirname(h.configFile))).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    });
  });
});
