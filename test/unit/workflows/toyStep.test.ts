/**
 * A newcomer's step kind, end to end (docs/architecture.md, "Adding a step kind"): a planner
 * step, the kind in a registry, its plan line, and one adapter call against the emulator,
 * in-process. The toy makes sure Identity Store groups exist; a re-run finds them and makes no
 * call that changes anything, and a dropped answer to CreateGroup is verified, not repeated.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openIdentityStore, type IdentityStoreApi } from "../../../src/aws/identityStore.js";
import type { Sandbox } from "../../../src/sandbox/server.js";
import { runSteps, step, type StepEvent, type StepKind } from "../../../src/workflows/executor.js";
import { callLog, clientConfig, control, openSandbox, worldState } from "../../helpers/sandbox.js";

/** 1. The planner: pure, observed names → steps marked create / exists. */
interface ToyGroupStep {
  kind: "toy-group";
  status: "create" | "exists";
  displayName: string;
  groupId?: string;
}
function planToyGroups(wanted: string[], observed: Map<string, string>): ToyGroupStep[] {
  return wanted.map((displayName) => {
    const groupId = observed.get(displayName);
    return groupId ? { kind: "toy-group", status: "exists", displayName, groupId } : { kind: "toy-group", status: "create", displayName };
  });
}

/**
 * 2. The kind: apply through the adapter, verify by looking again. (Production kinds call the
 * adapters' find-or-create; this one calls the bare create, so that verify is what saves it.)
 */
const toyGroupKind: StepKind<ToyGroupStep, string, { identityStore: IdentityStoreApi }> = {
  kind: "toy-group",
  concurrency: 2,
  describe: (s) => `Group ${s.displayName}`,
  async apply(s, ctx) {
    const groupId = await ctx.env.identityStore.createGroup(s.displayName);
    ctx.report(`Group ${s.displayName}: created`);
    return groupId;
  },
  verify: (s, ctx) => ctx.env.identityStore.findGroupId(s.displayName),
};

/** 3. The renderer: one plan line per step. */
const planLine = (s: ToyGroupStep) => `${s.status === "create" ? "+ create" : "= exists"}  ${toyGroupKind.describe(s)}`;

describe("a toy step kind, planner to emulator", () => {
  let sandbox: Sandbox;
  let identityStore: IdentityStoreApi;
  beforeAll(async () => {
    sandbox = await openSandbox({ identityCenterEnabled: true, timings: { createAccountMs: 0, assignmentMs: 0 } });
    const { IdentityStoreId } = (await worldState(sandbox)).instances[0];
    const { endpoint, region, credentials } = clientConfig(sandbox);
    // 4. One adapter, reached through the context (no process.env).
    identityStore = await openIdentityStore({ region, endpoint, credentials: async () => credentials }, IdentityStoreId);
  });
  afterAll(() => sandbox.close());

  const observe = async (names: string[]) => new Map((await Promise.all(names.map(async (n) => [n, await identityStore.findGroupId(n)] as const))).filter((e): e is readonly [string, string] => Boolean(e[1])));
  const apply = async (plan: ToyGroupStep[]) => {
    const events: StepEvent[] = [];
    const outcome = await runSteps({
      kinds: [toyGroupKind],
      env: { identityStore },
      onEvent: (e) => events.push(e),
      steps: plan.map((s) => step(toyGroupKind, `group:${s.displayName}`, s, s.status === "exists" ? { found: s.groupId } : {})),
    });
    return { outcome, reports: events.flatMap((e) => (e.type === "report" ? [e.text] : [])) };
  };

  it("plans, shows, applies; a re-run finds everything and changes nothing", async () => {
    const wanted = ["Toy-Readers", "Toy-Writers"];
    const plan = planToyGroups(wanted, await observe(wanted));
    expect(plan.map(planLine)).toEqual(["+ create  Group Toy-Readers", "+ create  Group Toy-Writers"]);
    const first = await apply(plan);
    expect(first.reports.sort()).toEqual(["Group Toy-Readers: created", "Group Toy-Writers: created"]);
    const groups = (await worldState(sandbox)).groups.filter((g) => g.DisplayName.startsWith("Toy-"));
    expect(groups.map((g) => g.DisplayName).sort()).toEqual(wanted);
    expect(first.outcome.get(`group:Toy-Readers`)).toBe(groups.find((g) => g.DisplayName === "Toy-Readers")!.GroupId);

    await control(sandbox, "DELETE", "/calls");
    const again = planToyGroups(wanted, await observe(wanted));
    expect(again.map(planLine)).toEqual(["= exists  Group Toy-Readers", "= exists  Group Toy-Writers"]);
    expect((await apply(again)).reports).toEqual([]);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
  });

  it("a CreateGroup whose answer is lost is verified, and the group is made once", async () => {
    // The emulator makes the group and drops the connection; the SDK's retry then meets ConflictException.
    await control(sandbox, "POST", "/drop", { operation: "CreateGroup", occurrence: 1 });
    const plan = planToyGroups(["Toy-Dropped"], await observe(["Toy-Dropped"]));
    const { outcome, reports } = await apply(plan);
    expect((await control<{ dropped: boolean }>(sandbox, "GET", "/drop")).dropped).toBe(true);
    await control(sandbox, "DELETE", "/drop");
    expect(reports).toEqual([]); // apply failed; verify found it
    const made = (await worldState(sandbox)).groups.filter((g) => g.DisplayName === "Toy-Dropped");
    expect(made).toHaveLength(1);
    expect(outcome.get("group:Toy-Dropped")).toBe(made[0].GroupId);
  });
});
