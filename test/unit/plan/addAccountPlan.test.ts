import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { addAccountChangesAws, defaultAccountEmail, inferEmailTemplate, planAddAccount, validateNewStage, type AddAccountObserved } from "../../../src/plan/addAccountPlan.js";

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

  it("creates a new account for a stage whose account was closed: the name does not block, the email needs a suffix", () => {
    const closed = { id: "333333333333", name: "acme-staging", email: "aws+staging@acme.com", state: "SUSPENDED" };
    const accounts = [...observed().accounts, closed];
    const chosen = defaultAccountEmail("aws+staging@acme.com", "acme-staging", accounts);
    expect(chosen).toEqual({ email: "aws+staging-2@acme.com", heldBy: closed });
    const plan = planAddAccount({ ...input, email: chosen.email }, observed({ accounts }));
    expect(plan.account).toMatchObject({ status: "create", name: "acme-staging", email: "aws+staging-2@acme.com" });

    // Closed twice: -2 is held too. Once the new account exists, a re-run finds it.
    const twice = [...accounts, { id: "444444444444", name: "acme-staging", email: "aws+staging-2@acme.com", state: "CLOSED" }];
    expect(defaultAccountEmail("aws+staging@acme.com", "acme-staging", twice).email).toBe("aws+staging-3@acme.com");
    const recreated = [...twice, { id: "555555555555", name: "acme-staging", email: "aws+staging-3@acme.com", state: "ACTIVE" }];
    expect(defaultAccountEmail("aws+staging@acme.com", "acme-staging", recreated).email).toBe("aws+staging-3@acme.com");
    expect(planAddAccount({ ...input, email: "aws+staging-3@acme.com" }, observed({ accounts: recreated })).account).toMatchObject({ status: "exists", accountId: "555555555555" });
    // An email nobody holds, or one a live account holds, is kept as it is.
    expect(defaultAccountEmail("aws+qa@acme.com", "acme-qa", recreated)).toEqual({ email: "aws+qa@acme.com" });
  });

  it("refuses an email that belongs to another account, to a closed account (naming a flag add-account has), a missing group", () => {
    expect(() => planAddAccount({ ...input, email: "aws+dev@acme.com" }, observed())).toThrow(/already belongs to account acme-dev/);
    const closed = { id: "333333333333", name: "acme-old", email: "aws+staging@acme.com", state: "SUSPENDED" };
    let error: unknown;
    try {
      planAddAccount(input, observed({ accounts: [...observed().accounts, closed] }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/belongs to account acme-old \(333333333333\), which is SUSPENDED/);
    expect((error as UserError).hint).toBe("Give the new account an unused address: org-bootstrap add-account staging --email aws+staging-2@acme.com");
    expect(() => planAddAccount(input, observed({ group: undefined }))).toThrow(/admin group was not found/);
    expect(() => planAddAccount(input, observed({ groupPermissionSets: [] }))).toThrow(/nothing to copy/);
  });
});
