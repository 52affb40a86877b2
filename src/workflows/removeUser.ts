/**
 * remove-user's AWS side (docs/remove-user.md): observe the user's own assignments, memberships
 * and the admin group; apply through the step executor — the assignments' deletions first (AWS
 * does them asynchronously; at most 10 at once), then the memberships, then the user. A failed
 * deletion stops the run before the user goes, so nothing is left orphaned.
 */
import type { OrganizationContext } from "../aws/organizationContext.js";
import type { RemoveUserObserved, RemoveUserPlan } from "../plan/removeUserPlan.js";
import { runSteps, step, type Step, type StepEvent } from "./executor.js";
import { assignmentKind, assignmentNeeds, type AssignmentInput } from "./steps/assignments.js";
import { identityCenterFound, IDENTITY_CENTER, known } from "./steps/common.js";
import { membershipRemovalKind, userDeletionKind } from "./steps/identityCenter.js";

export async function observeRemoveUser(org: OrganizationContext, email: string, adminGroup: string): Promise<RemoveUserObserved> {
  const { identityStore, ssoAdmin, organizations, instance } = org;
  // The username is the email for users we create; others may only carry it as their email.
  const userId = (await identityStore.findUserId(email)) ?? (await identityStore.findUserIdByEmail(email));
  if (!userId) return { memberships: [], assignments: [] };
  const [user, memberships, direct, groups, adminGroupId] = await Promise.all([
    identityStore.describeUser(userId),
    identityStore.listMembershipsForUser(userId),
    ssoAdmin.listAssignmentsForPrincipal(instance.instanceArn, { principalType: "USER", principalId: userId }),
    identityStore.listGroups(),
    identityStore.findGroupId(adminGroup),
  ]);
  const [accounts, permissionSets, adminMembers] = await Promise.all([
    direct.length ? organizations.listAccounts() : [],
    direct.length ? ssoAdmin.listPermissionSets(instance.instanceArn) : [],
    adminGroupId && memberships.some((m) => m.groupId === adminGroupId) ? identityStore.listGroupMembers(adminGroupId) : [],
  ]);
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  // The API reference describes the answer as the accounts "the principal has access to"; only
  // assignments made to the user itself are removed here — access through a group goes with the
  // membership, and deleting it as a USER assignment would fail.
  const own = direct.filter((a) => a.principalType === "USER" && a.principalId === userId);
  const setName = new Map(permissionSets.map((p) => [p.arn, p.name]));
  const groupName = new Map(groups.map((g) => [g.groupId, g.displayName]));
  return {
    user: { userId, userName: user.userName, ...(user.email ? { email: user.email } : {}), ...(user.displayName ? { displayName: user.displayName } : {}) },
    memberships: memberships.map((m) => ({ ...m, group: groupName.get(m.groupId) ?? m.groupId })),
    assignments: own.map((a) => ({
      accountId: a.accountId,
      accountName: accountName.get(a.accountId) ?? a.accountId,
      permissionSetArn: a.permissionSetArn,
      permissionSet: setName.get(a.permissionSetArn) ?? a.permissionSetArn,
    })),
    ...(adminGroupId ? { adminGroup: { groupId: adminGroupId, displayName: adminGroup, memberCount: adminMembers.length } } : {}),
  };
}

export interface ApplyRemoveUserHooks {
  signal: AbortSignal;
  onEvent(event: StepEvent): void;
}

export async function applyRemoveUser(org: OrganizationContext, plan: RemoveUserPlan, hooks: ApplyRemoveUserHooks): Promise<void> {
  const user = plan.user!;
  const removals = assignmentKind({ removalFailureNote: "The user was kept, so nothing is left orphaned." });
  const steps: Step[] = [identityCenterFound(org)];
  const unassigned = plan.assignments.map((a, i) => {
    const input: AssignmentInput = {
      change: "delete",
      accountId: known(a.accountId),
      permissionSetArn: known(a.permissionSetArn),
      principalType: "USER",
      principalId: known(user.userId),
      account: a.accountName,
      permissionSet: a.permissionSet,
      principal: user.userName,
    };
    steps.push(step(removals, `unassign:${i}`, input, { needs: assignmentNeeds(input) }));
    return `unassign:${i}`;
  });
  const left = plan.memberships.map((m, i) => {
    steps.push(step(membershipRemovalKind, `leave:${i}`, { membershipId: m.membershipId, userName: user.userName, group: m.group }, { needs: [IDENTITY_CENTER, ...unassigned] }));
    return `leave:${i}`;
  });
  steps.push(step(userDeletionKind, "delete-user", { userId: user.userId, userName: user.userName }, { needs: [IDENTITY_CENTER, ...unassigned, ...left] }));
  await runSteps({ kinds: [removals, membershipRemovalKind, userDeletionKind], steps, env: {}, signal: hooks.signal, onEvent: hooks.onEvent });
}
