/**
 * The machine's failures (docs/errors.md, "The machine"): a directory we may not write, a
 * read-only or full file system, a file where a directory belongs, a busy port, nothing listening
 * at the endpoint. Each is made for real and run through the built CLI: one `✖` line naming the
 * path or endpoint, the fix under it, exit 1 or 2, never "This looks like a bug". `login` finds a
 * token cache it cannot write before it signs in: no sign-in is started (no OIDC call), so none
 * that a person approved is lost.
 *
 * Tests may run as root (CI does), and root may write anywhere: the permission case then runs the
 * CLI as `nobody`, as test/reliability/hostileFiles.test.ts does. The read-only and full file
 * systems are small tmpfs mounts, so they need root too, and are skipped elsewhere.
 */
import { execFileSync } from "node:child_process";
import { promises as fs, statfsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { tokenCachePath } from "../../src/local/tokenCache.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { callLog, childEnv, control } from "../helpers/sandbox.js";
import { CLI, runCliApproving, unwrapped, type ApprovedRun } from "../helpers/loginCli.js";
import { seedSsoWorld } from "../helpers/ssoSeed.js";

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

let sandbox: Sandbox;
let startUrl: string;
beforeAll(async () => {
  sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
});
afterAll(() => sandbox.close());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => {});
});

interface Home {
  home: string;
  aws: string;
  config: string;
  env: NodeJS.ProcessEnv;
}

/** A HOME with an sso-session in ~/.aws/config, no AWS keys, and a freshly seeded Identity Center. */
async function makeHome(root = os.tmpdir()): Promise<Home> {
  sandbox.reset();
  startUrl = seedSsoWorld(sandbox.state).startUrl;
  await control(sandbox, "DELETE", "/calls");
  const home = await fs.mkdtemp(path.join(root, "ob-machine-"));
  cleanups.push(() => fs.rm(home, { recursive: true, force: true }));
  const aws = path.join(home, ".aws");
  await fs.mkdir(aws, { mode: 0o700 });
  const config = path.join(aws, "config");
  await fs.writeFile(
    config,
    `[sso-session acme]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n[profile acme-dev]\nsso_session = acme\nsso_account_id = 222233334444\nsso_role_name = AdministratorAccess\nregion = us-east-1\n`,
  );
  const env = childEnv(sandbox, { HOME: home });
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  return { home, aws, config, env };
}

type Run = ApprovedRun;

/** The built CLI in this suite's world; a device code it prints is approved, as a person would. */
function runCli(args: string[], h: Home, options: { uid?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return runCliApproving(sandbox.url, args, { env: options.env ?? h.env, cwd: os.tmpdir(), ...(options.uid !== undefined ? { uid: options.uid } : {}) });
}

/** One `✖` line holding `message` (HOME written as ~), the fix under it, the exit code, no stack, no "bug". */
function expectOneLine(run: Run, h: Home | undefined, message: string, exit: number, fix: RegExp) {
  const text = h ? unwrapped(run.stderr).replaceAll(h.home, "~") : unwrapped(run.stderr);
  expect(run.code, run.stderr).toBe(exit);
  const lines = text.split("\n").filter((l) => l.startsWith("✖"));
  expect(lines, run.stderr).toHaveLength(1);
  // The fix is the indented line under it (joined by unwrapped), never a second ✖.
  expect(lines[0]!.startsWith(`✖ ${message} `), lines[0]).toBe(true);
  expect(text).toMatch(fix);
  expect(text).not.toMatch(/looks like a bug/);
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

/** The OIDC calls a sign-in starts with: none may be made when the token could not be kept. */
const signInCalls = async () => (await callLog(sandbox)).map((c) => c.operation).filter((op) => /RegisterClient|StartDeviceAuthorization|CreateToken/.test(op));

const login = ["login", "--device-code", "--no-browser"];
const notKept = "Not signing in, the token could not be kept:";

describe("login checks that it can keep the token before it signs in", () => {
  it("EACCES: ~/.aws is not writable by the user: one line naming ~/.aws/sso, exit 2, no sign-in started", async () => {
    const h = await makeHome();
    let uid: number | undefined;
    if (asRoot) {
      // Root writes anywhere: the user is nobody, and ~/.aws (root's, 0755) is not theirs to write.
      await fs.chown(h.home, NOBODY, NOBODY);
      await fs.chmod(h.aws, 0o755);
      await fs.chmod(h.config, 0o644);
      uid = NOBODY;
    } else {
      await fs.chmod(h.aws, 0o500);
      cleanups.push(() => fs.chmod(h.aws, 0o700));
    }
    const run = await runCli(login, h, { uid });
    expectOneLine(run, h, `${notKept} cannot create the directory ~/.aws/sso: permission denied.`, 2, /Give your user access to ~\/\.aws \(ls -ld "~\/\.aws"/);
    expect(await signInCalls()).toEqual([]);
  });

  it("ENOTDIR: HOME is a file (the config elsewhere): one line, exit 2, no sign-in started", async () => {
    const h = await makeHome();
    const fileHome = path.join(h.home, "not-a-dir");
    await fs.writeFile(fileHome, "");
    const credentials = path.join(h.aws, "credentials");
    await fs.writeFile(credentials, "", { mode: 0o600 });
    const run = await runCli(login, h, { env: { ...h.env, HOME: fileHome, AWS_CONFIG_FILE: h.config, AWS_SHARED_CREDENTIALS_FILE: credentials } });
    // Found already while reading the cache (no command translates it): the entry's table does.
    expectOneLine(run, h, "Cannot look at ~/not-a-dir/.aws: a part of its path is a file, not a directory.", 2, /Move away the file that stands where a directory of ~\/not-a-dir\/\.aws belongs/);
    expect(await signInCalls()).toEqual([]);
  });

  describe.skipIf(!asRoot)("on a file system of its own", () => {
    async function mountTmpfs(): Promise<string | undefined> {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ob-machine-fs-"));
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", dir], { stdio: "ignore" });
      } catch {
        await fs.rm(dir, { recursive: true, force: true });
        return undefined;
      }
      cleanups.push(async () => {
        execFileSync("umount", ["-l", dir], { stdio: "ignore" });
        await fs.rm(dir, { recursive: true, force: true });
      });
      return dir;
    }

    it("EROFS: HOME on a read-only file system: one line naming ~/.aws/sso, exit 2, no sign-in started", async (ctx) => {
      const mount = await mountTmpfs();
      if (!mount) return ctx.skip();
      const h = await makeHome(mount);
      execFileSync("mount", ["-o", "remount,ro", mount], { stdio: "ignore" });
      const run = await runCli(login, h);
      expectOneLine(run, h, `${notKept} cannot create the directory ~/.aws/sso: the file system is read-only.`, 2, /Remount the file system holding ~\/\.aws read-write/);
      expect(await signInCalls()).toEqual([]);
    });

    it("ENOSPC: the disk holding the token cache is full: one line naming the token file, exit 1, no sign-in started; with room again login works", async (ctx) => {
      const mount = await mountTmpfs();
      if (!mount) return ctx.skip();
      const h = await makeHome(mount);
      const cache = path.dirname(tokenCachePath(h.home, "acme"));
      await fs.mkdir(cache, { recursive: true, mode: 0o700 });
      const filler = path.join(mount, "filler");
      const { bavail, bsize } = statfsSync(mount);
      await fs.writeFile(filler, Buffer.alloc(bavail * bsize));
      const run = await runCli(login, h);
      const token = tokenCachePath(h.home, "acme").replace(h.home, "~");
      expectOneLine(run, h, `${notKept} cannot write ${token}: no space left on the device.`, 1, /Free some space on the file system holding ~\/\.aws\/sso\/cache \(df -h "~\/\.aws\/sso\/cache"\)/);
      expect(await signInCalls()).toEqual([]);
      expect((await fs.readdir(cache)).filter((f) => f.endsWith(".tmp"))).toEqual([]);

      await fs.rm(filler);
      const again = await runCli(login, h);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(await fs.readFile(tokenCachePath(h.home, "acme"), "utf8")).startUrl).toBe(startUrl);
    });
  });
});

/** A port nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("endpoints", () => {
  it("EADDRINUSE: sandbox --port on a busy port: one line naming it, exit 2", async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => busy.close(() => resolve())));
    const { port } = busy.address() as net.AddressInfo;
    const run = await runCli(["sandbox", "--port", String(port)], { home: "", aws: "", config: "", env: childEnv(sandbox) });
    expectOneLine(run, undefined, `Cannot listen on 127.0.0.1:${port}: the port is already in use.`, 2, /choose another port \(sandbox --port N/);
  });

  it("ECONNREFUSED: login with AWS_ENDPOINT_URL_SSO_OIDC at a closed port: one line naming the endpoint and the variable, exit 1", async () => {
    const h = await makeHome();
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const run = await runCli(login, h, { env: { ...h.env, AWS_ENDPOINT_URL_SSO_OIDC: url } });
    expectOneLine(run, h, `Cannot reach 127.0.0.1:${port}: the connection was refused (nothing is listening there).`, 1, new RegExp(`AWS_ENDPOINT_URL_SSO_OIDC=${url} points there: .*correct or unset it`));
  });

  it("ECONNREFUSED: env, signed in, with AWS_ENDPOINT_URL at a closed port: one line naming the endpoint, exit 1", async () => {
    const h = await makeHome();
    const signedIn = await runCli(login, h);
    expect(signedIn.code, signedIn.stderr).toBe(0);
    const port = await closedPort();
    const url = `http://localhost:${port}`;
    const closed = { ...h.env, AWS_ENDPOINT_URL: url, AWS_ENDPOINT_URL_SSO: url, AWS_ENDPOINT_URL_SSO_OIDC: url };
    const env = await runCli(["env", "--profile", "acme-dev"], h, { env: closed });
    expectOneLine(
      env,
      h,
      `Getting credentials for profile acme-dev: cannot reach 127.0.0.1:${port}: the connection was refused (nothing is listening there).`,
      1,
      /AWS_ENDPOINT_URL=.*, AWS_ENDPOINT_URL_SSO=.*, AWS_ENDPOINT_URL_SSO_OIDC=.* point there/,
    );
    expect(env.stdout).toBe("");
  });
});

describe("the current directory", () => {
  it("deleted after the shell entered it: one line saying so, exit 2, for a command that reads the project too", async () => {
    const h = await makeHome();
    const gone = await fs.mkdtemp(path.join(os.tmpdir(), "ob-gone-"));
    cleanups.push(() => fs.rm(gone, { recursive: true, force: true }));
    // The shell enters it, removes it, then runs the CLI there (spawn itself cannot start in a missing directory).
    const run = await runCliApproving(sandbox.url, [], {
      env: { ...h.env, OB_GONE: gone, OB_CLI: CLI },
      cwd: os.tmpdir(),
      shell: 'cd "$OB_GONE" && rmdir "$OB_GONE" && exec "$0" "$OB_CLI" status',
    });
    expectOneLine(run, h, "The current directory no longer exists (it was deleted or moved after the shell entered it).", 2, /Change to a directory that exists/);
    expect(await callLog(sandbox)).toEqual([]);
  });
});
