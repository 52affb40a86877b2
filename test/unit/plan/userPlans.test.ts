/** The add-user and remove-user planners: pure, observed state in, steps (or a refusal) out. */
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { addUserChangesAws, assignmentKey, parseAccess, planAddUser, validateAddUser, type AddUserObserved } from "../../../src/plan/addUserPlan.js";
import { planRemoveUser, type RemoveUserObserved } from "../../../src/plan/removeUserPlan.js";

const input = { email: "bo@acme.com", givenName: "Bo", familyName: "Chen", groups: ["Administrators"] };
const stageAccounts = [
  { stage: "dev", accountId: "111111111111", name: "acme-dev" },
  { stage: "production", accountId: "222222222222", name: "acme-production" },
];
const observed = (over: Partial<AddUserObserved> = {}): AddUserObserved => ({
  groups: [{ displayName: "Administrators", groupId: "g-admin" }],
  memberOf: [],
  permissionSetNames: ["AdministratorAccess"],
  stageAccounts,
  groupAssignments: {},
  ...over,
});

describe("planAddUser", () => {
  it("plans the user and the membership in an existing group, and nothing when both exist", () => {
    const fresh = planAddUser(input, observed());
    expect(fresh.user).toMatchObject({ status: "create", userName: "bo@acme.com" });
    expect(fresh.memberships).toEqual([{ group: "Administrators", status: "create" }]);
    expect(fresh.assignments).toEqual([]);
    expect(addUserChangesAws(fresh)).toBe(true);

    const done = planAddUser(input, observed({ user: { userId: "u-bo", userName: "bo@acme.com", email: "bo@acme.com" }, memberOf: ["g-admin"] }));
    expect(addUserChangesAws(done)).toBe(false);
  });

  it("a new group with a preset gets the set created and assigned in every stage account; what exists is kept", () => {
    const plan = planAddUser({ ...input, groups: ["Readers"], permissionSet: "readonly" }, observed({ groups: [{ displayName: "Readers" }] }));
    expect(plan.permissionSet).toEqual({ name: "ReadOnlyAccess", status: "create", presetKey: "readonly" });
    expect(plan.assignments.map((a) => [a.accountName, a.permissionSet, a.status])).toEqual([
      ["acme-dev", "ReadOnlyAccess", "create"],
      ["acme-production", "ReadOnlyAccess", "create"],
    ]);

    const half = planAddUser(
      { ...input, groups: ["Readers"], permissionSet: "ReadOnlyAccess" },
      observed({
        groups: [{ displayName: "Readers", groupId: "g-r" }],
        permissionSet: { name: "ReadOnlyAccess", arn: "arn:ps-ro", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
        groupAssignments: { "g-r": [assignmentKey("111111111111", "arn:ps-ro")] },
      }),
    );
    expect(half.assignments.map((a) => a.status)).toEqual(["exists", "create"]);
    expect(half.permissionSet?.status).toBe("exists");
  });

  it("a preset's permission set left without any policy by a stopped run is finished; one with a policy of its own is left alone", () => {
    const withPolicies = (managedPolicyArns: string[]) =>
      planAddUser({ ...input, groups: ["Readers"], permissionSet: "readonly" }, observed({ groups: [{ displayName: "Readers", groupId: "g-r" }], permissionSet: { name: "ReadOnlyAccess", arn: "arn:ps-ro", managedPolicyArns } }));
    expect(withPolicies([]).permissionSet).toMatchObject({ status: "update", presetKey: "readonly", arn: "arn:ps-ro" });
    expect(withPolicies(["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"]).permissionSet?.status).toBe("exists");
    expect(addUserChangesAws(withPolicies([]))).toBe(true);
  });

  it("warns when an existing group has no access anywhere (a stopped run's group), and not once it has", () => {
    const bare = planAddUser({ ...input, groups: ["Readers"] }, observed({ groups: [{ displayName: "Readers", groupId: "g-read" }] }));
    expect(bare.warnings).toEqual([expect.stringMatching(/^Group Readers has no access to any account yet: .* --permission-set /)]);
    const withAccess = planAddUser(
      { ...input, groups: ["Readers"] },
      observed({ groups: [{ displayName: "Readers", groupId: "g-read" }], groupAssignments: { "g-read": [assignmentKey("111111111111", "arn:ps")] } }),
    );
    expect(withAccess.warnings).toEqual([]);
  });

  it("refuses a new group without a permission set, an unknown set, and an email another user holds", () => {
    expect(() => planAddUser({ ...input, groups: ["Ops"] }, observed({ groups: [{ displayName: "Ops" }] }))).toThrow(/Ops does not exist yet/);
    expect(() => planAddUser({ ...input, groups: ["Ops"], permissionSet: "Nope" }, observed({ groups: [{ displayName: "Ops" }] }))).toThrow(/no permission set Nope/);
    expect(() => planAddUser(input, observed({ emailOwner: { userId: "u-x", userName: "bo" } }))).toThrow(/already belongs to Identity Center user bo/);
  });

  it("checks names before any call: email, empty names, reserved names", () => {
    expect(() => validateAddUser({ ...input, email: "bo" })).toThrow(UserError);
    expect(() => validateAddUser({ ...input, givenName: "  " })).toThrow(/given name is empty/);
    expect(() => validateAddUser({ ...input, groups: ["x".repeat(1025)] })).toThrow(/group name "x+…" cannot be used/);
    expect(() => validateAddUser({ ...input, groups: ["Readers", "administrator"] })).toThrow(/"administrator" cannot be used/);
    expect(() => validateAddUser({ ...input, givenName: "B\to" })).toThrow(/control character/);
    expect(validateAddUser({ ...input, groups: ["A", "A", " B "] }).groups).toEqual(["A", "B"]);
  });
});

describe("add-user --access", () => {
  const stages = ["dev", "production"];
  it("parses STAGE=SET pairs and refuses malformed pairs, a stage twice, an unknown stage, an empty list", () => {
    expect(parseAccess(" dev = poweruser , production=readonly", stages)).toEqual([
      { stage: "dev", value: "poweruser" },
      { stage: "production", value: "readonly" },
    ]);
    expect(() => parseAccess("dev", stages)).toThrow(/"dev" is not STAGE=SET/);
    expect(() => parseAccess("dev=", stages)).toThrow(/not STAGE=SET/);
    expect(() => parseAccess("dev=admin,dev=readonly", stages)).toThrow(/names stage dev twice/);
    expect(() => parseAccess("qa=admin", stages)).toThrow(/there is no stage qa\./);
    expect(() => parseAccess(" , ", stages)).toThrow(/--access is empty/);
    expect(() => validateAddUser({ ...input, permissionSet: "admin", access: [{ stage: "dev", value: "admin" }] })).toThrow(/--permission-set and --access both/);
  });

  const access = [
    { stage: "dev", value: "poweruser" },
    { stage: "production", value: "readonly" },
  ];
  it("a new group: each distinct set once, one assignment per stage named; a stage not named gets nothing", () => {
    const plan = planAddUser({ ...input, groups: ["Developers"], access }, observed({ groups: [{ displayName: "Developers" }], accessSets: [] }));
    expect(plan.access?.sets).toEqual([
      { name: "PowerUserAccess", status: "create", presetKey: "poweruser" },
      { name: "ReadOnlyAccess", status: "create", presetKey: "readonly" },
    ]);
    expect(plan.assignments.map((a) => [a.accountName, a.permissionSet, a.status])).toEqual([
      ["acme-dev", "PowerUserAccess", "create"],
      ["acme-production", "ReadOnlyAccess", "create"],
    ]);
    const devOnly = planAddUser({ ...input, groups: ["Developers"], access: [{ stage: "dev", value: "readonly" }] }, observed({ groups: [{ displayName: "Developers" }] }));
    expect(devOnly.access?.matrix.map((m) => [m.stage, m.permissionSet])).toEqual([["dev", "ReadOnlyAccess"], ["production", undefined]]);
    expect(devOnly.access?.sets).toHaveLength(1);
    const admin = planAddUser({ ...input, groups: ["Ops"], access: [{ stage: "dev", value: "admin" }] }, observed({ groups: [{ displayName: "Ops" }] }));
    expect(admin.groups[0].adminIn).toBe(1);
    expect(() => planAddUser({ ...input, groups: ["Ops"], access: [{ stage: "dev", value: "Nope" }] }, observed({ groups: [{ displayName: "Ops" }] }))).toThrow(/There is no permission set Nope/);
  });

  it("an existing group: the same matrix plans nothing; part of it gets the rest; other access is refused, naming its access per stage", () => {
    const sets = [
      { name: "PowerUserAccess", arn: "arn:pu", managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] },
      { name: "ReadOnlyAccess", arn: "arn:ro", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
    ];
    const withAccess = (keys: string[]) =>
      planAddUser(
        { ...input, groups: ["Developers"], access },
        observed({ user: { userId: "u-bo", userName: "bo@acme.com" }, memberOf: ["g-d"], groups: [{ displayName: "Developers", groupId: "g-d" }], accessSets: sets, groupAssignments: { "g-d": keys } }),
      );
    expect(addUserChangesAws(withAccess([assignmentKey("111111111111", "arn:pu"), assignmentKey("222222222222", "arn:ro")]))).toBe(false);
    expect(withAccess([assignmentKey("111111111111", "arn:pu")]).assignments.map((a) => a.status)).toEqual(["exists", "create"]);
    expect(() => withAccess([assignmentKey("111111111111", "arn:ro")])).toThrow(/exists with other access: dev=ReadOnlyAccess, production=none; --access asks for dev=PowerUserAccess, production=ReadOnlyAccess/);
  });

  it("--force: the refusal's hint names it; forced, the removal is planned, warned about, and no longer counts as administrator access; --force alone is refused", () => {
    const admin = { name: "AdministratorAccess", arn: "arn:admin", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] };
    const ro = { name: "ReadOnlyAccess", arn: "arn:ro", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] };
    const plan = (force: boolean) =>
      planAddUser(
        { ...input, groups: ["Developers"], access: [{ stage: "dev", value: "readonly" }], ...(force ? { force } : {}) },
        observed({
          groups: [{ displayName: "Developers", groupId: "g-d" }],
          accessSets: [ro],
          otherSets: [admin],
          adminPermissionSetArns: ["arn:admin"],
          groupAssignments: { "g-d": [assignmentKey("111111111111", "arn:admin"), assignmentKey("222222222222", "arn:admin")] },
        }),
      );
    expect(() => plan(false)).toThrow(expect.objectContaining({ hint: expect.stringMatching(/^To make its access exactly --access, run again with --force /) }));
    const forced = plan(true);
    expect(forced.assignments.map((a) => [a.accountName, a.permissionSet, a.status])).toEqual([
      ["acme-dev", "ReadOnlyAccess", "create"],
      ["acme-dev", "AdministratorAccess", "delete"],
      ["acme-production", "AdministratorAccess", "delete"],
    ]);
    expect(forced.warnings).toEqual([
      "--force removes from group Developers: AdministratorAccess in acme-dev, AdministratorAccess in acme-production; production is not named in --access, so the group keeps no access there. Its members lose it once the new access is in place.",
    ]);
    expect(forced.groups[0].adminIn).toBeUndefined();
    expect(addUserChangesAws(forced)).toBe(true);
    expect(() => validateAddUser({ ...input, force: true })).toThrow(/^--force changes an existing group's access, and only --access says what it becomes\.$/);
  });
});

describe("planRemoveUser", () => {
  const user = { userId: "u-bo", userName: "bo@acme.com" };
  const base: RemoveUserObserved = {
    user,
    memberships: [{ membershipId: "m-1", groupId: "g-admin", group: "Administrators" }],
    assignments: [{ accountId: "111111111111", accountName: "acme-dev", permissionSetArn: "arn:ps", permissionSet: "AdministratorAccess" }],
    adminGroup: { groupId: "g-admin", displayName: "Administrators", memberCount: 2 },
  };

  it("removes assignments, memberships and the user; a missing user is nothing to do", () => {
    const plan = planRemoveUser({ email: "bo@acme.com", force: false }, base);
    expect(plan.assignments).toHaveLength(1);
    expect(plan.memberships).toHaveLength(1);
    expect(planRemoveUser({ email: "bo@acme.com", force: false }, { memberships: [], assignments: [] }).user).toBeUndefined();
  });

  it("refuses the admin group's last member unless forced", () => {
    const last = { ...base, adminGroup: { ...base.adminGroup!, memberCount: 1 } };
    expect(() => planRemoveUser({ email: "bo@acme.com", force: false }, last)).toThrow(/last member of Administrators/);
    expect(planRemoveUser({ email: "bo@acme.com", force: true }, last).warnings).toEqual([expect.stringMatching(/no members left/)]);
    // Last member of some other group: no refusal.
    expect(() => planRemoveUser({ email: "bo@acme.com", force: false }, { ...last, memberships: [{ membershipId: "m-2", groupId: "g-x", group: "X" }] })).not.toThrow();
  });
});
