/**
 * add-user and remove-user under a real pseudo-terminal (tmux), answered like a person: add-user
 * asks for what no flag gave (email, names, groups, the new group's permission set) and confirms;
 * remove-user asks before removing, and "no" (its default) changes nothing and exits 130.
 */
import { describe, expect, it } from "vitest";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { CLI } from "../helpers/loginCli.js";
import { callLog, worldState } from "../helpers/sandbox.js";
import { cliCommandLine, hasTmux, openTerminal } from "../helpers/terminal.js";

describe.skipIf(!hasTmux)("add-user and remove-user in a terminal", () => {
  const setup = useDayTwoSetup();
  const env = () => ({ ...setup.h.env, TERM: "xterm-256color" });

  it("add-user asks every question, the new group's permission set, and confirms", async () => {
    const terminal = openTerminal(`ob-add-user-${process.pid}`);
    try {
      terminal.start(cliCommandLine(setup.h.project, env(), CLI, ["add-user"]));
      await terminal.answer(/The person's email/, "cy@acme.com", "Enter");
      await terminal.answer(/Given name/, "Cy", "Enter");
      await terminal.answer(/Family name/, "Diaz", "Enter");
      await terminal.answer(/Groups \(comma-separated/, "C-u", "Readers", "Enter");
      // Two stage accounts: first the same set everywhere (the default) or one per stage.
      await terminal.answer(/Should group Readers get the same access in every stage account, or one per stage\?/, "Enter");
      // Choices: the existing AdministratorAccess first, then the presets not yet created.
      await terminal.answer(/Which access should group Readers get in every stage account/, "Down", "Down", "Enter");
      await terminal.answer(/Create cy@acme.com and the steps above\?/, "Enter");
      await terminal.waitForScreen(/EXIT=\d+/, 30_000);
      const screen = terminal.screen();
      expect(screen).toMatch(/EXIT=0/);
      expect(screen).toMatch(/\+ create {2}Permission set ReadOnlyAccess/);
      expect(screen).toContain("-----8<-----");
    } finally {
      terminal.close();
    }
    const world = await worldState(setup.sandbox);
    const readers = world.groups.find((g) => g.DisplayName === "Readers");
    const readOnly = world.permissionSets.find((p) => p.Name === "ReadOnlyAccess");
    const cy = world.users.find((u) => u.UserName === "cy@acme.com");
    expect(world.memberships.some((m) => m.GroupId === readers?.GroupId && m.MemberId.UserId === cy?.UserId)).toBe(true);
    expect(world.assignments.filter((a) => a.PrincipalId === readers?.GroupId && a.PermissionSetArn === readOnly?.PermissionSetArn)).toHaveLength(2);
  });

  it("remove-user asks first; the default answer (no) removes nothing and exits 130", async () => {
    const terminal = openTerminal(`ob-remove-user-${process.pid}`);
    try {
      terminal.start(cliCommandLine(setup.h.project, env(), CLI, ["remove-user", "ann@acme.com", "--force"]));
      await terminal.answer(/Remove ann@acme\.com and everything above\?/, "Enter");
      await terminal.waitForScreen(/EXIT=\d+/, 30_000);
      expect(terminal.screen()).toMatch(/- remove {2}User ann@acme\.com/);
      expect(terminal.screen()).toMatch(/EXIT=130/);
    } finally {
      terminal.close();
    }
    expect((await callLog(setup.sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect((await worldState(setup.sandbox)).users.map((u) => u.UserName)).toEqual(["ann@acme.com"]);
  });
});
