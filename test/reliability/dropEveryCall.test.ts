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
import { ListPermissionSetsCommand, SSOAdminClient, UpdatePermissionSetCommand, CreateAccountAssignmentCommand } from "@aws-sdk/client-sso-admin";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets, type Timings } from "../../src/sandbox/state.js";
import { callLog, clientConfig, control, worldState } from "../helpers/sandbox.js";
import { ownStderr, runCli } from "../helpers/loginCli.js";
import { makeInitHome, runInit, type InitHome } from "../e2e/initHarness.js";
import { filesUnder, identifierLabels, organisationByName } from "./harness.js";

const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function freshWorld(timings: Partial<Timings>) {
  const sandbox = await startSandbox({ identityCenterEnabled: true, timings });
  opened.push(sandbox);
  return sandbox;
}

async function sso<T>(sandbox: Sandbox, use: (client: SSOAdminClient, instanceArn: string, permissionSetArn: string) => Promise<T>): Promise<T> {
  const client = new SSOAdminClient(clientConfig(sandbox));
  try {
    const { InstanceArn } = (await worldState(sandbox)).instances[0];
    const [arn] = (await client.send(new ListPermissionSetsCommand({ InstanceArn }))).PermissionSets ?? [];
    return await use(client, InstanceArn, arn);
  } finally {
    client.destroy();
  }
}

const until = async (check: () => Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
};

interface Command {
  name: string;
  /** What exists before the command runs (after it, the call log is cleared). */
  before(sandbox: Sandbox, h: InitHome): Promise<void>;
  args: string[];
}

const initDone = async (_sandbox: Sandbox, h: InitHome) => {
  const r = await runInit(h);
  if (r.code !== 0) throw new Error(`setup init failed:\n${r.stderr}`);
};

const commands: Command[] = [
  { name: "init", before: async () => {}, args: [] },
  {
    // A permission set changed in the console since: init updates and re-provisions it.
    name: "init over a changed permission set",
    before: async (sandbox, h) => {
      await initDone(sandbox, h);
      await sso(sandbox, (c, InstanceArn, PermissionSetArn) => c.send(new UpdatePermissionSetCommand({ InstanceArn, PermissionSetArn, SessionDuration: "PT1H" })));
    },
    args: [],
  },
  { name: "add-account", before: initDone, args: ["add-account", "staging", "--yes"] },
  {
    name: "add-user",
    before: initDone,
    args: ["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen", "--group", "Readers", "--permission-set", "readonly"],
  },
  {
    name: "remove-user",
    before: async (sandbox, h) => {
      await initDone(sandbox, h);
      const add = await runCli(["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen"], h.env, h.project);
      if (add.code !== 0) throw new Error(`setup add-user failed:\n${add.stderr}`);
      // A direct (user, not group) assignment too, so every kind of removal happens.
      const world = await worldState(sandbox);
      const bo = world.users.find((u) => u.UserName === "bo@acme.com")!.UserId;
      const dev = world.accounts.find((a) => a.Name === "acme-dev")!.Id;
      await sso(sandbox, (c, InstanceArn, PermissionSetArn) =>
        c.send(new CreateAccountAssignmentCommand({ InstanceArn, PermissionSetArn, TargetId: dev, TargetType: "AWS_ACCOUNT", PrincipalType: "USER", PrincipalId: bo })),
      );
      await until(async () => (await worldState(sandbox)).assignments.some((a) => a.PrincipalId === bo));
    },
    args: ["remove-user", "bo@acme.com", "--yes"],
  },
  { name: "close-account", before: initDone, args: ["close-account", "dev", "--yes", "--confirm", "acme-dev"] },
];

const run = (c: Command, h: InitHome) => (c.args.length === 0 ? runInit(h) : runCli(c.args, h.env, h.project));

/** The organisation by name, with AWS's log of creation requests apart: a retried CreateAccount adds a FAILED request there. */
async function endState(sandbox: Sandbox, h: InitHome) {
  // AWS finishes a closure on its own time (PENDING_CLOSURE, then SUSPENDED): compare end states
  // once it has, so a loaded machine's slower run is not read half-way through the closure.
  await until(async () => !(await worldState(sandbox)).accounts.some((a) => a.State === "PENDING_CLOSURE"));
  const world = await worldState(sandbox);
  const { accountCreations, ...organisation } = organisationByName(world);
  return { organisation, accountCreations: accountCreations.map((s) => JSON.parse(s) as { state: string; reason?: string }), files: await filesUnder(h.home, identifierLabels(world)) };
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
