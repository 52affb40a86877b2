/**
 * `remove-user` end to end: after an unattended `init`, a second user with a membership and a
 * direct assignment is removed (assignment deletion waited for, membership, user), an idempotent
 * re-run, and the refusals (last admin, no confirmation). Assertions on the emulator's state and
 * call log, printed text and exit codes.
 */
import {
  CreateAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import { ownStderr, runCli } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { callLog, clientConfig, control, worldState } from "../helpers/sandbox.js";

describe("remove-user end to end", () => {
  const setup = useDayTwoSetup({
    afterInit: async ({ h }) => {
      const add = await runCli(["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen"], h.env, h.project);
      expect(add.code, ownStderr(add.stderr)).toBe(0);
    },
  });
  const cli = (args: string[]) => runCli(args, setup.h.env, setup.h.project);
  const mutating = async () => (await callLog(setup.sandbox)).filter((c) => c.mutating).map((c) => c.operation);

  /** A direct (user, not group) assignment, as an administrator might have made in the console. */
  async function assignDirectly(userId: string, accountId: string) {
    const sso = new SSOAdminClient(clientConfig(setup.sandbox));
    const { InstanceArn } = (await worldState(setup.sandbox)).instances[0];
    const [PermissionSetArn] = (await sso.send(new ListPermissionSetsCommand({ InstanceArn }))).PermissionSets ?? [];
    const started = await sso.send(
      new CreateAccountAssignmentCommand({ InstanceArn, PermissionSetArn, TargetId: accountId, TargetType: "AWS_ACCOUNT", PrincipalType: "USER", PrincipalId: userId }),
    );
    const RequestId = started.AccountAssignmentCreationStatus?.RequestId;
    for (let status = started.AccountAssignmentCreationStatus?.Status; status === "IN_PROGRESS"; ) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await sso.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn, AccountAssignmentCreationRequestId: RequestId }))).AccountAssignmentCreationStatus?.Status;
    }
    sso.destroy();
  }

  it("shows and removes the direct assignment, the membership and the user; a re-run finds nothing to do", async () => {
    const before = await worldState(setup.sandbox);
    const boId = before.users.find((u) => u.UserName === "bo@acme.com")!.UserId;
    const dev = before.accounts.find((a) => a.Name === "acme-dev")!;
    await assignDirectly(boId, dev.Id);
    await control(setup.sandbox, "DELETE", "/calls");

    const r = await cli(["remove-user", "bo@acme.com", "--yes"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).toContain(`- remove  Access: bo@acme.com → AdministratorAccess in acme-dev (${dev.Id})`);
    expect(r.stdout).toContain("- remove  bo@acme.com in group Administrators");
    expect(r.stdout).toContain("- remove  User bo@acme.com");
    // Assignment first (waited for), then the membership, then the user.
    expect(await mutating()).toEqual(["DeleteAccountAssignment", "DeleteGroupMembership", "DeleteUser"]);

    const after = await worldState(setup.sandbox);
    expect(after.users.map((u) => u.UserName)).toEqual(["ann@acme.com"]);
    expect(after.memberships.some((m) => m.MemberId.UserId === boId)).toBe(false);
    expect(after.assignments.some((a) => a.PrincipalId === boId)).toBe(false);
    // The group's own access is untouched.
    expect(after.assignments.filter((a) => a.PrincipalType === "GROUP")).toEqual(before.assignments.filter((a) => a.PrincipalType === "GROUP"));

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await cli(["remove-user", "bo@acme.com", "--yes", "--json"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ email: "bo@acme.com", status: "not-found" });
    expect(await mutating()).toEqual([]);
  });

  it("refuses to remove the admin group's last member unless --force", async () => {
    const first = await cli(["remove-user", "bo@acme.com", "--yes"]);
    expect(first.code, ownStderr(first.stderr)).toBe(0);
    await control(setup.sandbox, "DELETE", "/calls");

    const refused = await cli(["remove-user", "ann@acme.com", "--yes"]);
    expect(refused.code).toBe(2);
    expect(ownStderr(refused.stderr)).toMatch(/last member of Administrators/);
    expect(ownStderr(refused.stderr)).toMatch(/--force/);
    expect(await mutating()).toEqual([]);

    const forced = await cli(["remove-user", "ann@acme.com", "--yes", "--force"]);
    expect(forced.code, ownStderr(forced.stderr)).toBe(0);
    expect((await worldState(setup.sandbox)).users).toEqual([]);
  });

  it("changes nothing on a dry run, without a terminal to confirm on, or for a malformed email", async () => {
    const dry = await cli(["remove-user", "bo@acme.com", "--dry-run"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    expect(dry.stdout).toContain("- remove  User bo@acme.com");
    expect(dry.stdout).toContain("Dry run: nothing was changed.");

    const unconfirmed = await cli(["remove-user", "bo@acme.com"]);
    expect(unconfirmed.code).toBe(2);
    expect(ownStderr(unconfirmed.stderr)).toMatch(/remove-user bo@acme.com --yes/);

    const bad = await cli(["remove-user", "bo", "--yes"]);
    expect(bad.code).toBe(2);

    expect(await mutating()).toEqual([]);
    expect((await worldState(setup.sandbox)).users.map((u) => u.UserName).sort()).toEqual(["ann@acme.com", "bo@acme.com"]);
  });
});
