/**
 * Every command that changes AWS, each with what must exist before it runs, for the suites that
 * break a run at each of its changes (crashEveryStep: a kill; dropEveryCall: a dropped connection)
 * and compare its end state with a clean run's.
 */
import { CreateAccountAssignmentCommand, ListPermissionSetsCommand, SSOAdminClient, UpdatePermissionSetCommand } from "@aws-sdk/client-sso-admin";
import type { Sandbox } from "../../src/sandbox/server.js";
import { clientConfig, scenario, worldState } from "../helpers/sandbox.js";
import { runCli, startCli } from "../helpers/loginCli.js";
import { runInit, startInit, unattended, type InitHome } from "../e2e/initHarness.js";
import { filesUnder, identifierLabels, organisationByName } from "./harness.js";

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

export const until = async (check: () => Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
};

export interface MutatingCommand {
  name: string;
  /** What exists before the command runs (after it, the call log is cleared). */
  before(sandbox: Sandbox, h: InitHome): Promise<void>;
  /** The command line; empty for `init --yes` as the harness runs it. */
  args: string[];
}

const initDone = async (_sandbox: Sandbox, h: InitHome) => {
  const r = await runInit(h);
  if (r.code !== 0) throw new Error(`setup init failed:\n${r.stderr}`);
};

export const mutatingCommands: MutatingCommand[] = [
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
  // The role ladder preset: init's setup, then group Developers with a set per stage.
  { name: "init --access-preset ladder", before: async () => {}, args: [...unattended, "--access-preset", "ladder"] },
  { name: "add-account", before: initDone, args: ["add-account", "staging", "--yes"] },
  {
    // The role ladder: Developers' access differs per stage, so --like decides theirs in staging.
    name: "add-account --like",
    before: async (sandbox, h) => {
      await initDone(sandbox, h);
      const add = await runCli(["add-user", "--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers", "--access", "dev=poweruser,production=readonly"], h.env, h.project);
      if (add.code !== 0) throw new Error(`setup add-user failed:\n${add.stderr}`);
    },
    args: ["add-account", "staging", "--like", "dev", "--yes"],
  },
  {
    name: "add-user",
    before: initDone,
    args: ["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen", "--group", "Readers", "--permission-set", "readonly"],
  },
  {
    // A permission set per stage: two sets created, one assignment each.
    name: "add-user --access",
    before: initDone,
    args: ["add-user", "--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers", "--access", "dev=poweruser,production=readonly"],
  },
  {
    // A forced change of an existing group's matrix: one assignment created, then one deleted.
    name: "add-user --access --force",
    before: async (sandbox, h) => {
      await initDone(sandbox, h);
      const add = await runCli(["add-user", "--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers", "--access", "dev=poweruser,production=readonly"], h.env, h.project);
      if (add.code !== 0) throw new Error(`setup add-user failed:\n${add.stderr}`);
    },
    args: ["add-user", "--yes", "--email", "ed@acme.com", "--given-name", "Ed", "--family-name", "Fox", "--group", "Developers", "--access", "dev=admin,production=readonly", "--force"],
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
  {
    // The day-two commands sign as an administrator of the management account: the root user
    // may not assume OrganizationAccountAccessRole (docs/ci.md).
    name: "ci github",
    before: async (sandbox, h) => {
      await initDone(sandbox, h);
      await scenario(sandbox, { caller: "iam-user" });
    },
    args: ["ci", "github", "--repo", "acme/app", "--yes"],
  },
  { name: "close-account", before: initDone, args: ["close-account", "dev", "--yes", "--confirm", "acme-dev"] },
  { name: "guardrails", before: initDone, args: ["guardrails", "--deny-leave", "--central-root", "--budget", "50", "--yes"] },
];

export const runCommand = (c: MutatingCommand, h: InitHome) => (c.args.length === 0 ? runInit(h) : runCli(c.args, h.env, h.project));
export const startCommand = (c: MutatingCommand, h: InitHome) => (c.args.length === 0 ? startInit(h) : startCli(c.args, h.env, h.project));

/** The organisation by name, with AWS's log of creation requests apart: a retried CreateAccount adds a FAILED request there. */
export async function endState(sandbox: Sandbox, h: InitHome) {
  // AWS finishes a closure on its own time (PENDING_CLOSURE, then SUSPENDED): compare end states
  // once it has, so a loaded machine's slower run is not read half-way through the closure.
  await until(async () => !(await worldState(sandbox)).accounts.some((a) => a.State === "PENDING_CLOSURE"));
  const world = await worldState(sandbox);
  const { accountCreations, ...organisation } = organisationByName(world);
  return { organisation, accountCreations: accountCreations.map((s) => JSON.parse(s) as { state: string; reason?: string }), files: await filesUnder(h.home, identifierLabels(world)) };
}
