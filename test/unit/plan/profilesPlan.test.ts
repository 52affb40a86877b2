import { describe, expect, it } from "vitest";
import { compareRoles, kebab, planProfiles, roleSlug, type ExistingProfile, type PortalAccess } from "../../../src/plan/profilesPlan.js";

const dev: PortalAccess = { accountId: "222233334444", accountName: "acme-dev", roles: ["ReadOnlyAccess", "AdministratorAccess", "PowerUserAccess"] };
const prod: PortalAccess = { accountId: "555566667777", accountName: "acme-production", roles: ["ReadOnlyAccess"] };
const mgmt: PortalAccess = { accountId: "111122223333", accountName: "Acme Corp", roles: ["AdministratorAccess"] };
const sandbox: PortalAccess = { accountId: "999900001111", accountName: "Data Science Sandbox", roles: ["Billing_Team Access", "ViewOnlyAccess"] };

const names = (ps: { name: string; roleName: string }[]) => ps.map((p) => `${p.name}=${p.roleName}`);

describe("the naming rule", () => {
  it("names the most capable role after the stage, further roles with their short name, other accounts by their name", () => {
    const plan = planProfiles({ session: "acme", access: [dev, prod, mgmt, sandbox], existing: [], managementAccountId: "111122223333", prune: false });
    expect(names(plan.add)).toEqual([
      "acme-management=AdministratorAccess",
      "acme-dev=AdministratorAccess",
      "acme-dev-poweruser=PowerUserAccess",
      "acme-dev-readonly=ReadOnlyAccess",
      "acme-production=ReadOnlyAccess",
      "data-science-sandbox=Billing_Team Access",
      "data-science-sandbox-viewonly=ViewOnlyAccess",
    ]);
  });

  it("gives the same names whatever order the portal lists accounts and roles in", () => {
    const a = planProfiles({ session: "acme", access: [dev, prod, sandbox], existing: [], prune: false });
    const shuffled = [sandbox, { ...prod }, { ...dev, roles: [...dev.roles].reverse() }];
    const b = planProfiles({ session: "acme", access: shuffled, existing: [], prune: false });
    expect(names(b.add).sort()).toEqual(names(a.add).sort());
  });

  it("without the management account's id, the management account is named by its name", () => {
    const plan = planProfiles({ session: "acme", access: [mgmt], existing: [], prune: false });
    expect(names(plan.add)).toEqual(["acme-corp=AdministratorAccess"]);
  });

  it("ranks admin > poweruser > readonly > the others by name; slugs and kebab case", () => {
    expect(["Zeta", "ReadOnlyAccess", "Alpha", "AdministratorAccess", "PowerUserAccess"].sort(compareRoles)).toEqual(["AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "Alpha", "Zeta"]);
    expect(roleSlug("ReadOnlyAccess")).toBe("readonly");
    expect(roleSlug("DatabaseAdmins")).toBe("database-admins");
    expect(kebab("S3FullAccess")).toBe("s3-full-access");
    expect(kebab("  Ünïcode Team ")).toBe("unicode-team");
  });
});

describe("existing blocks", () => {
  const initDev: ExistingProfile = { name: "acme-dev", ssoSession: "acme", accountId: "222233334444", roleName: "AdministratorAccess", generated: false };

  it("a block already pointing at the same session, account and role keeps its name (init's included); nothing is added twice", () => {
    const mine: ExistingProfile = { name: "work", ssoSession: "acme", accountId: "555566667777", roleName: "ReadOnlyAccess", generated: false };
    const plan = planProfiles({ session: "acme", access: [dev, prod], existing: [initDev, mine], prune: false });
    expect(names(plan.keep)).toEqual(["acme-dev=AdministratorAccess", "work=ReadOnlyAccess"]);
    expect(names(plan.add)).toEqual(["acme-dev-poweruser=PowerUserAccess", "acme-dev-readonly=ReadOnlyAccess"]);
  });

  it("a name taken by a block that points elsewhere gets the account id appended", () => {
    const other: ExistingProfile = { name: "acme-production", ssoSession: "other", accountId: "1", roleName: "X", generated: false };
    const plan = planProfiles({ session: "acme", access: [prod], existing: [other], prune: false });
    expect(names(plan.add)).toEqual(["acme-production-555566667777=ReadOnlyAccess"]);
  });

  it("two accounts that want the same name: the lower id keeps it", () => {
    const a = { accountId: "200000000000", accountName: "Shared", roles: ["R"] };
    const b = { accountId: "100000000000", accountName: "shared", roles: ["R"] };
    expect(names(planProfiles({ session: "acme", access: [a, b], existing: [], prune: false }).add)).toEqual(["shared=R", "shared-200000000000=R"]);
  });

  it("--prune removes only our blocks for access the person no longer has; the user's are reported, never removed", () => {
    const oursGone: ExistingProfile = { name: "acme-dev-poweruser", ssoSession: "acme", accountId: "222233334444", roleName: "PowerUserAccess", generated: true };
    const oursKept: ExistingProfile = { name: "acme-production", ssoSession: "acme", accountId: "555566667777", roleName: "ReadOnlyAccess", generated: true };
    const usersGone: ExistingProfile = { name: "old", ssoSession: "acme", accountId: "333", roleName: "AdministratorAccess", generated: false };
    const otherSession: ExistingProfile = { name: "elsewhere", ssoSession: "other", accountId: "444", roleName: "R", generated: true };
    const access = [{ ...dev, roles: ["AdministratorAccess"] }, prod];
    const existing = [initDev, oursGone, oursKept, usersGone, otherSession];
    const pruned = planProfiles({ session: "acme", access, existing, prune: true });
    expect(pruned.remove.map((p) => p.name)).toEqual(["acme-dev-poweruser"]);
    expect(pruned.foreign.map((p) => p.name)).toEqual(["old"]);
    expect(pruned.add).toEqual([]);
    const notPruned = planProfiles({ session: "acme", access, existing, prune: false });
    expect(notPruned.remove).toEqual([]);
    expect(notPruned.prunable.map((p) => p.name)).toEqual(["acme-dev-poweruser"]);
  });
});
