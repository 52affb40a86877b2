/**
 * `exec --profile P -- CMD` and signals (docs/security.md, "exec"): SIGINT, SIGTERM and SIGHUP
 * sent to exec reach the program, exec waits for it and exits with its status — the program's own
 * exit code when it handles the signal, 128 + the signal's number when the signal kills it. The
 * program never outlives exec holding the credentials.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { openSandbox } from "../helpers/sandbox.js";
import { makeLoginHome, startCli, type LoginHome } from "../helpers/loginCli.js";
import { answerDevicePage, seedSsoWorld } from "../helpers/ssoSeed.js";

let sandbox: Sandbox;
let h: LoginHome;
let scripts: string;
const started: number[] = [];

/** Exit codes the trapping program chooses per signal: distinct from 128 + n and from 130. */
const trappedExit = { SIGINT: 41, SIGTERM: 42, SIGHUP: 43 } as const;
const signalNumber = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

beforeAll(async () => {
  sandbox = await openSandbox();
  const world = seedSsoWorld(sandbox.state);
  h = await makeLoginHome(sandbox, world.startUrl, { dev: world.devAccountId, prod: world.prodAccountId });
  const login = startCli(["login", "--device-code", "--no-browser"], h.env);
  const [, code] = await login.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
  await answerDevicePage(sandbox.url, code, world.userName);
  expect(await login.exit).toBe(0);

  scripts = await fs.mkdtemp(path.join(os.tmpdir(), "exec-signals-"));
  // Prints its pid and whether it holds the credentials, then waits; on a signal says so and
  // exits with the code chosen for it.
  await fs.writeFile(
    path.join(scripts, "trapping.mjs"),
    `const codes = ${JSON.stringify(trappedExit)};
for (const s of Object.keys(codes)) process.on(s, () => { process.stdout.write("child got " + s + "\\n"); process.exit(codes[s]); });
setInterval(() => {}, 1000);
process.stdout.write("ready " + process.pid + " " + (process.env.AWS_SESSION_TOKEN ? "with credentials" : "without") + "\\n");
`,
  );
  // Handles nothing: the signal ends it.
  await fs.writeFile(path.join(scripts, "plain.mjs"), `setInterval(() => {}, 1000);\nprocess.stdout.write("ready " + process.pid + " with credentials\\n");\n`);
});

afterEach(() => {
  // Before the fix the program outlived exec: never leave one running after a test.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone, as it should be */
    }
  }
});
afterAll(async () => {
  sandbox.close();
  await fs.rm(scripts, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function execUntilReady(script: string) {
  const cli = startCli(["exec", "--profile", "acme-dev", "--", process.execPath, path.join(scripts, script)], h.env);
  // exec's own end (its stdout closes only once every program holding it has ended).
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.child.once("exit", (code, signal) => resolve({ code, signal })));
  const [, pid, creds] = await cli.waitFor(/ready (\d+) (with credentials|without)/);
  started.push(Number(pid));
  expect(creds).toBe("with credentials");
  return { cli, exited, childPid: Number(pid) };
}

describe("exec passes signals to the program and exits with its status", () => {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    it(`${signal}: a program that handles it stops its own way and exec exits with its code (${trappedExit[signal]})`, async () => {
      const { cli, exited, childPid } = await execUntilReady("trapping.mjs");
      // Only exec gets the signal (as from `kill` or a supervisor), not the program.
      cli.child.kill(signal);
      const end = await exited;
      expect(isRunning(childPid), "the program outlived exec").toBe(false);
      expect(end).toEqual({ code: trappedExit[signal], signal: null });
      await cli.exit;
      expect(cli.stdout()).toContain(`child got ${signal}`);
    });

    it(`${signal}: a program that does not handle it is ended by it, and exec exits 128 + ${signalNumber[signal]}`, async () => {
      const { cli, exited, childPid } = await execUntilReady("plain.mjs");
      cli.child.kill(signal);
      const end = await exited;
      expect(isRunning(childPid), "the program outlived exec").toBe(false);
      expect(end).toEqual({ code: 128 + signalNumber[signal], signal: null });
    });
  }
});
