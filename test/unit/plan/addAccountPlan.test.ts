import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import {
  addAccountChangesAws,
  defaultAccountEmail,
  groupsNeedingLike,
  inferEmailTemplate,
  planAddAccount,
  requireSomeAccess,
  validateNewStage,
  type AddAccountObserved,
} from "../../../src/plan/addAccountPlan.js";
import { likeChoices, validateLike } from "../../../src/plan/newAccountAccess.js";

const DEV = "222222222222";
const PROD = "333333333334";
const sets = [
  { name: "ReadOnlyAccess", arn: "arn:ps-ro" },
  { name: "AdministratorAccess", arn: "arn:ps-admin" },
  { name: "PowerUserAccess", arn: "arn:ps-pu" },
];
const admins = (accounts: string[], arns = ["arn:ps-admin", "arn:ps-ro"]) => ({
  displayName: "Administrators",
  groupId: "g-1",
  assignments: accounts.flatMap((accountId) => arns.map((permissionSetArn) => ({ accountId, permissionSetArn }))),
});
const observed = (over: Partial<AddAccountObserved> = {}): AddAccountObserved => ({
  managementAccountId: "111111111111",
  accounts: [
    { id: "111111111111", name: "management", email: "owner@acme.com", state: "ACTIVE" },
    { id: DEV, name: "acme-dev", email: "aws+dev@acme.com", state: "ACTIVE" },
  ],
  inProgressCreations: [],
  stageAccounts: [{ stage: "dev", accountId: DEV }],
  groups: [admins([DEV])],
  permissionSets: sets,
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
        groups: [admins([DEV, "333333333333"])],
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
    expect(() => planAddAccount({ ...input, onlyGroup: "Admins" }, observed())).toThrow(/The group Admins was not found/);
    expect(() => planAddAccount(input, observed({ groups: [{ ...admins([]), assignments: [] }] }))).toThrow(/No group has access in the other stage accounts, so there is nothing to copy/);
  });
});

describe("planAddAccount with the role ladder (a group whose access differs per stage)", () => {
  // init's Administrators (admin everywhere) and add-user --access's Developers (poweruser in dev, readonly in production).
  const ladder = (over: Partial<AddAccountObserved> = {}) =>
    observed({
      accounts: [...observed().accounts, { id: PROD, name: "acme-production", email: "aws+production@acme.com", state: "ACTIVE" }],
      stageAccounts: [
        { stage: "dev", accountId: DEV },
        { stage: "production", accountId: PROD },
      ],
      groups: [
        admins([DEV, PROD], ["arn:ps-admin"]),
        { displayName: "Developers", groupId: "g-2", assignments: [{ accountId: DEV, permissionSetArn: "arn:ps-pu" }, { accountId: PROD, permissionSetArn: "arn:ps-ro" }] },
        { displayName: "Nobody", groupId: "g-3", assignments: [] },
      ],
      ...over,
    });
  const access = (plan: ReturnType<typeof planAddAccount>) => plan.access.map((g) => [g.group, g.permissionSets.map((p) => p.name), g.source]);

  it("--like dev: Developers get PowerUserAccess, Administrators what they have everywhere; a group with no access is not considered", () => {
    const plan = planAddAccount({ ...input, like: "dev" }, ladder());
    expect(access(plan)).toEqual([
      ["Administrators", ["AdministratorAccess"], "every-stage"],
      ["Developers", ["PowerUserAccess"], "like"],
    ]);
    expect(plan.assignments.map((a) => [a.group, a.groupId, a.permissionSet, a.status])).toEqual([
      ["Administrators", "g-1", "AdministratorAccess", "create"],
      ["Developers", "g-2", "PowerUserAccess", "create"],
    ]);
    expect(plan.roleName).toBe("AdministratorAccess");
    expect(plan.warnings).toEqual([]);
    expect(groupsNeedingLike(plan)).toEqual([]);
    expect(access(planAddAccount({ ...input, like: "production" }, ladder()))[1]).toEqual(["Developers", ["ReadOnlyAccess"], "like"]);
  });

  it("without --like: Developers get nothing, and the warning names the group, its access and the fix", () => {
    const plan = planAddAccount(input, ladder());
    expect(access(plan)[1]).toEqual(["Developers", [], "differs"]);
    expect(plan.assignments.map((a) => a.group)).toEqual(["Administrators"]);
    expect(groupsNeedingLike(plan)).toEqual(["Developers"]);
    expect(plan.warnings).toEqual([
      "Group Developers gets no access in acme-staging: its access differs per stage (dev: PowerUserAccess, production: ReadOnlyAccess). To give it what it has in one of them, run again with --like dev or --like production.",
    ]);
  });

  it("a re-run finds the --like run's assignments; without --like they are kept, not asked about again", () => {
    const staging = { id: "444444444444", name: "acme-staging", email: "aws+staging@acme.com", state: "ACTIVE" };
    const o = ladder();
    const after = ladder({
      accounts: [...o.accounts, staging],
      groups: [
        admins([DEV, PROD, staging.id], ["arn:ps-admin"]),
        { ...o.groups[1], assignments: [...o.groups[1].assignments, { accountId: staging.id, permissionSetArn: "arn:ps-pu" }] },
      ],
    });
    const again = planAddAccount({ ...input, like: "dev" }, after);
    expect(addAccountChangesAws(again)).toBe(false);
    const bare = planAddAccount(input, after);
    expect(addAccountChangesAws(bare)).toBe(false);
    expect(bare.access[1]).toMatchObject({ group: "Developers", source: "differs", kept: ["PowerUserAccess"] });
    expect(groupsNeedingLike(bare)).toEqual([]);
    expect(bare.warnings).toEqual([]);
  });

  it("--group keeps to one group; with only a differing group and no --like, nobody would get in: refused with the fix", () => {
    const plan = planAddAccount({ ...input, onlyGroup: "Developers" }, ladder());
    expect(plan.roleName).toBeUndefined();
    expect(() => requireSomeAccess(plan, ["dev", "production"])).toThrow(
      expect.objectContaining({
        message: "No group would get access in acme-staging, so nobody could sign in to it: Developers has different access per stage.",
        hint: "Say which stage staging is like: org-bootstrap add-account staging --like dev or --like production",
      }),
    );
    const liked = planAddAccount({ ...input, onlyGroup: "Developers", like: "dev" }, ladder());
    expect(liked.roleName).toBe("PowerUserAccess");
    expect(() => requireSomeAccess(liked, ["dev", "production"])).not.toThrow();
  });

  it("a group with access in one stage only differs too: --like the other gives it nothing", () => {
    const o = ladder();
    const devOnly = ladder({ groups: [o.groups[0], { ...o.groups[1], assignments: [o.groups[1].assignments[0]] }] });
    expect(access(planAddAccount({ ...input, like: "production" }, devOnly))[1]).toEqual(["Developers", [], "like"]);
    expect(planAddAccount(input, devOnly).warnings[0]).toMatch(/\(dev: PowerUserAccess, production: none\)/);
  });
});

describe("--like", () => {
  it("must name another stage of the config", () => {
    expect(validateLike("dev", ["dev", "production"], "staging")).toBe("dev");
    expect(() => validateLike("qa", ["dev", "production"], "staging")).toThrow(/--like: there is no stage qa/);
    expect(() => validateLike("staging", ["dev", "staging"], "staging")).toThrow(/names the new stage itself/);
  });
  it("lists the choices as a sentence", () => {
    expect(likeChoices(["dev"])).toBe("--like dev");
    expect(likeChoices(["dev", "qa", "production"])).toBe("--like dev, --like qa or --like production");
  });
});
