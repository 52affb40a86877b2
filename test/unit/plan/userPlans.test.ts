/** The add-user and remove-user planners: pure, observed state in, steps (or a refusal) out. */
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { addUserChangesAws, assignmentKey, planAddUser, validateAddUser, type AddUserObserved } from "../../../src/plan/addUserPlan.js";
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
