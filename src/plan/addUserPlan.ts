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
  /** --access: per stage, a preset key or a permission set's name (parseAccess). Excludes permissionSet. */
  access?: AccessEntry[];
}

export interface AccessEntry {
  stage: string;
  /** A preset key or a permission set's name, as given. */
  value: string;
}

/**
 * `dev=poweruser,production=readonly` → entries, checked before the first AWS call: each pair is
 * STAGE=SET, no stage twice, and every stage one of `stages` (the config's stage profiles).
 */
export function parseAccess(text: string, stages: string[]): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const raw of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\S.*)$/.exec(raw);
    if (!m) throw new UserError(`--access: "${raw}" is not STAGE=SET.`, "Example: --access dev=poweruser,production=readonly");
    const [, stage, value] = m;
    if (entries.some((e) => e.stage === stage)) throw new UserError(`--access names stage ${stage} twice.`, "Give each stage one permission set.");
    if (!stages.includes(stage)) {
      throw new UserError(`--access: there is no stage ${stage}.`, stages.length ? `The stages of your config: ${stages.join(", ")}.` : "Your config has no stage profiles yet (org-bootstrap init, add-account).");
    }
    entries.push({ stage, value: value.trim() });
  }
  if (entries.length === 0) throw new UserError("--access is empty.", "Example: --access dev=poweruser,production=readonly");
  return entries;
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
  /** "update": a preset's set that a stopped run created but never gave its policy (see planAddUser). */
  permissionSet?: { name: string; status: StepStatus | "update"; arn?: string; presetKey?: string };
  assignments: { group: string; permissionSet: string; stage: string; accountId: string; accountName: string; status: StepStatus }[];
  /** --access: the sets it names (one step each) and, per stage account, the set (none: not named). */
  access?: { sets: PlannedSet[]; matrix: { stage: string; accountId: string; accountName: string; permissionSet?: string }[] };
  warnings: string[];
}

export type PlannedSet = NonNullable<AddUserPlan["permissionSet"]>;

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
    const sets = new Map<string, PlannedSet>();
    for (const e of input.access) {
      const name = permissionSetNameFor(e.value);
      if (!sets.has(name)) sets.set(name, planSet(e.value, observed.accessSets?.find((p) => p.name === name), observed.permissionSetNames));
    }
    const matrix = observed.stageAccounts.map((a) => {
      const e = input.access!.find((x) => x.stage === a.stage);
      return { stage: a.stage, accountId: a.accountId, accountName: a.name, ...(e ? { permissionSet: permissionSetNameFor(e.value) } : {}) };
    });
    access = { sets: [...sets.values()], matrix };
    const arnOf = new Map([...sets.values()].map((p) => [p.name, p.arn]));
    for (const g of observed.groups) {
      const have = new Set(g.groupId ? observed.groupAssignments[g.groupId] ?? [] : []);
      const wanted = matrix.filter((m) => m.permissionSet);
      // An existing group's access is not taken away without being asked: when it holds anything
      // in a stage account that the matrix does not give, nothing of its access changes. A group
      // holding part of the matrix (a stopped run's, or none yet) gets the rest.
      if (g.groupId) {
        const wantedKeys = new Set(wanted.flatMap((m) => (arnOf.get(m.permissionSet!) ? [assignmentKey(m.accountId, arnOf.get(m.permissionSet!)!)] : [])));
        const stageIds = new Set(observed.stageAccounts.map((a) => a.accountId));
        const extra = [...have].filter((k) => stageIds.has(k.split(" ")[0]) && !wantedKeys.has(k));
        if (extra.length > 0) {
          const nameOf = new Map([...(observed.accessSets ?? []), ...(observed.otherSets ?? [])].map((p) => [p.arn, p.name]));
          const current = observed.stageAccounts.map((a) => {
            const held = [...have].filter((k) => k.startsWith(`${a.accountId} `)).map((k) => nameOf.get(k.split(" ")[1]) ?? "another set");
            return `${a.stage}=${held.length ? held.join("+") : "none"}`;
          });
          const asked = matrix.map((m) => `${m.stage}=${m.permissionSet ?? "none"}`);
          throw new UserError(
            `Group ${g.displayName} exists with other access: ${current.join(", ")}; --access asks for ${asked.join(", ")}. Nothing was changed.`,
            `add-user does not change an existing group's access in this version: drop --access to add ${v.email} to ${g.displayName} as it is, or use a new group name.`,
          );
        }
      }
      for (const m of wanted) {
        const arn = arnOf.get(m.permissionSet!);
        const exists = Boolean(arn && have.has(assignmentKey(m.accountId, arn)));
        assignments.push({ group: g.displayName, permissionSet: m.permissionSet!, stage: m.stage, accountId: m.accountId, accountName: m.accountName, status: exists ? "exists" : "create" });
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

/** One permission set a plan uses: found, to create from its preset, or a preset's set to finish. */
function planSet(value: string, found: { name: string; arn: string; managedPolicyArns: string[] } | undefined, allNames: string[]): PlannedSet {
  const name = permissionSetNameFor(value);
  const preset = isPresetKey(value) ? value : Object.entries(permissionSetPresets).find(([, p]) => p.name === name)?.[0];
  if (!found && !preset) {
    throw new UserError(`There is no permission set ${name}.`, `Use one of ${[...allNames, "poweruser", "readonly", "viewonly"].join(", ")}.`);
  }
  // CreatePermissionSet and the policy attachment are two calls: a run stopped between them
  // leaves a preset's permission set with no policy, which gives nobody anything. The re-run
  // finishes it (attaching only the preset's policy); a set with any policy is left as it is.
  const unfinished = found && preset && found.managedPolicyArns.length === 0;
  return found
    ? { name: found.name, status: unfinished ? "update" : "exists", arn: found.arn, ...(unfinished ? { presetKey: preset } : {}) }
    : { name, status: "create", ...(preset ? { presetKey: preset } : {}) };
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
  // --access: the assignments naming the admin preset's set.
  for (const a of assignments) if (a.group === g.displayName && a.permissionSet === permissionSetPresets.admin.name) accounts.add(a.accountId);
  return accounts.size;
}

export function addUserChangesAws(plan: AddUserPlan): boolean {
  return [plan.user, ...plan.groups, ...plan.memberships, ...(plan.permissionSet ? [plan.permissionSet] : []), ...(plan.access?.sets ?? []), ...plan.assignments].some((s) => s.status !== "exists");
}
