/**
 * `org-bootstrap add-user`: an Identity Center user (username = email), its group memberships
 * (default Administrators), and a paste-ready onboarding message. A group that does not exist yet
 * is created with the chosen permission set assigned in every stage account. Flags or prompts
 * fill one typed answer; the plan is shown first; a re-run finds everything and changes nothing.
 * The organisation comes from the `[sso-session]` init wrote (`src/local/orgConfig.ts`).
 */
import { CancelledError, OperationError, UserError } from "../errors.js";
import { explainAwsError } from "../aws/errors.js";
import type { OrganizationContext } from "../aws/organizationContext.js";
import type { PermissionSetInfo } from "../aws/ssoAdmin.js";
import { loadOrgConfig, type OrgConfig } from "../local/orgConfig.js";
import { addUserChangesAws, assignmentKey, permissionSetNameFor, planAddUser, validateAddUser, type AddUserInput, type AddUserObserved, type AddUserPlan } from "../plan/addUserPlan.js";
import { validateEmail, validatePersonName, validatePersonNames } from "../plan/desired.js";
import { initDefaults, isPresetKey, permissionSetPresets, presetKeys } from "../plan/presets.js";
import { mfaAdviceLines, onboardingMessageLines, passwordSetupLines, userConsoleUrl, type OnboardingMessage } from "../ui/onboarding.js";
import type { Output } from "../ui/output.js";
import { createProgressBoard } from "../ui/progress.js";
import { askConfirm, askSelect, askText, type PromptContext } from "../ui/prompts.js";
import { renderAddUserPlan } from "../ui/userPlan.js";
import { dayTwoFlags, stringFlag, type DayTwoOptions } from "./dayTwoFlags.js";
import { openManagementContext } from "./managementAccess.js";
import type { CommandInput } from "./types.js";

export interface AddUserOptions extends DayTwoOptions {
  email?: string;
  givenName?: string;
  familyName?: string;
  /** Empty: ask, or the default group (Administrators). */
  groups: string[];
  permissionSet?: string;
}

export interface AddUserSummary {
  user: { userId: string; userName: string; email: string; status: "created" | "found" };
  groups: { displayName: string; status: "created" | "found"; membership: "created" | "found" }[];
  permissionSet?: { name: string; status: "created" | "found" | "updated" };
  assignments: { group: string; permissionSet: string; accountId: string; status: "created" | "found" }[];
  startUrl: string;
  userConsoleUrl: string;
  /** The paste-ready message for the new person (no secrets in it). */
  onboardingMessage: string;
}

const found = (s: "create" | "exists") => (s === "create" ? "created" : "found");

/** Flags, then prompts for what is missing; unattended, a missing flag is an error naming it. */
async function collectInput(o: AddUserOptions): Promise<AddUserInput> {
  const ask = o.interactive && !o.yes;
  if (!ask) {
    const missing = [!o.email && "--email", !o.givenName && "--given-name", !o.familyName && "--family-name"].filter(Boolean);
    if (missing.length > 0) {
      throw new UserError(
        `No terminal to ask on, and ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing.`,
        "Example: org-bootstrap add-user --yes --email bo@acme.com --given-name Bo --family-name Chen --group Administrators",
      );
    }
    return { email: o.email!, givenName: o.givenName!, familyName: o.familyName!, groups: o.groups.length ? o.groups : [initDefaults.group], ...(o.groups.length ? {} : { groupDefaulted: true }), ...(o.permissionSet ? { permissionSet: o.permissionSet } : {}) };
  }
  const ctx: PromptContext = { out: o.out, signal: o.signal };
  const required = (v: string) => (v.trim() ? undefined : "Required.");
  const email =
    o.email ??
    (await askText(ctx, {
      message: "The person's email (also their username)",
      validate: (v) => {
        try {
          validateEmail(v, "--email");
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    }));
  // Each answer is checked as validateAddUser will check it (names: Identity Store's rules).
  const rule = (fn: (v: string) => unknown) => (v: string) => {
    try {
      fn(v);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };
  const givenName = o.givenName ?? (await askText(ctx, { message: "Given name", validate: rule((v) => validatePersonName("given name", v, "--given-name")) }));
  const familyName =
    o.familyName ?? (await askText(ctx, { message: "Family name", validate: rule((v) => validatePersonNames(givenName, v, { given: "--given-name", family: "--family-name" })) }));
  const groups = o.groups.length
    ? o.groups
    : (await askText(ctx, { message: "Groups (comma-separated; a new name creates the group)", initialValue: initDefaults.group, validate: required }))
        .split(",")
        .map((g) => g.trim())
        .filter(Boolean);
  return { email, givenName, familyName, groups, ...(o.permissionSet ? { permissionSet: o.permissionSet } : {}) };
}

interface Observation {
  observed: AddUserObserved;
  permissionSets: PermissionSetInfo[];
}

async function observe(org: OrganizationContext, config: OrgConfig, input: AddUserInput): Promise<Observation> {
  const { identityStore, ssoAdmin, organizations, instance } = org;
  const userName = input.email;
  const [userId, emailOwnerId, groupIds, permissionSets, accounts, allGroups] = await Promise.all([
    identityStore.findUserId(userName),
    identityStore.findUserIdByEmail(input.email),
    Promise.all(input.groups.map((g) => identityStore.findGroupId(g))),
    ssoAdmin.listPermissionSets(instance.instanceArn),
    organizations.listAccounts(),
    input.groupDefaulted ? identityStore.listGroups() : undefined,
  ]);
  const groups = input.groups.map((displayName, i) => ({ displayName, ...(groupIds[i] ? { groupId: groupIds[i] } : {}) }));
  const [user, emailOwner, memberOf, groupAssignmentLists] = await Promise.all([
    userId ? identityStore.describeUser(userId) : undefined,
    emailOwnerId && emailOwnerId !== userId ? identityStore.describeUser(emailOwnerId) : undefined,
    userId ? identityStore.listMembershipsForUser(userId) : [],
    // One listing per existing group: what it has everywhere (for the plan and the message).
    Promise.all(groups.map((g) => (g.groupId ? ssoAdmin.listAssignmentsForPrincipal(instance.instanceArn, { principalType: "GROUP", principalId: g.groupId }) : []))),
  ]);
  const active = new Map(accounts.filter((a) => a.state === "ACTIVE").map((a) => [a.id, a]));
  const stageAccounts = config.profiles.flatMap((p) => {
    const account = p.accountId ? active.get(p.accountId) : undefined;
    return account && account.id !== org.organization.managementAccountId ? [{ stage: p.stage, accountId: account.id, name: account.name }] : [];
  });
  const wantedSet = input.permissionSet ? permissionSetNameFor(input.permissionSet) : undefined;
  const set = wantedSet ? permissionSets.find((p) => p.name === wantedSet) : undefined;
  const groupAssignments: Record<string, string[]> = {};
  groups.forEach((g, i) => {
    if (g.groupId) groupAssignments[g.groupId] = groupAssignmentLists[i].map((a) => assignmentKey(a.accountId, a.permissionSetArn));
  });
  return {
    permissionSets,
    observed: {
      ...(user ? { user: { userId: user.userId, userName: user.userName, ...(user.email ? { email: user.email } : {}) } } : {}),
      ...(emailOwner ? { emailOwner: { userId: emailOwner.userId, userName: emailOwner.userName } } : {}),
      groups,
      memberOf: memberOf.map((m) => m.groupId),
      ...(set ? { permissionSet: { name: set.name, arn: set.arn, managedPolicyArns: set.managedPolicyArns } } : {}),
      permissionSetNames: permissionSets.map((p) => p.name),
      stageAccounts,
      groupAssignments,
      adminPermissionSetArns: permissionSets.filter((p) => p.name === permissionSetPresets.admin.name || p.managedPolicyArns.includes(permissionSetPresets.admin.managedPolicyArn)).map((p) => p.arn),
      ...(allGroups ? { allGroupNames: allGroups.map((g) => g.displayName) } : {}),
    },
  };
}

/** A new group without --permission-set: ask which access its members get (presets and existing sets). */
async function askPermissionSet(o: AddUserOptions, newGroups: string[], permissionSets: PermissionSetInfo[]): Promise<string> {
  const existing = permissionSets.map((p) => p.name);
  const presets = presetKeys.filter((k) => !existing.includes(permissionSetPresets[k].name));
  return askSelect({ out: o.out, signal: o.signal }, {
    message: `Which access should group ${newGroups.join(", ")} get in every stage account?`,
    choices: [
      ...existing.map((name) => ({ value: name, label: name, hint: "existing permission set" })),
      ...presets.map((k) => ({ value: k as string, label: permissionSetPresets[k].name, hint: `new: ${permissionSetPresets[k].description}` })),
    ],
  });
}

async function apply(org: OrganizationContext, plan: AddUserPlan, out: Output, signal: AbortSignal): Promise<{ userId: string; permissionSetArn?: string }> {
  const { identityStore, ssoAdmin, instance } = org;
  const board = createProgressBoard(out);
  try {
    let permissionSetArn = plan.permissionSet?.arn;
    if (plan.permissionSet?.status === "create" && plan.permissionSet.presetKey && isPresetKey(plan.permissionSet.presetKey)) {
      const preset = permissionSetPresets[plan.permissionSet.presetKey];
      const { permissionSet } = await ssoAdmin.ensurePermissionSet(instance.instanceArn, {
        name: preset.name,
        description: preset.description,
        sessionDuration: initDefaults.sessionDuration,
        managedPolicyArns: [preset.managedPolicyArn],
      });
      permissionSetArn = permissionSet.arn;
      board.report(`Permission set ${preset.name}: created`);
    }
    if (plan.permissionSet?.status === "update" && plan.permissionSet.presetKey && isPresetKey(plan.permissionSet.presetKey)) {
      const preset = permissionSetPresets[plan.permissionSet.presetKey];
      const existing = await ssoAdmin.findPermissionSetByName(instance.instanceArn, preset.name);
      if (existing) {
        // Its own session length and description stay; only the preset's policy is added.
        await ssoAdmin.updatePermissionSet(instance.instanceArn, existing, {
          name: existing.name,
          description: existing.description ?? preset.description,
          sessionDuration: existing.sessionDuration ?? initDefaults.sessionDuration,
          managedPolicyArns: [preset.managedPolicyArn],
        });
        board.report(`Permission set ${preset.name}: ${preset.managedPolicyArn.split("/").pop()} attached`);
      }
    }
    const [user, ...groups] = await Promise.all([
      identityStore.ensureUser({ userName: plan.user.userName, email: plan.user.email, givenName: plan.user.givenName, familyName: plan.user.familyName }),
      ...plan.groups.map((g) => identityStore.ensureGroup(g.displayName)),
    ]);
    if (user.status === "created") board.report(`User ${plan.user.userName}: created`);
    plan.groups.forEach((g, i) => groups[i].status === "created" && board.report(`Group ${g.displayName}: created`));
    for (const [i, g] of plan.groups.entries()) {
      const m = await identityStore.addMembership(groups[i].groupId, user.userId);
      if (m.status === "created") board.report(`${plan.user.userName} in group ${g.displayName}: added`);
    }
    const todo = plan.assignments.filter((a) => a.status === "create");
    if (todo.length > 0 && permissionSetArn) {
      const groupIdOf = new Map(plan.groups.map((g, i) => [g.displayName, groups[i].groupId]));
      board.status(`Waiting for ${todo.length} access assignment${todo.length === 1 ? "" : "s"}`);
      const results = await ssoAdmin.assignAll(
        instance.instanceArn,
        todo.map((a) => ({ accountId: a.accountId, permissionSetArn: permissionSetArn as string, principalType: "GROUP" as const, principalId: groupIdOf.get(a.group) ?? "" })),
        { signal, onDone: (r) => board.report(`Access: ${plan.permissionSet?.name} in ${todo.find((t) => t.accountId === r.accountId)?.accountName ?? r.accountId}${r.status === "FAILED" ? " FAILED" : ""}`) },
      );
      board.status(undefined);
      const failed = results.find((r) => r.status === "FAILED");
      if (failed) throw new OperationError(`Assigning access in account ${failed.accountId} failed: ${failed.failureReason ?? "AWS gave no reason"}.`, "Run the command again; finished steps are kept.");
    }
    return { userId: user.userId, ...(permissionSetArn ? { permissionSetArn } : {}) };
  } finally {
    board.close();
  }
}

/** The profiles the person can use: per stage account, a permission set one of their groups has there. */
function profilesFor(config: OrgConfig, plan: AddUserPlan, observed: AddUserObserved, permissionSets: PermissionSetInfo[], newSetArn?: string): OnboardingMessage["profiles"] {
  const nameOf = new Map(permissionSets.map((p) => [p.arn, p.name]));
  if (plan.permissionSet && newSetArn) nameOf.set(newSetArn, plan.permissionSet.name);
  const held = new Set(plan.groups.flatMap((g) => (g.groupId ? observed.groupAssignments[g.groupId] ?? [] : [])));
  return observed.stageAccounts.flatMap((a) => {
    const roles = [
      ...[...held].filter((k) => k.startsWith(`${a.accountId} `)).map((k) => nameOf.get(k.slice(a.accountId.length + 1)) ?? ""),
      ...plan.assignments.filter((x) => x.accountId === a.accountId).map((x) => x.permissionSet),
    ].filter(Boolean);
    const profile = config.profiles.find((p) => p.accountId === a.accountId);
    // The admin's own profile role when the person has it too, so both machines read the same.
    const role = roles.find((r) => r === profile?.roleName) ?? roles[0];
    return role ? [{ name: profile?.name ?? `${config.orgName}-${a.stage}`, accountId: a.accountId, roleName: role, region: profile?.region ?? config.session.region }] : [];
  });
}

export async function addUser(o: AddUserOptions): Promise<AddUserSummary | undefined> {
  const { out } = o;
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  let input = await collectInput(o);
  // Names and limits are checked before the first AWS call.
  validateAddUser(input);

  const org = await openManagementContext({ ...o, config });
  const read = (i: AddUserInput) =>
    observe(org, config, i).catch((err: unknown) => {
      throw explainAwsError(err, "Reading Identity Center");
    });
  let { observed, permissionSets } = await read(input);
  const newGroups = observed.groups.filter((g) => !g.groupId).map((g) => g.displayName);
  if (newGroups.length > 0 && !input.permissionSet && o.interactive && !o.yes) {
    input = { ...input, permissionSet: await askPermissionSet(o, newGroups, permissionSets) };
    ({ observed, permissionSets } = await read(input));
  }
  const plan = planAddUser(input, observed);
  for (const w of plan.warnings) out.warn(w);
  for (const line of renderAddUserPlan(plan, out)) out.line(line);

  if (o.dryRun) {
    out.line("Dry run: nothing was changed.");
    if (out.json) out.printJson({ dryRun: true, plan });
    return undefined;
  }
  if (addUserChangesAws(plan) && !o.yes) {
    if (!o.interactive) throw new UserError("No terminal to confirm on.", "Add --yes to apply the plan unattended (or --dry-run to only see it).");
    if (!(await askConfirm({ out, signal: o.signal }, { message: `Create ${plan.user.userName} and the steps above?` }))) throw new CancelledError("Nothing was changed.");
  }

  const applied = await apply(org, plan, out, o.signal).catch((err: unknown) => {
    throw explainAwsError(err, `Adding ${plan.user.userName}`);
  });
  if (!addUserChangesAws(plan)) out.success(`AWS: ${plan.user.userName} and their groups were already in place; nothing changed.`);

  const identityCenter = { region: config.session.region, instanceArn: org.instance.instanceArn };
  const message = onboardingMessageLines({
    givenName: plan.user.givenName,
    userName: plan.user.userName,
    startUrl: config.session.startUrl,
    session: config.session,
    profiles: profilesFor(config, plan, observed, permissionSets, applied.permissionSetArn),
    loginCommand: `npx org-bootstrap login --sso-session ${config.session.name}`,
  });
  out.line("");
  out.success(`${plan.user.userName} is in ${plan.groups.map((g) => g.displayName).join(", ")}. Access portal: ${config.session.startUrl}`);
  out.line("");
  out.heading(`Before ${plan.user.givenName} can sign in`);
  for (const line of passwordSetupLines({ userName: plan.user.userName, userId: applied.userId }, identityCenter)) out.line(line);
  out.line("");
  out.heading("Require MFA");
  for (const line of mfaAdviceLines(config.session.region)) out.line(line);
  out.line("");
  out.heading(`Send this to ${plan.user.givenName} (no secrets in it):`);
  out.line("-----8<-----");
  for (const line of message) out.line(line);
  out.line("-----8<-----");

  const summary: AddUserSummary = {
    user: { userId: applied.userId, userName: plan.user.userName, email: plan.user.email, status: found(plan.user.status) },
    groups: plan.groups.map((g, i) => ({ displayName: g.displayName, status: found(g.status), membership: found(plan.memberships[i].status) })),
    ...(plan.permissionSet ? { permissionSet: { name: plan.permissionSet.name, status: plan.permissionSet.status === "update" ? "updated" : found(plan.permissionSet.status) } } : {}),
    assignments: plan.assignments.map((a) => ({ group: a.group, permissionSet: a.permissionSet, accountId: a.accountId, status: found(a.status) })),
    startUrl: config.session.startUrl,
    userConsoleUrl: userConsoleUrl(identityCenter.region, identityCenter.instanceArn, applied.userId),
    onboardingMessage: message.join("\n"),
  };
  if (out.json) out.printJson(summary);
  return summary;
}

export async function run(input: CommandInput): Promise<number> {
  const list = input.options.group;
  const groups = (Array.isArray(list) ? list : typeof list === "string" ? [list] : []).flatMap((g) => g.split(","));
  await addUser({
    ...dayTwoFlags(input),
    email: stringFlag(input, "email"),
    givenName: stringFlag(input, "given-name"),
    familyName: stringFlag(input, "family-name"),
    groups: groups.map((g) => g.trim()).filter(Boolean),
    permissionSet: stringFlag(input, "permission-set"),
  });
  return 0;
}
