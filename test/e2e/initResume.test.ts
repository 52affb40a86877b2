/**
 * Interrupted runs: killed right after AWS applied its Nth change (the emulator holds that
 * answer, the worst case), then run again. The end state must be complete with nothing twice.
 * Ctrl-C during a wait exits 130 with one line saying how to resume.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { control, openSandbox, worldState } from "../helpers/sandbox.js";
import { ownStderr } from "../helpers/loginCli.js";
import { makeInitHome, runInit, startInit } from "./initHarness.js";

async function waitUntilHeld(sandbox: Sandbox, running: ReturnType<typeof startInit>): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    const hold = await control<{ held: boolean }>(sandbox, "GET", "/hold");
    if (hold.held) return true;
    const exited = await Promise.race([running.exit.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 25))]);
    if (exited) return false;
  }
  throw new Error("the held call never came");
}

describe("init, interrupted and run again", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());

  // A fresh run makes 11 changes: organization, 2 accounts, permission set + policy, group, user,
  // membership, 3 assignments. Kill it after each one in turn.
  for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) {
    it(`completes with nothing duplicated after a kill at change ${n}`, async () => {
      await control(sandbox, "POST", "/reset", { identityCenterEnabled: true });
      await control(sandbox, "POST", "/hold", { mutatingCall: n });
      const h = await makeInitHome(sandbox);
      const running = startInit(h);
      const held = await waitUntilHeld(sandbox, running);
      running.child.kill("SIGKILL");
      await running.exit;
      expect(held).toBe(true);
      await control(sandbox, "DELETE", "/hold");

      const again = await runInit(h);
      expect(ownStderr(again.stderr)).not.toMatch(/✖/);
      expect(again.code).toBe(0);
      const world = await worldState(sandbox);
      expect(world.accounts.map((a) => a.Name).sort()).toEqual(["acme-dev", "acme-production", "management"]);
      expect(world.permissionSets.map((p) => [p.Name, p.managedPolicies.length])).toEqual([["AdministratorAccess", 1]]);
      expect(world.users).toHaveLength(1);
      expect(world.groups).toHaveLength(1);
      expect(world.memberships).toHaveLength(1);
      expect(world.assignments).toHaveLength(3);
    });
  }

  it("Ctrl-C while waiting exits 130 with one line on how to resume, and the next run finishes", async () => {
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: false });
    const h = await makeInitHome(sandbox);
    const running = startInit(h);
    await running.waitFor(/Waiting for IAM Identity Center to be enabled/);
    running.child.kill("SIGINT");
    expect(await running.exit).toBe(130);
    expect(ownStderr(running.stderr())).toMatch(/Stopped\. Run the same command again to resume/);

    await control(sandbox, "POST", "/enable-identity-center", { region: "us-east-1" });
    const again = await runInit(h);
    expect(again.code).toBe(0);
    const world = await worldState(sandbox);
    expect(world.accounts).toHaveLength(3);
    expect(world.assignments).toHaveLength(3);
  });
});
