/**
 * `org-bootstrap profiles`: a teammate's whole AWS setup in one command (docs/profiles.md). Writes
 * the `[sso-session]` block when the config lacks it, signs in (login's flows), lists every
 * account and role the person may use through the access portal (ListAccounts, ListAccountRoles,
 * all pages) and writes one `[profile]` per account and role, named by `planProfiles`
 * (src/plan/profilesPlan.ts). A re-run adds what is new; `--prune` removes the blocks it wrote for
 * access the person no longer has, never a block the user wrote. One byte-preserving edit of the
 * config, shown as a diff first.
 */
import { CancelledError, UserError } from "../errors.js";
import { findSections, type SectionSpec } from "../local/awsConfig.js";
import { applyFileChange, planAwsConfigEdit, readTextFile } from "../local/fileChange.js";
import { homeDir, resolveConfigFile } from "../local/paths.cjs";
import { loadSsoConfig, SECTION_NAME, type SsoSession } from "../local/ssoSessions.js";
import { validateRegion, validateWorkloadRegion } from "../plan/desired.js";
import { GENERATED_KEY, GENERATED_VALUE, planProfiles, type ExistingProfile, type ProfilesPlan } from "../plan/profilesPlan.js";
import { renderFileChange } from "../ui/diff.js";
import type { Output } from "../ui/output.js";
import { renderProfilesPlan } from "../ui/profilesView.js";
import type { Prompter } from "../ui/prompts.js";
import { validateStartUrl } from "./init.js";
import { signIn, signInFlags, type SignInOptions } from "./login.js";
import type { CommandInput } from "./types.js";

export interface ProfilesOptions extends Omit<SignInOptions, "stream" | "allowLogin" | "force"> {
  configFile: string;
  startUrl?: string;
  ssoRegion?: string;
  ssoSession?: string;
  /** The management account's id: its profile is `<org>-management`. */
  managementAccountId?: string;
  /** The new profiles' region (default: the session's other profiles', else Identity Center's). */
  region?: string;
  prune: boolean;
  dryRun: boolean;
  yes: boolean;
  interactive: boolean;
  /** Confirms the write (CommandInput.prompter). */
  prompter: Prompter;
}

export interface ProfilesSummary {
  session: string;
  startUrl: string;
  configFile: string;
  sessionBlock: "created" | "exists";
  added: { name: string; accountId: string; roleName: string }[];
  kept: { name: string; accountId: string; roleName: string }[];
  removed: string[];
  prunable: string[];
  leftAlone: string[];
  written: boolean;
  dryRun: boolean;
}

/** A session name from the start URL: its custom subdomain (`acme` for https://acme.awsapps.com/start), else `sso`. */
export function sessionNameFromStartUrl(startUrl: string): string {
  const host = new URL(startUrl).hostname;
  const sub = /^([a-z0-9-]+)\.awsapps\.com$/i.exec(host)?.[1];
  return sub && SECTION_NAME.test(sub) ? sub.toLowerCase() : "sso";
}

/** Every flag checked before anything is read or called (exit 2). */
export function validateProfilesFlags(o: Pick<ProfilesOptions, "startUrl" | "ssoRegion" | "ssoSession" | "managementAccountId" | "region">): void {
  if (o.startUrl !== undefined) validateStartUrl(o.startUrl);
  if (o.ssoRegion !== undefined) validateRegion(o.ssoRegion, "--sso-region");
  if (o.region !== undefined) validateWorkloadRegion(o.region, "--region");
  if (o.ssoSession !== undefined && !SECTION_NAME.test(o.ssoSession)) {
    throw new UserError(`"${o.ssoSession}" is not a valid sso-session name.`, "Names may use letters, digits and - _ @ + . % : / only (no spaces).");
  }
  if (o.managementAccountId !== undefined && !/^\d{12}$/.test(o.managementAccountId)) {
    throw new UserError(`--management-account "${o.managementAccountId}" is not an AWS account id.`, "An account id is 12 digits.");
  }
}

/** The session to use: the config's (by name, or by start URL), else a new block from the flags. */
function chooseSession(o: ProfilesOptions, sessions: Map<string, SsoSession>): { session: SsoSession; exists: boolean } {
  const startUrl = o.startUrl?.trim();
  const byName = o.ssoSession ? sessions.get(o.ssoSession) : undefined;
  const byUrl = startUrl ? [...sessions.values()].find((s) => s.startUrl === startUrl) : undefined;
  const only = !o.ssoSession && !startUrl && sessions.size === 1 ? [...sessions.values()][0] : undefined;
  const found = byName ?? (o.ssoSession ? undefined : byUrl) ?? only;
  if (found) {
    if (startUrl && found.startUrl !== startUrl) {
      throw new UserError(
        `[sso-session ${found.name}] in ${o.configFile} has sso_start_url ${found.startUrl}, not ${startUrl}.`,
        "Choose another name for the new session (--sso-session NAME), or leave out --start-url to use this one.",
      );
    }
    if (o.ssoRegion && found.region !== o.ssoRegion) {
      throw new UserError(`[sso-session ${found.name}] in ${o.configFile} has sso_region ${found.region}, not ${o.ssoRegion}.`, "Leave out --sso-region, or fix the block.");
    }
    return { session: found, exists: true };
  }
  if (!startUrl || !o.ssoRegion) {
    const known = [...sessions.keys()];
    throw new UserError(
      o.ssoSession ? `There is no [sso-session ${o.ssoSession}] in ${o.configFile} to list profiles for.` : sessions.size > 1 ? `${o.configFile} has several sso-sessions (${known.join(", ")}).` : `No [sso-session] block in ${o.configFile} yet.`,
      sessions.size > 1 && !o.ssoSession
        ? "Choose one: --sso-session NAME"
        : "Pass the access portal's --start-url and --sso-region (the onboarding message has both), e.g. org-bootstrap profiles --start-url https://d-1234567890.awsapps.com/start --sso-region us-east-1",
    );
  }
  const name = o.ssoSession ?? sessionNameFromStartUrl(startUrl);
  if (sessions.has(name)) {
    throw new UserError(`${o.configFile} already has an [sso-session ${name}] for ${sessions.get(name)!.startUrl}.`, "Name the new one: --sso-session NAME");
  }
  return { session: { name, startUrl, region: o.ssoRegion, registrationScopes: ["sso:account:access"] }, exists: false };
}

function existingProfiles(text: string): ExistingProfile[] {
  return findSections(text)
    .filter((s) => s.kind === "profile")
    .map((s) => ({
      name: s.name,
      ssoSession: s.values.sso_session,
      accountId: s.values.sso_account_id,
      roleName: s.values.sso_role_name,
      generated: s.values[GENERATED_KEY] === GENERATED_VALUE,
    }));
}

/** The blocks to write: the session (when new) and one profile per planned addition. */
function sectionsFor(plan: ProfilesPlan, session: SsoSession, sessionExists: boolean, region: string): SectionSpec[] {
  const sessionBlock: SectionSpec[] = sessionExists
    ? []
    : [{ kind: "sso-session", name: session.name, values: { sso_start_url: session.startUrl, sso_region: session.region, sso_registration_scopes: "sso:account:access" } }];
  return [
    ...sessionBlock,
    ...plan.add.map(
      (p): SectionSpec => ({
        kind: "profile",
        name: p.name,
        values: { sso_session: session.name, sso_account_id: p.accountId, sso_role_name: p.roleName, region, [GENERATED_KEY]: GENERATED_VALUE },
      }),
    ),
  ];
}

export async function profiles(o: ProfilesOptions): Promise<ProfilesSummary> {
  validateProfilesFlags(o);
  const out: Output = o.out;
  const text = (await readTextFile(o.configFile)) ?? "";
  const config = text ? await loadSsoConfig(o.configFile) : { sessions: new Map<string, SsoSession>(), profiles: new Map() };
  const { session, exists } = chooseSession(o, config.sessions);
  const existing = existingProfiles(text);
  const ofSession = existing.filter((p) => p.ssoSession === session.name);
  const region = o.region ?? [...config.profiles.values()].find((p) => p.ssoSession === session.name && p.region)?.region ?? session.region;

  const signedIn = await signIn({ ...o, stream: out.human }, session, session.name);
  const { openSsoPortal } = await import("../aws/ssoPortal.js");
  const portal = await openSsoPortal(session.region);
  const spinner = out.spinner("Listing the accounts and roles you can use");
  let access;
  try {
    access = await portal.listAccess(signedIn!.token.accessToken);
    spinner.stop(`${access.length} account${access.length === 1 ? "" : "s"} you can use`);
  } catch (err) {
    spinner.stop("Listing your accounts failed", false);
    throw err;
  }
  const plan = planProfiles({
    session: session.name,
    access: access.map((a) => ({ accountId: a.id, accountName: a.name, roles: a.roles })),
    existing,
    managementAccountId: o.managementAccountId,
    prune: o.prune,
  });
  const change = await planAwsConfigEdit({
    configFile: o.configFile,
    sections: sectionsFor(plan, session, exists, region),
    remove: plan.remove.map((p) => ({ kind: "profile" as const, name: p.name })),
    home: o.home,
  });

  for (const line of renderProfilesPlan(plan, { session, sessionExists: exists, existingOfSession: ofSession.length, prune: o.prune }, out)) out.line(line);
  for (const line of renderFileChange(change, out)) out.line(line);
  const changes = change.status === "created" || change.status === "updated";
  const summary = (written: boolean): ProfilesSummary => ({
    session: session.name,
    startUrl: session.startUrl,
    configFile: o.configFile,
    sessionBlock: exists ? "exists" : "created",
    added: plan.add.map(({ name, accountId, roleName }) => ({ name, accountId, roleName })),
    kept: plan.keep.map(({ name, accountId, roleName }) => ({ name, accountId, roleName })),
    removed: plan.remove.map((p) => p.name),
    prunable: plan.prunable.map((p) => p.name),
    leftAlone: plan.foreign.map((p) => p.name),
    written,
    dryRun: o.dryRun,
  });
  if (o.dryRun || !changes) return summary(false);
  if (!o.yes) {
    if (!o.interactive) throw new UserError(`Not writing ${change.label} without a confirmation.`, "Run it in a terminal, or add --yes.");
    if (!(await o.prompter.confirm({ message: `Write ${change.label}?` }))) throw new CancelledError("Nothing was written.");
  }
  const applied = await applyFileChange(change);
  if (applied.backup) out.info(`Backup of the previous file: ${applied.backup}`);
  return summary(applied.written);
}

export async function run({ options, env, cwd, out, signal, prompter }: CommandInput): Promise<number> {
  const home = homeDir(env);
  const str = (name: string) => options[name] as string | undefined;
  const summary = await profiles({
    home,
    env,
    out,
    signal,
    configFile: resolveConfigFile({ flag: str("config-file"), env, home, cwd }),
    startUrl: str("start-url"),
    ssoRegion: str("sso-region"),
    ssoSession: str("sso-session"),
    managementAccountId: str("management-account"),
    region: str("region"),
    prune: Boolean(options.prune),
    dryRun: Boolean(options["dry-run"]),
    yes: Boolean(options.yes),
    interactive: prompter.interactive,
    prompter,
    ...signInFlags(options),
  });
  const first = summary.added[0]?.name ?? summary.kept[0]?.name;
  if (summary.dryRun) out.info("Dry run: nothing was written.");
  else if (summary.written) out.success(`${summary.configFile}: ${summary.added.length} profile${summary.added.length === 1 ? "" : "s"} added, ${summary.removed.length} removed.`);
  else out.success("Your profiles are up to date: nothing to write.");
  if (first && !summary.dryRun) out.line(`Try: aws sts get-caller-identity --profile ${first}`);
  if (out.json) out.printJson(summary);
  return 0;
}
