/**
 * The `add-account <stage>` planner: the new stage's account (found, being created, or to create)
 * and the admin group's assignments in it — the same permission sets the group has in the other
 * stage accounts — as create/exists steps (docs/architecture.md, Habits: plan, then apply). Pure: no I/O.
 * Account steps come from init's own `planAccount`, so both commands recognise an account the
 * same way (by email, then by name) and never start a second creation.
 */
import { UserError } from "../errors.js";
import { validateStage } from "./desired.js";
import { isLiveAccount, planAccount, type AccountStep, type AssignmentStep, type ObservedAccount } from "./initPlan.js";

/** Checks everything about a new stage's names before any AWS call; returns the account name. */
export function validateNewStage(orgName: string, stage: string): { stage: string; accountName: string; profileName: string } {
  const s = validateStage(stage, "<stage>");
  const accountName = `${orgName}-${s}`;
  // CreateAccount: AccountName 1–50 characters (docs/aws-facts.md, Organizations).
  if (accountName.length > 50) {
    throw new UserError(`The account name "${accountName}" is longer than 50 characters (AWS's limit).`, "Use a shorter stage name.");
  }
  return { stage: s, accountName, profileName: accountName };
}

export interface AddAccountObserved {
  managementAccountId: string;
  accounts: ObservedAccount[];
  inProgressCreations: { requestId: string; name: string }[];
  /** The admin group (undefined: not found). */
  group?: { displayName: string; groupId: string };
  /** Permission sets the group has in the other stage accounts (name → ARN). */
  groupPermissionSets: { name: string; arn: string }[];
  /** Permission set ARNs the group already has in the new account (when it exists). */
  assignedInNewAccount: string[];
}

export interface AddAccountPlan {
  orgName: string;
  stage: string;
  account: AccountStep;
  assignments: (AssignmentStep & { permissionSetArn: string })[];
  /** `sso_role_name` of the new profile: the first permission set (AdministratorAccess when present). */
  roleName: string;
  warnings: string[];
}

/** `aws+staging@acme.com` → `aws+staging-2@acme.com` (n = 2, 3, ...). */
function withSuffix(email: string, n: number): string {
  const at = email.lastIndexOf("@");
  return `${email.slice(0, at)}-${n}${email.slice(at)}`;
}

/**
 * The new account's email when none was given: `base` (the stage accounts' pattern), unless a
 * closed or closing account still holds it — a closed account keeps its email, so after
 * close-account the stage's next account gets `…+<stage>-2@…` (the first of -2, -3, … that no
 * other account holds; the live account of this name, on a re-run, keeps its own).
 */
export function defaultAccountEmail(base: string, accountName: string, accounts: ObservedAccount[]): { email: string; heldBy?: ObservedAccount } {
  const holder = (email: string) => accounts.find((a) => a.email.toLowerCase() === email.toLowerCase());
  const first = holder(base);
  if (!first || isLiveAccount(first)) return { email: base };
  for (let n = 2; ; n++) {
    const candidate = withSuffix(base, n);
    const held = holder(candidate);
    if (!held || (isLiveAccount(held) && held.name === accountName)) return { email: candidate, heldBy: first };
  }
}

/** The first of `…-2@`, `…-3@`, … that no account holds (to suggest with --email). */
function unusedEmail(base: string, accounts: ObservedAccount[]): string {
  const held = new Set(accounts.map((a) => a.email.toLowerCase()));
  for (let n = 2; ; n++) if (!held.has(withSuffix(base, n).toLowerCase())) return withSuffix(base, n);
}

export function planAddAccount(input: { orgName: string; stage: string; email: string; adminPermissionSet: string }, observed: AddAccountObserved): AddAccountPlan {
  const { stage, accountName } = validateNewStage(input.orgName, input.stage);
  const free = unusedEmail(input.email, observed.accounts);
  const account = planAccount({ stage, name: accountName, email: input.email }, observed, `Give the new account an unused address: org-bootstrap add-account ${stage} --email ${free}`);
  if (account.accountId === observed.managementAccountId) {
    throw new UserError(`${input.email} is the management account's email.`, "Every account needs its own email: --email you+" + stage + "@example.com");
  }
  if (account.status === "exists" && account.foundBy === "email" && account.name !== accountName) {
    throw new UserError(
      `The email ${input.email} already belongs to account ${account.name} (${account.accountId}), not ${accountName}.`,
      "Give the new stage its own address with --email.",
    );
  }
  if (!observed.group) {
    throw new UserError("The admin group was not found in IAM Identity Center.", "Name it with --group (init's default is Administrators), or run org-bootstrap init.");
  }
  const group = observed.group;
  if (observed.groupPermissionSets.length === 0) {
    throw new UserError(
      `Group ${group.displayName} has no permission set in the other stage accounts, so there is nothing to copy.`,
      "Run org-bootstrap init to assign it (or check --group).",
    );
  }
  // The admin set first, so the profile's sso_role_name is the one init's profiles use.
  const sets = [...observed.groupPermissionSets].sort((a, b) => Number(b.name === input.adminPermissionSet) - Number(a.name === input.adminPermissionSet));
  const assigned = new Set(observed.assignedInNewAccount);
  const assignments = sets.map((set) => ({
    kind: "assignment" as const,
    status: account.accountId && assigned.has(set.arn) ? ("exists" as const) : ("create" as const),
    target: stage,
    accountName,
    ...(account.accountId ? { accountId: account.accountId } : {}),
    group: group.displayName,
    permissionSet: set.name,
    permissionSetArn: set.arn,
  }));
  return { orgName: input.orgName, stage, account, assignments, roleName: sets[0].name, warnings: [] };
}

export function addAccountChangesAws(plan: AddAccountPlan): boolean {
  return plan.account.status !== "exists" || plan.assignments.some((a) => a.status !== "exists");
}

/**
 * The `--account-email` template init was given, recovered from the existing stage accounts: an
 * account whose email carries its stage (`aws+dev@acme.com` for dev) gives `aws+{stage}@acme.com`.
 * Undefined when no account shows one (then the management email is plus-addressed, as init does).
 */
export function inferEmailTemplate(stageAccounts: { stage: string; email: string }[]): string | undefined {
  for (const a of stageAccounts) {
    const at = a.email.lastIndexOf("@");
    const local = a.email.slice(0, at);
    const marker = `+${a.stage}`;
    if (at > 0 && local.endsWith(marker)) return `${local.slice(0, -marker.length)}+{stage}${a.email.slice(at)}`;
  }
  return undefined;
}
