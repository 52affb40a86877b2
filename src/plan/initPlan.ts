/**
 * The `init` planner: desired setup + observed AWS state → ordered steps, each marked
 * create / exists / update (docs/init.md, docs/architecture.md). Pure: no I/O, so every
 * case is a unit test. The refusals docs/init.md lists (a member account of someone else's
 * organization, a consolidated-billing-only organization) are thrown here as UserErrors.
 */
import { UserError } from "../errors.js";
import { accountEmailFor, isPendingEmail, stageProblem, type DesiredAccount, type DesiredPermissionSetSpec, type DesiredSetup } from "./desired.js";

export type StepStatus = "create" | "exists" | "update";

export interface ObservedAccount {
  id: string;
  name: string;
  email: string;
  state: string;
}

export interface ObservedPermissionSet {
  arn: string;
  name: string;
  sessionDuration?: string;
  managedPolicyArns: string[];
}

export interface ObservedSetup {
  caller: { accountId: string; arn: string; isRoot: boolean };
  organization?: { id: string; featureSet: "ALL" | "CONSOLIDATED_BILLING"; managementAccountId: string; managementAccountEmail: string };
  instance?: { instanceArn: string; identityStoreId: string; status: string; region: string };
  /** Every account of the organization (all pages). */
  accounts: ObservedAccount[];
  /** CreateAccount requests still IN_PROGRESS (an interrupted earlier run). */
  inProgressCreations: { requestId: string; name: string }[];
  permissionSets: ObservedPermissionSet[];
  groupId?: string;
  userId?: string;
  membershipId?: string;
  /** Existing assignments of the group to the admin permission set, by account id. */
  groupAssignedAccountIds: string[];
}

export interface OrganizationStep {
  kind: "organization";
  status: "create" | "exists";
  id?: string;
}

export interface IdentityCenterStep {
  kind: "identity-center";
  /** "create" means: the person enables it in the console while we wait. */
  status: "create" | "exists";
  region: string;
  instanceArn?: string;
  identityStoreId?: string;
}

export interface AccountStep {
  kind: "account";
  status: "create" | "exists";
  stage: string;
  name: string;
  email: string;
  accountId?: string;
  /**
   * How an existing account was recognised: by the desired email or name, or as an ACTIVE
   * `<org>-<stage>` account of the organization that was not asked for (a stage added on day two:
   * a re-run keeps it, as only close-account removes a stage).
   */
  foundBy?: "name" | "email" | "organization";
  /** A creation an earlier run started and AWS is still working on: wait for it, start nothing. */
  pendingRequestId?: string;
}

export interface PermissionSetStep {
  kind: "permission-set";
  status: StepStatus;
  spec: DesiredPermissionSetSpec;
  arn?: string;
  /** For "update": what differs. */
  changes?: string[];
}

export interface GroupStep {
  kind: "group";
  status: "create" | "exists";
  displayName: string;
  groupId?: string;
}

export interface UserStep {
  kind: "user";
  status: "create" | "exists";
  userName: string;
  userId?: string;
}

export interface MembershipStep {
  kind: "membership";
  status: "create" | "exists";
  userName: string;
  group: string;
}

export interface AssignmentStep {
  kind: "assignment";
  status: "create" | "exists";
  /** `management` or a stage. */
  target: string;
  accountName: string;
  accountId?: string;
  group: string;
  permissionSet: string;
}

export type PlanStep = OrganizationStep | IdentityCenterStep | AccountStep | PermissionSetStep | GroupStep | UserStep | MembershipStep | AssignmentStep;

export interface InitPlan {
  desired: DesiredSetup;
  steps: PlanStep[];
  warnings: string[];
  managementAccountId: string;
}

export const MANAGEMENT_TARGET = "management";

export function stepsOf<K extends PlanStep["kind"]>(plan: InitPlan, kind: K): Extract<PlanStep, { kind: K }>[] {
  return plan.steps.filter((s): s is Extract<PlanStep, { kind: K }> => s.kind === kind);
}

/** Does the plan change anything in AWS? (A finished setup plans only "exists".) */
export function planChangesAws(plan: InitPlan): boolean {
  return plan.steps.some((s) => s.status !== "exists");
}

/** Who may run init, and in which organization (docs/init.md: who am I, the organization). */
export function checkCaller(observed: Pick<ObservedSetup, "caller" | "organization">): string[] {
  const { caller, organization } = observed;
  if (organization && organization.managementAccountId !== caller.accountId) {
    throw new UserError(
      `Account ${caller.accountId} is a member account of organization ${organization.id}; init must run in its management account (${organization.managementAccountId}).`,
      `Use credentials of the management account ${organization.managementAccountId}, whose root email is ${organization.managementAccountEmail || "shown in the Organizations console"}.`,
    );
  }
  if (organization && organization.featureSet !== "ALL") {
    throw new UserError(
      `Organization ${organization.id} has only consolidated billing enabled; IAM Identity Center needs all features.`,
      "Enable all features in the AWS Organizations console (Settings → Enable all features; every member account must approve), then run init again.",
    );
  }
  const warnings: string[] = [];
  if (caller.isRoot) {
    warnings.push(
      "You are signed in as the account's ROOT user. That works for this one-time setup, but root access keys are the most dangerous credential AWS has: once init is done, sign in through SSO and delete the root access keys (IAM console → Security credentials).",
    );
  }
  return warnings;
}

/** An account that can be used: ACTIVE, or about to be (a closed or closing one never comes back by itself). */
export function isLiveAccount(account: Pick<ObservedAccount, "state">): boolean {
  return account.state === "ACTIVE" || account.state === "PENDING_ACTIVATION";
}

/**
 * Find the stage's account or plan its creation; also used by add-account. A live account is
 * found by email, then by name. A closed or closing account with the same name does not count: a
 * new account may have the same name (AWS account names are not unique). One holding the email
 * does block: a closed account keeps its email, so the new account needs another one, and
 * `emailHint` says how to give it (each command has its own flag).
 */
export function planAccount(desired: DesiredAccount, observed: Pick<ObservedSetup, "accounts" | "inProgressCreations">, emailHint = "Give the account another email."): AccountStep {
  const base = { kind: "account" as const, stage: desired.stage, name: desired.name, email: desired.email };
  const email = desired.email.toLowerCase();
  const byEmail = observed.accounts.find((a) => a.email.toLowerCase() === email);
  const byName = observed.accounts.find((a) => isLiveAccount(a) && a.name === desired.name);
  const found = byEmail && isLiveAccount(byEmail) ? byEmail : byName;
  if (found) return { ...base, status: "exists", accountId: found.id, name: found.name, email: found.email, foundBy: found === byEmail ? "email" : "name" };
  if (byEmail) {
    throw new UserError(
      `The email ${byEmail.email} belongs to account ${byEmail.name} (${byEmail.id}), which is ${byEmail.state}: a closed account keeps its email, so a new account for stage "${desired.stage}" needs another one.`,
      emailHint,
    );
  }
  // AWS's status record carries the name but not the email (CreateAccountStatus).
  const pending = observed.inProgressCreations.find((c) => c.name === desired.name);
  if (pending) return { ...base, status: "create", pendingRequestId: pending.requestId };
  return { ...base, status: "create" };
}

/**
 * A stage whose account was closed (close-account) and not replaced: only a closed or closing
 * account carries its name or email, and no creation is in progress.
 */
function closedStageAccount(desired: DesiredAccount, observed: Pick<ObservedSetup, "accounts" | "inProgressCreations">): ObservedAccount | undefined {
  const email = desired.email.toLowerCase();
  const matches = observed.accounts.filter((a) => a.name === desired.name || a.email.toLowerCase() === email);
  if (matches.length === 0 || matches.some(isLiveAccount) || observed.inProgressCreations.some((c) => c.name === desired.name)) return undefined;
  return matches[0];
}

function planPermissionSet(spec: DesiredPermissionSetSpec, observed: ObservedSetup): PermissionSetStep {
  const found = observed.permissionSets.find((p) => p.name === spec.name);
  if (!found) return { kind: "permission-set", status: "create", spec };
  const changes: string[] = [];
  if (found.sessionDuration !== spec.sessionDuration) changes.push(`session duration ${found.sessionDuration ?? "(default)"} → ${spec.sessionDuration}`);
  for (const arn of spec.managedPolicyArns) if (!found.managedPolicyArns.includes(arn)) changes.push(`attach ${arn}`);
  return { kind: "permission-set", status: changes.length ? "update" : "exists", spec, arn: found.arn, ...(changes.length ? { changes } : {}) };
}

export function planInit(desired: DesiredSetup, observed: ObservedSetup): InitPlan {
  const warnings = checkCaller(observed);
  const steps: PlanStep[] = [];
  const org = observed.organization;
  steps.push(org ? { kind: "organization", status: "exists", id: org.id } : { kind: "organization", status: "create" });

  const instance = observed.instance;
  if (instance && instance.region !== desired.ssoRegion) {
    warnings.push(`IAM Identity Center is enabled in ${instance.region}, not ${desired.ssoRegion}; using ${instance.region} (an organization has only one instance).`);
  }
  steps.push(
    instance
      ? { kind: "identity-center", status: "exists", region: instance.region, instanceArn: instance.instanceArn, identityStoreId: instance.identityStoreId }
      : { kind: "identity-center", status: "create", region: desired.ssoRegion },
  );

  // Only close-account removes a stage (docs/init.md, "Running init again"): a stage asked for
  // whose account was closed is not created again, and the organization's other ACTIVE
  // `<org>-<stage>` accounts (added by add-account) stay stages.
  const asked: DesiredAccount[] = [];
  for (const a of desired.accounts) {
    const closed = closedStageAccount(a, observed);
    if (!closed) {
      asked.push(a);
      continue;
    }
    warnings.push(
      `Stage ${a.stage}: account ${closed.name} (${closed.id}) is ${closed.state}, so the stage was closed; init does not create it again. To have the stage back: org-bootstrap add-account ${a.stage}`,
    );
  }
  const emailHint = `Give each stage an unused email with --account-email, e.g. --account-email 'aws+{stage}@example.com'.`;
  const accounts = asked.map((a) => planAccount(a, observed, emailHint));
  const prefix = `${desired.orgName}-`;
  const askedStages = new Set(asked.map((a) => a.stage));
  const askedIds = new Set(accounts.map((a) => a.accountId));
  const kept: DesiredAccount[] = [];
  for (const a of observed.accounts) {
    const stage = a.name.slice(prefix.length);
    if (a.state !== "ACTIVE" || !a.name.startsWith(prefix) || a.id === org?.managementAccountId || askedIds.has(a.id) || askedStages.has(stage) || stageProblem(stage)) continue;
    askedStages.add(stage);
    kept.push({ stage, name: a.name, email: a.email });
    accounts.push({ kind: "account", status: "exists", stage, name: a.name, email: a.email, accountId: a.id, foundBy: "organization" });
  }
  const wanted: DesiredSetup = { ...desired, accounts: [...asked, ...kept] };
  steps.push(...accounts);
  const known = new Set<string>();
  for (const a of accounts) {
    if (a.accountId && known.has(a.accountId)) {
      throw new UserError(`Two stages resolve to the same account ${a.accountId} (${a.name}).`, "Give each stage its own account email with --account-email 'aws+{stage}@…'.");
    }
    if (a.accountId) known.add(a.accountId);
  }

  const permissionSets = desired.permissionSets.map((p) => planPermissionSet(p, observed));
  steps.push(...permissionSets);

  // Without an instance there is nothing to look in yet: everything below is to be created.
  steps.push({ kind: "group", status: observed.groupId ? "exists" : "create", displayName: desired.group.displayName, ...(observed.groupId ? { groupId: observed.groupId } : {}) });
  steps.push({ kind: "user", status: observed.userId ? "exists" : "create", userName: desired.user.userName, ...(observed.userId ? { userId: observed.userId } : {}) });
  steps.push({ kind: "membership", status: observed.membershipId ? "exists" : "create", userName: desired.user.userName, group: desired.group.displayName });

  const managementAccountId = org?.managementAccountId ?? observed.caller.accountId;
  const adminSet = permissionSets.find((p) => p.spec.name === desired.adminPermissionSet);
  const assigned = new Set(adminSet?.arn && observed.groupId ? observed.groupAssignedAccountIds : []);
  const targets = [
    { target: MANAGEMENT_TARGET, accountName: "management account", accountId: managementAccountId as string | undefined },
    ...accounts.map((a) => ({ target: a.stage, accountName: a.name, accountId: a.accountId })),
  ];
  for (const t of targets) {
    const exists = t.accountId !== undefined && assigned.has(t.accountId);
    steps.push({
      kind: "assignment",
      status: exists ? "exists" : "create",
      target: t.target,
      accountName: t.accountName,
      ...(t.accountId ? { accountId: t.accountId } : {}),
      group: desired.group.displayName,
      permissionSet: desired.adminPermissionSet,
    });
  }
  return { desired: wanted, steps, warnings, managementAccountId };
}

/**
 * Fills in account emails that waited for the management account's email (a run that creates
 * the organization: AWS only tells the email once it exists).
 */
export function resolvePendingEmails(plan: InitPlan, managementEmail: string): InitPlan {
  const fill = <T extends { stage: string; email: string }>(a: T): T =>
    isPendingEmail(a.email) ? { ...a, email: accountEmailFor(a.stage, plan.desired.accountEmailTemplate, managementEmail) } : a;
  return {
    ...plan,
    desired: { ...plan.desired, accounts: plan.desired.accounts.map(fill) },
    steps: plan.steps.map((s) => (s.kind === "account" ? fill(s) : s)),
  };
}
