/** Runs the built CLI as a child process for the login tests, with a temp HOME and an AWS config. */
import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { childEnv, openSandbox } from "./sandbox.js";
import { answerDevicePage, seedSsoWorld, type SeededWorld } from "./ssoSeed.js";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout+stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exit: Promise<number>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Running {
  return startProcess(process.execPath, [CLI, ...args], env, cwd);
}

/** Any child process, with the same waiting helpers (e.g. `npm run sso`). */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Running {
  const child = spawn(command, args, { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = (out + err).match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on("data", (d) => {
    out += d;
    check();
  });
  child.stderr!.on("data", (d) => {
    err += d;
    check();
  });
  const exit = new Promise<number>((resolve) => child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        check();
        void exit.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)), 50));
      });
    },
  };
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  const running = startCli(args, env, cwd);
  running.child.stdin!.end();
  const code = await running.exit;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

/** Text with the CLI's line wrapping undone (an indented line joins the one before), for matching whole messages. */
export function unwrapped(text: string): string {
  return text.replace(/\n +/g, " ");
}

/** Lines of stderr that are ours (the SDK's Node-version warning removed). */
export function ownStderr(stderr: string): string {
  return stderr
    .split("\n")
    .filter((l) => !/NodeVersionSupportWarning|versions published after|require node >=|continue receiving updates|security updates please|a\.co\/|trace-warnings|^\s*$/.test(l))
    .join("\n");
}

export interface LoginHome {
  home: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

/** A temp HOME with `~/.aws/config` holding an sso-session and two profiles, and the env for the CLI. */
export async function makeLoginHome(sandbox: { url: string }, startUrl: string, ids: { dev: string; prod: string }, extraConfig = ""): Promise<LoginHome> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "login-home-"));
  const configFile = path.join(home, ".aws", "config");
  await fs.mkdir(path.dirname(configFile), { recursive: true, mode: 0o700 });
  await fs.writeFile(
    configFile,
    `[sso-session acme]
sso_start_url = ${startUrl}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile acme-dev]
sso_session = acme
sso_account_id = ${ids.dev}
sso_role_name = AdministratorAccess
region = eu-west-1

[profile acme-production]
sso_session = acme
sso_account_id = ${ids.prod}
sso_role_name = AdministratorAccess
region = eu-west-1
${extraConfig}`,
  );
  // No static keys: the login must not need any AWS credentials.
  const env = childEnv(sandbox, { HOME: home });
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  return { home, configFile, env };
}

export interface ApprovedRun {
  code: number;
  stdout: string;
  /** Our own lines only (ownStderr). */
  stderr: string;
  /** Still running after a minute: it hung (and was killed). */
  hung: boolean;
}

/**
 * Runs the built CLI, optionally as another user (`uid`), for the reliability suites. When it
 * prints a device code, ada@example.com approves it, as a person would, so a login goes on. A run
 * that hangs (as on a named pipe, before) is killed after a minute so the test fails on its
 * assertions instead of never ending; this is a guard, not a measurement.
 */
export function runCliApproving(
  sandboxUrl: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; uid?: number; shell?: string },
): Promise<ApprovedRun> {
  // `shell`: a /bin/sh script run instead, with node as its $0 (to start the CLI in a state spawn cannot set up).
  const [command, argv] = options.shell ? ["/bin/sh", ["-c", options.shell, process.execPath, ...args]] : [process.execPath, [CLI, ...args]];
  const child = spawn(command, argv, {
    env: options.env,
    cwd: options.cwd,
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  let stdout = "";
  let stderr = "";
  let approved = false;
  const approve = () => {
    const code = /code ([A-Z]{4}-[A-Z]{4})/.exec(stdout + stderr)?.[1];
    if (code && !approved) {
      approved = true;
      void answerDevicePage(sandboxUrl, code, "ada@example.com");
    }
  };
  child.stdout!.on("data", (d) => ((stdout += d), approve()));
  child.stderr!.on("data", (d) => ((stderr += d), approve()));
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, 60_000);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(guard);
      resolve({ code: code ?? 1, stdout, stderr: ownStderr(stderr), hung });
    }),
  );
}

/** `login --device-code` approved on the emulator's device page as `userName` would; resolves once it exited 0. */
export async function deviceLogin(baseUrl: string, env: NodeJS.ProcessEnv, userName: string, args: string[] = []): Promise<void> {
  const cli = startCli(["login", "--device-code", "--no-browser", ...args], env);
  const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
  await answerDevicePage(baseUrl, code, userName);
  const exit = await cli.exit;
  if (exit !== 0) throw new Error(`login exited ${exit}: ${cli.stderr()}`);
}

/**
 * The login tests' world, for the test file that calls this: one emulator, reset before each test
 * and seeded with the SSO user and its two accounts, and a fresh HOME whose config points at them.
 * Read the fields inside tests (they are set by the hooks).
 */
export function useSeededLoginWorld(): { sandbox: Sandbox; world: SeededWorld; h: LoginHome } {
  const t = {} as { sandbox: Sandbox; world: SeededWorld; h: LoginHome };
  beforeAll(async () => {
    t.sandbox = await openSandbox();
  });
  afterAll(() => t.sandbox.close());
  beforeEach(async () => {
    t.sandbox.reset();
    t.world = seedSsoWorld(t.sandbox.state);
    t.h = await makeLoginHome(t.sandbox, t.world.startUrl, { dev: t.world.devAccountId, prod: t.world.prodAccountId });
  });
  return t;
}
