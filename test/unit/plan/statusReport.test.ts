import { describe, expect, it } from "vitest";
import { accountsWithoutProfile, chooseAssignmentListing, compareProfiles, sessionState, type StatusAccount } from "../../../src/plan/statusReport.js";

const accounts: StatusAccount[] = [
  { id: "111111111111", name: "management", email: "o@acme.com", state: "ACTIVE", management: true },
  { id: "222222222222", name: "acme-dev", email: "a+dev@acme.com", state: "ACTIVE", management: false },
  { id: "333333333333", name: "acme-old", email: "a+old@acme.com", state: "SUSPENDED", management: false },
  { id: "444444444444", name: "acme-qa", email: "a+qa@acme.com", state: "ACTIVE", management: false },
  { id: "555555555555", name: "other", email: "x@other.com", state: "ACTIVE", management: false },
];

describe("status report", () => {
  it("chooses the listing with fewer calls", () => {
    expect(chooseAssignmentListing(1500, 2050)).toBe("account-and-permission-set");
    expect(chooseAssignmentListing(15, 4)).toBe("principal");
  });

  it("tells fine, missing, closed and wrong-role profiles apart", () => {
    const states = compareProfiles(
      [
        { name: "acme-dev", accountId: "222222222222", roleName: "AdministratorAccess" },
        { name: "acme-gone", accountId: "999999999999", roleName: "AdministratorAccess" },
        { name: "acme-old", accountId: "333333333333", roleName: "AdministratorAccess" },
        { name: "acme-typo", accountId: "222222222222", roleName: "Admin" },
      ],
      accounts,
      ["AdministratorAccess"],
    );
    expect(states.map((s) => s.state)).toEqual(["ok", "unknown-account", "account-closed", "unknown-permission-set"]);
    expect(states.slice(1).every((s) => s.detail && s.fix)).toBe(true);
  });

  it("lists active <org>-<stage> accounts without a profile, not the management or foreign-named ones", () => {
    expect(accountsWithoutProfile("acme", accounts, [{ accountId: "222222222222" }])).toEqual([{ id: "444444444444", name: "acme-qa", stage: "qa" }]);
  });

  it("reads token states", () => {
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(sessionState(undefined, now)).toBe("logged-out");
    expect(sessionState("2025-01-01T11:59:00Z", now)).toBe("expired");
    expect(sessionState("2025-01-01T13:00:00Z", now)).toBe("valid");
  });
});
