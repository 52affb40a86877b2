/**
 * `org-bootstrap remove-user <email>`: the leavers' process. Shows what goes — the user's direct
 * access assignments in every account, their group memberships, the user — asks, then removes
 * them in that order, waiting for the asynchronous assignment deletions. Refuses to remove the
 * last member of the admin group unless `--force`. A user that is already gone is success.
 */
import { CancelledError, UserError } from "../errors.js";
import { explainAwsError } from "../aws/errors.js";
import { loadOrgConfig } from "../local/orgConfig.js";
import { validateEmail } from "../plan/desired.js";
import { initDefaults } from "../plan/presets.js";
import { planRemoveUser } from "../plan/removeUserPlan.js";
import { createProgressBoard, stepProgress } from "../ui/progress.js";
import { applyRemoveUser, observeRemoveUser } from "../workflows/removeUser.js";
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

export async function removeUser(o: RemoveUserOptions): Promise<RemoveUserSummary | undefined> {
  const { out } = o;
  const email = validateEmail(o.email ?? "", "<email>");
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  const org = await openManagementContext({ ...o, config });
  const observed = await observeRemoveUser(org, email, o.adminGroup).catch((err: unknown) => {
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
    if (!(await o.prompter.confirm({ message: `Remove ${plan.user.userName} and everything above?`, initialValue: false }))) throw new CancelledError("Nothing was changed.");
  }
  const board = createProgressBoard(out);
  await applyRemoveUser(org, plan, { signal: o.signal, onEvent: stepProgress(board) })
    .catch((err: unknown) => {
      throw explainAwsError(err, `Removing ${plan.user?.userName}`);
    })
    .finally(() => board.close());
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
