/**
 * `add-user --access`: a new group with a permission set per stage (docs/add-user.md, Access per
 * stage), end to end against the emulated AWS after an unattended `init`. Assertions on which
 * permission set the emulator holds in which account, the printed matrix, the call log and exit codes.
 */
import { describe, expect, it } from "vitest";
import { ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { accessInStatus } from "../helpers/statusAccess.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";

const di = ["--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers"];

describe("add-user --access", () => {
  const setup = useDayTwoSetup();
  const addUser = (args: string[]) => runCli(["add-user", ...args], setup.h.env, setup.h.project);
  const mutating = async () => (await callLog(setup.sandbox)).filter((c) => c.mutating).map((c) => c.operation);
  /** Per account name: the permission set names group `name` has there. */
  const accessOf = async (name: string) => {
    const world = await worldState(setup.sandbox);
    const group = world.groups.find((g) => g.DisplayName === name);
    const setName = new Map(world.permissionSets.map((p) => [p.PermissionSetArn, p.Name]));
    const accountName = new Map(world.accounts.map((a) => [a.Id, a.Name]));
    const out: Record<string, string[]> = {};
    for (const a of world.assignments.filter((x) => x.PrincipalId === group?.GroupId)) (out[accountName.get(a.AccountId)!] ??= []).push(setName.get(a.PermissionSetArn)!);
    return out;
  };

  it("creates the group with PowerUserAccess in dev and ReadOnlyAccess in production, shows the matrix; a re-run makes no mutating call", async () => {
    const r = await addUser([...di, "--access", "dev=poweruser,production=readonly"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/Access per stage for Developers:\n\s+dev\s+PowerUserAccess\n\s+production\s+ReadOnlyAccess\n/);
    expect(await accessOf("Developers")).toEqual({ "acme-dev": ["PowerUserAccess"], "acme-production": ["ReadOnlyAccess"] });
    const first = await mutating();
    expect(first.filter((o) => o === "CreatePermissionSet")).toHaveLength(2);
    expect(first.filter((o) => o === "CreateAccountAssignment")).toHaveLength(2);
    const world = await worldState(setup.sandbox);
    for (const name of ["PowerUserAccess", "ReadOnlyAccess"]) {
      expect(world.permissionSets.find((p) => p.Name === name)?.SessionDuration).toBe(world.permissionSets.find((p) => p.Name === "AdministratorAccess")?.SessionDuration);
    }

    // status draws the same matrix: Developers with a different set in each stage account.
    expect(await accessInStatus(setup.h, "Developers")).toEqual([
      ["acme-dev", "PowerUserAccess"],
      ["acme-production", "ReadOnlyAccess"],
    ]);

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await addUser([...di, "--access", "dev=poweruser,production=readonly", "--json"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await mutating()).toEqual([]);
    expect(JSON.parse(again.stdout).access).toEqual([
      { stage: "dev", accountId: expect.any(String), permissionSet: "PowerUserAccess" },
      { stage: "production", accountId: expect.any(String), permissionSet: "ReadOnlyAccess" },
    ]);
  });

  it("a stage not named gets no access, and the plan says so", async () => {
    const r = await addUser([...di, "--access", "dev=readonly"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(unwrapped(r.stdout)).toMatch(/production\s+no access \(not named in --access\)/);
    expect(await accessOf("Developers")).toEqual({ "acme-dev": ["ReadOnlyAccess"] });
  });

  it("an existing group whose access differs: refused, exit 2, nothing changed, the message gives its access per stage", async () => {
    expect((await addUser([...di, "--access", "dev=readonly"])).code).toBe(0);
    await control(setup.sandbox, "DELETE", "/calls");
    const r = await addUser(["--yes", "--email", "ed@acme.com", "--given-name", "Ed", "--family-name", "Fox", "--group", "Developers", "--access", "dev=poweruser,production=readonly"]);
    expect(r.code).toBe(2);
    expect(unwrapped(ownStderr(r.stderr))).toMatch(/Group Developers exists with other access: dev=ReadOnlyAccess, production=none; --access asks for dev=PowerUserAccess, production=ReadOnlyAccess\. Nothing was changed/);
    expect(await mutating()).toEqual([]);
    expect(await accessOf("Developers")).toEqual({ "acme-dev": ["ReadOnlyAccess"] });
  });

  it("--force changes an existing group's matrix: the plan shows now → after and names the removal, new access first, then the removal; a re-run makes no mutating call", async () => {
    expect((await addUser([...di, "--access", "dev=poweruser,production=readonly"])).code).toBe(0);
    const ed = ["--yes", "--email", "ed@acme.com", "--given-name", "Ed", "--family-name", "Fox", "--group", "Developers", "--access", "dev=admin,production=readonly"];
    const refused = await addUser(ed);
    expect(refused.code).toBe(2);
    expect(unwrapped(ownStderr(refused.stderr))).toMatch(/run again with --force/);

    await control(setup.sandbox, "DELETE", "/calls");
    const dry = await addUser([...ed, "--force", "--dry-run", "--json"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    expect(await callLog(setup.sandbox).then((calls) => calls.filter((c) => c.mutating))).toEqual([]);
    const planned = JSON.parse(dry.stdout.slice(dry.stdout.indexOf("{"))) as { plan: { assignments: { permissionSet: string; stage: string; status: string }[]; access: { current: unknown[] } } };
    expect(planned.plan.assignments.map((a) => [a.stage, a.permissionSet, a.status])).toEqual([
      ["dev", "AdministratorAccess", "create"],
      ["production", "ReadOnlyAccess", "exists"],
      ["dev", "PowerUserAccess", "delete"],
    ]);
    expect(planned.plan.access.current).toEqual([
      { group: "Developers", stage: "dev", accountId: expect.any(String), accountName: "acme-dev", permissionSets: ["PowerUserAccess"] },
      { group: "Developers", stage: "production", accountId: expect.any(String), accountName: "acme-production", permissionSets: ["ReadOnlyAccess"] },
    ]);

    const r = await addUser([...ed, "--force"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/Access per stage for Developers, now → after this run \(--force: exactly --access\):\n\s+dev\s+PowerUserAccess → AdministratorAccess\s+removes PowerUserAccess\n\s+production\s+ReadOnlyAccess \(unchanged\)\n/);
    expect(unwrapped(r.stdout)).toMatch(/- remove\s+Access: group Developers → PowerUserAccess in acme-dev/);
    expect(unwrapped(ownStderr(r.stderr))).toMatch(/--force removes from group Developers: PowerUserAccess in acme-dev\./);
    // The new assignment is asked for before the old one is deleted: members keep access in dev throughout.
    const calls = await mutating();
    expect(calls.filter((o) => o.endsWith("AccountAssignment"))).toEqual(["CreateAccountAssignment", "DeleteAccountAssignment"]);
    expect(await accessOf("Developers")).toEqual({ "acme-dev": ["AdministratorAccess"], "acme-production": ["ReadOnlyAccess"] });

    expect(await accessInStatus(setup.h, "Developers")).toEqual([
      ["acme-dev", "AdministratorAccess"],
      ["acme-production", "ReadOnlyAccess"],
    ]);

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await addUser([...ed, "--force"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await mutating()).toEqual([]);
  });

  it("--force with a stage not named takes the group's access there away, and says so before the plan", async () => {
    expect((await addUser([...di, "--access", "dev=poweruser,production=readonly"])).code).toBe(0);
    const r = await addUser([...di, "--access", "dev=poweruser", "--force"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(unwrapped(ownStderr(r.stderr))).toMatch(/--force removes from group Developers: ReadOnlyAccess in acme-production; production is not named in --access, so the group keeps no access there\./);
    expect(unwrapped(r.stdout)).toMatch(/production\s+ReadOnlyAccess → no access \(not named in --access\)\s+removes ReadOnlyAccess/);
    expect(await accessOf("Developers")).toEqual({ "acme-dev": ["PowerUserAccess"] });
  });

  it("an existing group holding part of the matrix (a stopped run's) gets the rest", async () => {
    expect((await addUser([...di, "--access", "dev=poweruser"])).code).toBe(0);
    const r = await addUser([...di, "--access", "dev=poweruser,production=readonly"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(await accessOf("Developers")).toEqual({ "acme-dev": ["PowerUserAccess"], "acme-production": ["ReadOnlyAccess"] });
  });

  it("bad --access is refused before any AWS call, exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--access", "qa=readonly"], /there is no stage qa\..*dev, production/],
      [["--access", "dev=readonly,dev=admin"], /names stage dev twice/],
      [["--access", "dev"], /"dev" is not STAGE=SET/],
      [["--access", ","], /--access is empty/],
      [["--access", "dev=readonly", "--permission-set", "admin"], /--permission-set and --access both/],
      [["--force"], /--force changes an existing group's access, and only --access says what it becomes\..*Add --access STAGE=SET/],
      [["--force", "--permission-set", "admin"], /only --access says what it becomes/],
    ];
    for (const [args, message] of cases) {
      const r = await addUser([...di, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(unwrapped(ownStderr(r.stderr))).toMatch(message);
    }
    expect(await callLog(setup.sandbox)).toEqual([]);
    const unknownSet = await addUser([...di, "--access", "dev=NoSuchSet"]);
    expect(unknownSet.code).toBe(2);
    expect(ownStderr(unknownSet.stderr)).toMatch(/There is no permission set NoSuchSet/);
    expect(await mutating()).toEqual([]);
  });
});
