/**
 * Clients per (account, region): the management account signs with the credentials the command
 * chose (src/commands/managementAccess.ts); a member account is reached by assuming the role
 * Organizations made in every account it created, OrganizationAccountAccessRole, which trusts
 * the management account
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html).
 * Commands take contexts from here instead of building them, so acting inside a member account
 * (CI deploy roles, guardrails) is one call, and a fixed endpoint given by the caller reaches
 * every account the same way.
 */
import type { AwsContext, AwsCredentials } from "./clientConfig.js";
import { awsErrorName, explainAwsError } from "./errors.js";
import { openSts, type StsApi } from "./sts.js";

export const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";

/** Role credentials are renewed this long before they expire, so no call is signed with expiring ones. */
const RENEW_BEFORE_MS = 5 * 60_000;
/** A role reached from another role (an SSO session) may last at most one hour (role chaining). */
const SESSION_SECONDS = 3600;

export interface ClientProvider {
  /** The management account, with the credentials the command chose. */
  management(region?: string): AwsContext;
  /** A member account, as OrganizationAccountAccessRole assumed with the management credentials. */
  account(accountId: string, region?: string): AwsContext;
  /**
   * The same provider (endpoint, options) signing with the management credentials a command chose
   * (a named profile, SSO role credentials). A pinned provider stays as it is.
   */
  signedWith(choice: Pick<AwsContext, "profile" | "credentials">): ClientProvider;
  /**
   * The credentials were fixed by configuration (the sandbox walkthrough's emulator and its keys):
   * a command uses them as they are instead of choosing its own.
   */
  readonly pinned: boolean;
}

export interface ClientProviderOptions {
  /** The role to assume in member accounts (CreateAccount's RoleName). */
  roleName?: string;
  /** The session name AWS shows in CloudTrail and in the role's ARN. */
  sessionName?: string;
  now?: () => number;
  /** See `ClientProvider.pinned`. */
  pinned?: boolean;
}

export function createClientProvider(management: AwsContext, options: ClientProviderOptions = {}): ClientProvider {
  const roleName = options.roleName ?? ORGANIZATION_ACCESS_ROLE;
  const sessionName = options.sessionName ?? "org-bootstrap";
  const now = options.now ?? Date.now;
  let sts: Promise<StsApi> | undefined;
  const perAccount = new Map<string, () => Promise<AwsCredentials>>();

  function credentialsFor(accountId: string): () => Promise<AwsCredentials> {
    const known = perAccount.get(accountId);
    if (known) return known;
    const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
    const assume = async () => {
      sts ??= openSts(management);
      try {
        return await (await sts).assumeRole({ roleArn, sessionName, durationSeconds: SESSION_SECONDS });
      } catch (err) {
        throw explainAssumeRole(err, accountId, roleName);
      }
    };
    // One AssumeRole at a time per account, shared by every client of that account.
    let current: Promise<Required<AwsCredentials>> | undefined;
    const provide = async (): Promise<AwsCredentials> => {
      const pending = current;
      if (pending) {
        const held = await pending.catch(() => undefined);
        if (held && held.expiration.getTime() - now() > RENEW_BEFORE_MS) return held;
        // Another caller started the renewal while this one waited.
        if (current && current !== pending) return current;
      }
      current = assume();
      return current;
    };
    perAccount.set(accountId, provide);
    return provide;
  }

  return {
    pinned: options.pinned ?? false,
    signedWith(choice) {
      if (options.pinned) return this;
      const { profile: _p, credentials: _c, ...rest } = management;
      return createClientProvider({ ...rest, ...choice }, options);
    },
    management: (region) => ({ ...management, region: region ?? management.region }),
    account(accountId, region) {
      if (!/^\d{12}$/.test(accountId)) throw new Error(`not an account id: ${accountId}`);
      const { profile: _profile, ...rest } = management;
      return { ...rest, region: region ?? management.region, credentials: credentialsFor(accountId) };
    },
  };
}

/** AccessDenied from AssumeRole, in the user's terms: the AWS table's AssumeRole rows, naming the account and role. */
function explainAssumeRole(err: unknown, accountId: string, roleName: string): unknown {
  if (awsErrorName(err) !== "AccessDenied") return err;
  return explainAwsError(err, { operation: "AssumeRole", vars: { account: `account ${accountId}`, roleName } });
}
