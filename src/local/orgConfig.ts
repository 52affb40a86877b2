/**
 * How the day-two commands (add-account, close-account, status, ...) find the organisation they
 * work on, from the files `init` wrote: `init` names the `[sso-session <org>]` block after the
 * organisation's short name, with `sso_start_url` (the access portal) and `sso_region` (Identity
 * Center's region), and writes one `[profile <org>-<stage>]` per stage account with
 * `sso_session = <org>`. So:
 * - the session is `--sso-session`, else `[sso-session <--org-name>]`, else the only session;
 * - the org name is `--org-name`, else the session's name;
 * - the stages are the `<org>-<stage>` profiles that use that session, except
 *   `[profile <org>-management]`: the management account's own profile, which the day-two
 *   commands sign in with (`src/commands/managementAccess.ts`).
 * The instance and the organisation itself are then read from AWS (`src/aws/organizationContext.ts`).
 */
import { UserError } from "../errors.js";
import { managementProfileName } from "../plan/desired.js";
import { loadSsoConfig, pickSession, type SsoConfig, type SsoSession } from "./ssoSessions.js";

export interface StageProfile {
  /** `<org>-<stage>`. */
  name: string;
  stage: string;
  accountId?: string;
  roleName?: string;
  region?: string;
}

export interface OrgConfig {
  file: string;
  orgName: string;
  session: SsoSession;
  /** The session's `<org>-<stage>` profiles, in file order (the management profile is not a stage). */
  profiles: StageProfile[];
  /** `[profile <org>-management]` when it signs in through this session (init writes it). */
  managementProfile?: StageProfile;
  /** Every profile of the file that signs in through this session (stage-named or not). */
  sessionProfiles: { name: string; accountId?: string; roleName?: string }[];
}

export interface OrgSelection {
  orgName?: string;
  ssoSession?: string;
}

export function orgConfigFrom(config: SsoConfig, wanted: OrgSelection = {}): OrgConfig {
  const requested = wanted.ssoSession ?? (wanted.orgName && config.sessions.has(wanted.orgName) ? wanted.orgName : undefined);
  const session = pickSession(config, requested);
  if (!session) {
    throw new UserError(
      `${config.file} has several sso-sessions (${[...config.sessions.keys()].join(", ")}).`,
      "Choose the organisation's one: --sso-session NAME (init names it after the organisation).",
    );
  }
  const orgName = wanted.orgName ?? session.name;
  const prefix = `${orgName}-`;
  const sessionProfiles = [...config.profiles.values()].filter((p) => p.ssoSession === session.name);
  const stageProfiles = sessionProfiles
    .filter((p) => p.name.startsWith(prefix) && p.name.length > prefix.length)
    .map((p) => ({
      name: p.name,
      stage: p.name.slice(prefix.length),
      ...(p.accountId ? { accountId: p.accountId } : {}),
      ...(p.roleName ? { roleName: p.roleName } : {}),
      ...(p.region ? { region: p.region } : {}),
    }));
  const managementProfile = stageProfiles.find((p) => p.name === managementProfileName(orgName));
  return {
    file: config.file,
    orgName,
    session,
    profiles: stageProfiles.filter((p) => p !== managementProfile),
    ...(managementProfile ? { managementProfile } : {}),
    sessionProfiles: sessionProfiles.map((p) => ({ name: p.name, ...(p.accountId ? { accountId: p.accountId } : {}), ...(p.roleName ? { roleName: p.roleName } : {}) })),
  };
}

/**
 * The region the organisation's stage profiles use (the first that has one): a new profile gets
 * it, and init's wizard offers it, so a re-run or add-account never moves anyone to another
 * region unasked (docs/init.md, Regions).
 */
export function workloadRegionOf(config: OrgConfig | undefined): string | undefined {
  return config?.profiles.find((p) => p.region)?.region;
}

/** Reads the config file; a missing file or session becomes a UserError that says to run init. */
export async function loadOrgConfig(file: string, wanted: OrgSelection = {}): Promise<OrgConfig> {
  const config = await loadSsoConfig(file);
  if (config.sessions.size === 0) {
    throw new UserError(`No [sso-session] block in ${file}.`, "Run org-bootstrap init first (it writes one), or point to your config with --config-file.");
  }
  return orgConfigFrom(config, wanted);
}
