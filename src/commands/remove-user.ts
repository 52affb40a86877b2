/**
 * `org-bootstrap remove-user <email>`: the leavers' process. Shows what goes — the user's direct
 * access assignments in every account, their group memberships, the user — asks, then removes
 * them in that order, waiting for the asynchronous assignment deletions. Refuses to remove the
 * last member of the admin group unless `--force`. A user that is already gone is success.
 */
import { CancelledError, OperationError, UserError } from "../errors.js";
import { explainAwsError } from "../aws/errors.js";
import type { OrganizationContext } from "../aws/organizationContext.js";
import { loadOrgConfig } from "../local/orgConfig.js";
import { validateEmail } from "../plan/desired.js";
import { initDefaults } from "../plan/presets.js";
import { planRemoveUser, type RemoveUserObserved, type RemoveUserPlan } from "../plan/removeUserPlan.js";
import type { Output } from "../ui/output.js";
import { createProgressBoard } from "../ui/progress.js";
import { askConfirm } from "../ui/prompts.js";
import { renderRemoveUserPlan } from "../ui/userPlan.js";
import { dayTwoFlags, stringFlag, type DayTwoOptions } from "./dayTwoFlags.js";
import { openManagementContext } from "./managementAccess.js";
import type { CommandInput } from "./types.js";

export interface RemoveUserOptions extends DayTwoOptions {
  email: string;
  /** The group whose last member is protected (default Administrators). */
  adminGroup: string;
  force: boolean;
}

export interface RemoveUserSummary {
  email: string;
  status: "removed" | "not-found";
  userId?: string;
  assignmentsRemoved: { accountId: string; permissionSet: string }[];
  membershipsRemoved: string[];
}

async function observe(org: OrganizationContext, email: string, adminGroup: string): Promise<RemoveUserObserved> {
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

async function apply(org: OrganizationContext, plan: RemoveUserPlan, out: Output, signal: AbortSignal): Promise<void> {
  const user = plan.user!;
  const board = createProgressBoard(out);
  try {
    if (plan.assignments.length > 0) {
      board.status(`Removing ${plan.assignments.length} access assignment${plan.assignments.length === 1 ? "" : "s"} (AWS does this asynchronously)`);
      const results = await org.ssoAdmin.unassignAll(
        org.instance.instanceArn,
        plan.assignments.map((a) => ({ accountId: a.accountId, permissionSetArn: a.permissionSetArn, principalType: "USER" as const, principalId: user.userId })),
        {
          signal,
          onDone: (r) => {
            const a = plan.assignments.find((x) => x.accountId === r.accountId && x.permissionSetArn === r.permissionSetArn);
            board.report(`Access: ${user.userName} → ${a?.permissionSet} in ${a?.accountName}: ${r.status === "SUCCEEDED" ? "removed" : "FAILED"}`);
          },
        },
      );
      board.status(undefined);
      const failed = results.find((r) => r.status === "FAILED");
      if (failed) {
        throw new OperationError(
          `Removing access in account ${failed.accountId} failed: ${failed.failureReason ?? "AWS gave no reason"}. The user was kept, so nothing is left orphaned.`,
          "Run the command again; what was removed stays removed.",
        );
      }
    }
    for (const m of plan.memberships) {
      await org.identityStore.removeMembership(m.membershipId);
      board.report(`${user.userName} in group ${m.group}: removed`);
    }
    await org.identityStore.deleteUser(user.userId);
    board.report(`User ${user.userName}: deleted`);
  } finally {
    board.close();
  }
}

export async function removeUser(o: RemoveUserOptions): Promise<RemoveUserSummary | undefined> {
  const { out } = o;
  const email = validateEmail(o.email ?? "", "<email>");
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  const org = await openManagementContext({ ...o, config });
  const observed = await observe(org, email, o.adminGroup).catch((err: unknown) => {
    throw explainAwsError(err, "Reading Identity Center");
  });
  const plan = planRemoveUser({ email, force: o.force }, observed);
  for (const line of renderRemoveUserPlan(plan, out)) out.line(line);

  const summary = (status: RemoveUserSummary["status"]): RemoveUserSummary => ({
    email,
    status,
    ...(plan.user ? { userId: plan.user.userId } : {}),
    assignmentsRemoved: status === "removed" ? plan.assignments.map((a) => ({ accountId: a.accountId, permissionSet: a.permissionSet })) : [],
    membershipsRemoved: status === "removed" ? plan.memberships.map((m) => m.group) : [],
  });
  if (!plan.user) {
    if (out.json) out.printJson(o.dryRun ? { dryRun: true, plan } : summary("not-found"));
    return o.dryRun ? undefined : summary("not-found");
  }
  if (o.dryRun) {
    out.line("Dry run: nothing was changed.");
    if (out.json) out.printJson({ dryRun: true, plan });
    return undefined;
  }
  if (!o.yes) {
    if (!o.interactive) throw new UserError("No terminal to confirm on.", `Add --yes to remove the user unattended (or --dry-run to only see the plan): org-bootstrap remove-user ${email} --yes`);
    if (!(await askConfirm({ out, signal: o.signal }, { message: `Remove ${plan.user.userName} and everything above?`, initialValue: false }))) throw new CancelledError("Nothing was changed.");
  }
  await apply(org, plan, out, o.signal).catch((err: unknown) => {
    throw explainAwsError(err, `Removing ${plan.user?.userName}`);
  });
  out.success(`${plan.user.userName} was removed from IAM Identity Center.`);
  // Role credentials are STS session credentials: deleting the user does not revoke them.
  out.line("  Role credentials already handed out stay valid until they expire (at most the permission");
  out.line("  set's session duration). To cut them short, revoke the role sessions in the IAM console.");
  const result = summary("removed");
  if (out.json) out.printJson(result);
  return result;
}

export async function run(input: CommandInput): Promise<number> {
  await removeUser({
    ...dayTwoFlags(input),
    email: input.positionals[0],
    adminGroup: stringFlag(input, "admin-group") ?? initDefaults.group,
    force: Boolean(input.options.force),
  });
  return 0;
}
