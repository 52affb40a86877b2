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

/** `ConstraintViolationException.Reason` values that account creation can meet. */
export const constraintViolationReasons: Record<string, Explanation> = {
  ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED: {
    message: "AWS limits how many accounts can be created in a short time, and that limit was reached.",
    fix: "Wait a while (AWS allows a few creations per day on new organizations) and run again; finished accounts are kept.",
  },
  ACCOUNT_NUMBER_LIMIT_EXCEEDED: {
    message: "The organization has reached its quota of member accounts.",
    fix: "Request a higher 'Default maximum number of accounts' in Service Quotas (AWS Organizations), or close unused accounts.",
  },
  // CloseAccount (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html).
  CLOSE_ACCOUNT_QUOTA_EXCEEDED: {
    message: "AWS limits how many member accounts can be closed in a rolling 30-day period (the higher of 250 or 20% of member accounts), and that limit was reached.",
    fix: "Wait until older closures leave the 30-day window, then run again.",
  },
  CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED: {
    message: "Too many account closures were requested at once.",
    fix: "Wait a minute and run again.",
  },
  CANNOT_CLOSE_MANAGEMENT_ACCOUNT: {
    message: "The management account cannot be closed through the API.",
    fix: "Close member accounts only; the management account is closed from its own console after the organization is deleted.",
    userError: true,
  },
  CREATE_ORGANIZATION_IN_BILLING_MODE_UNSUPPORTED_REGION: {
    message: "An organization cannot be created from this region.",
    fix: "Run again with a commercial region such as us-east-1.",
  },
};

/** Error names (the SDK's `err.name`) with an explanation of their own. */
export const errorNames: Record<string, Explanation> = {
  AWSOrganizationsNotInUseException: {
    message: "This account is not part of an AWS Organization.",
    fix: "Run org-bootstrap init to create one.",
  },
  // Only when the organization is not ours: one this account manages with all features is adopted
  // (organizations.ts createOrganization), as after a dropped connection or a run at the same time.
  AlreadyInOrganizationException: {
    message: "This account already belongs to an organization (an account can be in only one).",
    fix: "Run org-bootstrap status to see it; init must run with the credentials of that organization's management account.",
  },
  AccessDeniedForDependencyException: {
    message: "AWS Organizations lacks a permission it needs (iam:CreateServiceLinkedRole).",
    fix: "Run as an administrator of the management account.",
  },
  AccessDeniedException: {
    message: "The credentials in use are not allowed to make this call.",
    fix: "Use credentials of an administrator of the organization's management account (AdministratorAccess).",
  },
  FinalizingOrganizationException: {
    message: "AWS is still finishing the setup of the new organization.",
    fix: "Wait an hour (AWS may need to verify the email address) and run again; nothing is created twice.",
  },
  AccountNotFoundException: {
    message: "That account is not part of the organization.",
    fix: "Run org-bootstrap status to see the organization's accounts.",
  },
  DuplicateAccountException: {
    message: "An account with that name or email already exists.",
    fix: "Run again: the existing account is found and used.",
  },
  TooManyRequestsException: {
    message: "AWS is throttling requests.",
    fix: "Wait a minute and run again.",
  },
  ThrottlingException: {
    message: "AWS is throttling requests.",
    fix: "Wait a minute and run again.",
  },
  ServiceQuotaExceededException: {
    message: "A quota of IAM Identity Center was reached.",
    fix: "Check the quotas in Service Quotas (IAM Identity Center) and remove unused resources.",
  },
  ExpiredTokenException: {
    message: "The AWS credentials in use have expired.",
    fix: "Refresh your credentials (sign in again) and run again.",
  },
  InvalidClientTokenId: {
    message: "AWS does not recognise the access key in use.",
    fix: "Check AWS_ACCESS_KEY_ID / AWS_PROFILE, or sign in again.",
  },
  CredentialsProviderError: {
    message: "No AWS credentials were found.",
    fix: "Set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) for an administrator of the management account, or try: org-bootstrap init --sandbox",
  },
};

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

/**
 * Any error from an adapter call as a typed error: our table's words when we know the name or
 * reason, else AWS's own message. `context` says what we were doing ("Creating account acme-dev").
 * Errors that are already typed pass through.
 */
export function explainAwsError(err: unknown, context = ""): Error {
  if (err instanceof UserError || err instanceof OperationError) return err;
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
  if (name === undefined || !("$metadata" in (err as object) || name in errorNames)) {
    return err instanceof Error ? err : new Error(String(err));
  }
  const reason = (err as { Reason?: string }).Reason;
  const known = (name === "ConstraintViolationException" && reason && constraintViolationReasons[reason]) || errorNames[name];
  if (known) return toTypedError(known, context, err);
  const detail = awsMessage(err) || name;
  return new OperationError(`${context ? `${context}: ` : ""}AWS answered ${name}: ${detail}`, "Fix the cause AWS names, then run again; finished steps are kept.", {
    cause: err,
  });
}
