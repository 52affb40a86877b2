/** The lower bound behind `npm run bench` figure 5 (bench/lib/statusBound.mjs). */
import { describe, expect, it } from "vitest";
import { statusLowerBound, worldCounts, type WorldCounts } from "../../../bench/lib/statusBound.mjs";

const limits = {
  latencyMs: 100,
  pageSize: { organizations: 20, identityCenter: 100 },
  identityCenterRate: { rate: 20, burst: 20 },
  listAccountsRate: { rate: 8, burst: 12 },
};

const world: WorldCounts = {
  accounts: 41,
  users: 250,
  permissionSets: 2,
  groupMembers: [100, 150],
  provisionedAccountsPerSet: [41, 5],
  assignmentsPerPair: [...Array<number>(46).fill(1)],
  assignmentsPerPrincipal: [...Array<number>(250).fill(0), 41, 5],
};

describe("status lower bound", () => {
  it("counts one call per page of every listing, assignments the cheaper way", () => {
    const b = statusLowerBound(world, limits);
    // ListAccounts: 41 accounts / 20 a page.
    expect(b.calls.organizations).toBe(3);
    // ListInstances 1, ListPermissionSets 1, 2 × (Describe + policies) 4, ListUsers 3, ListGroups 1,
    // members 1 + 2, provisioned 1 + 1, assignments: 46 pairs (< 252 principals) → 46.
    expect(b.calls.identityCenter).toBe(1 + 1 + 4 + 3 + 1 + 3 + 2 + 46);
    expect(b.assignmentListing).toBe("account-and-permission-set");
    expect(b.totalCalls).toBe(2 + 3 + b.calls.identityCenter);
  });

  it("is set by Identity Center's rate when there are many calls", () => {
    const b = statusLowerBound(world, limits);
    const ic = b.calls.identityCenter;
    expect(b.limitedBy).toBe("rateMs");
    expect(b.boundMs).toBeCloseTo(100 + ((ic - 1 - 20) / 20) * 1000 + 100);
  });

  it("is set by pages that must follow one another when rates are no limit", () => {
    const b = statusLowerBound(world, { ...limits, identityCenterRate: { rate: 1e6, burst: 1e6 }, listAccountsRate: { rate: 1e6, burst: 1e6 } });
    // After the first round, three pages in a row: ListAccounts (41 / 20), ListUsers (250 / 100),
    // and permission sets → provisioned accounts → assignments; so (1 + 3) × latency.
    expect(b.boundMs).toBe(400);
  });

  it("reads the counts from the emulator's state", () => {
    const counts = worldCounts({
      accounts: [{ Id: "1" }, { Id: "2" }],
      users: [{ UserId: "u1" }, { UserId: "u2" }],
      groups: [{ GroupId: "g1" }],
      memberships: [{ GroupId: "g1" }, { GroupId: "g1" }],
      permissionSets: [{ PermissionSetArn: "ps1", provisionedTo: ["1"] }, { PermissionSetArn: "ps2" }],
      assignments: [
        { AccountId: "1", PermissionSetArn: "ps1", PrincipalId: "g1" },
        { AccountId: "2", PermissionSetArn: "ps1", PrincipalId: "g1" },
        { AccountId: "2", PermissionSetArn: "ps1", PrincipalId: "u1" },
      ],
    });
    expect(counts).toEqual({
      accounts: 2,
      users: 2,
      permissionSets: 2,
      groupMembers: [2],
      provisionedAccountsPerSet: [2, 0],
      assignmentsPerPair: [1, 2],
      assignmentsPerPrincipal: [1, 0, 2],
    });
  });
});
