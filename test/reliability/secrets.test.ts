/**
 * Secrets and privileges (docs/security.md): no long-lived credential is ever created, the
 * caller's keys never appear in any output or file, ~/.aws is 0700 and the config 0600, and a
 * root caller is told to remove the root access keys afterwards. (The SSO token cache and login
 * outputs are scanned in test/e2e/loginSecrets.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { sandboxEnvironment } from "../../src/sandbox/environment.js";
import { callLog } from "../helpers/sandbox.js";
import { runCli } from "../helpers/loginCli.js";
import { makeInitHome, runInit, type InitHome } from "../e2e/initHarness.js";
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
