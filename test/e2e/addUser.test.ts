/**
 * `add-user` end to end: the built CLI against the emulated AWS, after an unattended `init` in a
 * temporary HOME. Assertions on the emulator's users, groups, memberships and assignments, the
 * call log, the printed onboarding message (its config blocks parsed by the SDK's own loader) and
 * exit codes.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { describe, expect, it } from "vitest";
import { ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";

const bo = ["--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen"];

/** The paste-ready message between the scissors lines. */
function onboardingMessage(stdout: string): string {
  const parts = stdout.split("-----8<-----\n");
  expect(parts.length).toBe(3);
  return parts[1];
}

/** The config blocks of the message, as the AWS SDK reads them. */
async function blocksAsSdkReadsThem(message: string, dir: string) {
  const lines = message.split("\n");
  const start = lines.findIndex((l) => l.trim().startsWith("[sso-session"));
  const file = path.join(dir, "pasted-config");
  // The blocks end the message (after the profiles line and the daily login).
  await fs.writeFile(file, lines.slice(start).map((l) => l.trim()).join("\n"));
  return (await loadSharedConfigFiles({ configFilepath: file, filepath: `${file}.none`, ignoreCache: true })).configFile;
}

describe("add-user end to end", () => {
  const setup = useDayTwoSetup();
  const addUser = (args: string[]) => runCli(["add-user", ...args], setup.h.env, setup.h.project);
  const mutating = async () => (await callLog(setup.sandbox)).filter((c) => c.mutating).map((c) => c.operation);

  it("creates the user in Administrators and prints the onboarding message; a re-run changes nothing and prints the same message", async () => {
    const r = await addUser(["--yes", ...bo]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(await mutating()).toEqual(["CreateUser", "CreateGroupMembership"]);

    const world = await worldState(setup.sandbox);
    const user = world.users.find((u) => u.UserName === "bo@acme.com");
    expect(user).toMatchObject({ Name: { GivenName: "Bo", FamilyName: "Chen" }, Emails: [{ Value: "bo@acme.com" }] });
    const admins = world.groups.find((g) => g.DisplayName === "Administrators");
    expect(world.memberships.some((m) => m.GroupId === admins?.GroupId && m.MemberId.UserId === user?.UserId)).toBe(true);

    // The administrator's part: how the password gets set, with the user's console page.
    const instanceId = world.instances[0].InstanceArn.split("/").pop();
    expect(r.stdout).toContain("Send email OTP");
    expect(r.stdout).toContain(`#/instances/${instanceId}/users/user-details/${user?.UserId}`);
    expect(r.stdout).toMatch(/Multi-factor authentication → Configure/);

    // The person's part: start URL, the same blocks init wrote for this org, the login command.
    const message = onboardingMessage(r.stdout);
    const startUrl = `https://${world.instances[0].IdentityStoreId}.awsapps.com/start`;
    expect(message).toContain(`Sign in at ${startUrl}`);
    expect(message).toContain("npx org-bootstrap login --sso-session acme");
    // One line sets the person up: profiles with the session's start URL, region and name (docs/profiles.md).
    expect(message).toContain(`npx org-bootstrap profiles --start-url ${startUrl} --sso-region us-east-1 --sso-session acme`);
    const pasted = await blocksAsSdkReadsThem(message, setup.h.home);
    const admin = (await loadSharedConfigFiles({ configFilepath: setup.h.configFile, filepath: `${setup.h.configFile}.none`, ignoreCache: true })).configFile;
    expect(pasted["sso-session.acme"]).toEqual(admin["sso-session.acme"]);
    expect(pasted["acme-dev"]).toEqual(admin["acme-dev"]);
    expect(pasted["acme-production"]).toEqual(admin["acme-production"]);

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await addUser(["--yes", "--json", ...bo]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await mutating()).toEqual([]);
    const summary = JSON.parse(again.stdout);
    expect(summary).toMatchObject({ user: { userName: "bo@acme.com", status: "found" }, groups: [{ displayName: "Administrators", status: "found", membership: "found" }] });
    expect(summary.onboardingMessage).toBe(message.replace(/\n$/, ""));
  });

  it("unattended without --group, with more than one group to choose from: refused, exit 2, nothing changed; the plan names an administrators' group", async () => {
    const readers = await addUser(["--yes", "--email", "cy@acme.com", "--given-name", "Cy", "--family-name", "Diaz", "--group", "Readers", "--permission-set", "readonly"]);
    expect(readers.code, ownStderr(readers.stderr)).toBe(0);
    await control(setup.sandbox, "DELETE", "/calls");
    const refused = await addUser(["--yes", ...bo]);
    expect(refused.code).toBe(2);
    expect(unwrapped(ownStderr(refused.stderr))).toMatch(/--group is needed: the identity store has 2 groups \(Administrators, Readers\).*administrator access in every account, production included/);
    expect(await mutating()).toEqual([]);
    const dry = await addUser(["--yes", "--dry-run", ...bo, "--group", "Administrators"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    expect(unwrapped(dry.stdout)).toMatch(/Group Administrators \(an administrators' group: administrator access in 3 accounts\)/);
    expect(unwrapped(dry.stdout)).not.toMatch(/Group Readers \(an administrators'/);
  });

  it("--group with a new name creates the group with the chosen permission set in every stage account; the message uses that role", async () => {
    const r = await addUser(["--yes", ...bo, "--group", "Readers", "--permission-set", "readonly"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);

    const world = await worldState(setup.sandbox);
    const set = world.permissionSets.find((p) => p.Name === "ReadOnlyAccess");
    const readers = world.groups.find((g) => g.DisplayName === "Readers");
    expect(set && readers).toBeTruthy();
    const stageIds = world.accounts.filter((a) => a.Name === "acme-dev" || a.Name === "acme-production").map((a) => a.Id).sort();
    const readerAccess = world.assignments.filter((a) => a.PrincipalId === readers?.GroupId);
    expect(readerAccess.map((a) => a.AccountId).sort()).toEqual(stageIds);
    expect(readerAccess.every((a) => a.PermissionSetArn === set?.PermissionSetArn)).toBe(true);

    const pasted = await blocksAsSdkReadsThem(onboardingMessage(r.stdout), setup.h.home);
    expect(pasted["acme-dev"]).toMatchObject({ sso_role_name: "ReadOnlyAccess", sso_session: "acme" });

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await addUser(["--yes", ...bo, "--group", "Readers", "--permission-set", "readonly"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await mutating()).toEqual([]);
    expect(again.stdout).toMatch(/0 to create/);
  });

  it("refuses bad input before any AWS call, a new group without a permission set, and an unconfirmed run; nothing is created", async () => {
    const badEmail = await addUser(["--yes", "--email", "not-an-email", "--given-name", "Bo", "--family-name", "Chen"]);
    expect(badEmail.code).toBe(2);
    expect(ownStderr(badEmail.stderr)).toMatch(/not a usable email/);
    expect(await callLog(setup.sandbox)).toEqual([]);

    const missing = await addUser(["--yes", "--email", "bo@acme.com"]);
    expect(missing.code).toBe(2);
    expect(ownStderr(missing.stderr)).toMatch(/--given-name, --family-name are missing/);

    const newGroup = await addUser(["--yes", ...bo, "--group", "Ops"]);
    expect(newGroup.code).toBe(2);
    expect(ownStderr(newGroup.stderr)).toMatch(/--permission-set/);

    const unknownSet = await addUser(["--yes", ...bo, "--group", "Ops", "--permission-set", "NoSuchSet"]);
    expect(unknownSet.code).toBe(2);
    expect(ownStderr(unknownSet.stderr)).toMatch(/no permission set NoSuchSet/);

    const unconfirmed = await addUser(bo);
    expect(unconfirmed.code).toBe(2);
    expect(ownStderr(unconfirmed.stderr)).toMatch(/--yes/);

    const dry = await addUser(["--dry-run", ...bo, "--group", "Ops", "--permission-set", "poweruser"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    expect(dry.stdout).toMatch(/\+ create {2}Group Ops/);
    expect(dry.stdout).toMatch(/\+ create {2}Access: group Ops → PowerUserAccess in acme-dev/);

    expect(await mutating()).toEqual([]);
    expect((await worldState(setup.sandbox)).users.map((u) => u.UserName)).toEqual(["ann@acme.com"]);
  });
});
