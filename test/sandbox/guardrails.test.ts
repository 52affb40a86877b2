import {
  AttachPolicyCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  DisablePolicyTypeCommand,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  LeaveOrganizationCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
  UpdatePolicyCommand,
  paginateListPolicies,
} from "@aws-sdk/client-organizations";
import {
  BudgetsClient,
  CreateBudgetCommand,
  CreateNotificationCommand,
  DeleteBudgetCommand,
  DescribeBudgetCommand,
  DescribeBudgetsCommand,
  DescribeNotificationsForBudgetCommand,
  UpdateBudgetCommand,
  type Budget,
} from "@aws-sdk/client-budgets";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { EnableOrganizationsRootCredentialsManagementCommand, EnableOrganizationsRootSessionsCommand, IAMClient, ListOrganizationsFeaturesCommand } from "@aws-sdk/client-iam";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { clientConfig, openSandbox, scenario } from "../helpers/sandbox.js";

const DENY_LEAVE = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: ["organizations:LeaveOrganization"], Resource: "*" }] });

describe("emulated Organizations policies", () => {
  let sandbox: Sandbox;
  let orgs: OrganizationsClient;
  beforeAll(async () => {
    sandbox = await openSandbox();
    orgs = new OrganizationsClient(clientConfig(sandbox));
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const setUp = async () => {
    await scenario(sandbox, { caller: "iam-user", organization: {}, accounts: [{ name: "acme-dev", email: "dev@example.com" }] });
    const rootId = (await orgs.send(new ListRootsCommand({}))).Roots![0].Id!;
    const devId = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!.Id;
    return { rootId, devId };
  };
  const enableScps = async (rootId: string) => {
    const answer = await orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: "SERVICE_CONTROL_POLICY" }));
    expect(answer.Root!.PolicyTypes).toEqual([{ Type: "SERVICE_CONTROL_POLICY", Status: "PENDING_ENABLE" }]);
  };
  const createDenyLeave = () =>
    orgs
      .send(
        new CreatePolicyCommand({
          Name: "org-bootstrap-deny-leave",
          Description: "",
          Type: "SERVICE_CONTROL_POLICY",
          Content: DENY_LEAVE,
          Tags: [{ Key: "managed-by", Value: "org-bootstrap" }],
        }),
      )
      .then((r) => r.Policy!.PolicySummary!);

  it("enables SCPs on the root (PENDING_ENABLE, then ENABLED in ListRoots) and attaches FullAWSAccess to the root and every account", async () => {
    const { rootId, devId } = await setUp();
    expect((await orgs.send(new ListRootsCommand({}))).Roots![0].PolicyTypes).toEqual([]);
    await expect(orgs.send(new CreatePolicyCommand({ Name: "x", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: DENY_LEAVE }))).resolves.toBeDefined();
    sandbox.state.timings.policyTypeMs = 300;
    await enableScps(rootId);
    expect((await orgs.send(new ListRootsCommand({}))).Roots![0].PolicyTypes).toEqual([{ Type: "SERVICE_CONTROL_POLICY", Status: "PENDING_ENABLE" }]);
    await expect(orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: "SERVICE_CONTROL_POLICY" }))).rejects.toMatchObject({
      name: "PolicyTypeAlreadyEnabledException",
    });
    await new Promise((r) => setTimeout(r, 320));
    expect((await orgs.send(new ListRootsCommand({}))).Roots![0].PolicyTypes).toEqual([{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }]);
    for (const target of [rootId, devId]) {
      const attached = await orgs.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: "SERVICE_CONTROL_POLICY" }));
      expect(attached.Policies!.map((p) => [p.Id, p.Name, p.AwsManaged])).toEqual([["p-FullAWSAccess", "FullAWSAccess", true]]);
    }
    const targets = await orgs.send(new ListTargetsForPolicyCommand({ PolicyId: "p-FullAWSAccess", MaxResults: 20 }));
    expect(targets.Targets!.map((t) => t.Type)).toContain("ROOT");
  });

  it("refuses attaching before the type is enabled, and checks content, names, duplicates, limits and in-use deletes", async () => {
    const { rootId } = await setUp();
    const policy = await createDenyLeave();
    expect(policy.Id).toMatch(/^p-[0-9a-z]{10}$/);
    expect(policy.Arn).toMatch(/^arn:aws:organizations::111111111111:policy\/o-[a-z0-9]{10}\/service_control_policy\/p-/);
    await expect(orgs.send(new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }))).rejects.toMatchObject({ name: "PolicyTypeNotEnabledException" });
    await enableScps(rootId);
    await expect(createDenyLeave()).rejects.toMatchObject({ name: "DuplicatePolicyException" });
    await expect(
      orgs.send(new CreatePolicyCommand({ Name: "bad", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: "{not json" })),
    ).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    await expect(
      orgs.send(new CreatePolicyCommand({ Name: "big", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "x:*", Sid: "a".repeat(5200) }] }) })),
    ).rejects.toMatchObject({ name: "ConstraintViolationException", Reason: "POLICY_CONTENT_LIMIT_EXCEEDED" });
    await orgs.send(new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }));
    await expect(orgs.send(new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }))).rejects.toMatchObject({ name: "DuplicatePolicyAttachmentException" });
    await expect(orgs.send(new DeletePolicyCommand({ PolicyId: policy.Id }))).rejects.toMatchObject({ name: "PolicyInUseException" });
    // FullAWSAccess + ours + three more make five; a sixth is refused.
    for (const n of [1, 2, 3]) {
      const p = await orgs.send(new CreatePolicyCommand({ Name: `other-${n}`, Description: "d", Type: "SERVICE_CONTROL_POLICY", Content: DENY_LEAVE }));
      await orgs.send(new AttachPolicyCommand({ PolicyId: p.Policy!.PolicySummary!.Id, TargetId: rootId }));
    }
    const sixth = await orgs.send(new CreatePolicyCommand({ Name: "sixth", Description: "", Type: "SERVICE_CONTROL_POLICY", Content: DENY_LEAVE }));
    await expect(orgs.send(new AttachPolicyCommand({ PolicyId: sixth.Policy!.PolicySummary!.Id, TargetId: rootId }))).rejects.toMatchObject({
      name: "ConstraintViolationException",
      Reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    });
    const names: string[] = [];
    for await (const page of paginateListPolicies({ client: orgs }, { Filter: "SERVICE_CONTROL_POLICY" })) names.push(...page.Policies!.map((p) => p.Name!));
    expect(names.sort()).toEqual(["FullAWSAccess", "org-bootstrap-deny-leave", "other-1", "other-2", "other-3", "sixth"]);
    const tags = await orgs.send(new ListTagsForResourceCommand({ ResourceId: policy.Id }));
    expect(tags.Tags).toEqual([{ Key: "managed-by", Value: "org-bootstrap" }]);
  });

  it("updates and detaches our policy, never the last SCP of a target, never an AWS-managed one; disabling detaches every SCP", async () => {
    const { rootId } = await setUp();
    await enableScps(rootId);
    const policy = await createDenyLeave();
    await orgs.send(new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }));
    const updated = await orgs.send(new UpdatePolicyCommand({ PolicyId: policy.Id, Description: "new" }));
    expect(updated.Policy!.PolicySummary!.Description).toBe("new");
    expect((await orgs.send(new DescribePolicyCommand({ PolicyId: policy.Id }))).Policy!.Content).toBe(DENY_LEAVE);
    await expect(orgs.send(new UpdatePolicyCommand({ PolicyId: "p-FullAWSAccess", Description: "x" }))).rejects.toMatchObject({ name: "AccessDeniedException" });
    await orgs.send(new DetachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }));
    await expect(orgs.send(new DetachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }))).rejects.toMatchObject({ name: "PolicyNotAttachedException" });
    await expect(orgs.send(new DetachPolicyCommand({ PolicyId: "p-FullAWSAccess", TargetId: rootId }))).rejects.toMatchObject({
      name: "ConstraintViolationException",
      Reason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    });
    await orgs.send(new DeletePolicyCommand({ PolicyId: policy.Id }));
    await expect(orgs.send(new DescribePolicyCommand({ PolicyId: policy.Id }))).rejects.toMatchObject({ name: "PolicyNotFoundException" });
    await orgs.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: "SERVICE_CONTROL_POLICY" }));
    expect((await orgs.send(new ListRootsCommand({}))).Roots![0].PolicyTypes).toEqual([]);
    await expect(orgs.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: "SERVICE_CONTROL_POLICY" }))).rejects.toMatchObject({
      name: "PolicyTypeNotEnabledException",
    });
  });

  it("enforces deny-leave: a member account's LeaveOrganization (AssumeRole credentials) is denied once the SCP is on the root", async () => {
    const { rootId, devId } = await setUp();
    const sts = new STSClient(clientConfig(sandbox));
    const creds = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${devId}:role/OrganizationAccountAccessRole`, RoleSessionName: "test" }))).Credentials!;
    const member = new OrganizationsClient({
      ...clientConfig(sandbox),
      credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! },
    });
    // Without the SCP the call is allowed; AWS then refuses a four-day-old created account for its own reason.
    await expect(member.send(new LeaveOrganizationCommand({}))).rejects.toMatchObject({ name: "ConstraintViolationException", Reason: "WAIT_PERIOD_ACTIVE" });
    await expect(orgs.send(new LeaveOrganizationCommand({}))).rejects.toMatchObject({ name: "MasterCannotLeaveOrganizationException" });
    await enableScps(rootId);
    const policy = await createDenyLeave();
    await orgs.send(new AttachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }));
    const denied = await member.send(new LeaveOrganizationCommand({})).catch((e: unknown) => e as Error);
    expect(denied).toMatchObject({ name: "AccessDeniedException" });
    expect((denied as Error).message).toContain("explicit deny in a service control policy");
    // The member cannot manage policies either.
    await expect(member.send(new DetachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }))).rejects.toMatchObject({ name: "AccessDeniedException" });
    // Detached, the leave is judged on its own again, and once old enough it goes through.
    await orgs.send(new DetachPolicyCommand({ PolicyId: policy.Id, TargetId: rootId }));
    sandbox.state.accounts.get(devId)!.JoinedTimestamp -= 5 * 24 * 3600 * 1000;
    await member.send(new LeaveOrganizationCommand({}));
    expect(sandbox.state.accounts.has(devId)).toBe(false);
  });
});

describe("emulated AWS Budgets", () => {
  let sandbox: Sandbox;
  let budgets: BudgetsClient;
  beforeAll(async () => {
    sandbox = await openSandbox({ maxPageSize: 2 });
    budgets = new BudgetsClient(clientConfig(sandbox));
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const AccountId = "111111111111";
  const budget = (name: string, amount = "50"): Budget => ({
    BudgetName: name,
    BudgetType: "COST",
    TimeUnit: "MONTHLY",
    BudgetLimit: { Amount: amount, Unit: "USD" },
    FilterExpression: { Dimensions: { Key: "LINKED_ACCOUNT", Values: ["222222222222"] } },
    Metrics: ["UnblendedCost"],
  });
  const alerts = [
    { Notification: { NotificationType: "ACTUAL" as const, ComparisonOperator: "GREATER_THAN" as const, Threshold: 80, ThresholdType: "PERCENTAGE" as const }, Subscribers: [{ SubscriptionType: "EMAIL" as const, Address: "owner@example.com" }] },
    { Notification: { NotificationType: "FORECASTED" as const, ComparisonOperator: "GREATER_THAN" as const, Threshold: 100, ThresholdType: "PERCENTAGE" as const }, Subscribers: [{ SubscriptionType: "EMAIL" as const, Address: "owner@example.com" }] },
  ];

  it("creates a filtered monthly cost budget with its alerts, describes, pages, updates and deletes it", async () => {
    await budgets.send(new CreateBudgetCommand({ AccountId, Budget: budget("org-bootstrap-dev"), NotificationsWithSubscribers: alerts, ResourceTags: [{ Key: "managed-by", Value: "org-bootstrap" }] }));
    await expect(budgets.send(new CreateBudgetCommand({ AccountId, Budget: budget("org-bootstrap-dev") }))).rejects.toMatchObject({ name: "DuplicateRecordException" });
    const described = await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: "org-bootstrap-dev", ShowFilterExpression: true }));
    expect(described.Budget).toMatchObject({ BudgetLimit: { Amount: "50", Unit: "USD" }, FilterExpression: { Dimensions: { Key: "LINKED_ACCOUNT", Values: ["222222222222"] } } });
    expect((await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: "org-bootstrap-dev" }))).Budget!.FilterExpression).toBeUndefined();
    const notes = await budgets.send(new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName: "org-bootstrap-dev" }));
    expect(notes.Notifications!.map((n) => `${n.NotificationType} ${n.Threshold}`)).toEqual(["ACTUAL 80", "FORECASTED 100"]);
    for (const name of ["b", "c"]) await budgets.send(new CreateBudgetCommand({ AccountId, Budget: budget(name) }));
    const first = await budgets.send(new DescribeBudgetsCommand({ AccountId }));
    expect(first.Budgets).toHaveLength(2);
    const second = await budgets.send(new DescribeBudgetsCommand({ AccountId, NextToken: first.NextToken }));
    expect([...first.Budgets!, ...second.Budgets!].map((b) => b.BudgetName)).toEqual(["org-bootstrap-dev", "b", "c"]);
    await budgets.send(new UpdateBudgetCommand({ AccountId, NewBudget: budget("org-bootstrap-dev", "75") }));
    expect((await budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: "org-bootstrap-dev" }))).Budget!.BudgetLimit!.Amount).toBe("75");
    await expect(budgets.send(new CreateNotificationCommand({ AccountId, BudgetName: "org-bootstrap-dev", ...alerts[0] }))).rejects.toMatchObject({ name: "DuplicateRecordException" });
    await budgets.send(new DeleteBudgetCommand({ AccountId, BudgetName: "org-bootstrap-dev" }));
    await expect(budgets.send(new DescribeBudgetCommand({ AccountId, BudgetName: "org-bootstrap-dev" }))).rejects.toMatchObject({ name: "NotFoundException" });
    await expect(budgets.send(new UpdateBudgetCommand({ AccountId, NewBudget: budget("missing") }))).rejects.toMatchObject({ name: "NotFoundException" });
  });

  it("refuses AWS's bad input: names with ':' , no limit, both filter styles, too many subscribers, another account", async () => {
    const refused = (input: ConstructorParameters<typeof CreateBudgetCommand>[0]) => budgets.send(new CreateBudgetCommand(input)).catch((e: Error) => e.name);
    expect(await refused({ AccountId, Budget: budget("a:b") })).toBe("InvalidParameterException");
    expect(await refused({ AccountId, Budget: { ...budget("x"), BudgetLimit: undefined } })).toBe("InvalidParameterException");
    expect(await refused({ AccountId, Budget: { ...budget("x"), CostFilters: { LinkedAccount: ["222222222222"] } } })).toBe("InvalidParameterException");
    expect(await refused({ AccountId, Budget: { ...budget("x"), BudgetLimit: { Amount: "-5", Unit: "USD" } } })).toBe("InvalidParameterException");
    const eleven = Array.from({ length: 11 }, (_, i) => ({ SubscriptionType: "EMAIL" as const, Address: `p${i}@example.com` }));
    expect(await refused({ AccountId, Budget: budget("x"), NotificationsWithSubscribers: [{ Notification: alerts[0].Notification, Subscribers: eleven }] })).toBe("CreationLimitExceededException");
    expect(await refused({ AccountId, Budget: budget("x"), NotificationsWithSubscribers: [{ Notification: alerts[0].Notification, Subscribers: [{ SubscriptionType: "EMAIL", Address: "not-an-email" }] }] })).toBe(
      "InvalidParameterException",
    );
    expect(await refused({ AccountId: "222222222222", Budget: budget("x") })).toBe("AccessDeniedException");
    expect(sandbox.state.budgets?.get(AccountId)?.size ?? 0).toBe(0);
  });
});

describe("emulated IAM organization root features", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  it("needs an organization, then trusted access for IAM; then enables both features; a member account may not", async () => {
    const iam = new IAMClient(clientConfig(sandbox));
    const orgs = new OrganizationsClient(clientConfig(sandbox));
    await expect(iam.send(new ListOrganizationsFeaturesCommand({}))).rejects.toMatchObject({ name: "OrganizationNotFoundException" });
    await orgs.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    await expect(iam.send(new EnableOrganizationsRootCredentialsManagementCommand({}))).rejects.toMatchObject({ name: "ServiceAccessNotEnabledException" });
    await orgs.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "iam.amazonaws.com" }));
    expect((await iam.send(new ListOrganizationsFeaturesCommand({}))).EnabledFeatures).toEqual([]);
    await iam.send(new EnableOrganizationsRootSessionsCommand({}));
    const after = await iam.send(new EnableOrganizationsRootCredentialsManagementCommand({}));
    expect(after.EnabledFeatures).toEqual(["RootCredentialsManagement", "RootSessions"]);
    expect(after.OrganizationId).toBe(sandbox.state.organization!.Id);

    await scenario(sandbox, { caller: "iam-user", accounts: [{ name: "acme-dev", email: "dev@example.com" }] });
    const devId = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!.Id;
    const creds = (await new STSClient(clientConfig(sandbox)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${devId}:role/OrganizationAccountAccessRole`, RoleSessionName: "member" }))).Credentials!;
    const member = new IAMClient({ ...clientConfig(sandbox), credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! } });
    await expect(member.send(new EnableOrganizationsRootSessionsCommand({}))).rejects.toMatchObject({ name: "CallerIsNotManagementAccountException" });
  });
});
