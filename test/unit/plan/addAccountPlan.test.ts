import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { addAccountChangesAws, inferEmailTemplate, planAddAccount, validateNewStage, type AddAccountObserved } from "../../../src/plan/addAccountPlan.js";

const observed = (over: Partial<AddAccountObserved> = {}): AddAccountObserved => ({
  managementAccountId: "111111111111",
  accounts: [
    { id: "111111111111", name: "management", email: "owner@acme.com", state: "ACTIVE" },
    { id: "222222222222", name: "acme-dev", email: "aws+dev@acme.com", state: "ACTIVE" },
  ],
  inProgressCreations: [],
  group: { displayName: "Administrators", groupId: "g-1" },
  groupPermissionSets: [
    { name: "ReadOnlyAccess", arn: "arn:ps-ro" },
    { name: "AdministratorAccess", arn: "arn:ps-admin" },
  ],
  assignedInNewAccount: [],
  ...over,
});
const input = { orgName: "acme", stage: "staging", email: "aws+staging@acme.com", adminPermissionSet: "AdministratorAccess" };

describe("validateNewStage", () => {
  it("accepts SST-safe stage names and returns the account and profile name", () => {
    expect(validateNewStage("acme", "qa-1")).toEqual({ stage: "qa-1", accountName: "acme-qa-1", profileName: "acme-qa-1" });
  });
  it.each(["Staging", "qa_1", "1qa", "qa-", "has space", "dev.eu"])("refuses %j", (stage) => {
    expect(() => validateNewStage("acme", stage)).toThrow(UserError);
  });
  it("refuses account names over AWS's 50 characters", () => {
    expect(() => validateNewStage("a".repeat(30), "b".repeat(20))).toThrow(/longer than 50/);
    expect(validateNewStage("a".repeat(29), "b".repeat(20)).accountName).toHaveLength(50);
  });
});

describe("inferEmailTemplate", () => {
  it("recovers init's --account-email template from a stage account", () => {
    expect(inferEmailTemplate([{ stage: "dev", email: "aws+dev@acme.com" }])).toBe("aws+{stage}@acme.com");
  });
  it("is undefined when no email carries its stage", () => {
    expect(inferEmailTemplate([{ stage: "dev", email: "dev-team@acme.com" }])).toBeUndefined();
  });
});

describe("planAddAccount", () => {
  it("plans the account and the group's permission sets, admin first (the profile's role)", () => {
    const plan = planAddAccount(input, observed());
    expect(plan.account).toMatchObject({ status: "create", name: "acme-staging", email: "aws+staging@acme.com" });
    expect(plan.assignments.map((a) => [a.permissionSet, a.status])).toEqual([
      ["AdministratorAccess", "create"],
      ["ReadOnlyAccess", "create"],
    ]);
    expect(plan.roleName).toBe("AdministratorAccess");
    expect(addAccountChangesAws(plan)).toBe(true);
  });

  it("finds everything in place on a re-run", () => {
    const plan = planAddAccount(
      input,
      observed({
        accounts: [...observed().accounts, { id: "333333333333", name: "acme-staging", email: "aws+staging@acme.com", state: "ACTIVE" }],
        assignedInNewAccount: ["arn:ps-admin", "arn:ps-ro"],
      }),
    );
    expect(plan.account).toMatchObject({ status: "exists", accountId: "333333333333" });
    expect(plan.assignments.every((a) => a.status === "exists")).toBe(true);
    expect(addAccountChangesAws(plan)).toBe(false);
  });

  it("waits for a creation an earlier run started instead of starting another", () => {
    const plan = planAddAccount(input, observed({ inProgressCreations: [{ requestId: "car-1", name: "acme-staging" }] }));
    expect(plan.account).toMatchObject({ status: "create", pendingRequestId: "car-1" });
  });

  it("refuses an email that belongs to another account, a closed account, a missing group", () => {
    expect(() => planAddAccount({ ...input, email: "aws+dev@acme.com" }, observed())).toThrow(/already belongs to account acme-dev/);
    expect(() =>
      planAddAccount(input, observed({ accounts: [{ id: "333333333333", name: "acme-staging", email: "aws+staging@acme.com", state: "SUSPENDED" }] })),
    ).toThrow(/SUSPENDED/);
    expect(() => planAddAccount(input, observed({ group: undefined }))).toThrow(/admin group was not found/);
    expect(() => planAddAccount(input, observed({ groupPermissionSets: [] }))).toThrow(/nothing to copy/);
  });
});
