/**
 * add-account's AWS side (docs/add-account.md): observe what the plan needs, and apply the plan
 * through the step executor — the account (created and waited for, or found) and the groups'
 * assignments in it, each starting once the account exists.
 */
import type { OrganizationContext } from "../aws/organizationContext.js";
import type { OrgConfig } from "../local/orgConfig.js";
import { defaultAccountEmail, inferEmailTemplate, type AddAccountPlan } from "../plan/addAccountPlan.js";
import { accountEmailFor } from "../plan/desired.js";
import { isLiveAccount } from "../plan/initPlan.js";
import { mapLimit } from "../aws/waiting.js";
import { runSteps, step, type Step, type StepEvent } from "./executor.js";
import { accountKind, type AccountOutcome } from "./steps/accounts.js";
import { assignmentKind, assignmentNeeds, type AssignmentInput } from "./steps/assignments.js";
import { fromStep, identityCenterFound, known } from "./steps/common.js";

/** Groups' assignment listings at once, at most this many (each is one paged call). */
const GROUP_LISTINGS_AT_ONCE = 8;

/** Reads what the plan needs: accounts, in-progress creations, the groups, their assignments and the permission sets. */
export async function observeAddAccount(org: OrganizationContext, config: OrgConfig, stage: string, accountName: string, emailFlag: string | undefined) {
  const { organizations, ssoAdmin, identityStore, instance } = org;
  // Every group's assignments (one listing per group, not per account and set): groups are few,
  // and a group's access in every stage account is what the plan compares.
  const groupsTask = identityStore
    .listGroups()
    .then(async (groups) => ({ groups, lists: await mapLimit(groups, GROUP_LISTINGS_AT_ONCE, (g) => ssoAdmin.listAssignmentsForPrincipal(instance.instanceArn, { principalType: "GROUP", principalId: g.groupId })) }));
  const [accounts, inProgress, { groups, lists }, permissionSets] = await Promise.all([
    organizations.listAccounts(),
    organizations.listCreateAccountStatuses(["IN_PROGRESS"]),
    groupsTask,
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

  // A stage account's stage: its profile's, else its name's <org>-<stage>.
  const stageById = new Map(config.profiles.filter((p) => p.accountId).map((p) => [p.accountId!, p.stage]));
  const order = config.profiles.map((p) => p.stage);
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  const stageAccounts = others.map((a) => ({ stage: stageById.get(a.id) ?? stageOf(a.name), accountId: a.id })).sort((x, y) => rank(x.stage) - rank(y.stage));
  const relevant = new Set([...others.map((a) => a.id), ...(existing ? [existing.id] : [])]);
  return {
    email,
    ...(chosen.heldBy ? { heldBy: chosen.heldBy } : {}),
    observed: {
      managementAccountId: org.organization.managementAccountId,
      accounts: observedAccounts,
      inProgressCreations: inProgress.map((c) => ({ requestId: c.requestId, name: c.name })),
      stageAccounts,
      groups: groups.map((g, i) => ({
        displayName: g.displayName,
        groupId: g.groupId,
        assignments: lists[i].filter((a) => relevant.has(a.accountId)).map((a) => ({ accountId: a.accountId, permissionSetArn: a.permissionSetArn })),
      })),
      permissionSets: permissionSets.map((p) => ({ name: p.name, arn: p.arn })),
    },
  };
}

export interface ApplyAddAccountHooks {
  signal: AbortSignal;
  onEvent(event: StepEvent): void;
}

/** Creates (or waits for, or finds) the account, then the groups' assignments in it; returns the account id. */
export async function applyAddAccount(org: OrganizationContext, plan: AddAccountPlan, hooks: ApplyAddAccountHooks): Promise<string> {
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
      principalId: known(x.groupId),
      account: a.name,
      permissionSet: x.permissionSet,
      principal: `group ${x.group}`,
    };
    steps.push(step(assignments, `assignment:${x.group}:${x.permissionSet}`, input, { needs: assignmentNeeds(input) }));
  }
  const outcome = await runSteps({ kinds: [accounts, assignments], steps, env: { organizations: org.organizations }, signal: hooks.signal, onEvent: hooks.onEvent });
  return outcome.get<AccountOutcome>(ACCOUNT).id;
}
