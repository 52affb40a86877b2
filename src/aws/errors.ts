/**
 * AWS error names and failure reasons → what happened, in words, and what to do about it.
 * One data table (docs/architecture.md, Habits: choices as data), built from the AWS API references:
 * - Organizations `CreateAccountStatus.FailureReason` and `ConstraintViolationException.Reason`
 *   (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccountStatus.html,
 *   .../API_ConstraintViolationException... ; docs/aws-facts.md, Organizations),
 * - sso-admin / identitystore `ConflictException`, `ValidationException`, `AccessDeniedException`.
 */
import { explainSystemError, OperationError, UserError } from "../errors.js";

export interface Explanation {
  /** What happened, in the user's terms. */
  message: string;
  /** The next thing to do. */
  fix: string;
  /** Bad input the user can correct (exit 2) rather than a failed operation (exit 1). */
  userError?: boolean;
}

/** `CreateAccountStatus.FailureReason` values. */
export const createAccountFailureReasons: Record<string, Explanation> = {
  EMAIL_ALREADY_EXISTS: {
    message: "That email address already belongs to another AWS account (every AWS account needs its own email).",
    fix: "Choose another address, for example a plus-address such as you+dev@example.com (--account-email 'you+{stage}@example.com'), or invite the existing account into the organization instead.",
    userError: true,
  },
  INVALID_EMAIL: {
    message: "AWS did not accept the account email address.",
    fix: "Use a valid address of 6 to 64 ASCII characters (--account-email).",
    userError: true,
  },
  INVALID_ADDRESS: {
    message: "AWS did not accept the management account's postal address.",
    fix: "Correct the contact address in the Billing console (Account settings), then run again.",
  },
  ACCOUNT_LIMIT_EXCEEDED: {
    message: "The organization has reached its quota of member accounts.",
    fix: "Request a higher 'Default maximum number of accounts' in Service Quotas (AWS Organizations), or close unused accounts, then run again.",
  },
  CONCURRENT_ACCOUNT_MODIFICATION: {
    message: "Another change to the organization was running at the same time.",
    fix: "Wait a minute and run again; nothing is created twice.",
  },
  INTERNAL_FAILURE: {
    message: "AWS had an internal failure creating the account.",
    fix: "Run again in a few minutes; if it keeps failing, contact AWS Support.",
  },
  GOVCLOUD_ACCOUNT_ALREADY_EXISTS: {
    message: "A GovCloud account already exists for this account.",
    fix: "Remove the GovCloud request or use another account.",
  },
  MISSING_BUSINESS_VALIDATION: {
    message: "AWS has not finished validating the management account's business information.",
    fix: "Complete the business validation AWS asked for (check the root email's inbox), then run again.",
  },
  FAILED_BUSINESS_VALIDATION: {
    message: "AWS could not validate the management account's business information.",
    fix: "Contact AWS Support about the failed business validation, then run again.",
  },
  PENDING_BUSINESS_VALIDATION: {
    message: "AWS is still validating the management account's business information.",
    fix: "Wait for AWS's validation email, then run again.",
  },
  INVALID_IDENTITY_FOR_BUSINESS_VALIDATION: {
    message: "The management account's identity details did not pass AWS's business validation.",
    fix: "Correct the account's identity details in the Billing console, then run again.",
  },
  UNKNOWN_BUSINESS_VALIDATION: {
    message: "AWS's business validation of the management account failed for an unknown reason.",
    fix: "Contact AWS Support, then run again.",
  },
  MISSING_PAYMENT_INSTRUMENT: {
    message: "The management account has no valid payment method.",
    fix: "Add a payment method in the Billing console, then run again.",
  },
  INVALID_PAYMENT_INSTRUMENT: {
    message: "The management account's payment method was rejected.",
    fix: "Update the payment method in the Billing console, then run again.",
  },
  UPDATE_EXISTING_RESOURCE_POLICY_WITH_TAGS_NOT_SUPPORTED: {
    message: "AWS could not apply tags to the new account.",
    fix: "Run again without tags.",
  },
};

/**
 * One row per AWS error the project explains. A row may be narrowed to one operation (the SDK
 * command's name without `Command`) where the same error name means something else there, and to
 * one `Reason` (ConstraintViolationException) or to AWS's message; the most specific matching row wins. `{name}` in a
 * row's text is filled from what the caller knows (`vars`), else from `placeholderDefaults`, so a
 * row reads right at the entry too (src/cli.ts), where nothing but the error is known.
 */
export interface AwsErrorRow extends Explanation {
  /** The SDK error's `name` (AWS's error code). */
  name: string;
  /** Only for this operation, e.g. `CreateToken`. */
  operation?: string;
  /** Only for this `Reason` of the error. */
  reason?: string;
  /** Only when AWS's message matches (where AWS tells two causes apart in words only). */
  when?: RegExp;
}

/** What a `{placeholder}` reads when the caller did not say. */
export const placeholderDefaults: Record<string, string> = {
  role: "that role",
  account: "that account",
  roleName: "the role",
  profile: "the profile in use",
  login: "Run: org-bootstrap login",
};

const throttled = { message: "AWS is throttling requests.", fix: "Wait a minute and run again." };
const serverSide = {
  message: "AWS failed on its side (an internal error), even after retrying.",
  fix: "Run again in a few minutes; finished steps are kept. If it persists, check the AWS Health Dashboard.",
};

export const awsErrors: readonly AwsErrorRow[] = [
  // Organizations (https://docs.aws.amazon.com/organizations/latest/APIReference/CommonErrors.html and each action's Errors).
  { name: "AWSOrganizationsNotInUseException", message: "This account is not part of an AWS Organization.", fix: "Run org-bootstrap init to create one." },
  // Only when the organization is not ours: one this account manages with all features is adopted
  // (organizations.ts createOrganization), as after a dropped connection or a run at the same time.
  {
    name: "AlreadyInOrganizationException",
    message: "This account already belongs to an organization (an account can be in only one).",
    fix: "Run org-bootstrap status to see it; init must run with the credentials of that organization's management account.",
  },
  { name: "AccessDeniedForDependencyException", message: "AWS Organizations lacks a permission it needs (iam:CreateServiceLinkedRole).", fix: "Run as an administrator of the management account." },
  {
    name: "FinalizingOrganizationException",
    message: "AWS is still finishing the setup of the new organization.",
    fix: "Wait an hour (AWS may need to verify the email address) and run again; nothing is created twice.",
  },
  { name: "AccountNotFoundException", message: "That account is not part of the organization.", fix: "Run org-bootstrap status to see the organization's accounts." },
  { name: "DuplicateAccountException", message: "An account with that name or email already exists.", fix: "Run again: the existing account is found and used." },
  {
    name: "ConstraintViolationException",
    reason: "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED",
    message: "AWS limits how many accounts can be created in a short time, and that limit was reached.",
    fix: "Wait a while (AWS allows a few creations per day on new organizations) and run again; finished accounts are kept.",
  },
  {
    name: "ConstraintViolationException",
    reason: "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
    message: "The organization has reached its quota of member accounts.",
    fix: "Request a higher 'Default maximum number of accounts' in Service Quotas (AWS Organizations), or close unused accounts.",
  },
  // CloseAccount (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html).
  {
    name: "ConstraintViolationException",
    reason: "CLOSE_ACCOUNT_QUOTA_EXCEEDED",
    message: "AWS limits how many member accounts can be closed in a rolling 30-day period (the higher of 250 or 20% of member accounts), and that limit was reached.",
    fix: "Wait until older closures leave the 30-day window, then run again.",
  },
  { name: "ConstraintViolationException", reason: "CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED", message: "Too many account closures were requested at once.", fix: "Wait a minute and run again." },
  {
    name: "ConstraintViolationException",
    reason: "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
    message: "The management account cannot be closed through the API.",
    fix: "Close member accounts only; the management account is closed from its own console after the organization is deleted.",
    userError: true,
  },
  {
    name: "ConstraintViolationException",
    reason: "CREATE_ORGANIZATION_IN_BILLING_MODE_UNSUPPORTED_REGION",
    message: "An organization cannot be created from this region.",
    fix: "Run again with a commercial region such as us-east-1.",
  },
  // Organizations policies and AWS Budgets: the guardrails (docs/aws-facts.md, Guardrails).
  {
    name: "PolicyTypeNotAvailableForOrganizationException",
    message: "Service control policies need an organization with all features; this one has consolidated billing only.",
    fix: "Enable all features in the Organizations console (Settings), then run again.",
    userError: true,
  },
  {
    name: "ConstraintViolationException",
    reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    message: "The target already has 5 service control policies, AWS's maximum.",
    fix: "Detach an SCP you no longer need (never FullAWSAccess), or merge two into one, then run again.",
  },
  {
    name: "ConstraintViolationException",
    reason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    message: "Every root, OU and account must keep at least one service control policy.",
    fix: "Attach FullAWSAccess to it again, then run again.",
  },
  { name: "ConstraintViolationException", reason: "POLICY_CONTENT_LIMIT_EXCEEDED", message: "A service control policy is longer than 5,120 characters, AWS's limit.", fix: "Allow fewer regions, then run again." },
  { name: "PolicyInUseException", message: "The policy is still attached somewhere.", fix: "Run again: the policy is detached from every target before it is deleted." },
  { name: "MalformedPolicyDocumentException", message: "AWS refused the policy document.", fix: "Report this with --verbose output: the policies are org-bootstrap's own." },
  { name: "ServiceQuotaExceededException", operation: "CreateBudget", message: "The account has reached AWS's quota of budgets.", fix: "Delete budgets you no longer use in the Billing console, then run again." },
  { name: "CreationLimitExceededException", message: "A budget has reached AWS's limit of notifications or subscribers.", fix: "Remove alerts you no longer need from the budget in the Billing console, then run again." },
  // IAM's organization root features (centralized root access; docs/aws-facts.md, Guardrails). The
  // wire code's Exception suffix is not certain: both names have a row.
  ...["ServiceAccessNotEnabledException", "ServiceAccessNotEnabled"].map((name) => ({
    name,
    message: "Trusted access for IAM is not enabled in the organization.",
    fix: "Run again: org-bootstrap guardrails --central-root enables it first (EnableAWSServiceAccess for iam.amazonaws.com).",
  })),
  ...["OrganizationNotInAllFeaturesModeException", "OrganizationNotInAllFeaturesMode"].map((name) => ({
    name,
    message: "Centralized root access needs an organization with all features.",
    fix: "Enable all features in the Organizations console (Settings), then run again.",
    userError: true,
  })),
  ...["CallerIsNotManagementAccountException", "CallerIsNotManagementAccount", "AccountNotManagementOrDelegatedAdministratorException"].map((name) => ({
    name,
    message: "Centralized root access is managed from the organization's management account only.",
    fix: "Run with credentials of the management account (--profile <org>-management).",
    userError: true,
  })),
  ...["OrganizationNotFoundException", "OrganizationNotFound"].map((name) => ({ name, message: "IAM finds no organization for this account.", fix: "Run org-bootstrap init first." })),
  // Any service: permissions, quotas, throttling, AWS's own failures.
  {
    name: "AccessDeniedException",
    message: "The credentials in use are not allowed to make this call.",
    fix: "Use credentials of an administrator of the organization's management account (AdministratorAccess).",
  },
  { name: "ServiceQuotaExceededException", message: "A quota of IAM Identity Center was reached.", fix: "Check the quotas in Service Quotas (IAM Identity Center) and remove unused resources." },
  { name: "TooManyRequestsException", ...throttled },
  { name: "ThrottlingException", ...throttled },
  { name: "Throttling", ...throttled },
  { name: "ServiceException", ...serverSide },
  { name: "InternalServerException", ...serverSide },
  { name: "InternalFailure", ...serverSide },
  { name: "ServiceUnavailableException", ...serverSide },
  // Credentials (STS, the SDK's credential chain).
  { name: "ExpiredTokenException", message: "The AWS credentials in use have expired.", fix: "Refresh your credentials (sign in again) and run again." },
  { name: "InvalidClientTokenId", message: "AWS does not recognise the access key in use.", fix: "Check AWS_ACCESS_KEY_ID / AWS_PROFILE, or sign in again." },
  {
    name: "CredentialsProviderError",
    message: "No AWS credentials were found.",
    fix: "Set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) for an administrator of the management account, or try: org-bootstrap init --sandbox",
  },
  // SSO OIDC's CreateToken, where the same names are about the sign-in in the browser
  // (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html).
  {
    name: "ExpiredTokenException",
    operation: "CreateToken",
    message: "The login request expired before it was approved.",
    fix: "Run the login again and approve it in the browser within the time shown.",
  },
  { name: "AccessDeniedException", operation: "CreateToken", message: "The login was denied in the browser.", fix: "Run the login again and choose Allow, or ask an administrator for access." },
  // RegisterClient and StartDeviceAuthorization (CreateToken's polling slows down by itself, src/workflows/ssoLogin.ts).
  { name: "SlowDownException", message: "IAM Identity Center asked to slow down: too many sign-in requests.", fix: "Wait a minute and run the login again." },
  { name: "InvalidGrantException", operation: "CreateToken", message: "IAM Identity Center did not accept the login grant.", fix: "Run the login again." },
  // The access portal's GetRoleCredentials (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html).
  { name: "UnauthorizedException", operation: "GetRoleCredentials", message: "The SSO session is no longer valid (logged out or revoked).", fix: "{login}", userError: true },
  {
    name: "ForbiddenException",
    operation: "GetRoleCredentials",
    message: "Your SSO user may not use {role} in {account} ({profile}).",
    fix: "Ask an administrator to assign you (or your group) that permission set in the account, or fix sso_role_name / sso_account_id.",
    userError: true,
  },
  // IAM in a stage account (ci github; https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html, docs/aws-facts.md, IAM).
  ...["CreateRole", "UpdateAssumeRolePolicy"].map((operation) => ({
    name: "MalformedPolicyDocumentException",
    operation,
    message: "IAM refused the role's trust policy.",
    fix: "A role trusted by GitHub's provider needs a specific :sub condition and the provider in the same account (docs/ci.md); --verbose shows AWS's words.",
  })),
  {
    name: "LimitExceededException",
    message: "An IAM quota of the stage account was reached (roles, OIDC providers, policies on a role, or a trust policy's length).",
    fix: "Remove what is unused, or raise the quota in Service Quotas (IAM), then run again; finished steps are kept.",
  },
  {
    name: "NoSuchEntityException",
    operation: "AttachRolePolicy",
    message: "That managed policy does not exist in the stage account, or cannot be attached.",
    fix: "Check --policy: arn:aws:iam::aws:policy/NAME for one of AWS's, arn:aws:iam::<stage account>:policy/NAME for your own (it must exist in every stage account).",
    userError: true,
  },
  { name: "UnmodifiableEntityException", message: "That IAM role is protected (a service-linked role) and cannot be changed.", fix: "Choose another name with --role-name.", userError: true },
  { name: "DeleteConflictException", message: "IAM will not delete the role while policies are still attached to it.", fix: "Run again: the policies org-bootstrap attached are detached first; detach any you attached by hand." },
  // STS AssumeRole into a member account (src/aws/clientProvider.ts;
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html).
  {
    name: "AccessDenied",
    operation: "AssumeRole",
    when: /root accounts?/i,
    message: "The root user cannot act inside member {account}: AWS does not let the root user assume a role.",
    fix: "Sign in through IAM Identity Center with org-bootstrap login, then run again with the management account's SSO profile, <org>-management, as --profile.",
    userError: true,
  },
  {
    name: "AccessDenied",
    operation: "AssumeRole",
    message: "Cannot act inside {account}: AWS did not let these credentials assume {roleName} there.",
    fix: "An account invited into the organization (not created by it) has no {roleName}, and it may have been removed: create it in that account (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html), or run with credentials of the management account.",
  },
];

/** The row for an error: one naming its operation before one naming its reason, before one naming its message, before one naming none. */
export function awsErrorRow(name: string, operation?: string, reason?: string, awsMessage = ""): AwsErrorRow | undefined {
  let best: AwsErrorRow | undefined;
  let bestScore = -1;
  for (const row of awsErrors) {
    if (row.name !== name || (row.operation !== undefined && row.operation !== operation) || (row.reason !== undefined && row.reason !== reason)) continue;
    if (row.when && !row.when.test(awsMessage)) continue;
    const score = (row.operation ? 4 : 0) + (row.reason ? 2 : 0) + (row.when ? 1 : 0);
    if (score > bestScore) [best, bestScore] = [row, score];
  }
  return best;
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? placeholderDefaults[key] ?? whole);
}

/** The SDK error's `name`, or undefined for something that is not an AWS error. */
export function awsErrorName(err: unknown): string | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { name?: unknown; Code?: unknown; $metadata?: unknown };
  if (typeof e.name === "string") return e.name;
  return typeof e.Code === "string" ? e.Code : undefined;
}

export function isAwsError(err: unknown, ...names: string[]): boolean {
  const name = awsErrorName(err);
  return name !== undefined && names.includes(name);
}

function awsMessage(err: unknown): string {
  return String((err as { message?: unknown })?.message ?? "");
}

/**
 * sso-admin answers a call that touches something created a moment ago with ConflictException
 * ("... did not have time to propagate" / "another operation is in progress"). The SDK does not
 * retry it (it is not a throttling error), so the adapters do (docs/aws-facts.md, IAM Identity Center).
 */
export function isPropagationConflict(err: unknown): boolean {
  if (!isAwsError(err, "ConflictException")) return false;
  const message = awsMessage(err).toLowerCase();
  return /propagat|in progress|try again|concurrent/.test(message);
}

function toTypedError(explanation: Explanation, context: string, cause: unknown): UserError | OperationError {
  const message = context ? `${context}: ${explanation.message}` : explanation.message;
  if (explanation.userError) return new UserError(message, explanation.fix);
  return new OperationError(message, explanation.fix, { cause });
}

/** An account creation's FailureReason as a typed error with its fix. */
export function explainCreateAccountFailure(reason: string | undefined, context: string): UserError | OperationError {
  const known = reason ? createAccountFailureReasons[reason] : undefined;
  // AWS's own reason code stays in the message: it is what AWS Support and the docs search by.
  const explanation = known ? { ...known, message: `${known.message} (AWS: ${reason})` } : {
    message: `AWS reported ${reason ?? "an unknown failure"}.`,
    fix: "Check the account in the AWS Organizations console, then run again.",
  };
  return toTypedError(explanation, context, undefined);
}

/** Node's socket errors: the request never got an answer from AWS. */
const networkErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/** What the caller knows about the failed call; all optional. */
export interface ExplainOptions {
  /** What we were doing, in the user's words ("Creating account acme-dev"): put in front of the message. */
  context?: string;
  /** The operation, when the error does not carry it (`$operation`, see `nameFailedOperations`). */
  operation?: string;
  /** Values for the `{placeholders}` of the row. */
  vars?: Record<string, string>;
  /**
   * Name AWS's error and the operation after a row's words: where no context says what was being
   * done (the entry, src/cli.ts), they say which call failed, and they are what AWS's docs and
   * support search by.
   */
  cite?: boolean;
}

/** The operation an SDK error came from, as `nameFailedOperations` recorded it. */
export function failedOperation(err: unknown): string | undefined {
  const op = (err as { $operation?: unknown } | undefined)?.$operation;
  return typeof op === "string" && op ? op : undefined;
}

/**
 * Records on every error a client's call throws which operation it was (`$operation`, not
 * enumerable), so the table can tell CreateToken's ExpiredTokenException (the sign-in in the
 * browser expired) from STS's (the credentials expired), even at the entry. Each adapter calls it
 * once on its client.
 */
export function nameFailedOperations(client: { middlewareStack: { add(middleware: any, options: any): void } }): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (err) {
        if (err && typeof err === "object" && !failedOperation(err) && context.commandName && Object.isExtensible(err)) {
          Object.defineProperty(err, "$operation", { value: context.commandName.replace(/Command$/, ""), enumerable: false, configurable: true });
        }
        throw err;
      }
    },
    { step: "initialize", name: "orgBootstrapNameFailedOperation" },
  );
}

/**
 * An AWS (or network) error as a typed error: our table's words when we know the name, else AWS's
 * own message; undefined for anything that is not an AWS error (a bug stays a bug). Errors that
 * are already typed pass through.
 */
export function translateAwsError(err: unknown, options: ExplainOptions = {}): UserError | OperationError | undefined {
  if (err instanceof UserError || err instanceof OperationError) return err;
  const context = options.context ?? "";
  const networkCode = (err as { code?: string } | undefined)?.code;
  // Nothing listening (a closed port at AWS_ENDPOINT_URL): the shared table names the endpoint and its variable.
  const refused = networkCode === "ECONNREFUSED" ? explainSystemError(err, process.env, context) : undefined;
  if (refused) return refused;
  if (networkCode && networkErrorCodes.has(networkCode)) {
    // No answer at all is not "AWS answered": say that AWS was not reached, and where to look.
    return new OperationError(
      `${context ? `${context}: ` : ""}could not reach AWS (${(err as Error).message}).`,
      "Check the network connection and any proxy (and AWS_ENDPOINT_URL, if set), then run again; finished steps are kept.",
      { cause: err },
    );
  }
  const name = awsErrorName(err);
  if (name === undefined) return undefined;
  const operation = options.operation ?? failedOperation(err);
  const row = awsErrorRow(name, operation, (err as { Reason?: string }).Reason, awsMessage(err));
  if (row) {
    const vars = options.vars ?? {};
    const said = fill(row.message, vars);
    const message = options.cite ? `${said.replace(/\.$/, "")} (AWS answered ${name}${operation ? ` to ${operation}` : ""}).` : said;
    return toTypedError({ ...row, message, fix: fill(row.fix, vars) }, context, err);
  }
  // An error without AWS's response metadata that no row names is not an answer from AWS (the SDK's
  // own failures carry the operation too): leave it as it is.
  if (!("$metadata" in (err as object))) return undefined;
  const detail = awsMessage(err) || name;
  // Without a context the operation says where it happened.
  const to = !context && operation ? ` to ${operation}` : "";
  return new OperationError(`${context ? `${context}: ` : ""}AWS answered ${name}${to}: ${detail}`, "Fix the cause AWS names, then run again; finished steps are kept.", {
    cause: err,
  });
}

/** `translateAwsError`, or the error itself when it is not AWS's. `context` may be given alone. */
export function explainAwsError(err: unknown, options: string | ExplainOptions = {}): Error {
  const translated = translateAwsError(err, typeof options === "string" ? { context: options } : options);
  if (translated) return translated;
  return err instanceof Error ? err : new Error(String(err));
}
