/**
 * docs/security.md (faults): with 10% of calls throttled or failing with a 5xx, init still converges
 * to the same end state, and a re-run then changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { callLog, control, openSandbox, worldState } from "../helpers/sandbox.js";
import { ownStderr } from "../helpers/loginCli.js";
import { makeInitHome, runInit } from "./initHarness.js";

describe("init under injected faults", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox({ identityCenterEnabled: true, timings: { createAccountMs: 300, assignmentMs: 100 } });
  });
  afterAll(() => sandbox.close());

  it("converges with 5% throttling and 5% server errors", async () => {
    // Spread evenly: exactly 1 call in 20 of each kind fails, whatever order the calls arrive in.
    await control(sandbox, "POST", "/faults", { throttleRate: 0.05, serverErrorRate: 0.05, spread: true });
    const h = await makeInitHome(sandbox);
    const result = await runInit(h, ["--stages", "dev,staging,production"]);
    expect(ownStderr(result.stderr)).not.toMatch(/✖/);
    expect(result.code).toBe(0);
    const calls = await callLog(sandbox);
    // The faults really happened, and were ridden out.
    expect(calls.some((c) => c.errorCode === "ThrottlingException" || c.errorCode === "TooManyRequestsException" || c.errorCode === "Throttling")).toBe(true);
    expect(calls.some((c) => (c.status ?? 0) >= 500)).toBe(true);
    const world = await worldState(sandbox);
    expect(world.accounts.map((a) => a.Name).sort()).toEqual(["acme-dev", "acme-production", "acme-staging", "management"]);
    expect(world.users).toHaveLength(1);
    expect(world.memberships).toHaveLength(1);
    expect(world.assignments).toHaveLength(4);

    await control(sandbox, "POST", "/faults", { throttleRate: 0, serverErrorRate: 0 });
    await control(sandbox, "DELETE", "/calls");
    const again = await runInit(h, ["--stages", "dev,staging,production"]);
    expect(again.code).toBe(0);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
  });
});
