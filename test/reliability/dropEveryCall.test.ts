/**
 * A dropped connection after AWS applied the call (docs/errors.md, "Connection dropped after AWS
 * acted"). The SDK retries a request whose connection broke, so AWS sees our non-idempotent call
 * twice and answers the second as a duplicate: EMAIL_ALREADY_EXISTS or CONCURRENT_ACCOUNT_MODIFICATION
 * for our own new account, AlreadyInOrganizationException, ConflictException, ResourceNotFoundException.
 * Each must be resolved by observing again. For `init` and every day-two command, a clean run is
 * measured first (its mutating calls, the organisation, the files); then, for every mutating call
 * of it, a fresh world where the emulator applies that call and resets the connection without
 * answering. The one run must then end exactly like the clean one: exit 0, the same organisation
 * (each thing created once), the same bytes in every file. Each case has its own emulator.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets, type Timings } from "../../src/sandbox/state.js";
import { callLog, control } from "../helpers/sandbox.js";
import { ownStderr } from "../helpers/loginCli.js";
import { makeInitHome } from "../e2e/initHarness.js";
import { endState, mutatingCommands as commands, runCommand as run, type MutatingCommand as Command } from "./mutatingCommands.js";

const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function freshWorld(timings: Partial<Timings>) {
  const sandbox = await startSandbox({ identityCenterEnabled: true, timings });
  opened.push(sandbox);
  return sandbox;
}

async function cleanRun(c: Command, timings: Partial<Timings>) {
  const sandbox = await freshWorld(timings);
  const h = await makeInitHome(sandbox);
  await c.before(sandbox, h);
  await control(sandbox, "DELETE", "/calls");
  const result = await run(c, h);
  if (result.code !== 0) throw new Error(`the clean ${c.name} failed:\n${result.stderr}`);
  const mutating = (await callLog(sandbox)).filter((call) => call.mutating && !call.errorCode).map((call) => call.operation);
  return { mutating, ...(await endState(sandbox, h)) };
}

async function dropAndRun(c: Command, timings: Partial<Timings>, operation: string, occurrence: number) {
  const sandbox = await freshWorld(timings);
  const h = await makeInitHome(sandbox);
  await c.before(sandbox, h);
  await control(sandbox, "DELETE", "/calls");
  await control(sandbox, "POST", "/drop", { operation, occurrence });
  const result = await run(c, h);
  const { dropped } = await control<{ dropped: boolean }>(sandbox, "GET", "/drop");
  const calls = await callLog(sandbox);
  return { result, dropped, calls, ...(await endState(sandbox, h)) };
}

/** Each mutating call of a run, named by operation and occurrence ("CreateAccount #2"). */
function everyCall(mutating: string[]) {
  const seen = new Map<string, number>();
  return mutating.map((operation) => {
    const occurrence = (seen.get(operation) ?? 0) + 1;
    seen.set(operation, occurrence);
    return { operation, occurrence };
  });
}

const cleans = await Promise.all(commands.map(async (c) => ({ c, none: await cleanRun(c, timingPresets.none), fast: await cleanRun(c, timingPresets.fast) })));

describe.each(cleans)("$c.name: the connection drops after AWS applied each of its changes", ({ c, none, fast }) => {
  it("the clean run makes changes, so every one of them is tried below", () => {
    expect(none.mutating.length).toBeGreaterThan(0);
    expect([...fast.mutating].sort()).toEqual([...none.mutating].sort());
  });

  // Without delays the retry arrives after AWS finished the first call; with AWS-like delays
  // (account creation 1.5 s, assignments 0.3 s) while it is still running.
  for (const [label, timings, clean] of [["finished", timingPresets.none, none], ["still running", timingPresets.fast, fast]] as const) {
    const async = new Set(["CreateAccount", "CreateAccountAssignment", "DeleteAccountAssignment", "CloseAccount", "ProvisionPermissionSet"]);
    for (const { operation, occurrence } of everyCall(clean.mutating)) {
      // Only AWS's asynchronous work can still be running; once per operation is enough.
      if (label === "still running" && (!async.has(operation) || occurrence > 1)) continue;
      it.concurrent(`${operation} #${occurrence} applied, connection reset, the SDK retries (first call ${label}): exit 0 and the clean run's end state`, async () => {
        const r = await dropAndRun(c, timings, operation, occurrence);
        expect(r.dropped).toBe(true);
        // The SDK really sent the call again after the reset.
        expect(r.calls.filter((call) => call.operation === operation).length).toBeGreaterThan(clean.mutating.filter((o) => o === operation).length);
        expect(r.result.code, ownStderr(r.result.stderr)).toBe(0);
        // What the SDK's retry met was this run's own change: it is not reported as another run's.
        expect(r.result.stdout).not.toMatch(/made by another run/);
        expect(r.organisation).toEqual(clean.organisation);
        expect(r.files).toEqual(clean.files);
        // AWS keeps a record of every CreateAccount request: the repeated one may add a FAILED
        // record (that is AWS's history, not a second account); the accounts themselves match above.
        const extra = r.accountCreations.filter((s) => !clean.accountCreations.some((k) => JSON.stringify(k) === JSON.stringify(s)));
        for (const s of extra) expect(["EMAIL_ALREADY_EXISTS", "CONCURRENT_ACCOUNT_MODIFICATION"]).toContain(s.reason);
        expect(r.accountCreations.filter((s) => s.state === "SUCCEEDED")).toEqual(clean.accountCreations.filter((s) => s.state === "SUCCEEDED"));
      });
    }
  }
});
