/**
 * add-user's AWS side (docs/add-user.md): observe the user, the groups, their access and the
 * permission sets; apply the plan through the step executor — the permission set (a preset's,
 * created or finished), the user and new groups at once, each membership once both exist, and
 * the groups' assignments once the set and the group exist.
 */
import type { OrganizationContext } from "../aws/organizationContext.js";
import type { PermissionSetInfo } from "../aws/ssoAdmin.js";
import type { OrgConfig } from "../local/orgConfig.js";
import { assignmentKey, permissionSetNameFor, splitSets, type AddUserInput, type AddUserObserved, type AddUserPlan } from "../plan/addUserPlan.js";
import { permissionSetPresets } from "../plan/presets.js";
import { runSteps, step, type Step, type StepEvent } from "./executor.js";
import { assignmentSteps, permissionSetStep, permissionSetStepId, type SetArns } from "./groupAccess.js";
import { assignmentKind } from "./steps/assignments.js";
import { fromStep, identityCenterFound, IDENTITY_CENTER } from "./steps/common.js";
import { groupKind, membershipKind, permissionSetKind, userKind, type GroupOutcome, type PermissionSetOutcome, type UserOutcome } from "./steps/identityCenter.js";

export interface Observation {
  observed: AddUserObserved;
  permissionSets: PermissionSetInfo[];
}

export async function observeAddUser(org: OrganizationContext, config: OrgConfig, input: AddUserInput): Promise<Observation> {
  const { identityStore, ssoAdmin, organizations, instance } = org;
  const userName = input.email;
  const [userId, emailOwnerId, groupIds, permissionSets, accounts, allGroups] = await Promise.all([
    identityStore.findUserId(userName),
    identityStore.findUserIdByEmail(input.email),
    Promise.all(input.groups.map((g) => identityStore.findGroupId(g))),
    ssoAdmin.listPermissionSets(instance.instanceArn),
    organizations.listAccounts(),
    input.groupDefaulted ? identityStore.listGroups() : undefined,
  ]);
  const groups = input.groups.map((displayName, i) => ({ displayName, ...(groupIds[i] ? { groupId: groupIds[i] } : {}) }));
  const [user, emailOwner, memberOf, groupAssignmentLists] = await Promise.all([
    userId ? identityStore.describeUser(userId) : undefined,
    emailOwnerId && emailOwnerId !== userId ? identityStore.describeUser(emailOwnerId) : undefined,
    userId ? identityStore.listMembershipsForUser(userId) : [],
    // One listing per existing group: what it has everywhere (for the plan and the message).
    Promise.all(groups.map((g) => (g.groupId ? ssoAdmin.listAssignmentsForPrincipal(instance.instanceArn, { principalType: "GROUP", principalId: g.groupId }) : []))),
  ]);
  const active = new Map(accounts.filter((a) => a.state === "ACTIVE").map((a) => [a.id, a]));
  const stageAccounts = config.profiles.flatMap((p) => {
    const account = p.accountId ? active.get(p.accountId) : undefined;
    return account && account.id !== org.organization.managementAccountId ? [{ stage: p.stage, accountId: account.id, name: account.name }] : [];
  });
  const wantedSet = input.permissionSet ? permissionSetNameFor(input.permissionSet) : undefined;
  const set = wantedSet ? permissionSets.find((p) => p.name === wantedSet) : undefined;
  const groupAssignments: Record<string, string[]> = {};
  groups.forEach((g, i) => {
    if (g.groupId) groupAssignments[g.groupId] = groupAssignmentLists[i].map((a) => assignmentKey(a.accountId, a.permissionSetArn));
  });
  return {
    permissionSets,
    observed: {
      ...(user ? { user: { userId: user.userId, userName: user.userName, ...(user.email ? { email: user.email } : {}) } } : {}),
      ...(emailOwner ? { emailOwner: { userId: emailOwner.userId, userName: emailOwner.userName } } : {}),
      groups,
      memberOf: memberOf.map((m) => m.groupId),
      ...(set ? { permissionSet: { name: set.name, arn: set.arn, managedPolicyArns: set.managedPolicyArns } } : {}),
      ...(input.access ? (({ sets, otherSets }) => ({ accessSets: sets, otherSets }))(splitSets(permissionSets, input.access)) : {}),
      permissionSetNames: permissionSets.map((p) => p.name),
      stageAccounts,
      groupAssignments,
      adminPermissionSetArns: permissionSets.filter((p) => p.name === permissionSetPresets.admin.name || p.managedPolicyArns.includes(permissionSetPresets.admin.managedPolicyArn)).map((p) => p.arn),
      ...(allGroups ? { allGroupNames: allGroups.map((g) => g.displayName) } : {}),
    },
  };
}

export interface ApplyAddUserHooks {
  signal: AbortSignal;
  onEvent(event: StepEvent): void;
}

const PERMISSION_SET = "permission-set";
const USER = "user";
const groupId = (name: string) => `group:${name}`;

/** Applies the plan; returns the user's id and the permission set's ARN (when one was asked for). */
export async function applyAddUser(org: OrganizationContext, plan: AddUserPlan, hooks: ApplyAddUserHooks): Promise<{ userId: string; permissionSetArn?: string }> {
  // A removal only runs after every new assignment of its group is in place (assignmentSteps).
  const assignments = assignmentKind({ removalFailureNote: "The group's new access is in place; what it still holds of its old access is removed by running again." });
  const afterIc = { needs: [IDENTITY_CENTER] };
  const u = plan.user;
  const steps: Step[] = [
    identityCenterFound(org),
    step(userKind, USER, { userName: u.userName, email: u.email, givenName: u.givenName, familyName: u.familyName }, {
      ...afterIc,
      ...(u.status === "exists" && u.userId ? { found: { userName: u.userName, email: u.email, userId: u.userId, status: "exists" } satisfies UserOutcome } : {}),
    }),
    ...plan.groups.map((g) =>
      step(groupKind, groupId(g.displayName), { displayName: g.displayName }, {
        ...afterIc,
        ...(g.status === "exists" && g.groupId ? { found: { displayName: g.displayName, groupId: g.groupId, status: "exists" } satisfies GroupOutcome } : {}),
      }),
    ),
    ...plan.groups.map((g, i) =>
      step(
        membershipKind,
        `membership:${g.displayName}`,
        { userName: u.userName, group: g.displayName, userId: fromStep<UserOutcome, string>(USER, (r) => r.userId), groupId: fromStep<GroupOutcome, string>(groupId(g.displayName), (r) => r.groupId) },
        { needs: [IDENTITY_CENTER, USER, groupId(g.displayName)], ...(plan.memberships[i].status === "exists" ? { found: { status: "exists" } } : {}) },
      ),
    ),
  ];
  const ps = plan.permissionSet;
  // Per permission set name: its ARN, known or from the step that creates (or finishes) it.
  const setArns: SetArns = new Map();
  if (ps) steps.push(...permissionSetStep(ps, PERMISSION_SET, setArns));
  for (const set of plan.access?.sets ?? []) steps.push(...permissionSetStep(set, permissionSetStepId(set.name), setArns));
  steps.push(...assignmentSteps(plan.assignments, setArns, (g) => fromStep<GroupOutcome, string>(groupId(g), (r) => r.groupId), assignments));
  const outcome = await runSteps({ kinds: [userKind, groupKind, membershipKind, permissionSetKind, assignments], steps, env: {}, signal: hooks.signal, onEvent: hooks.onEvent });
  const arn = ps?.arn && ps.status === "exists" ? ps.arn : outcome.results.has(PERMISSION_SET) ? outcome.get<PermissionSetOutcome>(PERMISSION_SET).arn : ps?.arn;
  return { userId: outcome.get<UserOutcome>(USER).userId, ...(arn ? { permissionSetArn: arn } : {}) };
}
