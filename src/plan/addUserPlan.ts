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
import { assignmentKey, permissionSetNameFor, planGroupAccess, planSet, type AccessEntry, type GroupAccessPlan, type PlannedSet } from "./groupAccessPlan.js";
import { permissionSetPresets } from "./presets.js";

// Callers of the add-user planner import these from here too.
export { assignmentKey, checkAccess, parseAccess, permissionSetNameFor, splitSets, type AccessEntry, type PlannedSet } from "./groupAccessPlan.js";

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
  /** --access: per stage, a preset key or a permission set's name (parseAccess). Excludes permissionSet. */
  access?: AccessEntry[];
  /** --force: an existing group's access in the stage accounts becomes exactly `access` (needs it). */
  force?: boolean;
}

/** --force only says how --access applies to an existing group: alone it would mean nothing (checked before any question or call). */
export function checkForce(input: { force?: boolean; access?: unknown }): void {
  if (input.force && input.access === undefined) {
    throw new UserError(
      "--force changes an existing group's access, and only --access says what it becomes.",
      "Add --access STAGE=SET,... (e.g. --access dev=poweruser,production=readonly; the group's access in every stage account becomes exactly that), or drop --force.",
    );
  }
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
  if (permissionSet && input.access) {
    throw new UserError("--permission-set and --access both say what the group gets.", "Use --permission-set for the same set in every stage, or --access STAGE=SET,... for one per stage.");
  }
  checkForce(input);
  return {
    email,
    userName: email,
    ...validatePersonNames(input.givenName, input.familyName, { given: "--given-name", family: "--family-name" }),
    groups,
    ...(permissionSet ? { permissionSet, permissionSetName: permissionSetNameFor(permissionSet) } : {}),
  };
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
  /** The permission sets --access names, when they exist. */
  accessSets?: { name: string; arn: string; managedPolicyArns: string[] }[];
  /** With --access: every other permission set's name, to show an existing group's access. */
  otherSets?: { name: string; arn: string }[];
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
  permissionSet?: PlannedSet;
  assignments: GroupAccessPlan["assignments"];
  /**
   * --access: the sets it names (one step each) and, per stage account, the set (none: not named);
   * `current`: each existing group's access per stage account before the run; `keptOutside`: how
   * many of their assignments lie outside the stage accounts (never touched).
   */
  access?: Pick<GroupAccessPlan, "sets" | "matrix"> & { current: (NonNullable<GroupAccessPlan["current"]>[number] & { group: string })[]; keptOutside: number };
  warnings: string[];
}

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
  if (newGroups.length > 0 && !v.permissionSetName && !input.access) {
    throw new UserError(
      `The group${newGroups.length === 1 ? "" : "s"} ${newGroups.join(", ")} ${newGroups.length === 1 ? "does" : "do"} not exist yet, and a new group needs a permission set to be useful.`,
      "Name the access its members get in every stage account: --permission-set admin|poweruser|readonly|viewonly (or an existing set's name).",
    );
  }
  // An existing group with no access anywhere (e.g. created by an add-user run that was stopped
  // before its assignments): say so, since its members would sign in and see no account.
  const accessless = observed.groups.filter((g) => g.groupId && (observed.groupAssignments[g.groupId] ?? []).length === 0).map((g) => g.displayName);
  if (accessless.length > 0 && !v.permissionSetName && !input.access) {
    warnings.push(
      `Group ${accessless.join(", ")} has no access to any account yet: its members can sign in but see no account. ` +
        "To give it access, run again with --permission-set admin|poweruser|readonly|viewonly (or an existing set's name).",
    );
  }
  let permissionSet: AddUserPlan["permissionSet"];
  if (v.permissionSetName) {
    permissionSet = planSet(v.permissionSet!, observed.permissionSet, observed.permissionSetNames);
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
  let access: AddUserPlan["access"];
  if (input.access) {
    for (const g of observed.groups) {
      const planned = planGroupAccess(
        {
          group: g.displayName,
          access: input.access,
          ...(input.force ? { force: true } : {}),
          refusalHint: `To make its access exactly --access, run again with --force (the plan shows what is removed before anything changes); or drop --access to add ${v.email} to ${g.displayName} as it is, or use a new group name.`,
        },
        {
          ...(g.groupId ? { groupId: g.groupId } : {}),
          held: g.groupId ? observed.groupAssignments[g.groupId] ?? [] : [],
          sets: observed.accessSets ?? [],
          ...(observed.otherSets ? { otherSets: observed.otherSets } : {}),
          permissionSetNames: observed.permissionSetNames,
          stageAccounts: observed.stageAccounts,
        },
      );
      // The sets and the matrix depend on --access only, the same for every group.
      access ??= { sets: planned.sets, matrix: planned.matrix, current: [], keptOutside: 0 };
      access.current.push(...(planned.current ?? []).map((c) => ({ group: g.displayName, ...c })));
      access.keptOutside += planned.keptOutside ?? 0;
      assignments.push(...planned.assignments);
      // Taking access away is said out loud, above the plan: a stage --access does not name loses
      // everything the group had there.
      const removals = planned.assignments.filter((a) => a.status === "delete");
      const emptied = [...new Set(removals.filter((a) => !planned.matrix.some((m) => m.accountId === a.accountId && m.permissionSet)).map((a) => a.stage))];
      if (removals.length > 0) {
        warnings.push(
          `--force removes from group ${g.displayName}: ${removals.map((a) => `${a.permissionSet} in ${a.accountName}`).join(", ")}` +
            (emptied.length ? `; ${emptied.join(", ")} ${emptied.length === 1 ? "is" : "are"} not named in --access, so the group keeps no access there` : "") +
            ". Its members lose it once the new access is in place.",
        );
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
    ...(access ? { access } : {}),
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
  // After the run: what --force removes no longer counts.
  const removed = new Set(assignments.filter((a) => a.group === g.displayName && a.status === "delete").map((a) => assignmentKey(a.accountId, a.permissionSetArn ?? "")));
  const held = (g.groupId ? observed.groupAssignments[g.groupId] ?? [] : []).filter((k) => !removed.has(k));
  const accounts = new Set(held.filter((k) => admin.has(k.split(" ")[1])).map((k) => k.split(" ")[0]));
  const newIsAdmin = permissionSet && ((permissionSet.arn && admin.has(permissionSet.arn)) || permissionSet.presetKey === "admin" || permissionSet.name === permissionSetPresets.admin.name);
  if (newIsAdmin) for (const a of assignments) if (a.group === g.displayName) accounts.add(a.accountId);
  // --access: the assignments naming the admin preset's set.
  for (const a of assignments) if (a.group === g.displayName && a.status !== "delete" && a.permissionSet === permissionSetPresets.admin.name) accounts.add(a.accountId);
  return accounts.size;
}

export function addUserChangesAws(plan: AddUserPlan): boolean {
  return [plan.user, ...plan.groups, ...plan.memberships, ...(plan.permissionSet ? [plan.permissionSet] : []), ...(plan.access?.sets ?? []), ...plan.assignments].some((s) => s.status !== "exists");
}
