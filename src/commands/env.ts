/**
 * `org-bootstrap env --profile P`: temporary role credentials from the SSO session (portal
 * `GetRoleCredentials`) for tools that cannot read SSO profiles — as shell exports, or as the
 * `credential_process` JSON (`Version: 1`, `Expiration`) of the AWS CLI/SDK external-process
 * contract (https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html).
 * This replaces the `aws sts assume-role` + export steps of IAM-user setups. When the session has
 * expired and a terminal is present, it logs in first (docs/login.md); otherwise it says how to.
 *
 * `env` and `exec` keep the role credentials they obtained and reuse them until 5 minutes before
 * they expire (src/local/roleCredentialsCache.ts; read by src/local/cachedCredentials.cts, which the
 * installed command's warm path uses too): a warm call reads four small files and loads no AWS SDK
 * (the sign-in and the portal are imported only on a miss).
 */
import { awsErrorName, awsErrorRow, explainAwsError } from "../aws/errors.js";
import { explainSystemError, UserError } from "../errors.js";
import { cachedCredentials as readCached, type ProfileCredentials } from "../local/cachedCredentials.cjs";
import { homeDir, resolveConfigFile } from "../local/paths.cjs";
import { readRegularFile } from "../local/regularFile.js";
import { ourCache, writeCachedRoleCredentials, writeProfileRole, type ProfileRole } from "../local/roleCredentialsCache.js";
import type { SsoConfig } from "../local/ssoSessions.js";
import { readCacheFile, readCachedToken, ssoCache } from "../local/tokenCache.js";
import { formatCredentials, formats, isFormat, type ExportFormat } from "./envOutput.cjs";
import type { SignInOptions } from "./login.js";
import type { CommandInput } from "./types.js";

export { credentialVariables, formatCredentials, formats, type ExportFormat } from "./envOutput.cjs";
export type { ProfileCredentials } from "../local/cachedCredentials.cjs";

export interface CredentialsOptions extends Omit<SignInOptions, "allowLogin" | "force"> {
  configFile: string;
  profile: string;
  /** A terminal is present: an expired session is logged in again instead of failing. */
  interactive: boolean;
}

export async function credentialsForProfile(o: CredentialsOptions): Promise<ProfileCredentials> {
  const [{ loadSsoConfig, sessionForProfile }, { signIn }, { openSsoPortal }] = await Promise.all([import("../local/ssoSessions.js"), import("./login.js"), import("../aws/ssoPortal.js")]);
  const config = await loadSsoConfig(o.configFile);
  const { profile, session, cacheKey } = sessionForProfile(config, o.profile);
  const loginHint = profile.ssoSession ? `Run: org-bootstrap login --sso-session ${profile.ssoSession}` : `Run: aws sso login --profile ${o.profile}`;
  const canLogin = o.interactive && Boolean(profile.ssoSession);
  for (let attempt = 0; ; attempt++) {
    const signedIn = await signIn({ ...o, allowLogin: canLogin, force: attempt > 0 }, session, cacheKey);
    if (!signedIn) throw new UserError(`The SSO session ${profile.ssoSession ?? session.startUrl} has expired or was never logged in.`, loginHint);
    try {
      const portal = await openSsoPortal(session.region);
      const credentials = await portal.getRoleCredentials(signedIn.token.accessToken, profile.accountId!, profile.roleName!);
      return { profile: o.profile, region: profile.region, credentials };
    } catch (err) {
      // The token was ended elsewhere (logout, revoked session): log in again once, if we can.
      if (awsErrorName(err) === "UnauthorizedException" && canLogin && attempt === 0) continue;
      // Else GetRoleCredentials' own rows of the AWS table (a revoked session, a role not assigned),
      // which name this profile themselves; anything else is said with what we were doing.
      const operation = "GetRoleCredentials";
      const vars = { role: `role ${profile.roleName}`, account: `account ${profile.accountId}`, profile: `profile ${o.profile}`, login: loginHint };
      const context = `Getting credentials for profile ${o.profile}`;
      const own = awsErrorRow(awsErrorName(err) ?? "", operation)?.operation === operation;
      throw explainSystemError(err, o.env, context) ?? explainAwsError(err, { operation, vars, ...(own ? {} : { context }) });
    }
  }
}

export function parseFormat(value: unknown): ExportFormat {
  const format = (value ?? "sh") as string;
  if (!isFormat(format)) throw new UserError(`--format must be one of ${formats.join(", ")}, got "${format}".`);
  return format;
}

/** Which role a profile names (parsed with the SDK's loader, loaded only now). */
async function profileRole(configFile: string, profileName: string): Promise<ProfileRole> {
  const { loadSsoConfig, sessionForProfile } = await import("../local/ssoSessions.js");
  const config: SsoConfig = await loadSsoConfig(configFile);
  const { profile, session, cacheKey } = sessionForProfile(config, profileName);
  return { key: { sessionKey: cacheKey, startUrl: session.startUrl, accountId: profile.accountId!, roleName: profile.roleName! }, region: profile.region };
}

/**
 * The profile's credentials from our cache (src/local/cachedCredentials.cts), read as the full CLI
 * reads a cache: a refused file is explained (exit 2), a copy others can read is replaced by a 0600 one.
 */
export function cachedCredentials(home: string, configFile: string, profileName: string): Promise<ProfileCredentials | undefined> {
  return readCached(home, configFile, profileName, {
    config: (file) => readRegularFile(file),
    ours: (file) => readCacheFile(file, ourCache(home)),
    sso: (file) => readCacheFile(file, ssoCache(home)),
  });
}

/** Keeps fresh credentials for the next run, tied to the token that is cached now (the one just used). */
async function keepCredentials(home: string, configFile: string, c: ProfileCredentials): Promise<void> {
  const bytes = await readRegularFile(configFile);
  if (!bytes) return;
  const role = await profileRole(configFile, c.profile);
  const token = await readCachedToken(home, role.key.sessionKey);
  if (!token) return;
  await writeCachedRoleCredentials(home, role.key, token.accessToken, c.credentials);
  await writeProfileRole(home, configFile, c.profile, bytes, role);
}

/**
 * The flags `env` and `exec` share → the profile's credentials: cached ones while they have more
 * than 5 minutes left, else from the portal (a login, if needed, talks on stderr), then cached.
 */
export async function credentialsFromFlags({ options, env, cwd, out, signal }: CommandInput, usage: string): Promise<ProfileCredentials> {
  const profile = options.profile as string | undefined;
  if (!profile) throw new UserError("--profile is required.", `Usage: ${usage}`);
  const home = homeDir(env);
  const configFile = resolveConfigFile({ flag: options["config-file"] as string | undefined, env, home, cwd });
  const cached = await cachedCredentials(home, configFile, profile);
  if (cached) return cached;
  const { signInFlags } = await import("./login.js");
  const fresh = await credentialsForProfile({
    home,
    env,
    out,
    signal,
    // stdout carries the exports (or the command's own output): a login speaks on stderr.
    stream: out.stderr,
    configFile,
    profile,
    interactive: Boolean(process.stdin.isTTY && out.stderr.isTTY),
    ...signInFlags(options),
  });
  await keepCredentials(home, configFile, fresh);
  return fresh;
}

export async function run(input: CommandInput): Promise<number> {
  const format = parseFormat(input.options.format);
  const creds = await credentialsFromFlags(input, "org-bootstrap env --profile NAME [--format sh|fish|powershell|json]");
  input.out.stdout.write(formatCredentials(creds, format));
  return 0;
}
