/**
 * `status` end to end: a seeded organisation with many pages of accounts, users and assignments
 * (the emulator's default page size is 3), a hand-written AWS config whose profiles are fine,
 * point nowhere or at a closed account, and cached tokens; plus a small organisation made by
 * `init`, read as a matrix. Assertions compare the JSON with the emulator's state and count calls.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeCachedToken } from "../../src/local/tokenCache.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { LIST_LIMIT } from "../../src/ui/statusView.js";
import { ownStderr, runCli } from "../helpers/loginCli.js";
import { callLog, childEnv, control, openSandbox, scenario, worldState } from "../helpers/sandbox.js";
import { hasScript, startCliInPty, visibleLines } from "../helpers/terminal.js";
import { makeInitHome, runInit } from "./initHarness.js";

type Report = {
  accounts: { id: string; name: string; state: string }[];
  users: { userName: string; groups: string[] }[];
  groups: { name: string; members: string[] }[];
  assignments: { accountId: string; permissionSet: string; principalType: string; principal: string }[];
  profiles: { name: string; state: string }[];
  accountsWithoutProfile: { name: string }[];
  sessions: { name: string; state: string }[];
  identityCenter: { startUrl: string; identityStoreId: string };
  assignmentListing: { by: string; listings: number };
};

/** The world's assignments as comparable strings: account, set name, principal type and name. */
async function worldAssignments(sandbox: Sandbox): Promise<string[]> {
  const world = await worldState(sandbox);
  const setName = new Map(world.permissionSets.map((p) => [p.PermissionSetArn, p.Name]));
  const principal = new Map([...world.groups.map((g) => [g.GroupId, g.DisplayName] as const), ...world.users.map((u) => [u.UserId, u.UserName] as const)]);
  return world.assignments.map((a) => `${a.AccountId} ${setName.get(a.PermissionSetArn)} ${a.PrincipalType} ${principal.get(a.PrincipalId)}`).sort();
}

const reported = (r: Report) => r.assignments.map((a) => `${a.accountId} ${a.permissionSet} ${a.principalType} ${a.principal}`).sort();

async function configHome(sandbox: Sandbox, config: string) {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-status-home-"));
  await fs.mkdir(path.join(home, ".aws"), { recursive: true });
  await fs.writeFile(path.join(home, ".aws", "config"), config);
  return { home, env: childEnv(sandbox, { HOME: home }) };
}

describe("status end to end", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control(sandbox, "POST", "/reset", {});
  });

  it("reads a large organisation through every page, compares the profiles and shows token expiry", async () => {
    await scenario(sandbox, {
      accounts: [
        { name: "acme-old", email: "aws+old@acme.com", state: "SUSPENDED" },
        { name: "acme-qa", email: "aws+qa@acme.com" },
      ],
      seed: { accounts: 120, users: 450, groups: 12, permissionSets: 3, assignmentsPerAccount: 2 },
    });
    const world = await worldState(sandbox);
    const byName = (name: string) => world.accounts.find((a) => a.Name === name)!.Id;
    const startUrl = `https://${world.instances[0].IdentityStoreId}.awsapps.com/start`;
    const { home, env } = await configHome(
      sandbox,
      `[sso-session acme]
sso_start_url = ${startUrl}
sso_region = us-east-1

[sso-session other]
sso_start_url = https://other.awsapps.com/start
sso_region = eu-west-1

[profile seed-0001]
sso_session = acme
sso_account_id = ${byName("seed-0001")}
sso_role_name = PermissionSet0001

[profile acme-gone]
sso_session = acme
sso_account_id = 999999999999
sso_role_name = PermissionSet0001

[profile acme-old]
sso_session = acme
sso_account_id = ${byName("acme-old")}
sso_role_name = PermissionSet0001

[profile acme-typo]
sso_session = acme
sso_account_id = ${byName("seed-0002")}
sso_role_name = AdminAccess
`,
    );
    const now = Date.now();
    await writeCachedToken(home, "acme", { startUrl, region: "us-east-1", accessToken: "expired-token", expiresAt: new Date(now - 60_000).toISOString() });
    await writeCachedToken(home, "other", { startUrl: "https://other.awsapps.com/start", region: "eu-west-1", accessToken: "valid-token", expiresAt: new Date(now + 3_600_000).toISOString() });
    await control(sandbox, "DELETE", "/calls");

    const r = await runCli(["status", "--json", "--sso-session", "acme"], env);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(r.stdout).not.toMatch(/expired-token|valid-token/);

    expect(report.accounts.map((a) => a.id).sort()).toEqual(world.accounts.map((a) => a.Id).sort());
    expect(report.users).toHaveLength(450);
    expect(report.groups).toHaveLength(12);
    expect(report.groups.reduce((n, g) => n + g.members.length, 0)).toBe(450);
    expect(report.users.find((u) => u.userName === "user0013@example.com")?.groups).toEqual(["Group0001"]);
    expect(reported(report)).toEqual(await worldAssignments(sandbox));
    expect(report.assignments).toHaveLength(240);
    expect(report.identityCenter.startUrl).toBe(startUrl);

    expect(Object.fromEntries(report.profiles.map((p) => [p.name, p.state]))).toEqual({
      "seed-0001": "ok",
      "acme-gone": "unknown-account",
      "acme-old": "account-closed",
      "acme-typo": "unknown-permission-set",
    });
    expect(report.accountsWithoutProfile.map((a) => a.name)).toEqual(["acme-qa"]);
    expect(Object.fromEntries(report.sessions.map((s) => [s.name, s.state]))).toEqual({ acme: "expired", other: "valid" });

    // 240 (account, set) pairs beat 462 principals; each pair holds one assignment: one call each.
    const calls = await callLog(sandbox);
    expect(report.assignmentListing).toEqual({ by: "account-and-permission-set", listings: 240 });
    expect(calls.filter((c) => c.operation === "ListAccountAssignments")).toHaveLength(240);
    expect(calls.filter((c) => c.operation === "ListAccountAssignmentsForPrincipal")).toHaveLength(0);
    expect(calls.filter((c) => c.mutating)).toEqual([]);

    // The screen for people: 80 columns, long lists cut with a count.
    const human = await runCli(["status", "--sso-session", "acme"], env);
    expect(human.code, ownStderr(human.stderr)).toBe(0);
    for (const line of human.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(human.stdout).toContain(`… and ${world.accounts.length - LIST_LIMIT} more accounts (--json lists all)`);
    expect(human.stdout).toMatch(/Group0001\s+PermissionSet0001\s+120 accounts/);
    expect(human.stdout).toMatch(/acme-gone: account 999999999999 is not in the organization/);
    expect(human.stdout).toMatch(/acme-qa \(\d{12}\) has no profile: org-bootstrap add-account qa/);
    expect(human.stdout).toMatch(/acme {3}expired at \d\d:\d\d UTC on [\d-]+\n\s+log in: org-bootstrap login --sso-session acme\n/);
    // Not a terminal: the reading line once and the totals, no counts so far (docs/status.md); --json: neither.
    expect(human.stdout).toContain(`… Reading the organization\n✔ Read ${world.accounts.length} accounts, 450 users, 12 groups\n`);
    expect(human.stdout + human.stderr).not.toContain("so far");
    expect(human.stdout + human.stderr).not.toContain("\r");
    expect(r.stdout + r.stderr).not.toMatch(/Reading the organization|so far/);

    // On a terminal the line counts what has been read so far, page by page and listing by listing.
    if (hasScript) {
      const tty = startCliInPty(["status", "--sso-session", "acme"], env);
      expect(await tty.exit, tty.stdout()).toBe(0);
      const counts = [...tty.stdout().matchAll(/Reading the organization: (\d+) accounts?, (\d+) users?, (\d+) assignments? so far(?: \((\d+) of (\d+) assignment listings\))?/g)].map((m) => m.slice(1).map(Number));
      // Accounts and users arrive a page (3 here) at a time, assignments one listing at a time.
      expect(counts.some(([accounts]) => accounts > 0 && accounts < world.accounts.length)).toBe(true);
      expect(counts.some(([, users]) => users > 0 && users < 450)).toBe(true);
      expect(counts.some(([, , assignments, done, total]) => total === 240 && done > 0 && done < 240 && assignments === done)).toBe(true);
      expect(counts.at(-1)).toEqual([world.accounts.length, 450, 240, 240, 240]);
      // Counts never go down.
      for (let i = 1; i < counts.length; i++) for (const k of [0, 1, 2]) expect(counts[i][k]).toBeGreaterThanOrEqual(counts[i - 1][k]);
      expect(visibleLines(tty.stdout())).toContain(`✔ Read ${world.accounts.length} accounts, 450 users, 12 groups`);
    }
  });

  it("lists per principal when there are fewer principals than (account, set) pairs, with the same result", async () => {
    await scenario(sandbox, { seed: { accounts: 6, users: 2, groups: 2, permissionSets: 3, assignmentsPerAccount: 3 } });
    const world = await worldState(sandbox);
    const { env } = await configHome(sandbox, `[sso-session acme]\nsso_start_url = https://${world.instances[0].IdentityStoreId}.awsapps.com/start\nsso_region = us-east-1\n`);
    await control(sandbox, "DELETE", "/calls");
    const r = await runCli(["status", "--json"], env);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.assignmentListing).toEqual({ by: "principal", listings: 4 });
    expect(reported(report)).toEqual(await worldAssignments(sandbox));
    expect((await callLog(sandbox)).filter((c) => c.operation === "ListAccountAssignments")).toHaveLength(0);
  });

  it("shows who has what where as a matrix for an organisation made by init", async () => {
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: true });
    const h = await makeInitHome(sandbox);
    expect((await runInit(h)).code).toBe(0);
    const r = await runCli(["status"], h.env, h.project);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/^\s+management\s+dev\s+production$/m);
    expect(r.stdout).toMatch(/^\s+Administrators\s+A\s+A\s+A$/m);
    expect(r.stdout).toMatch(/A = AdministratorAccess/);
    expect(r.stdout).toMatch(/✔ acme-dev, acme-production/);
    expect(r.stdout).toMatch(/acme {2}not logged in\n\s+log in: org-bootstrap login --sso-session acme/);
  });

  it("says to run init when there is no config", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-status-empty-"));
    const r = await runCli(["status"], childEnv(sandbox, { HOME: home }));
    expect(r.code).toBe(2);
    expect(ownStderr(r.stderr)).toMatch(/Run org-bootstrap init first/);
  });
});
