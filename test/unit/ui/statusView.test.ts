import { describe, expect, it } from "vitest";
import type { StatusReport } from "../../../src/plan/statusReport.js";
import { abbreviations, renderStatus, STATUS_WIDTH } from "../../../src/ui/statusView.js";

const plain = { style: (_s: unknown, t: string) => t };

function report(accountCount: number): StatusReport {
  const accounts = Array.from({ length: accountCount }, (_, i) => ({
    id: String(100000000000 + i),
    name: i === 0 ? "management" : `acme-stage${i}`,
    email: `a+${i}@acme.com`,
    state: "ACTIVE",
    management: i === 0,
  }));
  return {
    organization: { id: "o-1", featureSet: "ALL", managementAccountId: accounts[0].id, managementAccountEmail: "a@acme.com" },
    identityCenter: { instanceArn: "arn:i", identityStoreId: "d-1", region: "us-east-1", startUrl: "https://d-1.awsapps.com/start" },
    accounts,
    permissionSets: [
      { arn: "p1", name: "AdministratorAccess", sessionDuration: "PT12H", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
      { arn: "p2", name: "ReadOnlyAccess", sessionDuration: "PT1H", managedPolicyArns: [] },
    ],
    groups: [{ id: "g1", name: "Administrators", members: ["ann@acme.com"] }],
    users: [{ id: "u1", userName: "ann@acme.com", displayName: "Ann Lee", groups: ["Administrators"] }],
    assignments: [
      ...accounts.map((a) => ({ accountId: a.id, permissionSet: "AdministratorAccess", principalType: "GROUP" as const, principalId: "g1", principal: "Administrators" })),
      { accountId: accounts[1].id, permissionSet: "ReadOnlyAccess", principalType: "USER" as const, principalId: "u1", principal: "ann@acme.com" },
    ],
    configFile: "/home/ann/.aws/config",
    orgName: "acme",
    profiles: [{ name: "acme-gone", accountId: "999999999999", state: "unknown-account", detail: "account 999999999999 is not in the organization", fix: "remove the profile, or correct its sso_account_id" }],
    accountsWithoutProfile: [],
    sessions: [{ name: "acme", startUrl: "https://d-1.awsapps.com/start", region: "us-east-1", state: "logged-out" }],
    assignmentListing: { by: "account-and-permission-set", listings: 4 },
  };
}

describe("status view", () => {
  it("abbreviates permission sets uniquely", () => {
    expect([...abbreviations(["AdministratorAccess", "ReadOnlyAccess", "ReadOnly", "PermissionSet0001"]).values()]).toEqual(["A", "RO", "RO2", "PS0001"]);
  });

  it("draws a matrix when the accounts fit in 80 columns", () => {
    const lines = renderStatus(report(3), plain);
    const at = lines.indexOf("Who has what where");
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "                       management  stage1  stage2",
      "  Administrators       A           A       A",
      "  ann@acme.com (user)  ·           RO      ·",
      "  A = AdministratorAccess, RO = ReadOnlyAccess",
    ]);
  });

  it("falls back to one line per principal and set when they do not, and stays within 80 columns", () => {
    const lines = renderStatus(report(40), plain);
    expect(lines.join("\n")).toMatch(/Administrators\s+AdministratorAccess\s+40 accounts/);
    expect(lines.join("\n")).toMatch(/ann@acme\.com \(user\)\s+ReadOnlyAccess\s+stage1/);
    expect(lines.join("\n")).toMatch(/… and 25 more accounts/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(STATUS_WIDTH);
  });
});
