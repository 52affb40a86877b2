/**
 * `guardrails` end to end on the emulated AWS, after an unattended `init` (stages dev and
 * production): each guardrail alone and all together, the re-run that makes no mutating call
 * (the emulator's call log), `--remove`, an SCP of someone else's left alone, a full root
 * explained, and deny-leave proven: a member account's LeaveOrganization (AssumeRole
 * credentials) is denied once the guardrail is in place.
 */
import { AttachPolicyCommand, CreatePolicyCommand, LeaveOrganizationCommand, ListRootsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { callLog, clientConfig, control, scenario, worldState } from "../helpers/sandbox.js";
import { runInit } from "./initHarness.js";


describe("guardrails end to end", () => {
  const setup = useDayTwoSetup();
  const guardrails = (args: string[]) => runCli(["guardrails", ...args], setup.h.env, setup.h.project);
  const mutating = async () => (await callLog(setup.sandbox)).filter((c) => c.mutating && c.status === 200).map((c) => c.operation);
  const accountId = async (name: string) => (await worldState(setup.sandbox)).accounts.find((a) => a.Name === name)!.Id;

  it("puts deny-leave, a regions SCP and budgets in place together; a re-run makes no change; a member account cannot leave", async () => {
    const first = await guardrails(["--deny-leave", "--regions", "eu-west-1", "--budget", "dev=50,production=500", "--budget-email", "billing@acme.com", "--yes"]);
    expect(first.code, ownStderr(first.stderr)).toBe(0);
    expect(first.stdout).toMatch(/\+ create\s+SCP org-bootstrap-deny-leave/);
    expect(first.stdout).toMatch(/Allowed regions: us-east-1, eu-west-1/);
    expect(first.stdout).toMatch(/Never denied, in any region .*iam:\*/s);
    expect((await mutating()).sort()).toEqual(["AttachPolicy", "AttachPolicy", "CreateBudget", "CreateBudget", "CreatePolicy", "CreatePolicy", "EnablePolicyType"]);

    const world = await worldState(setup.sandbox);
    const ours = world.policies.filter((p) => p.Name.startsWith("org-bootstrap-"));
    expect(ours.map((p) => p.Name).sort()).toEqual(["org-bootstrap-deny-leave", "org-bootstrap-regions"]);
    const rootId = world.organization!.rootId;
    for (const p of ours) {
      expect(p.targets).toEqual([rootId]);
      expect(p.tags).toEqual([{ Key: "managed-by", Value: "org-bootstrap" }]);
    }
    const regions = JSON.parse(ours.find((p) => p.Name === "org-bootstrap-regions")!.Content);
    expect(regions.Statement[0].Condition).toEqual({ StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } });
    expect(world.policies.find((p) => p.Id === "p-FullAWSAccess")!.targets).toContain(rootId);
    const dev = await accountId("acme-dev");
    const budgets = world.budgets.map((b) => ({ name: (b.budget as { BudgetName: string }).BudgetName, limit: (b.budget as { BudgetLimit: unknown }).BudgetLimit, filter: (b.budget as { FilterExpression: unknown }).FilterExpression, account: b.accountId }));
    expect(budgets).toContainEqual({ name: "org-bootstrap-dev", limit: { Amount: "50", Unit: "USD" }, filter: { Dimensions: { Key: "LINKED_ACCOUNT", Values: [dev] } }, account: "111111111111" });
    expect(world.budgets.find((b) => (b.budget as { BudgetName: string }).BudgetName === "org-bootstrap-production")!.notifications.map((n) => [n.notification.NotificationType, n.notification.Threshold, n.subscribers[0].Address])).toEqual([
      ["ACTUAL", 80, "billing@acme.com"],
      ["FORECASTED", 100, "billing@acme.com"],
    ]);

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await guardrails(["--deny-leave", "--regions", "eu-west-1", "--budget", "dev=50,production=500", "--budget-email", "billing@acme.com", "--yes", "--json"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await mutating()).toEqual([]);
    const summary = JSON.parse(again.stdout);
    expect(summary.changed).toBe(false);
    expect(summary.steps.every((s: { action: string }) => s.action === "exists")).toBe(true);

    const status = await runCli(["status"], setup.h.env, setup.h.project);
    expect(status.code, ownStderr(status.stderr)).toBe(0);
    expect(status.stdout).toMatch(/deny-leave\s+in place/);
    expect(status.stdout).toMatch(/budget\s+in place\s+dev 50 USD, production 500 USD/);

    // The guardrail does what it says: the member account's own LeaveOrganization is denied.
    await scenario(setup.sandbox, { caller: "iam-user" });
    const sts = new STSClient(clientConfig(setup.sandbox));
    const creds = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${dev}:role/OrganizationAccountAccessRole`, RoleSessionName: "leaver" }))).Credentials!;
    const member = new OrganizationsClient({ ...clientConfig(setup.sandbox), credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! } });
    await expect(member.send(new LeaveOrganizationCommand({}))).rejects.toMatchObject({ name: "AccessDeniedException", message: expect.stringContaining("explicit deny in a service control policy") });
  });

  it("--remove takes out only ours; someone else's SCP on the root is reported and left; a full root is explained before any change", async () => {
    const orgs = new OrganizationsClient(clientConfig(setup.sandbox));
    const first = await guardrails(["--deny-leave", "--regions", "eu-west-1", "--yes"]);
    expect(first.code, ownStderr(first.stderr)).toBe(0);
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    const theirs = (await orgs.send(new CreatePolicyCommand({ Name: "security-team", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}' }))).Policy!.PolicySummary!.Id!;
    await orgs.send(new AttachPolicyCommand({ PolicyId: theirs, TargetId: rootId }));

    await control(setup.sandbox, "DELETE", "/calls");
    const removed = await guardrails(["--remove", "regions", "--yes"]);
    expect(removed.code, ownStderr(removed.stderr)).toBe(0);
    expect(removed.stdout).toMatch(/- remove\s+SCP org-bootstrap-regions detached/);
    expect(await mutating()).toEqual(["DetachPolicy", "DeletePolicy"]);
    const world = await worldState(setup.sandbox);
    expect(world.policies.map((p) => p.Name).sort()).toEqual(["FullAWSAccess", "org-bootstrap-deny-leave", "security-team"]);

    // Root: FullAWSAccess, deny-leave, security-team and two more of theirs = 5; regions cannot go on.
    for (const n of [1, 2]) {
      const id = (await orgs.send(new CreatePolicyCommand({ Name: `team-${n}`, Description: "", Type: "SERVICE_CONTROL_POLICY", Content: '{"Statement":[{"Effect":"Deny","Action":"ec2:*","Resource":"*"}]}' }))).Policy!.PolicySummary!.Id!;
      await orgs.send(new AttachPolicyCommand({ PolicyId: id, TargetId: rootId }));
    }
    await control(setup.sandbox, "DELETE", "/calls");
    const full = await guardrails(["--deny-leave", "--regions", "eu-west-1", "--yes"]);
    expect(full.code).toBe(2);
    expect(unwrapped(full.stdout)).toMatch(/The SCP security-team \(p-\w+\) on the root is not org-bootstrap's: left as it is/);
    expect(full.stdout).toMatch(/! blocked/);
    expect(unwrapped(full.stderr)).toMatch(/already has 5 service control policies, AWS's maximum \(FullAWSAccess, org-bootstrap-deny-leave, security-team, team-1, team-2\)/);
    expect(await mutating()).toEqual([]);
  });

  it("central-root: trusted access for IAM, then root credentials management and root sessions; a re-run changes nothing; --remove disables both", async () => {
    const first = await guardrails(["--central-root", "--yes"]);
    expect(first.code, ownStderr(first.stderr)).toBe(0);
    expect(unwrapped(first.stdout)).toMatch(/member accounts' root credentials can be removed/);
    expect(await mutating()).toEqual(["EnableAWSServiceAccess", "EnableOrganizationsRootCredentialsManagement", "EnableOrganizationsRootSessions"]);
    expect((await worldState(setup.sandbox)).serviceAccess).toContain("iam.amazonaws.com");
    await control(setup.sandbox, "DELETE", "/calls");
    const again = await guardrails(["--central-root", "--yes"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await mutating()).toEqual([]);
    const status = await runCli(["status"], setup.h.env, setup.h.project);
    expect(status.stdout).toMatch(/central-root\s+in place/);
    const removed = await guardrails(["--remove", "central-root", "--yes"]);
    expect(removed.code, ownStderr(removed.stderr)).toBe(0);
    expect(await mutating()).toEqual(["DisableOrganizationsRootSessions", "DisableOrganizationsRootCredentialsManagement"]);
  });
});

describe("init's last question", () => {
  const setup = useDayTwoSetup({ init: false });

  it("--guardrails recommended puts deny-leave, central root access and 100 USD budgets in place, in init's JSON; unattended default is none", async () => {
    const r = await runInit(setup.h, ["--guardrails", "recommended", "--json"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.guardrails.changed).toBe(true);
    expect(summary.guardrails.steps.map((s: { guardrail: string }) => s.guardrail)).toEqual(expect.arrayContaining(["deny-leave", "central-root", "budget"]));
    const world = await worldState(setup.sandbox);
    expect(world.policies.find((p) => p.Name === "org-bootstrap-deny-leave")!.targets).toEqual([world.organization!.rootId]);
    expect(world.organizationsRootFeatures).toEqual(["RootCredentialsManagement", "RootSessions"]);
    expect(world.budgets.map((b) => [(b.budget as { BudgetName: string }).BudgetName, (b.budget as { BudgetLimit: { Amount: string } }).BudgetLimit.Amount, b.notifications[0].subscribers[0].Address]).sort()).toEqual([
      ["org-bootstrap-dev", "100", "owner@example.com"],
      ["org-bootstrap-production", "100", "owner@example.com"],
    ]);

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await runInit(setup.h);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(again.stdout).toMatch(/org-bootstrap guardrails/);
    const calls = await callLog(setup.sandbox);
    expect(calls.filter((c) => c.mutating)).toEqual([]);
    expect(calls.filter((c) => c.service === "budgets" || (c.service === "organizations" && c.operation.includes("Polic")))).toEqual([]);
  });
});
