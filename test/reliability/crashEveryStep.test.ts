/**
 * Crash at every step (docs/init.md, docs/security.md: "a run interrupted at any point is finished by running it again,
 * with nothing created twice"). A clean `init --yes` is measured first: its mutating calls, the
 * organisation it leaves, the files it writes. Then, for every N from 1 to that count, a fresh
 * world and HOME: the emulator applies mutating call N and never answers it (the worst moment:
 * AWS did it, the CLI never learns), the CLI is killed (SIGKILL) or interrupted (SIGINT), and
 * `init` runs again. The organisation and every file must then equal the clean run's.
 * The same for every day-two command that changes AWS (add-account, add-user, remove-user,
 * close-account), each after the init it needs.
 * Each case has its own emulator (zero delays), so the cases run side by side.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { ownStderr } from "../helpers/loginCli.js";
import { makeInitHome, runInit, startInit } from "../e2e/initHarness.js";
import { filesUnder, identifierLabels, organisationByName, waitUntilHeld } from "./harness.js";
import { endState, mutatingCommands, runCommand, startCommand, type MutatingCommand } from "./mutatingCommands.js";

const freshWorld = () => startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function cleanRun() {
  const sandbox = await freshWorld();
  opened.push(sandbox);
  const h = await makeInitHome(sandbox);
  const result = await runInit(h);
  if (result.code !== 0) throw new Error(`the clean run failed:\n${result.stderr}`);
  const world = await worldState(sandbox);
  const mutating = (await callLog(sandbox)).filter((c) => c.mutating).map((c) => c.operation);
  return { mutating, organisation: organisationByName(world), files: await filesUnder(h.home, identifierLabels(world)) };
}

const clean = await cleanRun();
const steps = clean.mutating.map((operation, i) => ({ n: i + 1, operation }));

async function interruptAndResume(n: number, signal: "SIGKILL" | "SIGINT") {
  const sandbox = await freshWorld();
  opened.push(sandbox);
  await control(sandbox, "POST", "/hold", { mutatingCall: n });
  const h = await makeInitHome(sandbox);
  const running = startInit(h);
  const held = await waitUntilHeld(sandbox, running.exit);
  running.child.kill(signal);
  const code = await running.exit;
  await control(sandbox, "DELETE", "/hold");
  const interrupted = { held, code, stderr: ownStderr(running.stderr()) };

  const again = await runInit(h);
  const world = await worldState(sandbox);
  return { interrupted, again, organisation: organisationByName(world), files: await filesUnder(h.home, identifierLabels(world)) };
}

describe(`init interrupted at each of the ${steps.length} AWS changes of a clean run, then run again`, () => {
  it("a clean run makes the changes docs/init.md lists, once each", () => {
    // Organization, 2 accounts, permission set + its policy, user, group, membership, 3 assignments.
    expect([...clean.mutating].sort()).toEqual(
      [
        "AttachManagedPolicyToPermissionSet",
        "CreateAccount",
        "CreateAccount",
        "CreateAccountAssignment",
        "CreateAccountAssignment",
        "CreateAccountAssignment",
        "CreateGroup",
        "CreateGroupMembership",
        "CreateOrganization",
        "CreatePermissionSet",
        "CreateUser",
      ].sort(),
    );
    expect(clean.files[".aws/config"]?.mode).toBe(0o600);
    expect(clean.files[".aws/"]?.mode).toBe(0o700);
  });

  for (const { n, operation } of steps) {
    it.concurrent(`SIGKILL while change ${n} (${operation}) is unanswered: the re-run ends exactly like a clean run`, async () => {
      const r = await interruptAndResume(n, "SIGKILL");
      expect(r.interrupted.held).toBe(true);
      expect(r.again.code, r.again.stderr).toBe(0);
      expect(r.organisation).toEqual(clean.organisation);
      expect(r.files).toEqual(clean.files);
    });

    it.concurrent(`Ctrl-C while change ${n} (${operation}) is unanswered: exit 130, one line on resuming, and the re-run ends like a clean run`, async () => {
      const r = await interruptAndResume(n, "SIGINT");
      expect(r.interrupted.held).toBe(true);
      expect(r.interrupted.code).toBe(130);
      const errorLines = r.interrupted.stderr.split("\n").filter((l) => l.startsWith("✖"));
      expect(errorLines).toEqual(["✖ Stopped. Run the same command again to resume; nothing is lost or made twice."]);
      expect(r.interrupted.stderr).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
      expect(r.again.code, r.again.stderr).toBe(0);
      expect(r.organisation).toEqual(clean.organisation);
      expect(r.files).toEqual(clean.files);
    });
  }
});

const dayTwo = mutatingCommands.filter((c) => c.args.length > 0);

/** A day-two command's clean run, after what it needs: its mutating calls and its end state. */
async function cleanDayTwo(c: MutatingCommand) {
  const sandbox = await freshWorld();
  opened.push(sandbox);
  const h = await makeInitHome(sandbox);
  await c.before(sandbox, h);
  await control(sandbox, "DELETE", "/calls");
  const result = await runCommand(c, h);
  if (result.code !== 0) throw new Error(`the clean ${c.name} failed:\n${result.stderr}`);
  const mutating = (await callLog(sandbox)).filter((call) => call.mutating).map((call) => call.operation);
  return { mutating, ...(await endState(sandbox, h)) };
}

async function interruptDayTwo(c: MutatingCommand, n: number, signal: "SIGKILL" | "SIGINT") {
  const sandbox = await freshWorld();
  opened.push(sandbox);
  const h = await makeInitHome(sandbox);
  await c.before(sandbox, h);
  await control(sandbox, "POST", "/hold", { mutatingCall: n });
  const running = startCommand(c, h);
  running.child.stdin!.end();
  const held = await waitUntilHeld(sandbox, running.exit);
  running.child.kill(signal);
  const code = await running.exit;
  await control(sandbox, "DELETE", "/hold");
  const interrupted = { held, code, stderr: ownStderr(running.stderr()) };
  const again = await runCommand(c, h);
  return { interrupted, again, ...(await endState(sandbox, h)) };
}

const dayTwoCleans = await Promise.all(dayTwo.map(async (c) => ({ c, clean: await cleanDayTwo(c) })));

describe.each(dayTwoCleans)("$c.name interrupted at each of its AWS changes, then run again", ({ c, clean }) => {
  it("the clean run makes changes, so every one of them is tried below", () => {
    expect(clean.mutating.length).toBeGreaterThan(0);
  });

  for (const [i, operation] of clean.mutating.entries()) {
    const n = i + 1;
    for (const signal of ["SIGKILL", "SIGINT"] as const) {
      it.concurrent(`${signal} while change ${n} (${operation}) is unanswered: the re-run ends exactly like a clean run`, async () => {
        const r = await interruptDayTwo(c, n, signal);
        expect(r.interrupted.held).toBe(true);
        if (signal === "SIGINT") {
          expect(r.interrupted.code).toBe(130);
          expect(r.interrupted.stderr.split("\n").filter((l) => l.startsWith("✖"))).toEqual(["✖ Stopped. Run the same command again to resume; nothing is lost or made twice."]);
        }
        expect(r.again.code, r.again.stderr).toBe(0);
        expect(r.organisation).toEqual(clean.organisation);
        expect(r.files).toEqual(clean.files);
        expect(r.accountCreations.filter((s) => s.state === "SUCCEEDED")).toEqual(clean.accountCreations.filter((s) => s.state === "SUCCEEDED"));
      });
    }
  }
});
