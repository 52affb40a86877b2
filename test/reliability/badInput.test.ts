/**
 * Bad input (docs/errors.md, docs/security.md: "corrupted or unreadable config files and invalid inputs give a clear
 * error and change nothing"). Each case of badInput.cases.ts runs the built CLI in its own HOME
 * against its own emulated AWS and checks: the exit code, one clear error line with the expected
 * text and no stack trace, every file under HOME byte-for-byte and mode-for-mode unchanged, and no
 * mutating AWS call. docs/errors.md must list every case with the same message.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { callLog, childEnv, control } from "../helpers/sandbox.js";
import { CLI, ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { badInputCases, init, validConfig, type BadInputCase } from "./badInput.cases.js";
import { filesUnder } from "./harness.js";

const NOBODY = 65534;
const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function prepare(c: BadInputCase) {
  const sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
  opened.push(sandbox);
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-bad-input-"));
  const project = path.join(home, "project");
  await fs.mkdir(project);
  await fs.writeFile(path.join(project, "package.json"), '{\n  "name": "app"\n}\n');
  await fs.mkdir(path.join(home, ".aws"), { mode: 0o700 });
  const env = childEnv(sandbox, { HOME: home });
  if (c.afterInit) {
    const first = await runCli(init(), env, project);
    if (first.code !== 0) throw new Error(`init before the case failed:\n${first.stderr}`);
  } else if (c.config !== null) {
    await fs.writeFile(path.join(home, ".aws", "config"), c.config ?? validConfig, { mode: 0o600 });
  }
  if (c.setup) execFileSync("bash", ["-c", c.setup], { cwd: home });
  if (c.asNobody) {
    // Only the file itself is closed to the other user; the way to it is open.
    await fs.chmod(home, 0o755);
    await fs.chmod(path.join(home, ".aws"), 0o755);
  }
  await control(sandbox, "DELETE", "/calls");
  return { sandbox, home, project, env };
}

async function run(c: BadInputCase, env: NodeJS.ProcessEnv, cwd: string) {
  if (!c.asNobody) return runCli(c.args, env, cwd);
  const child = spawn(process.execPath, [CLI, ...c.args], { env, cwd, uid: NOBODY, gid: NOBODY, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.once("close", (c) => resolve(c ?? 1)));
  return { code, stdout, stderr };
}

const asRootWithNobody = process.getuid?.() === 0;

describe("bad input: a clear error, exit 2, nothing changed", () => {
  for (const c of badInputCases) {
    const title = `${c.input}, ${c.bad}: "${c.message}"`;
    const test = c.asNobody && !asRootWithNobody ? it.skip : it.concurrent;
    test(title, async () => {
      const { sandbox, home, project, env } = await prepare(c);
      const before = await filesUnder(home);
      const result = await run(c, env, project);
      const stderr = ownStderr(result.stderr);

      expect(result.code, stderr).toBe(c.code ?? 2);
      const errorLines = stderr.split("\n").filter((l) => l.startsWith("✖"));
      expect(errorLines, stderr).toHaveLength(1);
      expect(unwrapped(stderr).replaceAll(home, "~"), stderr).toContain(c.message);
      expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
      expect(await filesUnder(home)).toEqual(before);
      expect((await callLog(sandbox)).filter((call) => call.mutating).map((call) => call.operation)).toEqual([]);
      if (c.noAwsCall) expect((await callLog(sandbox)).map((call) => call.operation)).toEqual([]);
    });
  }
});

describe("docs/errors.md", () => {
  it("lists every bad-input case with its message and exit code, and has at least 40 rows", async () => {
    const doc = await fs.readFile(new URL("../../docs/errors.md", import.meta.url), "utf8");
    const rows = doc.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| input") && !l.startsWith("|---"));
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const c of badInputCases) {
      const row = rows.find((r) => r.includes(c.message.replaceAll("|", "\\|")));
      expect(row, `no row for ${c.input}, ${c.bad}`).toBeDefined();
      expect(row).toContain(`| ${c.code ?? 2} |`);
    }
  });
});
