/**
 * The `add-user` planner: the Identity Center user (found or to create), its groups (found or to
 * create), its memberships, and — for a group given a permission set — that set and its
 * assignments in every stage account. Pure (docs/architecture.md, Habits: plan, then apply): observed state in,
 * create/exists steps out; a re-run on a finished setup plans nothing to create.
 *
 * Identity Store limits (identitystore API reference, CreateUser / CreateGroup; docs/aws-facts.md, Identity Store):
 * UserName unique, at most 128 characters, `Administrator` and `AWSAdministrators` reserved;
 * at most one email; GivenName/FamilyName/DisplayName 1–1024 characters; group DisplayName
 * 1–1024 characters.
 * https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateUser.html
 */
import { UserError } from "../errors.js";
import { validateEmail, validateGroupName, validatePersonNames } from "./desired.js";
import { isPresetKey, permissionSetPresets } from "./presets.js";

export type StepStatus = "create" | "exists";

export interface AddUserInput {
  email: string;
  givenName: string;
  familyName: string;
  groups: string[];
  /** No --group was given and nobody was asked: `groups` is the default (Administrators). */
  groupDefaulted?: boolean;
  /** A permission set name, or a preset key (admin, poweruser, readonly, viewonly). */
  permissionSet?: string;
}

const RESERVED_USER_NAMES = new Set(["administrator", "awsadministrators"]);

/** Every rule AWS would enforce, checked before the first call; returns the cleaned input. */
// The email doubles as the username: validateEmail's 64-character cap is within UserName's 128.
export function validateAddUser(input: AddUserInput): AddUserInput & { userName: string; permissionSetName?: string } {
  const email = validateEmail(input.email, "--email");
  if (RESERVED_USER_NAMES.has(email.toLowerCase())) throw new UserError(`${email} is a name AWS reserves.`, "Use the person's email address.");
  const groups = [...new Set(input.groups.map((g) => validateGroupName(g, "--group")))];
  if (groups.length === 0) throw new UserError("No group given.", "Name at least one with --group (default: Administrators).");
  const permissionSet = input.permissionSet?.trim() || undefined;
  return {
    email,
    userName: email,
    ...validatePersonNames(input.givenName, input.familyName, { given: "--given-name", family: "--family-name" }),
    groups,
    ...(permissionSet ? { permissionSet, permissionSetName: permissionSetNameFor(permissionSet) } : {}),
  };
}

/** `poweruser` → `PowerUserAccess`; any other value is a permission set's own name. */
export function permissionSetNameFor(value: string): string {
  return isPresetKey(value) ? permissionSetPresets[value].name : value;
}

export interface AddUserObserved {
  /** The user whose UserName is the email. */
  user?: { userId: string; userName: string; email?: string };
  /** Another user that already has this email (Identity Store emails need not be unique, but ours are). */
  emailOwner?: { userId: string; userName: string };
  /** Per requested group: its id when it exists. */
  groups: { displayName: string; groupId?: string }[];
  /** Group ids the user is already a member of. */
  memberOf: string[];
  /** The permission set named by --permission-set, when it exists. */
  permissionSet?: { name: string; arn: string; managedPolicyArns: string[] };
  /** Names of every permission set, for the error when the named one is unknown. */
  permissionSetNames: string[];
  /** Stage accounts (the session's `<org>-<stage>` profiles that point at active accounts). */
  stageAccounts: { stage: string; accountId: string; name: string }[];
  /** Per group id: `accountId permissionSetArn` pairs it already has. */
  groupAssignments: Record<string, string[]>;
  /** Permission sets that give administrator access (the AdministratorAccess policy). */
  adminPermissionSetArns?: string[];
  /** Every group of the identity store; read only when the group was defaulted. */
  allGroupNames?: string[];
}

export interface AddUserPlan {
  user: { status: StepStatus; userName: string; email: string; givenName: string; familyName: string; userId?: string };
  /** `adminIn`: how many accounts the group has administrator access in (an administrators' group). */
  groups: { displayName: string; status: StepStatus; groupId?: string; adminIn?: number }[];
  memberships: { group: string; status: StepStatus }[];
  /** Only when a permission set was asked for. */
  /** "update": a preset's set that a stopped run created but never gave its policy (see planAddUser). */
  permissionSet?: { name: string; status: StepStatus | "update"; arn?: string; presetKey?: string };
  assignments: { group: string; permissionSet: string; stage: string; accountId: string; accountName: string; status: StepStatus }[];
  warnings: string[];
}

export const assignmentKey = (accountId: string, permissionSetArn: string) => `${accountId} ${permissionSetArn}`;

export function planAddUser(input: AddUserInput, observed: AddUserObserved): AddUserPlan {
  const v = validateAddUser(input);
  if (observed.emailOwner && observed.emailOwner.userId !== observed.user?.userId) {
    throw new UserError(
      `The email ${v.email} already belongs to Identity Center user ${observed.emailOwner.userName}.`,
      "Each person needs their own address; check the email, or remove the other user first (org-bootstrap remove-user).",
    );
  }
  // Unattended without --group, the default (Administrators) would make the person an
  // administrator everywhere, production included: with other groups to choose from, that is a
  // choice to make explicitly.
  const others = (observed.allGroupNames ?? []).filter((g) => !v.groups.includes(g));
  if (input.groupDefaulted && others.length > 0) {
    const all = [...v.groups, ...others];
    throw new UserError(
      `--group is needed: the identity store has ${all.length} groups (${all.join(", ")}), and without --group ${v.email} would join ${v.groups.join(", ")}, with administrator access in every account, production included.`,
      `Name the group: --group ${others[0]} (or --group ${v.groups[0]} for administrator access).`,
    );
  }
  const warnings: string[] = [];
  if (observed.user?.email && observed.user.email.toLowerCase() !== v.email.toLowerCase()) {
    warnings.push(`User ${observed.user.userName} exists with email ${observed.user.email}; it is kept as it is.`);
  }
  const newGroups = observed.groups.filter((g) => !g.groupId).map((g) => g.displayName);
  if (newGroups.length > 0 && !v.permissionSetName) {
    throw new UserError(
      `The group${newGroups.length === 1 ? "" : "s"} ${newGroups.join(", ")} ${newGroups.length === 1 ? "does" : "do"} not exist yet, and a new group needs a permission set to be useful.`,
      "Name the access its members get in every stage account: --permission-set admin|poweruser|readonly|viewonly (or an existing set's name).",
    );
  }
  // An existing group with no access anywhere (e.g. created by an add-user run that was stopped
  // before its assignments): say so, since its members would sign in and see no account.
  const accessless = observed.groups.filter((g) => g.groupId && (observed.groupAssignments[g.groupId] ?? []).length === 0).map((g) => g.displayName);
  if (accessless.length > 0 && !v.permissionSetName) {
    warnings.push(
      `Group ${accessless.join(", ")} has no access to any account yet: its members can sign in but see no account. ` +
        "To give it access, run again with --permission-set admin|poweruser|readonly|viewonly (or an existing set's name).",
    );
  }
  let permissionSet: AddUserPlan["permissionSet"];
  if (v.permissionSetName) {
    const preset = v.permissionSet && isPresetKey(v.permissionSet) ? v.permissionSet : Object.entries(permissionSetPresets).find(([, p]) => p.name === v.permissionSetName)?.[0];
    if (!observed.permissionSet && !preset) {
      throw new UserError(
        `There is no permission set ${v.permissionSetName}.`,
        `Use one of ${[...observed.permissionSetNames, "poweruser", "readonly", "viewonly"].join(", ")}.`,
      );
    }
    // CreatePermissionSet and the policy attachment are two calls: a run stopped between them
    // leaves a preset's permission set with no policy, which gives nobody anything. The re-run
    // finishes it (attaching only the preset's policy); a set with any policy is left as it is.
    const unfinished = observed.permissionSet && preset && observed.permissionSet.managedPolicyArns.length === 0;
    permissionSet = observed.permissionSet
      ? { name: observed.permissionSet.name, status: unfinished ? "update" : "exists", arn: observed.permissionSet.arn, ...(unfinished ? { presetKey: preset } : {}) }
      : { name: v.permissionSetName, status: "create", ...(preset ? { presetKey: preset } : {}) };
    if (observed.stageAccounts.length === 0) {
      warnings.push("No stage account was found through your AWS config's profiles, so no access is assigned.");
    }
  }
  const memberOf = new Set(observed.memberOf);
  const assignments: AddUserPlan["assignments"] = [];
  if (permissionSet) {
    for (const g of observed.groups) {
      const have = new Set(g.groupId ? observed.groupAssignments[g.groupId] ?? [] : []);
      for (const a of observed.stageAccounts) {
        const exists = Boolean(permissionSet.arn && have.has(assignmentKey(a.accountId, permissionSet.arn)));
        assignments.push({ group: g.displayName, permissionSet: permissionSet.name, stage: a.stage, accountId: a.accountId, accountName: a.name, status: exists ? "exists" : "create" });
      }
    }
  }
  return {
    user: {
      status: observed.user ? "exists" : "create",
      userName: v.userName,
      email: v.email,
      givenName: v.givenName,
      familyName: v.familyName,
      ...(observed.user ? { userId: observed.user.userId } : {}),
    },
    groups: observed.groups.map((g) => {
      const adminIn = adminAccounts(g, observed, assignments, permissionSet);
      return { displayName: g.displayName, status: g.groupId ? "exists" : "create", ...(g.groupId ? { groupId: g.groupId } : {}), ...(adminIn ? { adminIn } : {}) };
    }),
    memberships: observed.groups.map((g) => ({ group: g.displayName, status: observed.user && g.groupId && memberOf.has(g.groupId) ? "exists" : "create" })),
    ...(permissionSet ? { permissionSet } : {}),
    assignments,
    warnings,
  };
}

/** Accounts where the group has (or, by this plan, gets) a permission set with administrator access. */
function adminAccounts(
  g: AddUserObserved["groups"][number],
  observed: AddUserObserved,
  assignments: AddUserPlan["assignments"],
  permissionSet: AddUserPlan["permissionSet"],
): number {
  const admin = new Set(observed.adminPermissionSetArns ?? []);
  const accounts = new Set((g.groupId ? observed.groupAssignments[g.groupId] ?? [] : []).filter((k) => admin.has(k.split(" ")[1])).map((k) => k.split(" ")[0]));
  const newIsAdmin = permissionSet && ((permissionSet.arn && admin.has(permissionSet.arn)) || permissionSet.presetKey === "admin" || permissionSet.name === permissionSetPresets.admin.name);
  if (newIsAdmin) for (const a of assignments) if (a.group === g.displayName) accounts.add(a.accountId);
  return accounts.size;
}

export function addUserChangesAws(plan: AddUserPlan): boolean {
  return [plan.user, ...plan.groups, ...plan.memberships, ...(plan.permissionSet ? [plan.permissionSet] : []), ...plan.assignments].some((s) => s.status !== "exists");
}
