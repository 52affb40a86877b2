/**
 * add-user's questions for a new group's access, in-process and answered from a script (as
 * initInProcess.test.ts does for init's wizard): the same set in every stage account, or one per
 * stage (docs/add-user.md, Access per stage). The answers are checked against the emulator's
 * state: which permission set the group holds in which account.
 */
import { describe, expect, it } from "vitest";
import { run } from "../../src/commands/add-user.js";
import { capturedOutput, sandboxClients } from "../helpers/inProcess.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { worldState } from "../helpers/sandbox.js";
import { scriptedPrompter, type Answer } from "../helpers/scriptedPrompter.js";

describe("add-user asks a new group's access: the same everywhere, or one per stage", () => {
  const setup = useDayTwoSetup();

  async function addUser(script: [RegExp, Answer][]) {
    const { out, printed } = capturedOutput();
    const prompter = scriptedPrompter([
      [/^The person's email/, "di@acme.com"],
      [/^Given name$/, "Di"],
      [/^Family name$/, "Eze"],
      [/^Groups \(comma-separated/, "Developers"],
      ...script,
    ]);
    const input = { options: {}, positionals: [], rest: [], env: setup.h.env, cwd: setup.h.project, out, prompter, clients: sandboxClients(setup.sandbox.url), signal: new AbortController().signal };
    const outcome = await run(input).catch((err: unknown) => err);
    return { outcome, printed: printed(), left: prompter.left() };
  }

  /** Per account name: the permission sets group Developers holds there. */
  async function developersAccess() {
    const world = await worldState(setup.sandbox);
    const group = world.groups.find((g) => g.DisplayName === "Developers");
    const setName = new Map(world.permissionSets.map((p) => [p.PermissionSetArn, p.Name]));
    const accountName = new Map(world.accounts.map((a) => [a.Id, a.Name]));
    return Object.fromEntries(world.assignments.filter((a) => a.PrincipalId === group?.GroupId).map((a) => [accountName.get(a.AccountId), setName.get(a.PermissionSetArn)]));
  }

  it("one per stage: a question per stage account (presets, existing sets, no access), the matrix as --access would draw it", async () => {
    const r = await addUser([
      [/^Should group Developers get the same access in every stage account, or one per stage\?$/, "per-stage"],
      [/^Which access should group Developers get in stage dev\?$/, "poweruser"],
      [/^Which access should group Developers get in stage production\?$/, "readonly"],
      [/^Create di@acme.com and the steps above\?$/, true],
    ]);
    expect(r.outcome, r.printed).toBe(0);
    expect(r.left).toBe(0);
    expect(r.printed).toMatch(/Access per stage for Developers:\n\s+dev\s+PowerUserAccess\n\s+production\s+ReadOnlyAccess\n/);
    expect(await developersAccess()).toEqual({ "acme-dev": "PowerUserAccess", "acme-production": "ReadOnlyAccess" });
  });

  it("one per stage with a stage left without access: that stage gets none", async () => {
    const r = await addUser([
      [/^Should group Developers/, "per-stage"],
      [/in stage dev\?$/, "AdministratorAccess"],
      [/in stage production\?$/, "\0none"],
      [/^Create di@acme.com/, true],
    ]);
    expect(r.outcome, r.printed).toBe(0);
    expect(r.printed).toMatch(/production\s+no access \(not named in --access\)/);
    expect(await developersAccess()).toEqual({ "acme-dev": "AdministratorAccess" });
  });

  it("no access in any stage is refused before any change", async () => {
    const r = await addUser([
      [/^Should group Developers/, "per-stage"],
      [/in stage dev\?$/, "\0none"],
      [/in stage production\?$/, "\0none"],
    ]);
    expect(r.outcome).toMatchObject({ message: "With no access in any stage, group Developers would give its members nothing to sign in to. Nothing was changed." });
    expect((await worldState(setup.sandbox)).groups.map((g) => g.DisplayName)).not.toContain("Developers");
  });

  it("the same everywhere: the one select as before", async () => {
    const r = await addUser([
      [/^Should group Developers/, "same"],
      [/^Which access should group Developers get in every stage account\?$/, "readonly"],
      [/^Create di@acme.com/, true],
    ]);
    expect(r.outcome, r.printed).toBe(0);
    expect(await developersAccess()).toEqual({ "acme-dev": "ReadOnlyAccess", "acme-production": "ReadOnlyAccess" });
  });
});
