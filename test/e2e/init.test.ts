/**
 * `init` end to end: the built CLI as a child process against the emulated AWS, in a temporary
 * HOME and project directory. Assertions are on the emulator's state, the call log, the bytes
 * on disk and exit codes.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { CreatePermissionSetCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { callLog, clientConfig, control, openSandbox, scenario, worldState } from "../helpers/sandbox.js";
import { ownStderr, unwrapped } from "../helpers/loginCli.js";
import { makeInitHome, runInit, snapshotFiles, startInit } from "./initHarness.js";

const ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";

describe("init end to end", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: true });
  });

  it("sets up a fresh account, then a second run changes nothing in AWS or on disk", async () => {
    const h = await makeInitHome(sandbox);
    const first = await runInit(h, ["--json"]);
    expect(ownStderr(first.stderr)).not.toMatch(/✖/);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);

    const world = await worldState(sandbox);
    expect(world.organization?.FeatureSet).toBe("ALL");
    const dev = world.accounts.find((a) => a.Name === "acme-dev");
    const prod = world.accounts.find((a) => a.Name === "acme-production");
    expect(dev?.Email).toBe("aws+dev@acme.com");
    expect(prod?.Email).toBe("aws+production@acme.com");
    expect(world.permissionSets).toHaveLength(1);
    const ps = world.permissionSets[0];
    expect(ps.Name).toBe("AdministratorAccess");
    expect(ps.SessionDuration).toBe("PT12H");
    expect(ps.managedPolicies.map((m) => m.Arn)).toEqual([ADMIN_POLICY]);
    const user = world.users.find((u) => u.UserName === "ann@acme.com");
    expect(user?.Name).toMatchObject({ GivenName: "Ann", FamilyName: "Lee" });
    const group = world.groups.find((g) => g.DisplayName === "Administrators");
    expect(world.memberships).toEqual([expect.objectContaining({ GroupId: group?.GroupId, MemberId: { UserId: user?.UserId } })]);
    const assigned = world.assignments.filter((a) => a.PrincipalType === "GROUP" && a.PrincipalId === group?.GroupId && a.PermissionSetArn === ps.PermissionSetArn);
    expect(assigned.map((a) => a.AccountId).sort()).toEqual(["111111111111", dev?.Id, prod?.Id].sort());

    // The JSON summary says the same, and nothing else is on stdout.
    expect(summary).toMatchObject({
      organizationId: world.organization?.Id,
      identityStoreId: world.instances[0].IdentityStoreId,
      instanceArn: world.instances[0].InstanceArn,
      startUrl: `https://${world.instances[0].IdentityStoreId}.awsapps.com/start`,
      user: { userName: "ann@acme.com", status: "created" },
      group: { displayName: "Administrators", status: "created" },
    });
    expect(summary.accounts).toEqual([
      { stage: "dev", id: dev?.Id, name: "acme-dev", email: "aws+dev@acme.com", status: "created" },
      { stage: "production", id: prod?.Id, name: "acme-production", email: "aws+production@acme.com", status: "created" },
    ]);
    expect(summary.assignments).toHaveLength(3);

    // ~/.aws/config as the SDK's own loader reads it.
    const { configFile } = await loadSharedConfigFiles({ configFilepath: h.configFile, filepath: path.join(h.home, "nope") });
    expect(configFile["sso-session.acme"]).toEqual({
      sso_start_url: summary.startUrl,
      sso_region: "us-east-1",
      sso_registration_scopes: "sso:account:access",
    });
    expect(configFile["acme-dev"]).toEqual({ sso_session: "acme", sso_account_id: dev?.Id, sso_role_name: "AdministratorAccess", region: "us-east-1" });
    expect(configFile["acme-production"]).toMatchObject({ sso_account_id: prod?.Id });
    expect((await fs.stat(h.configFile)).mode & 0o777).toBe(0o600);
    const pkg = JSON.parse(await fs.readFile(path.join(h.project, "package.json"), "utf8"));
    expect(pkg.scripts.sso).toMatch(/login --sso-session acme$/);

    const before = await snapshotFiles(h.home);
    await control(sandbox, "DELETE", "/calls");
    const second = await runInit(h);
    expect(second.code).toBe(0);
    const calls = await callLog(sandbox);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.mutating).map((c) => c.operation)).toEqual([]);
    expect(second.stdout).toMatch(/0 to create, 0 to update/);
    expect(await snapshotFiles(h.home)).toEqual(before);
  });

  it("waits for Identity Center to be enabled in the console, then completes", async () => {
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: false });
    const h = await makeInitHome(sandbox);
    const running = startInit(h);
    // Production code prints the real console page; against the emulator the person uses its twin.
    await running.waitFor(/https:\/\/console\.aws\.amazon\.com\/singlesignon\/home\?region=us-east-1/);
    // The status line names the region watched and the time so far (a log gets it once; a terminal redraws it).
    await running.waitFor(/… Waiting for IAM Identity Center to be enabled in us-east-1: 0:0\d \(Ctrl-C stops/);
    expect((await worldState(sandbox)).instances).toEqual([]);
    const page = await fetch(`${sandbox.url}/_sandbox/console/singlesignon?region=us-east-1`);
    expect(await page.text()).toContain('id="enable"');
    const pressed = await fetch(`${sandbox.url}/_sandbox/console/singlesignon/enable`, { method: "POST", body: new URLSearchParams({ region: "us-east-1" }), redirect: "manual" });
    expect(pressed.status).toBe(303);
    expect(await running.exit).toBe(0);
    const world = await worldState(sandbox);
    expect(world.instances).toHaveLength(1);
    expect(world.assignments).toHaveLength(3);
    expect(running.stdout()).toMatch(/IAM Identity Center: enabled in us-east-1/);
  });

  it("creates an extra stage's account and assignment", async () => {
    const h = await makeInitHome(sandbox);
    const result = await runInit(h, ["--stages", "dev,staging,production"]);
    expect(result.code).toBe(0);
    const world = await worldState(sandbox);
    expect(world.accounts.map((a) => a.Name).sort()).toEqual(["acme-dev", "acme-production", "acme-staging", "management"]);
    expect(world.assignments).toHaveLength(4);
    const { configFile } = await loadSharedConfigFiles({ configFilepath: h.configFile, filepath: path.join(h.home, "nope") });
    expect(Object.keys(configFile).sort()).toEqual(["acme-dev", "acme-management", "acme-production", "acme-staging", "sso-session.acme"]);
  });

  it("uses an existing organization and finds an existing account by email", async () => {
    await scenario(sandbox, { organization: {}, accounts: [{ name: "Legacy Dev", email: "aws+dev@acme.com" }] });
    const before = await worldState(sandbox);
    const legacy = before.accounts.find((a) => a.Name === "Legacy Dev");
    const h = await makeInitHome(sandbox);
    const result = await runInit(h, ["--json"]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.organizationId).toBe(before.organization?.Id);
    expect(summary.accounts[0]).toEqual({ stage: "dev", id: legacy?.Id, name: "Legacy Dev", email: "aws+dev@acme.com", status: "found" });
    expect(summary.accounts[1].status).toBe("created");
    const calls = await callLog(sandbox);
    expect(calls.filter((c) => c.operation === "CreateOrganization")).toEqual([]);
    expect(calls.filter((c) => c.operation === "CreateAccount")).toHaveLength(1);
  });

  it("explains EMAIL_ALREADY_EXISTS with the fix, and a re-run with another email finishes", async () => {
    await scenario(sandbox, { createAccountFailures: { "aws+production@acme.com": "EMAIL_ALREADY_EXISTS" } });
    const h = await makeInitHome(sandbox);
    const failed = await runInit(h);
    expect(failed.code).toBe(2);
    expect(unwrapped(ownStderr(failed.stderr))).toMatch(/acme-production.*already belongs to another AWS account/);
    expect(ownStderr(failed.stderr)).toMatch(/--account-email/);
    const retry = await runInit(h, ["--account-email", "ops+{stage}@acme.com"]);
    expect(retry.code).toBe(0);
    const world = await worldState(sandbox);
    // dev was created on the first run and is found by name; production gets the new address.
    expect(world.accounts.filter((a) => a.Name === "acme-dev")).toHaveLength(1);
    expect(world.accounts.find((a) => a.Name === "acme-production")?.Email).toBe("ops+production@acme.com");
  });

  it("updates an existing permission set whose duration and policy differ", async () => {
    await scenario(sandbox, { organization: {} });
    const instance = (await worldState(sandbox)).instances[0];
    await new SSOAdminClient(clientConfig(sandbox)).send(
      new CreatePermissionSetCommand({ InstanceArn: instance.InstanceArn, Name: "AdministratorAccess", SessionDuration: "PT1H" }),
    );
    const h = await makeInitHome(sandbox);
    const result = await runInit(h);
    expect(result.code).toBe(0);
    // Plan steps wrap at 80 columns under their own text; read the step as one line.
    const plan = result.stdout.replace(/\n {12}/g, " ");
    expect(plan).toMatch(/~ update {2}Permission set AdministratorAccess .*session duration PT1H → PT12H; attach arn:aws:iam::aws:policy\/AdministratorAccess/);
    const [ps] = (await worldState(sandbox)).permissionSets;
    expect(ps.SessionDuration).toBe("PT12H");
    expect(ps.managedPolicies.map((m) => m.Arn)).toEqual([ADMIN_POLICY]);
    expect((await callLog(sandbox)).filter((c) => c.operation === "CreatePermissionSet")).toHaveLength(1);
  });

  it("finds Identity Center enabled in another region and uses it", async () => {
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: false });
    await scenario(sandbox, { organization: {}, identityCenter: { enabled: true, region: "eu-west-1" } });
    const h = await makeInitHome(sandbox);
    const result = await runInit(h, ["--json"]);
    expect(result.code).toBe(0);
    expect(ownStderr(result.stderr)).toMatch(/enabled in eu-west-1, not us-east-1/);
    expect(JSON.parse(result.stdout).ssoRegion).toBe("eu-west-1");
    const world = await worldState(sandbox);
    expect(world.instances.map((i) => i.region)).toEqual(["eu-west-1"]);
    expect(world.assignments).toHaveLength(3);
    const { configFile } = await loadSharedConfigFiles({ configFilepath: h.configFile, filepath: path.join(h.home, "nope") });
    expect(configFile["sso-session.acme"].sso_region).toBe("eu-west-1");
  });

  it("warns loudly when the caller is the root user", async () => {
    await scenario(sandbox, { caller: "root" });
    const h = await makeInitHome(sandbox);
    const result = await runInit(h);
    expect(result.code).toBe(0);
    expect(ownStderr(result.stderr)).toMatch(/ROOT user/);
    expect(ownStderr(result.stderr)).toMatch(/delete the root access keys/);
  });

  it("refuses to run in a member account and names the management account", async () => {
    await scenario(sandbox, { caller: "member" });
    const h = await makeInitHome(sandbox);
    const result = await runInit(h);
    expect(result.code).toBe(2);
    expect(unwrapped(ownStderr(result.stderr))).toMatch(/member account of organization o-foreign0001.*management account \(999999999999\)/);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
  });

  it("refuses a consolidated-billing-only organization", async () => {
    await scenario(sandbox, { organization: { featureSet: "CONSOLIDATED_BILLING" } });
    const h = await makeInitHome(sandbox);
    const result = await runInit(h);
    expect(result.code).toBe(2);
    expect(unwrapped(ownStderr(result.stderr))).toMatch(/consolidated billing.*all features/);
    expect(ownStderr(result.stderr)).toMatch(/Enable all features/);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
  });

  it("--dry-run prints the plan and changes nothing anywhere", async () => {
    const h = await makeInitHome(sandbox);
    const before = await snapshotFiles(h.home);
    const result = await runInit(h, ["--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\+ create {2}Account acme-dev/);
    expect(result.stdout).toMatch(/Dry run: nothing was changed/);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect(await snapshotFiles(h.home)).toEqual(before);
  });

  it("without a terminal and without --yes, refuses and names the missing flags", async () => {
    const h = await makeInitHome(sandbox);
    const result = await runInit(h, [], ["init", "--org-name", "acme"]);
    expect(result.code).toBe(2);
    expect(unwrapped(ownStderr(result.stderr))).toMatch(/--sso-region, --user-email, --user-given-name, --user-family-name are missing/);
    expect(await callLog(sandbox)).toEqual([]);
  });
});
