/**
 * add-account's AWS side (docs/add-account.md): observe what the plan needs, and apply the plan
 * through the step executor — the account (created and waited for, or found) and the admin
 * group's assignments in it, each starting once the account exists.
 */
import type { OrganizationContext } from "../aws/organizationContext.js";
import type { OrgConfig } from "../local/orgConfig.js";
import { defaultAccountEmail, inferEmailTemplate, type AddAccountPlan } from "../plan/addAccountPlan.js";
import { accountEmailFor } from "../plan/desired.js";
import { isLiveAccount } from "../plan/initPlan.js";
import { runSteps, step, type Step, type StepEvent } from "./executor.js";
import { accountKind, type AccountOutcome } from "./steps/accounts.js";
import { assignmentKind, assignmentNeeds, type AssignmentInput } from "./steps/assignments.js";
import { fromStep, identityCenterFound, known } from "./steps/common.js";

/** Reads what the plan needs: accounts, in-progress creations, the group and its permission sets. */
export async function observeAddAccount(org: OrganizationContext, config: OrgConfig, stage: string, accountName: string, group: string, emailFlag: string | undefined) {
  const { organizations, ssoAdmin, identityStore, instance } = org;
  const [accounts, inProgress, groupId, permissionSets] = await Promise.all([
    organizations.listAccounts(),
    organizations.listCreateAccountStatuses(["IN_PROGRESS"]),
    identityStore.findGroupId(group),
    ssoAdmin.listPermissionSets(instance.instanceArn),
  ]);
  // The other stage accounts: those the session's profiles point at, else those named <org>-*.
  const profileIds = new Set(config.profiles.filter((p) => p.stage !== stage).map((p) => p.accountId));
  const live = accounts.filter((a) => a.state === "ACTIVE" && a.name !== accountName && a.id !== org.organization.managementAccountId);
  const byProfile = live.filter((a) => profileIds.has(a.id));
  const others = byProfile.length > 0 ? byProfile : live.filter((a) => a.name.startsWith(`${config.orgName}-`));
  const stageOf = (name: string) => (name.startsWith(`${config.orgName}-`) ? name.slice(config.orgName.length + 1) : name);
  const template = inferEmailTemplate(others.map((a) => ({ stage: stageOf(a.name), email: a.email })));
  const observedAccounts = accounts.map((a) => ({ id: a.id, name: a.name, email: a.email, state: a.state }));
  const chosen = emailFlag === undefined ? defaultAccountEmail(accountEmailFor(stage, template, org.organization.managementAccountEmail), accountName, observedAccounts) : { email: emailFlag };
  const email = chosen.email;
  const existing = accounts.find((a) => isLiveAccount(a) && a.email.toLowerCase() === email.toLowerCase()) ?? accounts.find((a) => isLiveAccount(a) && a.name === accountName);

  const principal = { principalType: "GROUP" as const, principalId: groupId ?? "" };
  const [otherAssignments, newAssignments] = await Promise.all([
    groupId ? Promise.all(others.map((a) => ssoAdmin.listAssignmentsForPrincipal(instance.instanceArn, principal, a.id))) : Promise.resolve([]),
    groupId && existing ? ssoAdmin.listAssignmentsForPrincipal(instance.instanceArn, principal, existing.id) : Promise.resolve([]),
  ]);
  const setArns = new Set(otherAssignments.flat().map((a) => a.permissionSetArn));
  return {
    email,
    ...(chosen.heldBy ? { heldBy: chosen.heldBy } : {}),
    observed: {
      managementAccountId: org.organization.managementAccountId,
      accounts: observedAccounts,
      inProgressCreations: inProgress.map((c) => ({ requestId: c.requestId, name: c.name })),
      ...(groupId ? { group: { displayName: group, groupId } } : {}),
      groupPermissionSets: permissionSets.filter((p) => setArns.has(p.arn)).map((p) => ({ name: p.name, arn: p.arn })),
      assignedInNewAccount: newAssignments.map((a) => a.permissionSetArn),
    },
  };
}

export interface ApplyAddAccountHooks {
  signal: AbortSignal;
  onEvent(event: StepEvent): void;
}

/** Creates (or waits for, or finds) the account, then the group's assignments in it; returns the account id. */
export async function applyAddAccount(org: OrganizationContext, plan: AddAccountPlan, groupId: string, hooks: ApplyAddAccountHooks): Promise<string> {
  const accounts = accountKind({ waitingNote: "; Ctrl-C stops, running add-account again resumes" });
  const assignments = assignmentKind();
  const a = plan.account;
  const ACCOUNT = "account";
  const steps: Step[] = [
    identityCenterFound(org),
    step(
      accounts,
      ACCOUNT,
      { stage: a.stage, name: a.name, email: known(a.email), ...(a.pendingRequestId ? { pendingRequestId: a.pendingRequestId } : {}) },
      a.status === "exists" && a.accountId ? { found: { stage: a.stage, id: a.accountId, name: a.name, email: a.email, status: "found" } satisfies AccountOutcome } : {},
    ),
  ];
  for (const x of plan.assignments.filter((x) => x.status === "create")) {
    const input: AssignmentInput = {
      change: "create",
      accountId: a.accountId ? known(a.accountId) : fromStep<AccountOutcome, string>(ACCOUNT, (r) => r.id),
      permissionSetArn: known(x.permissionSetArn),
      principalType: "GROUP",
      principalId: known(groupId),
      account: a.name,
      permissionSet: x.permissionSet,
      principal: `group ${x.group}`,
    };
    steps.push(step(assignments, `assignment:${x.permissionSet}`, input, { needs: assignmentNeeds(input) }));
  }
  const outcome = await runSteps({ kinds: [accounts, assignments], steps, env: { organizations: org.organizations }, signal: hooks.signal, onEvent: hooks.onEvent });
  return outcome.get<AccountOutcome>(ACCOUNT).id;
}
