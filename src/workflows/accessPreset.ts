/**
 * init's access preset "ladder" on the AWS side (docs/init.md, Access preset): after init's main
 * apply, group Developers (no members) with the role ladder in the stage accounts. Observed,
 * planned by the shared group-access planner (src/plan/groupAccessPlan.ts) and applied through
 * its steps (src/workflows/groupAccess.ts), so init gives a group a matrix as add-user --access does.
 */
import type { AwsContext } from "../aws/clientConfig.js";
import { openIdentityStore } from "../aws/identityStore.js";
import { openSsoAdmin } from "../aws/ssoAdmin.js";
import { assignmentKey, planGroupAccess, splitSets, type AccessEntry, type GroupAccessPlan } from "../plan/groupAccessPlan.js";
import { runSteps, step, type Step, type StepEvent } from "./executor.js";
import { groupAccessSteps } from "./groupAccess.js";
import { assignmentKind } from "./steps/assignments.js";
import { fromStep, identityCenterFound, IDENTITY_CENTER, known } from "./steps/common.js";
import { groupKind, permissionSetKind, type GroupOutcome } from "./steps/identityCenter.js";

export interface LadderTarget {
  region: string;
  instanceArn: string;
  identityStoreId: string;
  accounts: { stage: string; id: string; name: string }[];
}

export interface LadderPlan {
  group: { displayName: string; status: "create" | "exists"; groupId?: string };
  access: GroupAccessPlan;
}

async function open(ctx: AwsContext, t: LadderTarget) {
  const regional = { ...ctx, region: t.region };
  const [ssoAdmin, identityStore] = await Promise.all([openSsoAdmin(regional), openIdentityStore(regional, t.identityStoreId)]);
  return { ssoAdmin, identityStore, instance: { instanceArn: t.instanceArn, identityStoreId: t.identityStoreId, status: "ACTIVE" as const, region: t.region } };
}

/** Reads the group, its assignments and the permission sets; plans the group and its matrix. */
export async function planLadder(ctx: AwsContext, t: LadderTarget, group: string, access: AccessEntry[]): Promise<LadderPlan> {
  const { ssoAdmin, identityStore } = await open(ctx, t);
  const [groupId, permissionSets] = await Promise.all([identityStore.findGroupId(group), ssoAdmin.listPermissionSets(t.instanceArn)]);
  const held = groupId ? await ssoAdmin.listAssignmentsForPrincipal(t.instanceArn, { principalType: "GROUP", principalId: groupId }) : [];
  // init has no --access, and its main apply has already run: the refusal says what the ladder gives and changed.
  const plan = planGroupAccess(
    {
      group,
      access,
      refusalHint: `init leaves an existing ${group} group's access as it is: change it in the console, or run init with --access-preset admin-only.`,
      refusalWords: { asks: "the ladder gives", unchanged: "The ladder changed nothing." },
    },
    {
      ...(groupId ? { groupId } : {}),
      held: held.map((a) => assignmentKey(a.accountId, a.permissionSetArn)),
      ...splitSets(permissionSets, access),
      permissionSetNames: permissionSets.map((p) => p.name),
      stageAccounts: t.accounts.map((a) => ({ stage: a.stage, accountId: a.id, name: a.name })),
    },
  );
  return { group: { displayName: group, status: groupId ? "exists" : "create", ...(groupId ? { groupId } : {}) }, access: plan };
}

export const ladderChangesAws = (p: LadderPlan) => p.group.status !== "exists" || p.access.sets.some((s) => s.status !== "exists") || p.access.assignments.some((a) => a.status !== "exists");

/** Creates the group (no members), the sets it needs and its assignments. */
export async function applyLadder(ctx: AwsContext, t: LadderTarget, plan: LadderPlan, hooks: { signal: AbortSignal; onEvent(e: StepEvent): void }): Promise<void> {
  const org = await open(ctx, t);
  const assignments = assignmentKind();
  const GROUP = `group:${plan.group.displayName}`;
  const g = plan.group;
  const steps: Step[] = [
    identityCenterFound(org),
    step(groupKind, GROUP, { displayName: g.displayName }, {
      needs: [IDENTITY_CENTER],
      ...(g.groupId ? { found: { displayName: g.displayName, groupId: g.groupId, status: "exists" } satisfies GroupOutcome } : {}),
    }),
    ...groupAccessSteps(plan.access, g.groupId ? known(g.groupId) : fromStep<GroupOutcome, string>(GROUP, (r) => r.groupId), assignments),
  ];
  await runSteps({ kinds: [groupKind, permissionSetKind, assignments], steps, env: {}, signal: hooks.signal, onEvent: hooks.onEvent });
}
