/**
 * `org-bootstrap add-user`: an Identity Center user (username = email), its group memberships
 * (default Administrators), and a paste-ready onboarding message. A group that does not exist yet
 * is created with the chosen permission set assigned in every stage account. Flags or prompts
 * fill one typed answer; the plan is shown first; a re-run finds everything and changes nothing.
 * The organisation comes from the `[sso-session]` init wrote (`src/local/orgConfig.ts`).
 */
import path from "node:path";
import { CancelledError, UserError } from "../errors.js";
import { explainAwsError } from "../aws/errors.js";
import type { PermissionSetInfo } from "../aws/ssoAdmin.js";
import { loadOrgConfig, type OrgConfig } from "../local/orgConfig.js";
import { detectPackageManager, runScriptCommand } from "../local/packageJson.js";
import { readRegularFile } from "../local/regularFile.js";
import { addUserChangesAws, checkAccess, checkForce, parseAccess, planAddUser, validateAddUser, type AddUserInput, type AddUserObserved, type AddUserPlan } from "../plan/addUserPlan.js";
import { validateEmail, validatePersonName, validatePersonNames } from "../plan/desired.js";
import { initDefaults, permissionSetPresets, presetKeys } from "../plan/presets.js";
import { mfaAdviceLines, onboardingMessageLines, passwordSetupLines, userConsoleUrl, type OnboardingMessage } from "../ui/onboarding.js";
import { createProgressBoard, stepProgress } from "../ui/progress.js";
import { applyAddUser, observeAddUser } from "../workflows/addUser.js";
import type { Prompter } from "../ui/prompts.js";
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
  /** --access as given: STAGE=SET,... (parsed against the config's stages before any call). */
  access?: string;
  /** --force: an existing group's access in the stage accounts becomes exactly --access. */
  force?: boolean;
}

export interface AddUserSummary {
  user: { userId: string; userName: string; email: string; status: "created" | "found" };
  groups: { displayName: string; status: "created" | "found"; membership: "created" | "found" }[];
  permissionSet?: { name: string; status: "created" | "found" | "updated" };
  assignments: { group: string; permissionSet: string; accountId: string; status: "created" | "found" | "removed" }[];
  /** --access: per stage account, the set the group has there (none when the stage was not named). */
  access?: { stage: string; accountId: string; permissionSet?: string }[];
  /** --access on an existing group: its access per stage account before this run. */
  accessBefore?: { group: string; stage: string; accountId: string; permissionSets: string[] }[];
  startUrl: string;
  userConsoleUrl: string;
  /** The paste-ready message for the new person (no secrets in it). */
  onboardingMessage: string;
}

const found = (s: "create" | "exists") => (s === "create" ? "created" : "found");
const assigned = (s: "create" | "exists" | "delete") => (s === "delete" ? "removed" : found(s));

/** `pnpm sso` (or npm's, yarn's…) when the project here has the `sso` script init writes; else undefined. */
async function ssoScriptIn(projectDir: string): Promise<string | undefined> {
  const bytes = await readRegularFile(path.join(projectDir, "package.json"), "package.json").catch(() => null);
  try {
    const pkg = JSON.parse(bytes?.toString("utf8") ?? "{}") as { scripts?: Record<string, unknown> };
    if (typeof pkg.scripts?.sso !== "string") return undefined;
  } catch {
    return undefined;
  }
  return runScriptCommand(await detectPackageManager(projectDir), "sso");
}

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
  const prompter: Prompter = o.prompter;
  const required = (v: string) => (v.trim() ? undefined : "Required.");
  const email =
    o.email ??
    (await prompter.text({
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
  const givenName = o.givenName ?? (await prompter.text({ message: "Given name", validate: rule((v) => validatePersonName("given name", v, "--given-name")) }));
  const familyName =
    o.familyName ?? (await prompter.text({ message: "Family name", validate: rule((v) => validatePersonNames(givenName, v, { given: "--given-name", family: "--family-name" })) }));
  const groups = o.groups.length
    ? o.groups
    : (await prompter.text({ message: "Groups (comma-separated; a new name creates the group)", initialValue: initDefaults.group, validate: required }))
        .split(",")
        .map((g) => g.trim())
        .filter(Boolean);
  return { email, givenName, familyName, groups, ...(o.permissionSet ? { permissionSet: o.permissionSet } : {}) };
}

/** The sets a new group can get: existing ones first, then the presets not created yet. */
function setChoices(permissionSets: PermissionSetInfo[]) {
  const existing = permissionSets.map((p) => p.name);
  const presets = presetKeys.filter((k) => !existing.includes(permissionSetPresets[k].name));
  return [
    ...existing.map((name) => ({ value: name, label: name, hint: "existing permission set" })),
    ...presets.map((k) => ({ value: k as string, label: permissionSetPresets[k].name, hint: `new: ${permissionSetPresets[k].description}` })),
  ];
}

const NO_ACCESS = "\0none";

/**
 * A new group without --permission-set or --access: ask which access its members get. With more
 * than one stage account, first whether it is the same set everywhere or one per stage (the role
 * ladder); per stage, the answers become the same entries --access gives, checked the same way.
 */
async function askAccess(o: AddUserOptions, newGroups: string[], permissionSets: PermissionSetInfo[], stages: string[], configStages: string[]): Promise<Pick<AddUserInput, "permissionSet" | "access">> {
  const who = `group ${newGroups.join(", ")}`;
  const perStage =
    stages.length > 1 &&
    (await o.prompter.select({
      message: `Should ${who} get the same access in every stage account, or one per stage?`,
      choices: [
        { value: "same", label: "The same in every stage account", hint: "--permission-set" },
        { value: "per-stage", label: "One per stage", hint: "--access, e.g. poweruser in dev, readonly in production" },
      ],
    })) === "per-stage";
  if (!perStage) return { permissionSet: await o.prompter.select({ message: `Which access should ${who} get in every stage account?`, choices: setChoices(permissionSets) }) };
  const entries = [];
  for (const stage of stages) {
    const value = await o.prompter.select({
      message: `Which access should ${who} get in stage ${stage}?`,
      choices: [...setChoices(permissionSets), { value: NO_ACCESS, label: "No access", hint: "members see no account of this stage" }],
    });
    if (value !== NO_ACCESS) entries.push({ stage, value });
  }
  if (entries.length === 0) throw new UserError(`With no access in any stage, ${who} would give its members nothing to sign in to. Nothing was changed.`, "Run again and choose a permission set for at least one stage.");
  return { access: checkAccess(entries, configStages) };
}

/** The profiles the person can use: per stage account, a permission set one of their groups has there. */
function profilesFor(config: OrgConfig, plan: AddUserPlan, observed: AddUserObserved, permissionSets: PermissionSetInfo[], newSetArn?: string): OnboardingMessage["profiles"] {
  const nameOf = new Map(permissionSets.map((p) => [p.arn, p.name]));
  if (plan.permissionSet && newSetArn) nameOf.set(newSetArn, plan.permissionSet.name);
  // After the run: what --force removes is gone (unless another of their groups holds it too).
  const removed = new Set(plan.assignments.filter((x) => x.status === "delete").map((x) => `${x.group} ${x.accountId} ${x.permissionSetArn}`));
  const held = new Set(plan.groups.flatMap((g) => (g.groupId ? (observed.groupAssignments[g.groupId] ?? []).filter((k) => !removed.has(`${g.displayName} ${k}`)) : [])));
  return observed.stageAccounts.flatMap((a) => {
    const roles = [
      ...[...held].filter((k) => k.startsWith(`${a.accountId} `)).map((k) => nameOf.get(k.slice(a.accountId.length + 1)) ?? ""),
      ...plan.assignments.filter((x) => x.accountId === a.accountId && x.status !== "delete").map((x) => x.permissionSet),
    ].filter(Boolean);
    const profile = config.profiles.find((p) => p.accountId === a.accountId);
    // The admin's own profile role when the person has it too, so both machines read the same.
    const role = roles.find((r) => r === profile?.roleName) ?? roles[0];
    return role ? [{ name: profile?.name ?? `${config.orgName}-${a.stage}`, accountId: a.accountId, roleName: role, region: profile?.region ?? config.session.region }] : [];
  });
}

export async function addUser(o: AddUserOptions): Promise<AddUserSummary | undefined> {
  const { out } = o;
  checkForce(o);
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  let input = await collectInput(o);
  if (o.access !== undefined) input = { ...input, access: parseAccess(o.access, [...new Set(config.profiles.map((p) => p.stage))]) };
  if (o.force) input = { ...input, force: true };
  // Names and limits are checked before the first AWS call.
  validateAddUser(input);

  const org = await openManagementContext({ ...o, config });
  const read = (i: AddUserInput) =>
    observeAddUser(org, config, i).catch((err: unknown) => {
      throw explainAwsError(err, "Reading Identity Center");
    });
  let { observed, permissionSets } = await read(input);
  const newGroups = observed.groups.filter((g) => !g.groupId).map((g) => g.displayName);
  if (newGroups.length > 0 && !input.permissionSet && !input.access && o.interactive && !o.yes) {
    const configStages = [...new Set(config.profiles.map((p) => p.stage))];
    input = { ...input, ...(await askAccess(o, newGroups, permissionSets, [...new Set(observed.stageAccounts.map((a) => a.stage))], configStages)) };
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
    const removals = plan.assignments.filter((a) => a.status === "delete").length;
    const message = removals ? `Apply the steps above for ${plan.user.userName}, removing ${removals} access assignment${removals === 1 ? "" : "s"}?` : `Create ${plan.user.userName} and the steps above?`;
    if (!(await o.prompter.confirm({ message }))) throw new CancelledError("Nothing was changed.");
  }

  const board = createProgressBoard(out);
  const applied = await applyAddUser(org, plan, { signal: o.signal, onEvent: stepProgress(board) })
    .catch((err: unknown) => {
      throw explainAwsError(err, `Adding ${plan.user.userName}`);
    })
    .finally(() => board.close());
  if (!addUserChangesAws(plan)) out.success(`AWS: ${plan.user.userName} and their groups were already in place; nothing changed.`);

  const identityCenter = { region: config.session.region, instanceArn: org.instance.instanceArn };
  const message = onboardingMessageLines({
    givenName: plan.user.givenName,
    userName: plan.user.userName,
    startUrl: config.session.startUrl,
    session: config.session,
    profiles: profilesFor(config, plan, observed, permissionSets, applied.permissionSetArn),
    loginCommand: `npx org-bootstrap login --sso-session ${config.session.name}`,
    managementAccountId: config.managementProfile?.accountId,
    dailyCommand: await ssoScriptIn(o.cwd),
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
    assignments: plan.assignments.map((a) => ({ group: a.group, permissionSet: a.permissionSet, accountId: a.accountId, status: assigned(a.status) })),
    ...(plan.access ? { access: plan.access.matrix.map((m) => ({ stage: m.stage, accountId: m.accountId, ...(m.permissionSet ? { permissionSet: m.permissionSet } : {}) })) } : {}),
    ...(plan.access?.current.length ? { accessBefore: plan.access.current.map((c) => ({ group: c.group, stage: c.stage, accountId: c.accountId, permissionSets: c.permissionSets })) } : {}),
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
    access: stringFlag(input, "access"),
    force: input.options.force === true,
  });
  return 0;
}
