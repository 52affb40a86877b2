/**
 * `add-account` with the role ladder (docs/add-account.md, Access in the new account): after
 * init and `add-user --access dev=poweruser,production=readonly`, Developers' access differs per
 * stage, so a new stage's account gives them what they have in the `--like` stage — or nothing,
 * and the plan says so. Assertions on the emulator's assignments, status --json, printed text,
 * the call log and exit codes.
 */
import { describe, expect, it } from "vitest";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { accessInStatus } from "../helpers/statusAccess.js";
import { CLI, ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { cliCommandLine, hasTmux, openTerminal } from "../helpers/terminal.js";

const developers = ["add-user", "--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers", "--access", "dev=poweruser,production=readonly"];

describe("add-account with a group whose access differs per stage", () => {
  const setup = useDayTwoSetup({
    afterInit: async ({ h }) => {
      const r = await runCli(developers, h.env, h.project);
      expect(r.code, r.stderr).toBe(0);
    },
  });
  const addAccount = (args: string[]) => runCli(["add-account", ...args], setup.h.env, setup.h.project);
  const mutating = async () => (await callLog(setup.sandbox)).filter((c) => c.mutating).map((c) => c.operation);
  /** Per group name: the permission set names it has in account `name`. */
  const accessIn = async (name: string) => {
    const world = await worldState(setup.sandbox);
    const id = world.accounts.find((a) => a.Name === name)?.Id;
    const setName = new Map(world.permissionSets.map((p) => [p.PermissionSetArn, p.Name]));
    const groupName = new Map(world.groups.map((g) => [g.GroupId, g.DisplayName]));
    const out: Record<string, string[]> = {};
    for (const a of world.assignments.filter((x) => x.AccountId === id)) (out[groupName.get(a.PrincipalId)!] ??= []).push(setName.get(a.PermissionSetArn)!);
    return out;
  };

  it("--like dev: Developers get PowerUserAccess in staging, status --json shows it; a re-run makes no mutating call", async () => {
    const r = await addAccount(["staging", "--like", "dev", "--yes", "--json"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(await accessIn("acme-staging")).toEqual({ Administrators: ["AdministratorAccess"], Developers: ["PowerUserAccess"] });
    expect(unwrapped(r.stderr)).toMatch(/Access in acme-staging:\s+Administrators\s+AdministratorAccess \(as in every stage account\)\s+Developers\s+PowerUserAccess \(as in dev\)/);
    const summary = JSON.parse(r.stdout);
    expect(summary.access).toEqual([
      { group: "Administrators", permissionSets: ["AdministratorAccess"], source: "every-stage" },
      { group: "Developers", permissionSets: ["PowerUserAccess"], source: "like" },
    ]);
    expect((await mutating()).filter((o) => o === "CreateAccountAssignment")).toHaveLength(2);

    expect(await accessInStatus(setup.h, "Developers")).toEqual([
      ["acme-dev", "PowerUserAccess"],
      ["acme-production", "ReadOnlyAccess"],
      ["acme-staging", "PowerUserAccess"],
    ]);

    // A re-run, with --like or without (Developers already have access there: nothing to choose).
    for (const args of [["--like", "dev"], []]) {
      await control(setup.sandbox, "DELETE", "/calls");
      const again = await addAccount(["staging", ...args, "--yes"]);
      expect(again.code, ownStderr(again.stderr)).toBe(0);
      expect(again.stdout).toMatch(/already in place; nothing changed/);
      expect(await mutating()).toEqual([]);
    }
  });

  it("without --like: the plan names Developers and the fix; they get nothing, Administrators get their access", async () => {
    const dry = await addAccount(["staging", "--dry-run"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    const text = unwrapped(dry.stdout);
    expect(text).toMatch(/Developers\s+no access \(differs per stage, no --like\)/);
    expect(text).toContain(
      "Group Developers gets no access in acme-staging: its access differs per stage (dev: PowerUserAccess, production: ReadOnlyAccess). To give it what it has in one of them, run again with --like dev or --like production.",
    );
    expect(await mutating()).toEqual([]);

    const r = await addAccount(["staging", "--yes"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(unwrapped(r.stdout)).toMatch(/Group Developers gets no access in acme-staging/);
    expect(await accessIn("acme-staging")).toEqual({ Administrators: ["AdministratorAccess"] });

    // The fix the plan named, run afterwards, adds only Developers' assignment.
    await control(setup.sandbox, "DELETE", "/calls");
    const fixed = await addAccount(["staging", "--like", "production", "--yes"]);
    expect(fixed.code, ownStderr(fixed.stderr)).toBe(0);
    expect(await mutating()).toEqual(["CreateAccountAssignment"]);
    expect(await accessIn("acme-staging")).toEqual({ Administrators: ["AdministratorAccess"], Developers: ["ReadOnlyAccess"] });
  });

  it("--like naming an unknown stage, or the new one, is refused before any AWS call (exit 2)", async () => {
    for (const [like, message] of [
      ["qa", /--like: there is no stage qa\.\s+The stages of your config: dev, production\./],
      ["staging", /--like staging names the new stage itself/],
    ] as const) {
      const r = await addAccount(["staging", "--like", like, "--yes"]);
      expect(r.code).toBe(2);
      expect(unwrapped(ownStderr(r.stderr))).toMatch(message);
    }
    expect(await callLog(setup.sandbox)).toEqual([]);

    // Only Developers, no --like: an account nobody could sign in to is refused before any change.
    const none = await addAccount(["qa", "--group", "Developers", "--yes"]);
    expect(none.code).toBe(2);
    expect(unwrapped(ownStderr(none.stderr))).toMatch(
      /No group would get access in acme-qa, so nobody could sign in to it: Developers has different access per stage\.\s+Say which stage qa is like: org-bootstrap add-account qa --like dev or --like production/,
    );
    expect(await mutating()).toEqual([]);
  });

  it.skipIf(!hasTmux)("in a terminal, asks which stage the new one is like", async () => {
    const terminal = openTerminal(`ob-add-account-like-${process.pid}`);
    try {
      terminal.start(cliCommandLine(setup.h.project, { ...setup.h.env, TERM: "xterm-256color" }, CLI, ["add-account", "staging"]));
      // Choices: dev (first), production, none of them.
      await terminal.answer(/Developers has different access per stage\. Which stage is staging like\?/, "Down", "Enter");
      await terminal.answer(/Create acme-staging and its access\?/, "Enter");
      await terminal.answer(/Write ~\/\.aws\/config\?/, "Enter");
      await terminal.waitForScreen(/EXIT=\d+/, 30_000);
      expect(terminal.screen()).toMatch(/EXIT=0/);
      expect(terminal.screen()).toMatch(/Developers\s+ReadOnlyAccess \(as in production\)/);
    } finally {
      terminal.close();
    }
    expect(await accessIn("acme-staging")).toEqual({ Administrators: ["AdministratorAccess"], Developers: ["ReadOnlyAccess"] });
  });
});
