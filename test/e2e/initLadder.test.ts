/**
 * `init --access-preset ladder` (docs/init.md, Access preset): besides init's own setup, group
 * Developers (no members) with PowerUserAccess in every stage but production and ReadOnlyAccess
 * there — named with the plan before any change, shown under --dry-run, in the --json summary,
 * drawn by status; a re-run changes nothing. The built CLI against the emulated AWS.
 */
import { describe, expect, it } from "vitest";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { accessInStatus } from "../helpers/statusAccess.js";
import { runInit } from "./initHarness.js";

describe("init --access-preset ladder", () => {
  const setup = useDayTwoSetup({ init: false });
  const mutating = async () => (await callLog(setup.sandbox)).filter((c) => c.mutating).map((c) => c.operation);

  it("creates Developers with the ladder, says so before any change, --json has it, status draws it; a re-run makes no mutating call", async () => {
    const r = await runInit(setup.h, ["--access-preset", "ladder", "--json"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    const human = unwrapped(r.stderr);
    // Named with init's plan, before the first change is reported.
    const named = human.indexOf("Then (--access-preset ladder): group Developers (no members): PowerUserAccess in dev, ReadOnlyAccess in production.");
    expect(named).toBeGreaterThan(human.indexOf("Plan (AWS):"));
    expect(named).toBeLessThan(human.indexOf("✔"));
    expect(human).toMatch(/Plan \(AWS\) for the ladder preset, group Developers:\s+\+ create\s+Group Developers \(no members\)/);

    const world = await worldState(setup.sandbox);
    const developers = world.groups.find((g) => g.DisplayName === "Developers");
    expect(developers).toBeDefined();
    expect(world.memberships.filter((m) => m.GroupId === developers?.GroupId)).toEqual([]);
    expect(await accessInStatus(setup.h, "Developers")).toEqual([
      ["acme-dev", "PowerUserAccess"],
      ["acme-production", "ReadOnlyAccess"],
    ]);
    const summary = JSON.parse(r.stdout);
    expect(summary.accessPreset).toEqual({
      preset: "ladder",
      group: { displayName: "Developers", status: "created" },
      access: [
        { stage: "dev", accountId: expect.any(String), permissionSet: "PowerUserAccess" },
        { stage: "production", accountId: expect.any(String), permissionSet: "ReadOnlyAccess" },
      ],
      changed: true,
    });

    await control(setup.sandbox, "DELETE", "/calls");
    const again = await runInit(setup.h, ["--access-preset", "ladder"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(again.stdout).toMatch(/group Developers and its access were already in place; nothing changed/);
    expect(await mutating()).toEqual([]);
  });

  it("--dry-run names the ladder and changes nothing; other stages get PowerUserAccess, production ReadOnlyAccess", async () => {
    const dry = await runInit(setup.h, ["--access-preset", "ladder", "--stages", "dev,staging,production", "--dry-run", "--json"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    expect(unwrapped(dry.stderr)).toContain("Then (--access-preset ladder): group Developers (no members): PowerUserAccess in dev, PowerUserAccess in staging, ReadOnlyAccess in production.");
    expect(JSON.parse(dry.stdout).accessPreset).toEqual({
      preset: "ladder",
      group: "Developers",
      access: [
        { stage: "dev", permissionSet: "PowerUserAccess" },
        { stage: "staging", permissionSet: "PowerUserAccess" },
        { stage: "production", permissionSet: "ReadOnlyAccess" },
      ],
    });
    expect(await mutating()).toEqual([]);

    const r = await runInit(setup.h, ["--access-preset", "ladder", "--stages", "dev,staging,production"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(await accessInStatus(setup.h, "Developers")).toEqual([
      ["acme-dev", "PowerUserAccess"],
      ["acme-production", "ReadOnlyAccess"],
      ["acme-staging", "PowerUserAccess"],
    ]);
  });

  it("without the flag (admin-only), init makes no Developers group and says nothing of it", async () => {
    const r = await runInit(setup.h);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).not.toMatch(/ladder|Developers/);
    expect((await worldState(setup.sandbox)).groups.map((g) => g.DisplayName)).toEqual(["Administrators"]);
  });

  it("a Developers group with other access is left as it is: exit 2, its access per stage named, no ladder change", async () => {
    expect((await runInit(setup.h)).code).toBe(0);
    const dev = ["add-user", "--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers", "--access", "dev=readonly"];
    expect((await runCli(dev, setup.h.env, setup.h.project)).code).toBe(0);
    await control(setup.sandbox, "DELETE", "/calls");
    const r = await runInit(setup.h, ["--access-preset", "ladder"]);
    expect(r.code).toBe(2);
    expect(unwrapped(ownStderr(r.stderr))).toContain(
      "Group Developers exists with other access: dev=ReadOnlyAccess, production=none; the ladder gives dev=PowerUserAccess, production=ReadOnlyAccess. The ladder changed nothing.",
    );
    expect(await mutating()).toEqual([]);
  });

  it("an unknown preset is refused before any AWS call (exit 2)", async () => {
    const r = await runInit(setup.h, ["--access-preset", "everyone"]);
    expect(r.code).toBe(2);
    expect(unwrapped(ownStderr(r.stderr))).toMatch(/--access-preset "everyone" is not a preset\.\s+Use --access-preset ladder/);
    expect(await callLog(setup.sandbox)).toEqual([]);
  });
});
