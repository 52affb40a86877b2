/**
 * The `add-account <stage>` planner: the new stage's account (found, being created, or to create)
 * and the groups' assignments in it (src/plan/newAccountAccess.ts: what each group has in the
 * other stage accounts, or in the --like stage where that differs per stage) — as create/exists steps (docs/architecture.md, Habits: plan, then apply). Pure: no I/O.
 * Account steps come from init's own `planAccount`, so both commands recognise an account the
 * same way (by email, then by name) and never start a second creation.
 */
import { UserError } from "../errors.js";
import { validateStage } from "./desired.js";
import { isLiveAccount, planAccount, type AccountStep, type AssignmentStep, type ObservedAccount } from "./initPlan.js";
import { likeChoices, planNewAccountAccess, type NewAccountGroupAccess, type NamedSet, type ObservedGroupAccess, type ObservedStageAccount } from "./newAccountAccess.js";

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
  /** The other stage accounts, in the config's order. */
  stageAccounts: ObservedStageAccount[];
  /** Every group, with its assignments in the stage accounts and the new one. */
  groups: ObservedGroupAccess[];
  /** Every permission set (name → ARN). */
  permissionSets: NamedSet[];
}

export interface AddAccountPlan {
  orgName: string;
  stage: string;
  account: AccountStep;
  /** Per group with access in the stage accounts: what it gets in the new one, and why. */
  access: NewAccountGroupAccess[];
  like?: string;
  assignments: (AssignmentStep & { permissionSetArn: string; groupId: string })[];
  /** `sso_role_name` of the new profile: the first permission set (AdministratorAccess when present); none when no group gets access. */
  roleName?: string;
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

export function planAddAccount(
  input: { orgName: string; stage: string; email: string; adminPermissionSet: string; like?: string; onlyGroup?: string },
  observed: AddAccountObserved,
): AddAccountPlan {
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
  const access = planNewAccountAccess({
    stages: observed.stageAccounts,
    groups: observed.groups,
    sets: observed.permissionSets,
    ...(account.accountId ? { newAccountId: account.accountId } : {}),
    ...(input.like ? { like: input.like } : {}),
    ...(input.onlyGroup ? { onlyGroup: input.onlyGroup } : {}),
  });
  const stages = observed.stageAccounts.map((s) => s.stage);
  const warnings = access
    .filter((g) => g.source === "differs" && g.kept.length === 0)
    .map(
      (g) =>
        `Group ${g.group} gets no access in ${accountName}: its access differs per stage (${g.perStage.map((s) => `${s.stage}: ${s.permissionSets.join("+") || "none"}`).join(", ")}). ` +
        `To give it what it has in one of them, run again with ${likeChoices(stages)}.`,
    );
  const wanted = access.flatMap((g) => g.permissionSets.map((set) => ({ g, set })));
  // The admin set first, so the profile's sso_role_name is the one init's profiles use.
  const ordered = [...wanted].sort((a, b) => Number(b.set.name === input.adminPermissionSet) - Number(a.set.name === input.adminPermissionSet));
  const inNew = new Set(observed.groups.flatMap((g) => g.assignments.filter((a) => a.accountId === account.accountId).map((a) => `${g.groupId} ${a.permissionSetArn}`)));
  const assignments = ordered.map(({ g, set }) => ({
    kind: "assignment" as const,
    status: account.accountId && inNew.has(`${g.groupId} ${set.arn}`) ? ("exists" as const) : ("create" as const),
    target: stage,
    accountName,
    ...(account.accountId ? { accountId: account.accountId } : {}),
    group: g.group,
    groupId: g.groupId,
    permissionSet: set.name,
    permissionSetArn: set.arn,
  }));
  const roleName = assignments[0]?.permissionSet ?? access.flatMap((g) => g.kept).sort((a, b) => Number(b === input.adminPermissionSet) - Number(a === input.adminPermissionSet))[0];
  return { orgName: input.orgName, stage, account, access, ...(input.like ? { like: input.like } : {}), assignments, ...(roleName ? { roleName } : {}), warnings };
}

/** Groups whose access differs per stage and that have nothing in the new account yet: --like would decide. */
export const groupsNeedingLike = (plan: AddAccountPlan) => plan.access.filter((g) => g.source === "differs" && g.kept.length === 0).map((g) => g.group);

/** An account nobody can sign in to is no use: refused (before any change) when no group gets anything there. */
export function requireSomeAccess(plan: AddAccountPlan, stages: string[]): asserts plan is AddAccountPlan & { roleName: string } {
  if (plan.roleName) return;
  const names = plan.access.map((g) => g.group);
  throw new UserError(
    `No group would get access in ${plan.account.name}, so nobody could sign in to it: ${names.join(", ")} ${names.length === 1 ? "has" : "have"} different access per stage.`,
    `Say which stage ${plan.stage} is like: org-bootstrap add-account ${plan.stage} ${likeChoices(stages)}`,
  );
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
