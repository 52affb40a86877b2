/** One group's access per stage (src/plan/groupAccessPlan.ts): pure, observed state in, sets, matrix and assignments (or a refusal) out. */
import { describe, expect, it } from "vitest";
import { assignmentKey, planGroupAccess, splitSets, type GroupAccessObserved } from "../../../src/plan/groupAccessPlan.js";

const stageAccounts = [
  { stage: "dev", accountId: "111111111111", name: "acme-dev" },
  { stage: "production", accountId: "222222222222", name: "acme-production" },
];
const pu = { name: "PowerUserAccess", arn: "arn:pu", managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] };
const ro = { name: "ReadOnlyAccess", arn: "arn:ro", managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] };
const ladder = [
  { stage: "dev", value: "poweruser" },
  { stage: "production", value: "readonly" },
];
const observed = (over: Partial<GroupAccessObserved> = {}): GroupAccessObserved => ({ held: [], sets: [], permissionSetNames: ["AdministratorAccess"], stageAccounts, ...over });
const rows = (p: ReturnType<typeof planGroupAccess>) => p.assignments.map((a) => [a.accountName, a.permissionSet, a.status]);

describe("planGroupAccess", () => {
  it("a new group: each distinct set once, one assignment per stage named, a stage not named in the matrix with no set", () => {
    const plan = planGroupAccess({ group: "Developers", access: [...ladder, { stage: "staging", value: "readonly" }] }, observed({ stageAccounts: [...stageAccounts, { stage: "staging", accountId: "333333333333", name: "acme-staging" }] }));
    expect(plan.sets).toEqual([
      { name: "PowerUserAccess", status: "create", presetKey: "poweruser" },
      { name: "ReadOnlyAccess", status: "create", presetKey: "readonly" },
    ]);
    expect(rows(plan)).toEqual([
      ["acme-dev", "PowerUserAccess", "create"],
      ["acme-production", "ReadOnlyAccess", "create"],
      ["acme-staging", "ReadOnlyAccess", "create"],
    ]);
    const devOnly = planGroupAccess({ group: "Developers", access: [ladder[0]] }, observed());
    expect(devOnly.matrix).toEqual([
      { stage: "dev", accountId: "111111111111", accountName: "acme-dev", permissionSet: "PowerUserAccess" },
      { stage: "production", accountId: "222222222222", accountName: "acme-production" },
    ]);
    expect(rows(devOnly)).toEqual([["acme-dev", "PowerUserAccess", "create"]]);
  });

  it("an existing group holding the matrix plans nothing; part of it gets the rest, with the sets' ARNs", () => {
    const existing = (held: string[]) => planGroupAccess({ group: "Developers", access: ladder }, observed({ groupId: "g-d", held, sets: [pu, ro] }));
    const done = existing([assignmentKey("111111111111", "arn:pu"), assignmentKey("222222222222", "arn:ro")]);
    expect(done.sets.map((s) => s.status)).toEqual(["exists", "exists"]);
    expect(rows(done)).toEqual([
      ["acme-dev", "PowerUserAccess", "exists"],
      ["acme-production", "ReadOnlyAccess", "exists"],
    ]);
    const half = existing([assignmentKey("111111111111", "arn:pu")]);
    expect(half.assignments.map((a) => [a.status, a.permissionSetArn])).toEqual([
      ["exists", "arn:pu"],
      ["create", "arn:ro"],
    ]);
    // Access outside the stage accounts (the management account) is not the matrix's business.
    expect(rows(existing([assignmentKey("999999999999", "arn:admin"), assignmentKey("111111111111", "arn:pu")])).map((r) => r[2])).toEqual(["exists", "create"]);
  });

  it("an existing group with other access in a stage account is refused, naming its access per stage and the caller's hint", () => {
    const refused = () =>
      planGroupAccess(
        { group: "Developers", access: ladder, refusalHint: "Use a new group name." },
        observed({ groupId: "g-d", held: [assignmentKey("111111111111", "arn:ro")], ...splitSets([pu, ro, { name: "AdministratorAccess", arn: "arn:admin", managedPolicyArns: [] }], ladder) }),
      );
    expect(refused).toThrow(/^Group Developers exists with other access: dev=ReadOnlyAccess, production=none; --access asks for dev=PowerUserAccess, production=ReadOnlyAccess\. Nothing was changed\.$/);
    const thrown = (() => {
      try {
        refused();
      } catch (err) {
        return err;
      }
    })();
    expect(thrown).toMatchObject({ hint: "Use a new group name." });
  });

  it("--force: what the group holds in a stage account beyond the matrix is deleted (a stage not named loses all), access elsewhere is kept; the same again plans nothing", () => {
    const admin = { name: "AdministratorAccess", arn: "arn:admin", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] };
    const forced = (access: typeof ladder, held: string[]) =>
      planGroupAccess({ group: "Developers", access, force: true }, observed({ groupId: "g-d", held, ...splitSets([pu, ro, admin], access) }));
    const ladderHeld = [assignmentKey("111111111111", "arn:pu"), assignmentKey("222222222222", "arn:ro"), assignmentKey("999999999999", "arn:admin")];
    const changed = forced([{ stage: "dev", value: "admin" }, ladder[1]], ladderHeld);
    expect(changed.assignments.map((a) => [a.accountName, a.permissionSet, a.status, a.permissionSetArn])).toEqual([
      ["acme-dev", "AdministratorAccess", "create", "arn:admin"],
      ["acme-production", "ReadOnlyAccess", "exists", "arn:ro"],
      ["acme-dev", "PowerUserAccess", "delete", "arn:pu"],
    ]);
    expect(changed.current).toEqual([
      { stage: "dev", accountId: "111111111111", accountName: "acme-dev", permissionSets: ["PowerUserAccess"] },
      { stage: "production", accountId: "222222222222", accountName: "acme-production", permissionSets: ["ReadOnlyAccess"] },
    ]);
    // The management account (999…, no stage) is never touched, only counted.
    expect(changed.keptOutside).toBe(1);
    expect(rows(forced([ladder[0]], ladderHeld))).toEqual([
      ["acme-dev", "PowerUserAccess", "exists"],
      ["acme-production", "ReadOnlyAccess", "delete"],
    ]);
    expect(rows(forced(ladder, ladderHeld)).map((r) => r[2])).toEqual(["exists", "exists"]);
  });

  it("an unknown set name that is no preset is refused, listing the sets there are", () => {
    expect(() => planGroupAccess({ group: "Ops", access: [{ stage: "dev", value: "Nope" }] }, observed())).toThrow(/There is no permission set Nope/);
  });
});
