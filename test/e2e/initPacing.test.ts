/**
 * docs/aws-facts.md (request rates) through the step executor's account and assignment kinds
 * (src/workflows/steps/) against the emulator with AWS's rate limits on: every CreateAccount
 * starts before any wait, creations beyond the burst of 3 are spaced at the CreateAccount rate
 * (scaled here, like the emulator's buckets, so the test stays short), and at most 10
 * CreateAccountAssignment operations are outstanding at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openOrganizations } from "../../src/aws/organizations.js";
import { openSsoAdmin } from "../../src/aws/ssoAdmin.js";
import { openIdentityStore } from "../../src/aws/identityStore.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { sandboxEnvironment } from "../../src/sandbox/environment.js";
import { runSteps, step } from "../../src/workflows/executor.js";
import { accountKind, type AccountOutcome } from "../../src/workflows/steps/accounts.js";
import { assignmentKind } from "../../src/workflows/steps/assignments.js";
import { identityCenterFound, known } from "../../src/workflows/steps/common.js";
import { callLog, control, openSandbox, worldState } from "../helpers/sandbox.js";

const SCALE = 100; // CreateAccount: 0.1/s × 100 = 10/s, so 100 ms apart beyond the burst.

describe("pacing against AWS's rate limits", () => {
  let sandbox: Sandbox;
  const saved = { ...process.env };
  beforeAll(async () => {
    sandbox = await openSandbox({ identityCenterEnabled: true, timings: { createAccountMs: 200, assignmentMs: 300 } });
    Object.assign(process.env, sandboxEnvironment(sandbox.url));
    await control(sandbox, "POST", "/scenario", { organization: {}, accountQuota: 20 });
    await control(sandbox, "POST", "/faults", { enforceRateLimits: true, rateScale: SCALE });
  });
  afterAll(async () => {
    process.env = saved;
    await sandbox.close();
  });

  it("starts every creation before waiting, paced beyond the burst, with no throttling", async () => {
    const orgs = await openOrganizations({ region: "us-east-1" });
    const wanted = ["a", "b", "c", "d", "e", "f"].map((s) => ({ name: `pace-${s}`, email: `pace+${s}@example.com` }));
    const accounts = accountKind({ pace: { burst: 3, intervalMs: 1000 / (0.1 * SCALE) }, backoff: { initialMs: 50, maxMs: 200, factor: 1.5 } });
    const outcome = await runSteps({
      kinds: [accounts],
      env: { organizations: orgs },
      steps: wanted.map((w) => step(accounts, w.name, { stage: w.name, name: w.name, email: known(w.email) })),
    });
    const done = wanted.map((w) => outcome.get<AccountOutcome>(w.name));
    expect(done.map((c) => c.status)).toEqual(Array(6).fill("created"));
    expect(done.every((c) => /^\d{12}$/.test(c.id))).toBe(true);
    const calls = await callLog(sandbox);
    const creates = calls.filter((c) => c.operation === "CreateAccount");
    const firstPoll = calls.find((c) => c.operation === "ListCreateAccountStatus");
    expect(creates).toHaveLength(6);
    expect(creates.every((c) => c.status === 200)).toBe(true);
    expect(Math.max(...creates.map((c) => c.seq))).toBeLessThan(firstPoll!.seq);
    // Beyond the burst of 3, the 4th to 6th calls are spaced by the sustained rate.
    const starts = creates.map((c) => c.startedAt).sort((x, y) => x - y);
    expect(starts[5] - starts[0]).toBeGreaterThanOrEqual(2.5 * (1000 / (0.1 * SCALE)));
  });

  it("keeps at most 10 account assignments outstanding", async () => {
    const world = await worldState(sandbox);
    const instance = world.instances[0];
    const sso = await openSsoAdmin({ region: "us-east-1" });
    const ids = await openIdentityStore({ region: "us-east-1" }, instance.IdentityStoreId);
    const { groupId } = await ids.ensureGroup("Pacers");
    const sets = await Promise.all(
      ["PaceOne", "PaceTwo"].map((name) => sso.createPermissionSet(instance.InstanceArn, { name, description: name, sessionDuration: "PT1H", managedPolicyArns: [] })),
    );
    const accounts = world.accounts.map((a) => a.Id);
    const assignments = sets.flatMap((ps) => accounts.map((accountId) => ({ accountId, permissionSetArn: ps.arn, principalType: "GROUP" as const, principalId: groupId })));
    expect(assignments.length).toBeGreaterThan(10);
    let outstanding = 0;
    let peak = 0;
    const assign = assignmentKind({ backoff: { initialMs: 50, maxMs: 200, factor: 1.5 } });
    const outcome = await runSteps({
      kinds: [assign],
      env: {},
      steps: [
        identityCenterFound({ instance: { instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId, status: "ACTIVE", region: "us-east-1" }, ssoAdmin: sso, identityStore: ids }),
        ...assignments.map((a, i) =>
          step(
            assign,
            `a${i}`,
            { change: "create", accountId: known(a.accountId), permissionSetArn: known(a.permissionSetArn), principalType: "GROUP", principalId: known(a.principalId), account: a.accountId, permissionSet: a.permissionSetArn, principal: "group Pacers" },
            { needs: ["identity-center"] },
          ),
        ),
      ],
      // An assignment step is outstanding from before its CreateAccountAssignment until its status is seen.
      onEvent: (e) => {
        if (e.type === "start") peak = Math.max(peak, ++outstanding);
        if (e.type === "done" || e.type === "fail") outstanding--;
      },
    });
    const results = assignments.map((_a, i) => outcome.get<{ status: string }>(`a${i}`));
    expect(results.every((r) => r.status === "SUCCEEDED")).toBe(true);
    expect(peak).toBe(10);
    // One listing per round for every outstanding operation; one Describe each, once it is done.
    const calls = await callLog(sandbox);
    expect(calls.filter((c) => c.operation === "DescribeAccountAssignmentCreationStatus")).toHaveLength(assignments.length);
    expect(calls.filter((c) => c.operation === "ListAccountAssignmentCreationStatus").length).toBeGreaterThan(0);
    expect((await worldState(sandbox)).assignments).toHaveLength(assignments.length);
  });
});
