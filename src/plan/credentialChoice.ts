/**
 * Which credentials a command that needs the management account (status, add-account,
 * close-account, add-user, remove-user, doctor's organization checks) signs its calls with, in
 * this order (docs/login.md, "Which credentials the day-two commands use"):
 *
 * 1. `--profile NAME`;
 * 2. credentials from the environment (access keys, `AWS_PROFILE`, the `[default]` profile, a
 *    web identity or container role), when they belong to the management account;
 * 3. otherwise the sso-session's `[profile <org>-management]` (init writes it), through SSO, with a
 *    one-line note saying so.
 *
 * Environment credentials of another account are never used for management calls: the note says
 * which account they belong to and what was used instead. Pure: the facts come from
 * `src/commands/managementAccess.ts`.
 */

/** Credentials the AWS SDK would pick up by itself, named the way the person set them. */
export interface AmbientFacts {
  /** e.g. `AWS_PROFILE=acme-dev`, `AWS_ACCESS_KEY_ID`, `the [default] profile`. */
  source: string;
  /** Who they are, as STS and Organizations answered with them; or why they could not be used. */
  identity: { ok: true; accountId: string; managementAccountId?: string } | { ok: false; reason: string };
}

export interface CredentialFacts {
  /** `--profile NAME`. */
  profileFlag?: string;
  /** Undefined: nothing in the environment names credentials. */
  ambient?: AmbientFacts;
  /** `[profile <org>-management]` of the sso-session, when the config has it. */
  managementProfile?: { name: string; accountId?: string };
}

export type CredentialChoice =
  | { use: "profile-flag"; profile: string }
  /** The SDK's own chain (environment, shared files, instance roles); `ambient` says it was checked. */
  | { use: "ambient"; checked: boolean }
  | { use: "management-profile"; profile: string; note: string };

export function chooseManagementCredentials(facts: CredentialFacts): CredentialChoice {
  if (facts.profileFlag) return { use: "profile-flag", profile: facts.profileFlag };
  const { ambient, managementProfile } = facts;
  const instead = (why: string): CredentialChoice =>
    managementProfile
      ? { use: "management-profile", profile: managementProfile.name, note: `${why}: using profile ${managementProfile.name} (SSO) for the management account instead.` }
      : // Nothing better to offer: the organisation context refuses other accounts with the fix.
        { use: "ambient", checked: Boolean(ambient) };
  if (!ambient) {
    return managementProfile
      ? { use: "management-profile", profile: managementProfile.name, note: `No AWS credentials in the environment: using profile ${managementProfile.name} (SSO) for the management account.` }
      : { use: "ambient", checked: false };
  }
  if (!ambient.identity.ok) return instead(`${ambient.source} could not be used (${ambient.identity.reason})`);
  const { accountId } = ambient.identity;
  const management = ambient.identity.managementAccountId ?? managementProfile?.accountId;
  // Not knowable (no organization yet, or none readable): let the organisation context decide.
  if (!management || management === accountId) return { use: "ambient", checked: true };
  return instead(`${ambient.source} is account ${accountId}, not the management account ${management}`);
}

/**
 * What in the environment names credentials the SDK would use, most specific first, as the SDK's
 * default chain orders them (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html).
 * `defaultProfile`: the shared files have a `[default]` profile with credentials of some kind.
 */
export function ambientSource(env: NodeJS.ProcessEnv, defaultProfile: boolean): string | undefined {
  if (env.AWS_ACCESS_KEY_ID) return "AWS_ACCESS_KEY_ID";
  if (env.AWS_PROFILE) return `AWS_PROFILE=${env.AWS_PROFILE}`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE) return "AWS_WEB_IDENTITY_TOKEN_FILE";
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return "the container's credentials";
  if (defaultProfile) return "the [default] profile";
  return undefined;
}

/** Keys that make a profile give credentials (static keys, a process, a role, SSO). */
export function profileHasCredentials(values: Record<string, string | undefined> | undefined): boolean {
  if (!values) return false;
  return ["aws_access_key_id", "credential_process", "role_arn", "sso_session", "sso_start_url", "web_identity_token_file"].some((k) => Boolean(values[k]));
}
