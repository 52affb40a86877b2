import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { answers } from "./fixtures.js";
import { desiredSetup } from "../../../src/plan/desired.js";
import { planChangesAws, planInit, stepsOf, type ObservedSetup } from "../../../src/plan/initPlan.js";

const desired = desiredSetup(answers, "owner@acme.com");
const ADMIN_ARN = "arn:aws:sso:::permissionSet/ssoins-1/ps-admin";

const fresh: ObservedSetup = {
  caller: { accountId: "111111111111", arn: "arn:aws:iam::111111111111:user/admin", isRoot: false },
  accounts: [],
  inProgressCreations: [],
  permissionSets: [],
  groupAssignedAccountIds: [],
};

const finished: ObservedSetup = {
  ...fresh,
  organization: { id: "o-abc", featureSet: "ALL", managementAccountId: "111111111111", managementAccountEmail: "owner@acme.com" },
  instance: { instanceArn: "arn:aws:sso:::instance/ssoins-1", identityStoreId: "d-1234567890", status: "ACTIVE", region: "us-east-1" },
  accounts: [
    { id: "111111111111", name: "management", email: "owner@acme.com", state: "ACTIVE" },
    { id: "222222222222", name: "acme-dev", email: "owner+dev@acme.com", state: "ACTIVE" },
    { id: "333333333333", name: "acme-production", email: "owner+production@acme.com", state: "ACTIVE" },
  ],
  permissionSets: [{ arn: ADMIN_ARN, name: "AdministratorAccess", sessionDuration: "PT12H", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }],
  groupId: "g-1",
  userId: "u-1",
  membershipId: "m-1",
  groupAssignedAccountIds: ["111111111111", "222222222222", "333333333333"],
};

describe("planInit", () => {
  it("plans everything as create on a fresh account, in dependency order", () => {
    const plan = planInit(desired, fresh);
    expect(plan.steps.map((s) => `${s.kind}:${s.status}`)).toEqual([
      "organization:create",
      "identity-center:create",
      "account:create",
      "account:create",
      "permission-set:create",
      "group:create",
      "user:create",
      "membership:create",
      "assignment:create",
      "assignment:create",
      "assignment:create",
    ]);
    expect(stepsOf(plan, "assignment").map((a) => a.target)).toEqual(["management", "dev", "production"]);
    expect(planChangesAws(plan)).toBe(true);
  });

  it("plans only 'exists' on a finished setup", () => {
    const plan = planInit(desired, finished);
    expect(plan.steps.every((s) => s.status === "exists")).toBe(true);
    expect(planChangesAws(plan)).toBe(false);
    expect(stepsOf(plan, "account").map((a) => a.accountId)).toEqual(["222222222222", "333333333333"]);
  });

  it("finds an existing account by email even when its name differs", () => {
    const observed = { ...finished, accounts: [{ id: "444444444444", name: "Dev (old)", email: "OWNER+dev@acme.com", state: "ACTIVE" }] };
    const [dev, prod] = stepsOf(planInit(desired, observed), "account");
    expect(dev).toMatchObject({ status: "exists", accountId: "444444444444", foundBy: "email", name: "Dev (old)" });
    expect(prod).toMatchObject({ status: "create" });
  });

  it("finds an existing account by name", () => {
    const observed = { ...finished, accounts: [{ id: "555555555555", name: "acme-dev", email: "someone@else.com", state: "ACTIVE" }] };
    expect(stepsOf(planInit(desired, observed), "account")[0]).toMatchObject({ status: "exists", foundBy: "name", accountId: "555555555555" });
  });

  it("waits for a creation an earlier run started instead of starting another", () => {
    const observed = { ...finished, accounts: [], inProgressCreations: [{ requestId: "car-1", name: "acme-dev" }] };
    expect(stepsOf(planInit(desired, observed), "account")[0]).toMatchObject({ status: "create", pendingRequestId: "car-1" });
  });

  it("does not create again a stage close-account closed, and says how to have it back", () => {
    const observed = { ...finished, accounts: [{ id: "666666666666", name: "acme-dev", email: "owner+dev@acme.com", state: "SUSPENDED" }] };
    const plan = planInit(desired, observed);
    expect(stepsOf(plan, "account").map((a) => a.stage)).toEqual(["production"]);
    expect(plan.desired.accounts.map((a) => a.stage)).toEqual(["production"]);
    expect(plan.warnings.join("\n")).toMatch(/Stage dev: account acme-dev \(666666666666\) is SUSPENDED.*org-bootstrap add-account dev/);
  });

  it("finds the new account of a stage closed and added again (two accounts share the name)", () => {
    const observed = {
      ...finished,
      accounts: [
        { id: "666666666666", name: "acme-dev", email: "owner+dev@acme.com", state: "SUSPENDED" },
        { id: "777777777777", name: "acme-dev", email: "owner+dev-2@acme.com", state: "ACTIVE" },
      ],
    };
    expect(stepsOf(planInit(desired, observed), "account")[0]).toMatchObject({ status: "exists", accountId: "777777777777", foundBy: "name" });
  });

  it("keeps the organization's other ACTIVE <org>-<stage> accounts as stages (added by add-account)", () => {
    const observed = {
      ...finished,
      accounts: [
        { id: "111111111111", name: "acme-management", email: "owner@acme.com", state: "ACTIVE" },
        { id: "888888888888", name: "acme-qa", email: "owner+qa@acme.com", state: "ACTIVE" },
        { id: "999999999999", name: "acme-old", email: "owner+old@acme.com", state: "SUSPENDED" },
        { id: "123123123123", name: "acme-Not A Stage", email: "x@acme.com", state: "ACTIVE" },
        { id: "321321321321", name: "other-qa", email: "y@acme.com", state: "ACTIVE" },
      ],
      groupAssignedAccountIds: ["111111111111", "888888888888"],
    };
    const plan = planInit(desired, observed);
    expect(stepsOf(plan, "account").map((a) => [a.stage, a.status, a.foundBy ?? ""])).toEqual([
      ["dev", "create", ""],
      ["production", "create", ""],
      ["qa", "exists", "organization"],
    ]);
    expect(plan.desired.accounts.map((a) => a.stage)).toEqual(["dev", "production", "qa"]);
    expect(stepsOf(plan, "assignment").find((a) => a.target === "qa")).toMatchObject({ status: "exists", accountId: "888888888888" });
  });

  it("plans an update when the permission set's duration or policy differs", () => {
    const observed = { ...finished, permissionSets: [{ arn: ADMIN_ARN, name: "AdministratorAccess", sessionDuration: "PT1H", managedPolicyArns: [] }] };
    const [ps] = stepsOf(planInit(desired, observed), "permission-set");
    expect(ps.status).toBe("update");
    expect(ps.changes).toEqual(["session duration PT1H → PT12H", "attach arn:aws:iam::aws:policy/AdministratorAccess"]);
  });

  it("creates only the missing assignments", () => {
    const observed = { ...finished, groupAssignedAccountIds: ["111111111111"] };
    const assignments = stepsOf(planInit(desired, observed), "assignment");
    expect(assignments.map((a) => a.status)).toEqual(["exists", "create", "create"]);
  });

  it("warns loudly about the root user", () => {
    const plan = planInit(desired, { ...fresh, caller: { accountId: "111111111111", arn: "arn:aws:iam::111111111111:root", isRoot: true } });
    expect(plan.warnings.join(" ")).toMatch(/ROOT user/);
  });

  it("refuses a member account of another organization and names the management account", () => {
    const observed = { ...finished, caller: { accountId: "222222222222", arn: "arn:aws:iam::222222222222:user/dev", isRoot: false } };
    expect(() => planInit(desired, observed)).toThrow(UserError);
    expect(() => planInit(desired, observed)).toThrow(/management account \(111111111111\)/);
  });

  it("refuses a consolidated-billing-only organization", () => {
    const observed = { ...finished, organization: { ...finished.organization!, featureSet: "CONSOLIDATED_BILLING" as const } };
    expect(() => planInit(desired, observed)).toThrow(/consolidated billing/);
  });

  it("uses the region where Identity Center already is, with a warning", () => {
    const observed = { ...finished, instance: { ...finished.instance!, region: "eu-west-1" } };
    const plan = planInit(desired, observed);
    expect(stepsOf(plan, "identity-center")[0]).toMatchObject({ status: "exists", region: "eu-west-1" });
    expect(plan.warnings.join(" ")).toMatch(/eu-west-1/);
  });

  it("adds a stage account for every extra stage", () => {
    const d = desiredSetup({ ...answers, stages: ["dev", "staging", "production"] }, "owner@acme.com");
    const plan = planInit(d, finished);
    expect(stepsOf(plan, "account").map((a) => `${a.name}:${a.status}`)).toEqual(["acme-dev:exists", "acme-staging:create", "acme-production:exists"]);
    expect(stepsOf(plan, "assignment").map((a) => `${a.target}:${a.status}`)).toEqual(["management:exists", "dev:exists", "staging:create", "production:exists"]);
  });
});

describe("account emails before the organization exists", () => {
  it("plans placeholder emails, filled in from the management email once the organization is created", async () => {
    const { resolvePendingEmails } = await import("../../../src/plan/initPlan.js");
    const pendingDesired = desiredSetup(answers, undefined);
    const plan = planInit(pendingDesired, fresh);
    expect(stepsOf(plan, "account")[0].email).toMatch(/^<management account email>\+dev$/);
    const resolved = resolvePendingEmails(plan, "boss@acme.io");
    expect(stepsOf(resolved, "account").map((a) => a.email)).toEqual(["boss+dev@acme.io", "boss+production@acme.io"]);
    expect(resolved.desired.accounts.map((a) => a.email)).toEqual(["boss+dev@acme.io", "boss+production@acme.io"]);
  });
});
