/**
 * Cached role credentials (docs/login.md, "Cached credentials"): `env` and `exec` reuse what they
 * obtained until 5 minutes before it expires, with no portal call; a new sign-in or a logout makes
 * the cache unusable; `logout` removes ours and the AWS CLI's for the session; a planted link is
 * refused. The built CLI as a child process, a temp HOME, the emulator's call log.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { awsCliRoleCredentialsPath, roleCredentialsPath } from "../../src/local/roleCredentialsCache.js";
import { tokenCachePath } from "../../src/local/tokenCache.js";
import { deviceLogin, ownStderr, runCli, unwrapped, useSeededLoginWorld } from "../helpers/loginCli.js";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../../dist/bin.cjs", import.meta.url));
type Ran = { code: number; stdout: string; stderr: string };
/** The installed command's entry as a child process: exit code and output, whatever the code. */
const runBin = (args: string[], env: NodeJS.ProcessEnv): Promise<Ran> =>
  run(process.execPath, [BIN, ...args], { env }).then(
    (r) => ({ code: 0, ...r }),
    (err: Ran) => err,
  );
const t = useSeededLoginWorld();

const login = (args: string[] = []) => deviceLogin(t.sandbox.url, t.h.env, t.world.userName, args);

const devKey = () => ({ sessionKey: "acme", startUrl: t.world.startUrl, accountId: t.world.devAccountId, roleName: "AdministratorAccess" });
const portalCalls = () => t.sandbox.state.calls.filter((c) => c.service === "sso").map((c) => c.operation);

async function envJson(profile = "acme-dev") {
  const result = await runCli(["env", "--profile", profile, "--format", "json"], t.h.env);
  expect(ownStderr(result.stderr)).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { AccessKeyId: string; SecretAccessKey: string; Expiration: string };
}

describe("cached role credentials", () => {
  it("a second env call reuses the first one's credentials without any call; the cache file is 0600 and holds no token", async () => {
    await login();
    t.sandbox.state.calls = [];
    const first = await envJson();
    expect(portalCalls()).toEqual(["GetRoleCredentials"]);
    t.sandbox.state.calls = [];
    const second = await envJson();
    expect(t.sandbox.state.calls).toEqual([]);
    expect(second).toEqual(first);

    const file = roleCredentialsPath(t.h.home, devKey());
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    const token = JSON.parse(await fs.readFile(tokenCachePath(t.h.home, "acme"), "utf8"));
    expect(token.accessToken).toBeTruthy();
    expect(await fs.readFile(file, "utf8")).not.toContain(token.accessToken);

    // Another role is another entry: the first one's credentials are never handed out for it.
    const prod = await envJson("acme-production");
    expect(prod.AccessKeyId).not.toBe(first.AccessKeyId);
    // exec uses the same cache.
    t.sandbox.state.calls = [];
    const exec = await runCli(["exec", "--profile", "acme-dev", "--", "sh", "-c", 'printf %s "$AWS_ACCESS_KEY_ID"'], t.h.env);
    expect(exec.stdout).toBe(first.AccessKeyId);
    expect(t.sandbox.state.calls).toEqual([]);

    // The installed command (package.json bin, src/bin.cts) answers a warm call itself, byte for byte
    // as the full CLI does, and hands anything else to it.
    const viaCli = await runCli(["env", "--profile", "acme-dev", "--format", "fish"], t.h.env);
    const viaBin = await run(process.execPath, [BIN, "env", "--profile", "acme-dev", "--format", "fish"], { env: t.h.env });
    expect(viaBin.stdout).toBe(viaCli.stdout);
    expect(t.sandbox.state.calls).toEqual([]);
    const help = await run(process.execPath, [BIN, "env", "--help"], { env: t.h.env });
    expect(help.stdout).toMatch(/--profile NAME/);
  });

  it("credentials with 5 minutes or less left are fetched again, and a new sign-in does not reuse the old session's", async () => {
    await login();
    const first = await envJson();
    const file = roleCredentialsPath(t.h.home, devKey());
    const doc = JSON.parse(await fs.readFile(file, "utf8"));
    await fs.writeFile(file, JSON.stringify({ ...doc, Expiration: new Date(Date.now() + 4 * 60_000).toISOString() }), { mode: 0o600 });
    t.sandbox.state.calls = [];
    const renewed = await envJson();
    expect(portalCalls()).toEqual(["GetRoleCredentials"]);
    expect(renewed.AccessKeyId).not.toBe(first.AccessKeyId);

    await login(["--force"]);
    t.sandbox.state.calls = [];
    const afterLogin = await envJson();
    expect(portalCalls()).toEqual(["GetRoleCredentials"]);
    expect(afterLogin.AccessKeyId).not.toBe(renewed.AccessKeyId);
  });

  it("logout removes our cached credentials and the AWS CLI's SSO ones for the session, and nothing else", async () => {
    await login();
    await envJson();
    await envJson("acme-production");
    // What the AWS CLI leaves after `aws --profile acme-dev ...` (botocore's JSONFileCache), and a file of another kind.
    const cliFile = awsCliRoleCredentialsPath(t.h.home, { accountId: t.world.devAccountId, roleName: "AdministratorAccess", sessionName: "acme" });
    const assumeRoleFile = path.join(path.dirname(cliFile), "0123456789abcdef0123456789abcdef01234567.json");
    await fs.mkdir(path.dirname(cliFile), { recursive: true });
    await fs.writeFile(cliFile, JSON.stringify({ ProviderType: "sso", Credentials: { AccessKeyId: "ASIAEXAMPLE" } }));
    await fs.writeFile(assumeRoleFile, JSON.stringify({ Credentials: { AccessKeyId: "ASIAOTHER" } }));

    const result = await runCli(["logout", "--json"], t.h.env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ session: "acme", hadToken: true, removedCredentials: { ours: 2, awsCli: 1 } });
    expect(await fs.readdir(path.dirname(roleCredentialsPath(t.h.home, devKey())))).toEqual([]);
    expect(await fs.readdir(path.dirname(cliFile))).toEqual([path.basename(assumeRoleFile)]);
    // Nothing left to hand out: env without a session fails with the login to run, and makes no portal call.
    t.sandbox.state.calls = [];
    const env = await runCli(["env", "--profile", "acme-dev"], t.h.env);
    expect(env.code).toBe(2);
    expect(env.stdout).toBe("");
  });

  it("refuses a link planted at the cache path, and leaves its target alone", async () => {
    await login();
    const file = roleCredentialsPath(t.h.home, devKey());
    const target = path.join(t.h.home, "bashrc");
    await fs.writeFile(target, "# mine\n");
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.symlink(target, file);
    const result = await runCli(["env", "--profile", "acme-dev"], t.h.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(unwrapped(ownStderr(result.stderr))).toMatch(/Refusing to use \S+: it is a symbolic link, not a file org-bootstrap wrote/);
    expect(await fs.readFile(target, "utf8")).toBe("# mine\n");
    // The installed command gives the same refusal: its warm path leaves any doubt to the full CLI.
    const viaBin = await runBin(["env", "--profile", "acme-dev"], t.h.env);
    expect(viaBin.code).toBe(2);
    expect(viaBin.stdout).toBe("");
    expect(unwrapped(ownStderr(viaBin.stderr))).toBe(unwrapped(ownStderr(result.stderr)));
  });

  it("the installed command hands a call it cannot answer from the cache to the full CLI: the same output, the same calls", async () => {
    await login();
    // Nothing cached yet: the full CLI fetches (one portal call) and caches.
    t.sandbox.state.calls = [];
    const cold = await run(process.execPath, [BIN, "env", "--profile", "acme-dev", "--format", "json"], { env: t.h.env });
    expect(portalCalls()).toEqual(["GetRoleCredentials"]);
    // A cache file readable by others: not used as is by the warm path; the full CLI uses it and makes it 0600.
    const file = roleCredentialsPath(t.h.home, devKey());
    await fs.chmod(file, 0o644);
    t.sandbox.state.calls = [];
    const fixed = await run(process.execPath, [BIN, "env", "--profile", "acme-dev", "--format", "json"], { env: t.h.env });
    expect(fixed.stdout).toBe(cold.stdout);
    expect(t.sandbox.state.calls).toEqual([]);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    // NODE_DEBUG and an unknown format go to the full CLI too, which says what it says.
    const debug = await run(process.execPath, [BIN, "env", "--profile", "acme-dev", "--format", "json"], { env: { ...t.h.env, NODE_DEBUG: "none" } });
    expect(debug.stdout).toBe(cold.stdout);
    const bad = await runBin(["env", "--profile", "acme-dev", "--format", "xml"], t.h.env);
    const badCli = await runCli(["env", "--profile", "acme-dev", "--format", "xml"], t.h.env);
    expect(bad.code).toBe(2);
    expect(bad.code).toBe(badCli.code);
    expect(ownStderr(bad.stderr)).toBe(ownStderr(badCli.stderr));
  });
});
