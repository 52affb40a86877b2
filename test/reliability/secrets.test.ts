/**
 * Secrets and privileges (docs/security.md): no long-lived credential is ever created, the
 * caller's keys never appear in any output or file, ~/.aws is 0700 and the config 0600, and a
 * root caller is told to remove the root access keys afterwards. (The SSO token cache and login
 * outputs are scanned in test/e2e/loginSecrets.test.ts.)
 */
import { promises as fs } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.js";
import { tokenCachePath } from "../../src/local/tokenCache.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { sandboxEnvironment } from "../../src/sandbox/environment.js";
import { callLog } from "../helpers/sandbox.js";
import { ownStderr, runCli, startCli } from "../helpers/loginCli.js";
import { answerDevicePage } from "../helpers/ssoSeed.js";
import { makeInitHome, runInit, unattended, type InitHome } from "../e2e/initHarness.js";
import { filesUnder } from "./harness.js";

/** Operations that make a long-lived credential, in any AWS API (IAM users, keys, login profiles). */
const longLivedCredentialOperations = /^(CreateUser|CreateAccessKey|CreateLoginProfile|UploadSSHPublicKey|CreateServiceSpecificCredential|UploadSigningCertificate)$/;

describe("secrets and privileges over a full run", () => {
  let sandbox: Sandbox;
  let h: InitHome;
  const outputs: string[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
    h = await makeInitHome(sandbox);
    for (const args of [[], ["--json"]]) {
      const r = await runInit(h, args);
      expect(r.code, r.stderr).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
    for (const args of [["status"], ["status", "--json"], ["add-account", "qa", "--yes", "--email", "aws+qa@acme.com"], ["status", "--verbose"]]) {
      const r = await runCli(args, h.env, h.project);
      expect(r.code, r.stderr).toBe(0);
      outputs.push(r.stdout, r.stderr);
    }
  });
  afterAll(() => sandbox.close());

  it("creates no long-lived credential: no IAM user, access key or password in the call log", async () => {
    const calls = await callLog(sandbox);
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.filter((c) => c.service === "iam")).toEqual([]);
    // Identity Store's CreateUser makes an SSO user (no password, no keys); any other is a finding.
    expect(calls.filter((c) => longLivedCredentialOperations.test(c.operation) && c.service !== "identitystore")).toEqual([]);
  });

  it("never shows the caller's access key or secret key, in any output or file", async () => {
    const { AWS_ACCESS_KEY_ID: keyId, AWS_SECRET_ACCESS_KEY: secret } = sandboxEnvironment(sandbox.url);
    const files = await filesUnder(h.home);
    const everything = [...outputs, ...Object.values(files).map((f) => f.bytes)].join("\n");
    expect(everything).toContain("acme-dev"); // the scan sees real output
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(keyId);
    expect(everything).not.toMatch(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/);
    expect(everything).not.toMatch(/aws_secret_access_key|aws_session_token/i);
  });

  it("keeps ~/.aws private: the directory 0700, the config 0600", async () => {
    const files = await filesUnder(h.home);
    expect(files[".aws/"]?.mode).toBe(0o700);
    expect(files[".aws/config"]?.mode).toBe(0o600);
  });

  it("warns a root caller and advises deleting the root access keys afterwards", () => {
    const human = outputs.join("\n");
    expect(human).toMatch(/ROOT user/);
    expect(human).toMatch(/delete the root access keys/);
  });
});

/**
 * NODE_DEBUG=http (and https, net, ...) makes Node itself print every request's options on
 * stderr, headers included: the portal's `x-amz-sso_bearer_token`, the SDK's
 * `x-amz-security-token` and `authorization`. Every command that talks to AWS refuses to run under
 * it, before any request (docs/security.md).
 */
describe("Node's debug output (NODE_DEBUG) never shows a token or key", () => {
  let sandbox: Sandbox;
  let h: InitHome;
  let secrets: string[];
  let cacheBytes: string;
  const node = process.execPath;
  /** A run of each command that would succeed (or stop on its own check) without NODE_DEBUG; mutating ones only plan. */
  const runs: Record<string, string[]> = {
    init: [...unattended, "--dry-run"],
    "add-account": ["add-account", "qa", "--dry-run", "--email", "aws+qa@acme.com"],
    "close-account": ["close-account", "dev", "--dry-run", "--yes", "--confirm", "acme-dev"],
    status: ["status", "--verbose"],
    "add-user": ["add-user", "--dry-run", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen"],
    "remove-user": ["remove-user", "ann@acme.com", "--dry-run", "--force"],
    doctor: ["doctor"],
    login: ["login"],
    env: ["env", "--profile", "acme-dev"],
    exec: ["exec", "--profile", "acme-dev", "--", node, "-e", "0"],
    profiles: ["profiles", "--dry-run"],
    console: ["console", "--profile", "acme-dev", "--print"],
    guardrails: ["guardrails", "--dry-run", "--deny-leave"],
    "ci github": ["ci", "github", "--repo", "acme/app", "--dry-run"],
    // Last: it ends the session.
    logout: ["logout"],
  };
  /** Serves the emulated AWS itself: it holds no real secret, and its debug output is the person's business. */
  const sendsNoSecret = ["sandbox"];

  beforeAll(async () => {
    sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
    h = await makeInitHome(sandbox);
    expect((await runInit(h)).code).toBe(0);
    const login = startCli(["login", "--device-code", "--no-browser"], h.env, h.project);
    const [, code] = await login.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(sandbox.url, code, "ann@acme.com");
    expect(await login.exit).toBe(0);
    cacheBytes = await fs.readFile(tokenCachePath(h.home, "acme"), "utf8");
    const cache = JSON.parse(cacheBytes);
    // The caller's secret key never travels (SigV4 signs with it), but its key id does.
    secrets = [cache.accessToken, cache.refreshToken, cache.clientSecret, h.env.AWS_ACCESS_KEY_ID!, h.env.AWS_SECRET_ACCESS_KEY!];
  });
  afterAll(() => sandbox.close());

  it("covers every command in the command table", () => {
    expect([...Object.keys(runs), ...sendsNoSecret].sort()).toEqual(commands.map((c) => c.name).sort());
  });

  it("without NODE_DEBUG the same runs work (so the scan sees commands that would run)", async () => {
    for (const name of ["status", "env", "exec", "login"]) {
      const r = await runCli(runs[name], h.env, h.project);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
  });

  it("NODE_DEBUG sections that print no request (fs, module) are left alone", async () => {
    const r = await runCli(runs.env, { ...h.env, NODE_DEBUG: "fs,module" }, h.project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("AWS_SESSION_TOKEN");
  });

  for (const debug of ["http", "https", "tls", "net", "fetch", "http,net", "HTTP", "*", "ht*"]) {
    it(`NODE_DEBUG=${debug}: every command refuses with exit 2 naming the variable, before any AWS call`, async () => {
      // Had a logout run (it must not), the next login would wait for a person: put the cache back.
      await fs.writeFile(tokenCachePath(h.home, "acme"), cacheBytes, { mode: 0o600 });
      sandbox.state.calls = [];
      const results: { name: string; code: number; stdout: string; stderr: string }[] = [];
      const run = async (name: string) => ({ name, ...(await runCli(runs[name], { ...h.env, NODE_DEBUG: debug }, h.project)) });
      results.push(...(await Promise.all(Object.keys(runs).filter((n) => n !== "logout").map(run))), await run("logout"));
      const everything = results.map((r) => r.stdout + r.stderr).join("\n");
      for (const secret of secrets) expect(everything).not.toContain(secret);
      expect(everything).not.toMatch(/x-amz-sso_bearer_token'?:\s*'?[A-Za-z0-9]/i);
      expect(everything).not.toMatch(/x-amz-security-token'?:\s*'?[A-Za-z0-9]/i);
      expect(everything).not.toMatch(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/);
      for (const r of results) {
        expect({ command: r.name, code: r.code }).toEqual({ command: r.name, code: 2 });
        expect(ownStderr(r.stderr), r.name).toContain(`NODE_DEBUG=${debug}`);
        expect(ownStderr(r.stderr), r.name).toContain("unset NODE_DEBUG");
      }
      expect(sandbox.state.calls.map((c) => c.operation)).toEqual([]);
    });
  }

});
