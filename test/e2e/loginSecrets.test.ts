/**
 * Every login-related command, run with secrets in play and --verbose (plus failure paths), must
 * never show an SSO access token, refresh token, client secret, authorization code or role secret
 * in stdout or stderr, nor write one to any file except the SSO cache files. `env` prints role
 * credentials on stdout by design: those may appear there and nowhere else.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleCredentialsCacheDir } from "../../src/local/paths.cjs";
import { formatTimestamp, registrationCachePath, tokenCachePath } from "../../src/local/tokenCache.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { openSandbox } from "../helpers/sandbox.js";
import { makeLoginHome, runCli, startCli, type LoginHome } from "../helpers/loginCli.js";
import { answerAuthorizePage, answerDevicePage, seedSsoWorld, type SeededWorld } from "../helpers/ssoSeed.js";

let sandbox: Sandbox;
let world: SeededWorld;
let h: LoginHome;

beforeAll(async () => {
  sandbox = await openSandbox();
  world = seedSsoWorld(sandbox.state);
  h = await makeLoginHome(sandbox, world.startUrl, { dev: world.devAccountId, prod: world.prodAccountId });
});
afterAll(() => sandbox.close());

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])));
  return nested.flat();
}

describe("no secret leaves the token cache", () => {
  it("holds for login (both flows), refresh, env, exec, logout and their failures, with --verbose", async () => {
    const outputs: { what: string; text: string }[] = [];
    const envStdout: string[] = [];
    const record = (what: string, r: { stdout: string; stderr: string }) => {
      outputs.push({ what: `${what} stdout`, text: r.stdout }, { what: `${what} stderr`, text: r.stderr });
    };

    // Device flow login.
    const device = startCli(["login", "--device-code", "--no-browser", "--verbose"], h.env);
    const [, userCode] = await device.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(sandbox.url, userCode, world.userName);
    expect(await device.exit).toBe(0);
    record("login device", { stdout: device.stdout(), stderr: device.stderr() });

    // Browser flow login (forced), leaving an authorization code behind in the emulator.
    const pkce = startCli(["login", "--pkce", "--no-browser", "--force", "--verbose"], h.env);
    const [url] = await pkce.waitFor(/http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
    await fetch((await answerAuthorizePage(url, world.userName)).location);
    expect(await pkce.exit).toBe(0);
    record("login pkce", { stdout: pkce.stdout(), stderr: pkce.stderr() });

    record("login cached", await runCli(["login", "--verbose", "--json"], h.env));

    // Silent refresh: the cached token is about to expire.
    const cacheFile = tokenCachePath(h.home, "acme");
    const cached = JSON.parse(await fs.readFile(cacheFile, "utf8"));
    await fs.writeFile(cacheFile, JSON.stringify({ ...cached, expiresAt: formatTimestamp(Date.now() + 60_000) }));
    const refreshed = await runCli(["login", "--verbose"], h.env);
    expect(refreshed.stdout).toMatch(/refreshed/);
    record("login refresh", refreshed);

    for (const format of ["sh", "fish", "powershell", "json"]) {
      const r = await runCli(["env", "--profile", "acme-dev", "--format", format, "--verbose"], h.env);
      expect(r.code).toBe(0);
      envStdout.push(r.stdout);
      outputs.push({ what: `env ${format} stderr`, text: r.stderr });
    }
    record("exec", await runCli(["exec", "--profile", "acme-dev", "--verbose", "--", process.execPath, "-e", "process.exit(0)"], h.env));

    // Failures with causes: the portal failing (its cached credentials removed, so env asks it), then an unknown role.
    await fs.rm(roleCredentialsCacheDir(h.home), { recursive: true, force: true });
    sandbox.state.faults.serverErrorRate = 1;
    sandbox.state.faults.operations = ["GetRoleCredentials"];
    const failing = await runCli(["env", "--profile", "acme-dev", "--verbose"], h.env);
    expect(failing.code).toBe(1);
    record("env failing", failing);
    sandbox.state.faults.serverErrorRate = 0;
    await fs.appendFile(h.configFile, `\n[profile acme-other]\nsso_session = acme\nsso_account_id = 999999999999\nsso_role_name = Nope\n`);
    record("env forbidden", await runCli(["env", "--profile", "acme-other", "--verbose"], h.env));

    // Collect every secret the emulator issued, and the role credentials env printed.
    const ssoSecrets = [
      ...[...sandbox.state.accessTokens.values()].flatMap((t) => [t.accessToken, t.refreshToken ?? ""]),
      ...[...sandbox.state.oidcClients.values()].map((c) => c.clientSecret),
      ...[...sandbox.state.authorizationCodes.keys()],
    ].filter(Boolean);
    const roleSecrets = envStdout.flatMap((text) => [...text.matchAll(/(ASIA[A-Z0-9]{16})|sandbox-session\/[A-Za-z0-9+/=]+/g)].map((m) => m[0]));
    expect(ssoSecrets.length).toBeGreaterThan(5);
    expect(roleSecrets.length).toBeGreaterThan(4);

    record("logout", await runCli(["logout", "--verbose"], h.env));

    for (const { what, text } of outputs) {
      for (const secret of [...ssoSecrets, ...roleSecrets]) expect(text.includes(secret), `${what} shows a secret`).toBe(false);
      expect(/ASIA[A-Z0-9]{16}/.test(text), `${what} shows an access key`).toBe(false);
    }
    for (const text of envStdout) for (const secret of ssoSecrets) expect(text.includes(secret)).toBe(false);

    const allowed = new Set([
      tokenCachePath(h.home, "acme"),
      registrationCachePath(h.home, { startUrl: world.startUrl, region: "us-east-1", scopes: ["sso:account:access"], sessionName: "acme" }),
    ]);
    const files = await filesUnder(h.home);
    expect(files.some((f) => allowed.has(f))).toBe(true);
    for (const file of files.filter((f) => !allowed.has(f))) {
      const text = await fs.readFile(file, "utf8");
      for (const secret of [...ssoSecrets, ...roleSecrets]) expect(text.includes(secret), `${file} holds a secret`).toBe(false);
    }
    for (const file of files.filter((f) => allowed.has(f))) expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });
});
