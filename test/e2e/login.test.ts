/**
 * `login`, `logout`, `env` and `exec` end to end: the built CLI as a child process, a temp HOME,
 * the emulator seeded in-process; the person's clicks are the sign-in pages' form submissions.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tokenCachePath } from "../../src/local/tokenCache.js";
import { CLI, ownStderr, unwrapped, runCli, startCli, startProcess, useSeededLoginWorld } from "../helpers/loginCli.js";
import { answerAuthorizePage, answerDevicePage } from "../helpers/ssoSeed.js";

const run = promisify(execFile);
const t = useSeededLoginWorld();

async function deviceLogin(args: string[] = []) {
  const cli = startCli(["login", "--device-code", "--no-browser", ...args], t.h.env);
  const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
  await answerDevicePage(t.sandbox.url, code, t.world.userName);
  return { code: await cli.exit, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe("login", () => {
  it("logs in with the device code flow and writes the AWS CLI's token cache, 0600 in a 0700 directory", async () => {
    const result = await deviceLogin();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${t.sandbox.url}/device`);
    expect(unwrapped(result.stdout)).toMatch(/Logged in to acme .*valid until \d\d:\d\d UTC/);
    const file = tokenCachePath(t.h.home, "acme");
    const cached = JSON.parse(await fs.readFile(file, "utf8"));
    expect(Object.keys(cached)).toEqual(["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"]);
    expect(cached.startUrl).toBe(t.world.startUrl);
    expect(cached.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(t.sandbox.state.accessTokens.get(cached.accessToken)?.userId).toBe("u-ada");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it("logs in with the browser flow (PKCE, loopback redirect on 127.0.0.1)", async () => {
    const cli = startCli(["login", "--pkce", "--no-browser"], t.h.env);
    const [url] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
    const answer = await answerAuthorizePage(url, t.world.userName);
    const page = await (await fetch(answer.location)).text();
    expect(page).toContain("Login approved");
    expect(await cli.exit).toBe(0);
    expect(cli.stdout()).toContain("Logged in to acme");
    expect(JSON.parse(await fs.readFile(tokenCachePath(t.h.home, "acme"), "utf8")).accessToken).toBeTruthy();
  });

  it("with a valid cached token says until when and makes no call; --json gives the expiry", async () => {
    expect((await deviceLogin()).code).toBe(0);
    t.sandbox.state.calls = [];
    const again = await runCli(["login", "--json"], t.h.env);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Already logged in to acme, until/);
    expect(JSON.parse(again.stdout)).toMatchObject({ session: "acme", source: "cache", startUrl: t.world.startUrl });
    expect(t.sandbox.state.calls).toEqual([]);
  });

  it("chooses the device flow by itself in an SSH session and says why", async () => {
    const cli = startCli(["login", "--no-browser"], { ...t.h.env, SSH_CONNECTION: "10.0.0.1 5000 10.0.0.2 22" });
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    expect(cli.stdout()).toMatch(/Using the device code flow\. This is an SSH session/);
    await answerDevicePage(t.sandbox.url, code, t.world.userName);
    expect(await cli.exit).toBe(0);
  });

  it("fails with exit 1 when the person denies, and leaves no token", async () => {
    const cli = startCli(["login", "--device-code", "--no-browser"], t.h.env);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(t.sandbox.url, code, t.world.userName, "deny");
    expect(await cli.exit).toBe(1);
    expect(ownStderr(cli.stderr())).toMatch(/denied in the browser/);
    await expect(fs.stat(tokenCachePath(t.h.home, "acme"))).rejects.toThrow();
  });

  it("stops cleanly on Ctrl-C with exit 130", async () => {
    const cli = startCli(["login", "--device-code", "--no-browser"], t.h.env);
    await cli.waitFor(/Waiting for your approval/);
    cli.child.kill("SIGINT");
    expect(await cli.exit).toBe(130);
    expect(ownStderr(cli.stderr())).toMatch(/cancelled/i);
  });

  it("asks which session when the config has several and a terminal is present", async () => {
    await fs.appendFile(t.h.configFile, "\n[sso-session other]\nsso_start_url = https://d-0000000000.awsapps.com/start\nsso_region = us-east-1\n");
    // A pseudo-terminal starts 0 columns wide: give it a size so the question draws on one line.
    const command = `stty cols 120 rows 40; ${[process.execPath, CLI, "login", "--device-code", "--no-browser"].join(" ")}`;
    const cli = startProcess("script", ["-qefc", command, "/dev/null"], t.h.env);
    await cli.waitFor(/Which SSO session\?/);
    cli.child.stdin!.write("\r"); // the first choice: acme
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(t.sandbox.url, code, t.world.userName);
    await cli.waitFor(/Logged in to acme/);
    cli.child.stdin!.end();
    expect(await cli.exit).toBe(0);
  });

  it("asks for --sso-session when the config has several and there is no terminal", async () => {
    await fs.appendFile(t.h.configFile, "\n[sso-session other]\nsso_start_url = https://d-0000000000.awsapps.com/start\nsso_region = us-east-1\n");
    const result = await runCli(["login"], t.h.env);
    expect(result.code).toBe(2);
    expect(ownStderr(result.stderr)).toMatch(/several sso-sessions \(acme, other\)[\s\S]*--sso-session NAME/);
  });
});

describe("after login", () => {
  it("the AWS SDK reads what we wrote: fromSSO({ profile }) returns role credentials", async () => {
    expect((await deviceLogin()).code).toBe(0);
    const script = `
      import { fromSSO } from "@aws-sdk/credential-providers";
      const creds = await fromSSO({ profile: "acme-dev" })();
      process.stdout.write(JSON.stringify({ ok: /^ASIA/.test(creds.accessKeyId), expires: creds.expiration?.toISOString() }));
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { env: t.h.env, cwd: path.resolve(__dirname, "../..") });
    const out = JSON.parse(stdout);
    expect(out.ok).toBe(true);
    expect(Date.parse(out.expires)).toBeGreaterThan(Date.now() + 11 * 3600_000);
    expect(t.sandbox.state.calls.some((c) => c.operation === "GetRoleCredentials")).toBe(true);
  });

  it("env prints exports for sh and the credential_process document for json", async () => {
    expect((await deviceLogin()).code).toBe(0);
    const sh = await runCli(["env", "--profile", "acme-dev"], t.h.env);
    expect(sh.code).toBe(0);
    expect(sh.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]{16}'$/m);
    expect(sh.stdout).toMatch(/^export AWS_SESSION_TOKEN='.+'$/m);
    expect(sh.stdout).toMatch(/^export AWS_REGION='eu-west-1'$/m);
    const { stdout: evaluated } = await run("sh", ["-c", `${sh.stdout}\nprintf %s "$AWS_ACCESS_KEY_ID"`]);
    expect(evaluated).toMatch(/^ASIA/);

    const json = await runCli(["env", "--profile", "acme-production", "--format", "json"], t.h.env);
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc)).toEqual(["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]);
    expect(doc.Version).toBe(1);
    expect(Date.parse(doc.Expiration)).toBeGreaterThan(Date.now());
  });

  it("exec runs the command with working credentials and passes its exit code through", async () => {
    expect((await deviceLogin()).code).toBe(0);
    const script = `
      import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
      const id = await new STSClient({}).send(new GetCallerIdentityCommand({}));
      const key = await new STSClient({}).config.credentials();
      process.stdout.write(key.accessKeyId.startsWith("ASIA") ? id.Arn : "bad");
      process.exit(7);
    `;
    const result = await runCli(["exec", "--profile", "acme-dev", "--", process.execPath, "--input-type=module", "-e", script], t.h.env, path.resolve(__dirname, "../.."));
    // The child is signed in as the SSO role in acme-dev (the seeded 222233334444), not as the caller.
    expect(result.stdout).toMatch(/^arn:aws:sts::222233334444:assumed-role\/AWSReservedSSO_AdministratorAccess_\w+\/\S+$/);
    expect(result.code).toBe(7);
  });

  it("env with an expired session logs in first when a terminal is present (login talk on stderr)", async () => {
    // util-linux `script` gives the CLI a pseudo-terminal, as an interactive shell would.
    const command = [process.execPath, CLI, "env", "--profile", "acme-dev", "--device-code", "--no-browser"].join(" ");
    const cli = startProcess("script", ["-qefc", command, "/dev/null"], t.h.env);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(t.sandbox.url, code, t.world.userName);
    await cli.waitFor(/export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]{16}'/);
    cli.child.stdin!.end();
    expect(await cli.exit).toBe(0);
    expect(JSON.parse(await fs.readFile(tokenCachePath(t.h.home, "acme"), "utf8")).startUrl).toBe(t.world.startUrl);
  });

  it("env without a valid session and without a terminal fails with the login command to run", async () => {
    const result = await runCli(["env", "--profile", "acme-dev"], t.h.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(ownStderr(result.stderr)).toMatch(/org-bootstrap login --sso-session acme/);
  });

  it("env refuses a role the person is not assigned", async () => {
    const cli = startCli(["login", "--device-code", "--no-browser"], t.h.env);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(t.sandbox.url, code, t.world.otherUserName);
    expect(await cli.exit).toBe(0);
    const result = await runCli(["env", "--profile", "acme-dev"], t.h.env);
    expect(result.code).toBe(2);
    expect(ownStderr(result.stderr)).toMatch(/may not use role AdministratorAccess in account 222233334444/);
  });

  it("logout ends the portal session and removes the cached token", async () => {
    expect((await deviceLogin()).code).toBe(0);
    const cached = JSON.parse(await fs.readFile(tokenCachePath(t.h.home, "acme"), "utf8"));
    const result = await runCli(["logout"], t.h.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Logged out of acme/);
    expect(t.sandbox.state.accessTokens.get(cached.accessToken)?.revoked).toBe(true);
    await expect(fs.stat(tokenCachePath(t.h.home, "acme"))).rejects.toThrow();
    expect((await runCli(["logout"], t.h.env)).stdout).toMatch(/Not logged in to acme/);
  });
});
