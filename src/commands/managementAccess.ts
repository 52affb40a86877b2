/**
 * The one place that picks the credentials of every command that needs the management account
 * (status, add-account, close-account, add-user, remove-user, doctor's organization checks): it
 * gathers the facts (`--profile`, what the environment names and who that is, the sso-session's
 * `[profile <org>-management]`), lets the pure `chooseManagementCredentials` decide, then fetches
 * SSO role credentials when a profile was chosen — signing in first when the token has expired and
 * a terminal is present, as `exec` does — and hands them to the SDK clients explicitly. The
 * environment is never edited: an `AWS_PROFILE` of another account stays set for the person's
 * other tools, it just does not sign these calls. Documented in docs/login.md.
 */
import type { AwsContext } from "../aws/clientConfig.js";
import type { ClientProvider } from "../aws/clientProvider.js";
import { explainAwsError } from "../aws/errors.js";
import { openOrganizationContext, type KnownIdentity, type OrganizationContext } from "../aws/organizationContext.js";
import { openOrganizations } from "../aws/organizations.js";
import { openSts } from "../aws/sts.js";
import { UserError } from "../errors.js";
import { loadLocalAwsFiles } from "../local/localAwsFiles.js";
import { resolveCredentialsFile } from "../local/paths.cjs";
import type { OrgConfig } from "../local/orgConfig.js";
import { ambientSource, chooseManagementCredentials, profileHasCredentials, type AmbientFacts, type CredentialChoice } from "../plan/credentialChoice.js";
import type { Output } from "../ui/output.js";
import { credentialsForProfile } from "./env.js";

export interface ManagementAccessOptions {
  config: OrgConfig;
  /** `--profile NAME`. */
  profile?: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
  home: string;
  cwd?: string;
  out: Output;
  signal: AbortSignal;
  /** A person can approve a sign-in in the browser. */
  interactive: boolean;
  /** False: never start a sign-in, only use a cached or refreshed token (doctor). */
  allowLogin?: boolean;
  /** The command's AWS clients (CommandInput.clients): the choice below signs them. */
  clients: ClientProvider;
}

export interface ManagementAccess {
  ctx: AwsContext;
  choice: CredentialChoice;
  /** The one line to show about the choice (absent when the environment's credentials are used as they are). */
  note?: string;
  /** Caller and organisation already read with these credentials. */
  known?: KnownIdentity;
}

const firstLine = (text: string) => text.split("\n")[0];

/** Who the environment's credentials are, with the SDK's own chain (nothing set explicitly). */
async function readAmbient(clients: ClientProvider, region: string, source: string): Promise<{ facts: AmbientFacts; known?: KnownIdentity }> {
  const ctx = clients.management(region);
  const [sts, organizations] = await Promise.all([openSts(ctx), openOrganizations(ctx)]);
  const [caller, organization] = await Promise.allSettled([sts.getCallerIdentity(), organizations.describeOrganization()]);
  if (caller.status === "rejected") {
    const explained = caller.reason instanceof UserError ? caller.reason : explainAwsError(caller.reason);
    return { facts: { source, identity: { ok: false, reason: firstLine(explained.message).replace(/\.$/, "") } } };
  }
  const org = organization.status === "fulfilled" ? organization.value : undefined;
  return {
    facts: { source, identity: { ok: true, accountId: caller.value.accountId, ...(org ? { managementAccountId: org.managementAccountId } : {}) } },
    ...(organization.status === "fulfilled" ? { known: { caller: caller.value, organization: org } } : {}),
  };
}

/** A `[default]` profile with credentials of some kind in the config or credentials file. */
async function hasDefaultProfile(o: ManagementAccessOptions): Promise<boolean> {
  const credentialsFile = resolveCredentialsFile({ env: o.env, home: o.home, cwd: o.cwd ?? process.cwd() });
  const files = await loadLocalAwsFiles(o.configFile, credentialsFile).catch(() => undefined);
  return Boolean(files && (profileHasCredentials(files.configProfiles.default) || profileHasCredentials(files.credentialProfiles.default)));
}

/** SSO role credentials for a profile of the config, as a provider the SDK clients call. */
async function ssoCredentials(o: ManagementAccessOptions, profile: string): Promise<AwsContext["credentials"]> {
  const { credentials } = await credentialsForProfile({
    home: o.home,
    env: o.env,
    out: o.out,
    signal: o.signal,
    stream: o.out.human,
    flow: "auto",
    noBrowser: false,
    configFile: o.configFile,
    profile,
    interactive: o.interactive && o.allowLogin !== false,
  });
  const identity = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: new Date(credentials.expiration),
  };
  return async () => identity;
}

/** The management account's context, signed with the chosen credentials, in the sso-session's region. */
function signed(o: ManagementAccessOptions, choice: Pick<AwsContext, "profile" | "credentials">): AwsContext {
  return o.clients.signedWith(choice).management(o.config.session.region);
}

export async function chooseManagementAccess(o: ManagementAccessOptions): Promise<ManagementAccess> {
  const region = o.config.session.region;
  const mp = o.config.managementProfile;
  const managementProfile = mp ? { name: mp.name, ...(mp.accountId ? { accountId: mp.accountId } : {}) } : undefined;
  let ambient: { facts: AmbientFacts; known?: KnownIdentity } | undefined;
  if (!o.profile) {
    const source = ambientSource(o.env, await hasDefaultProfile(o));
    if (source) ambient = await readAmbient(o.clients, region, source);
  }
  const choice = chooseManagementCredentials({ profileFlag: o.profile, ambient: ambient?.facts, managementProfile });
  switch (choice.use) {
    case "ambient":
      return { ctx: o.clients.management(region), choice, ...(ambient?.known ? { known: ambient.known } : {}) };
    case "management-profile":
      return { ctx: signed(o, { credentials: await ssoCredentials(o, choice.profile) }), choice, note: choice.note };
    case "profile-flag": {
      const all = await loadLocalAwsFiles(o.configFile, resolveCredentialsFile({ env: o.env, home: o.home, cwd: o.cwd ?? process.cwd() }));
      const sso = o.config.sessionProfiles.find((p) => p.name === choice.profile) ?? (all.configProfiles[choice.profile]?.sso_account_id ? { name: choice.profile } : undefined);
      if (sso) return { ctx: signed(o, { credentials: await ssoCredentials(o, choice.profile) }), choice };
      if (!all.configProfiles[choice.profile] && !all.credentialProfiles[choice.profile]) {
        throw new UserError(`There is no profile ${choice.profile} in ${o.configFile} or the credentials file.`, "Give a profile of the management account (--profile), or leave the flag out to use the sso-session's management profile.");
      }
      // Keys, a role or a credential process: the SDK resolves the named profile itself.
      return { ctx: signed(o, { profile: choice.profile }), choice };
    }
  }
}

/** The organisation a day-two command works on, read with the chosen credentials; the note is shown first. */
export async function openManagementContext(o: ManagementAccessOptions): Promise<OrganizationContext> {
  const access = await chooseManagementAccess(o);
  if (access.note) o.out.line(o.out.style("dim", access.note));
  return openOrganizationContext(access.ctx, access.known);
}
