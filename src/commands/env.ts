/**
 * `org-bootstrap env --profile P`: temporary role credentials from the SSO session (portal
 * `GetRoleCredentials`) for tools that cannot read SSO profiles — as shell exports, or as the
 * `credential_process` JSON (`Version: 1`, `Expiration`) of the AWS CLI/SDK external-process
 * contract (https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html).
 * This replaces the `aws sts assume-role` + export steps of IAM-user setups. When the session has
 * expired and a terminal is present, it logs in first (docs/login.md); otherwise it says how to.
 */
import { awsErrorName, awsErrorRow, explainAwsError } from "../aws/errors.js";
import { openSsoPortal, type RoleCredentials } from "../aws/ssoPortal.js";
import { explainSystemError, UserError } from "../errors.js";
import { homeDir, resolveConfigFile } from "../local/paths.js";
import { loadSsoConfig, sessionForProfile } from "../local/ssoSessions.js";
import { signIn, signInFlags, type SignInOptions } from "./login.js";
import type { CommandInput } from "./types.js";

export const formats = ["sh", "fish", "powershell", "json"] as const;
export type ExportFormat = (typeof formats)[number];

export interface ProfileCredentials {
  profile: string;
  region?: string;
  credentials: RoleCredentials;
}

/** The variables every AWS SDK and the AWS CLI read before any profile. */
export function credentialVariables(c: ProfileCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: c.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: c.credentials.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(c.credentials.expiration).toISOString(),
    ...(c.region ? { AWS_REGION: c.region, AWS_DEFAULT_REGION: c.region } : {}),
  };
}

const singleQuoted = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** Pure: the text `env` prints for a format. */
export function formatCredentials(c: ProfileCredentials, format: ExportFormat): string {
  if (format === "json") {
    const doc = {
      Version: 1,
      AccessKeyId: c.credentials.accessKeyId,
      SecretAccessKey: c.credentials.secretAccessKey,
      SessionToken: c.credentials.sessionToken,
      Expiration: new Date(c.credentials.expiration).toISOString(),
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
  const vars = Object.entries(credentialVariables(c));
  // A profile chosen earlier would compete with the exported keys in some tools (SST, since late
  // 2024, prefers AWS_PROFILE over its config): every format unsets it, as `sh` does.
  if (format === "fish") return `${vars.map(([k, v]) => `set -gx ${k} ${singleQuoted(v).replace(/'\\''/g, "\\'")};\n`).join("")}set -e AWS_PROFILE;\n`;
  if (format === "powershell") {
    return `${vars.map(([k, v]) => `$Env:${k} = '${v.replace(/'/g, "''")}'\n`).join("")}Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n`;
  }
  return `${vars.map(([k, v]) => `export ${k}=${singleQuoted(v)}\n`).join("")}unset AWS_PROFILE\n`;
}

export interface CredentialsOptions extends Omit<SignInOptions, "allowLogin" | "force"> {
  configFile: string;
  profile: string;
  /** A terminal is present: an expired session is logged in again instead of failing. */
  interactive: boolean;
}

export async function credentialsForProfile(o: CredentialsOptions): Promise<ProfileCredentials> {
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
  if (!(formats as readonly string[]).includes(format)) throw new UserError(`--format must be one of ${formats.join(", ")}, got "${format}".`);
  return format as ExportFormat;
}

/** The flags `env` and `exec` share → the profile's credentials (a login, if needed, talks on stderr). */
export async function credentialsFromFlags({ options, env, cwd, out, signal }: CommandInput, usage: string): Promise<ProfileCredentials> {
  const profile = options.profile as string | undefined;
  if (!profile) throw new UserError("--profile is required.", `Usage: ${usage}`);
  const home = homeDir(env);
  return credentialsForProfile({
    home,
    env,
    out,
    signal,
    // stdout carries the exports (or the command's own output): a login speaks on stderr.
    stream: out.stderr,
    configFile: resolveConfigFile({ flag: options["config-file"] as string | undefined, env, home, cwd }),
    profile,
    interactive: Boolean(process.stdin.isTTY && out.stderr.isTTY),
    ...signInFlags(options),
  });
}

export async function run(input: CommandInput): Promise<number> {
  const format = parseFormat(input.options.format);
  const creds = await credentialsFromFlags(input, "org-bootstrap env --profile NAME [--format sh|fish|powershell|json]");
  input.out.stdout.write(formatCredentials(creds, format));
  return 0;
}
