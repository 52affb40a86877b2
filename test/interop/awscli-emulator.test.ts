/**
 * The AWS CLI v2 (Debian's `awscli`, a client we did not write) against the emulated control plane:
 * if botocore parses our answers, the wire shapes are right. CI installs it with apt.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { callerFor } from "../../src/sandbox/state.js";
import { childEnv, openSandbox } from "../helpers/sandbox.js";

const run = promisify(execFile);
const AWS = "/usr/bin/aws";

describe("the AWS CLI v2 against the emulator", () => {
  let sandbox: Sandbox;
  let home: string;

  /** Runs `aws <args> --output json` against the sandbox (async: the sandbox answers in this process). */
  async function aws(...args: string[]): Promise<any> {
    const env = childEnv(sandbox, {
      HOME: home,
      AWS_CONFIG_FILE: join(home, "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, "credentials"),
      AWS_PAGER: "",
    });
    try {
      const { stdout } = await run(AWS, [...args, "--endpoint-url", sandbox.url, "--region", "us-east-1", "--output", "json"], { env });
      return stdout.trim() ? JSON.parse(stdout) : {};
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`aws ${args.join(" ")} failed: ${e.stderr?.trim() || e.message}`, { cause: err });
    }
  }

  beforeAll(async () => {
    const version = await run(AWS, ["--version"]).then(
      (r) => r.stdout + r.stderr,
      () => "",
    );
    if (!version.startsWith("aws-cli/2")) {
      throw new Error(`These tests need the AWS CLI v2 at ${AWS} (found: ${version.trim() || "nothing"}). Install it with: apt-get install -y awscli`);
    }
    home = await mkdtemp(join(tmpdir(), "awscli-home-"));
    sandbox = await openSandbox({ identityCenterEnabled: false });
  });
  afterAll(async () => {
    await sandbox?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("sts get-caller-identity", async () => {
    const id = await aws("sts", "get-caller-identity");
    expect(id).toMatchObject({ Account: "111111111111", Arn: "arn:aws:iam::111111111111:root" });
  });

  it("organizations: create an organization and an account, wait for it, list all accounts across pages", async () => {
    const org = await aws("organizations", "create-organization", "--feature-set", "ALL");
    expect(org.Organization).toMatchObject({ FeatureSet: "ALL", MasterAccountId: "111111111111" });
    await expect(aws("organizations", "create-organization")).rejects.toThrow(/AlreadyInOrganizationException/);

    const created = await aws("organizations", "create-account", "--email", "owner+dev@example.com", "--account-name", "acme-dev");
    expect(created.CreateAccountStatus).toMatchObject({ State: "IN_PROGRESS", AccountName: "acme-dev" });
    const status = await aws("organizations", "describe-create-account-status", "--create-account-request-id", created.CreateAccountStatus.Id);
    expect(status.CreateAccountStatus).toMatchObject({ State: "SUCCEEDED", AccountId: expect.stringMatching(/^\d{12}$/) });
    // botocore turned the epoch-seconds timestamp into an ISO date string.
    expect(Number.isNaN(Date.parse(status.CreateAccountStatus.RequestedTimestamp))).toBe(false);

    for (const stage of ["test", "staging", "prod", "sandbox"]) {
      await aws("organizations", "create-account", "--email", `owner+${stage}@example.com`, "--account-name", `acme-${stage}`);
    }
    // Page size 3 here: the CLI must follow NextToken by itself to see all six.
    const listed = await aws("organizations", "list-accounts");
    expect(listed.Accounts.map((a: { Name: string }) => a.Name).sort()).toEqual(
      ["acme-dev", "acme-prod", "acme-sandbox", "acme-staging", "acme-test", "management"].sort(),
    );
    // Debian's CLI (2.9) predates the account `State` member and drops it; the legacy `Status` shows.
    expect(listed.Accounts[0]).toMatchObject({ Status: "ACTIVE" });
    const calls = sandbox.state.calls.filter((c) => c.operation === "ListAccounts");
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });

  it("sts assume-role into an account the organization created: refused for the root user, granted to an IAM user", async () => {
    const dev = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!;
    const roleArn = `arn:aws:iam::${dev.Id}:role/OrganizationAccountAccessRole`;
    await expect(aws("sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "check")).rejects.toThrow(/AccessDenied.*Roles may not be assumed by root accounts/);
    sandbox.state.caller = callerFor("iam-user", "111111111111");
    try {
      const out = await aws("sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "check");
      expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${dev.Id}:assumed-role/OrganizationAccountAccessRole/check`);
      expect(out.Credentials).toMatchObject({ AccessKeyId: expect.stringMatching(/^ASIA/), SecretAccessKey: expect.any(String), SessionToken: expect.any(String) });
      // botocore parsed the expiration as a timestamp about an hour ahead.
      expect(Date.parse(out.Credentials.Expiration) - Date.now()).toBeGreaterThan(55 * 60_000);
    } finally {
      sandbox.state.caller = callerFor("root", "111111111111");
    }
  });

  it("sso-admin: list the instance, create and list permission sets", async () => {
    expect((await aws("sso-admin", "list-instances")).Instances).toEqual([]);
    await fetch(`${sandbox.url}/_sandbox/control/enable-identity-center`, { method: "POST", body: JSON.stringify({ region: "us-east-1" }) });
    const instances = (await aws("sso-admin", "list-instances")).Instances;
    expect(instances).toHaveLength(1);
    // Debian's CLI (2.9) knows only InstanceArn and IdentityStoreId here (Status came later).
    expect(instances[0]).toMatchObject({ InstanceArn: expect.stringMatching(/^arn:aws:sso:::instance\//), IdentityStoreId: expect.stringMatching(/^d-/) });
    const instanceArn = instances[0].InstanceArn;
    const names = ["AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "ViewOnlyAccess"];
    for (const name of names) {
      const created = await aws("sso-admin", "create-permission-set", "--instance-arn", instanceArn, "--name", name, "--session-duration", "PT12H");
      expect(created.PermissionSet).toMatchObject({ Name: name, SessionDuration: "PT12H" });
    }
    await expect(aws("sso-admin", "create-permission-set", "--instance-arn", instanceArn, "--name", "AdministratorAccess")).rejects.toThrow(/ConflictException/);
    const listed = await aws("sso-admin", "list-permission-sets", "--instance-arn", instanceArn);
    expect(listed.PermissionSets).toHaveLength(names.length);
  });

  it("identitystore: create a user, list users, find it by user name", async () => {
    const storeId = (await aws("sso-admin", "list-instances")).Instances[0].IdentityStoreId;
    const created = await aws(
      "identitystore", "create-user",
      "--identity-store-id", storeId,
      "--user-name", "ada@example.com",
      "--display-name", "Ada Lovelace",
      "--name", "GivenName=Ada,FamilyName=Lovelace",
      "--emails", "Value=ada@example.com,Type=work,Primary=true",
    );
    expect(created.UserId).toMatch(/^[0-9a-f]{10}-/);
    await expect(
      aws("identitystore", "create-user", "--identity-store-id", storeId, "--user-name", "ada@example.com", "--display-name", "Ada", "--name", "GivenName=Ada,FamilyName=L"),
    ).rejects.toThrow(/ConflictException/);
    const users = await aws("identitystore", "list-users", "--identity-store-id", storeId);
    expect(users.Users).toEqual([expect.objectContaining({ UserName: "ada@example.com", UserId: created.UserId })]);
    const found = await aws(
      "identitystore", "get-user-id",
      "--identity-store-id", storeId,
      "--alternate-identifier", JSON.stringify({ UniqueAttribute: { AttributePath: "userName", AttributeValue: "ada@example.com" } }),
    );
    expect(found.UserId).toBe(created.UserId);
  });
});
