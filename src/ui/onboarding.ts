/**
 * What a new Identity Center user needs before the first sign-in, and the MFA advice the API
 * cannot apply: shared by `init`'s summary and `add-user`. Pure: returns lines.
 *
 * - Users created through the Identity Store API get no invitation email and no password
 *   (https://docs.aws.amazon.com/singlesignon/latest/userguide/userswithoutpwd.html): either the
 *   console setting "Send email OTP" makes AWS email a one-time password at the first sign-in, or
 *   an administrator generates one on the user's console page (Reset password).
 * - Requiring MFA is a console-only setting: Settings → Authentication → Multi-factor
 *   authentication → Configure
 *   (https://docs.aws.amazon.com/singlesignon/latest/userguide/mfa-getting-started.html,
 *   https://docs.aws.amazon.com/singlesignon/latest/userguide/how-to-configure-mfa-device-enforcement.html).
 */
import { wrap } from "./text.js";

/** The user's page in the IAM Identity Center console, where "Reset password" sends a one-time password. */
export function userConsoleUrl(region: string, instanceArn: string, userId: string): string {
  const instanceId = instanceArn.split("/").pop() ?? "";
  return `https://${region}.console.aws.amazon.com/singlesignon/home?region=${region}#/instances/${instanceId}/users/user-details/${userId}`;
}

/** The settings page that holds both "Send email OTP" and the MFA configuration. */
export function identityCenterSettingsUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/singlesignon/home?region=${region}#/settings`;
}

export function passwordSetupLines(user: { userName: string; userId: string }, identityCenter: { region: string; instanceArn: string }): string[] {
  return [
    "  AWS sends no invitation email and sets no password for users created through",
    "  the API. Either:",
    `  - turn on "Send email OTP" (IAM Identity Center → Settings → Authentication →`,
    "    Standard authentication; console only): AWS emails a one-time password at",
    "    the first sign-in; or",
    `  - send a one-time password from the user's page (Reset password):`,
    `    ${userConsoleUrl(identityCenter.region, identityCenter.instanceArn, user.userId)}`,
  ];
}

export function mfaAdviceLines(region: string): string[] {
  const advice =
    "No API turns it on: IAM Identity Center → Settings → Authentication → Multi-factor authentication → " +
    'Configure: prompt "Every time they sign in", and "Require them to register an MFA device at sign in".';
  return [...wrap(advice, "  ", "  "), `    ${identityCenterSettingsUrl(region)}`];
}

export interface OnboardingMessage {
  givenName: string;
  userName: string;
  startUrl: string;
  session: { name: string; startUrl: string; region: string };
  /** Profiles the person can use: name, account, role (permission set), region. */
  profiles: { name: string; accountId: string; roleName: string; region: string }[];
  /** e.g. `npx org-bootstrap login --sso-session <name>`. */
  loginCommand: string;
  /** The management account's id, so `profiles` names its profile `<org>-management`. */
  managementAccountId?: string;
  /** What the project's package.json runs as `sso`, when it has that script (`pnpm sso`). */
  dailyCommand?: string;
}

/** The one line that sets a teammate up: `profiles` with the session's start URL, region and name. */
export function profilesCommand(m: Pick<OnboardingMessage, "session" | "managementAccountId">): string {
  const management = m.managementAccountId ? ` --management-account ${m.managementAccountId}` : "";
  return `npx org-bootstrap profiles --start-url ${m.session.startUrl} --sso-region ${m.session.region} --sso-session ${m.session.name}${management}`;
}

/**
 * The paste-ready message for the new person: where to sign in, the one `npx org-bootstrap
 * profiles` line that writes their config (docs/profiles.md), the daily login, and — for a machine
 * without Node.js — the blocks to paste instead (the same ones `init` writes). It holds no secret:
 * the one-time password travels separately (AWS's email, or the administrator).
 */
export function onboardingMessageLines(m: OnboardingMessage): string[] {
  const blocks = [
    `[sso-session ${m.session.name}]`,
    `sso_start_url = ${m.session.startUrl}`,
    `sso_region = ${m.session.region}`,
    "sso_registration_scopes = sso:account:access",
    ...m.profiles.flatMap((p) => ["", `[profile ${p.name}]`, `sso_session = ${m.session.name}`, `sso_account_id = ${p.accountId}`, `sso_role_name = ${p.roleName}`, `region = ${p.region}`]),
  ];
  const firstProfile = m.profiles[0]?.name;
  return [
    `Hi ${m.givenName}, you now have an AWS account (IAM Identity Center).`,
    "",
    `1. Sign in at ${m.startUrl}`,
    `   Username: ${m.userName}. Your one-time password comes by email from AWS (or from me);`,
    "   you choose your own password (and an MFA device, if asked) at that first sign-in.",
    "2. Set up your AWS profiles: nothing to install but Node.js 20 or later. In a terminal:",
    `   ${profilesCommand(m)}`,
    "   It signs you in (in the browser) and writes a profile to ~/.aws/config for every account",
    "   and role you can use; run it again when your access changes.",
    "3. Every day, log in (lasts for the portal session):",
    `   ${m.dailyCommand ? `${m.dailyCommand}   (in the project; or: ${m.loginCommand})` : m.loginCommand}`,
    ...(firstProfile ? [`   then: aws sts get-caller-identity --profile ${firstProfile}`] : []),
    "",
    `No Node.js? Add this to ~/.aws/config instead, then log in with: aws sso login --sso-session ${m.session.name}`,
    "",
    ...blocks.map((l) => (l ? `   ${l}` : "")),
  ];
}
