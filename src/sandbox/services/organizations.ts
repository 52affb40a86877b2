/**
 * Emulated AWS Organizations (JSON 1.1, target prefix `AWSOrganizationsV20161128`).
 * Behaviour follows the Organizations API reference (docs.aws.amazon.com/organizations/latest/APIReference/)
 * and the quotas page of the Organizations user guide (docs/aws-facts.md, Organizations).
 */
import { epochSeconds } from "../protocols.js";
import { createOrganization } from "../scenario.js";
import { DEFAULT_ACCESS_ROLE, newId, type Account, type CreateAccountStatus, type Organization, type SandboxState } from "../state.js";
import { AwsError, type CallContext, type ServiceOperations } from "../types.js";
import { optionalString, organizationsInvalid as invalid, pageOf, requireString } from "./validate.js";
import { organizationPolicyOperations, rootPolicyTypes } from "./organizationPolicies.js";

/** ListAccounts, ListCreateAccountStatus, ListRoots, ListAWSServiceAccess...: MaxResults 1–20. */
const ORGANIZATIONS_MAX_PAGE = 20;
/** "Number of accounts that you can concurrently create: 5" (Organizations quotas). */
const MAX_CREATIONS_IN_PROGRESS = 5;
const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;
const ACCOUNT_ID = /^\d{12}$/;

const notInUse = () =>
  new AwsError(
    "AWSOrganizationsNotInUseException",
    "Your account is not a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.",
    400,
  );

const accessDenied = () =>
  new AwsError(
    "AccessDeniedException",
    "You don't have permissions to perform the requested operation. This operation can be called only from the organization's management account or by a member account that is a delegated administrator.",
    400,
  );

const constraintViolation = (reason: string, message: string) =>
  new AwsError("ConstraintViolationException", message, 400, { Reason: reason });

/** The organization the caller manages; members of someone else's organization are refused. */
function managedOrganization(state: SandboxState): Organization {
  if (state.caller.kind === "member") {
    if (state.foreignOrganization) throw accessDenied();
    throw notInUse();
  }
  if (!state.organization) throw notInUse();
  return state.organization;
}

function organizationOut(org: Organization) {
  return {
    Id: org.Id,
    Arn: org.Arn,
    FeatureSet: org.FeatureSet,
    MasterAccountArn: org.MasterAccountArn,
    MasterAccountId: org.MasterAccountId,
    MasterAccountEmail: org.MasterAccountEmail,
    AvailablePolicyTypes: [],
  };
}

/** The retired `Status` field, still returned next to `State` (Account data type, API reference). */
function legacyStatus(state: Account["State"]): "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" {
  if (state === "PENDING_CLOSURE") return "PENDING_CLOSURE";
  if (state === "SUSPENDED" || state === "CLOSED") return "SUSPENDED";
  return "ACTIVE";
}

function accountOut(a: Account) {
  return {
    Id: a.Id,
    Arn: a.Arn,
    Email: a.Email,
    Name: a.Name,
    Status: legacyStatus(a.State),
    State: a.State,
    JoinedMethod: a.JoinedMethod,
    JoinedTimestamp: epochSeconds(a.JoinedTimestamp),
  };
}

function statusOut(s: CreateAccountStatus) {
  return {
    Id: s.Id,
    AccountName: s.AccountName,
    State: s.State,
    RequestedTimestamp: epochSeconds(s.RequestedTimestamp),
    ...(s.CompletedTimestamp !== undefined ? { CompletedTimestamp: epochSeconds(s.CompletedTimestamp) } : {}),
    ...(s.AccountId ? { AccountId: s.AccountId } : {}),
    ...(s.FailureReason ? { FailureReason: s.FailureReason } : {}),
  };
}

function inProgressCreations(state: SandboxState): CreateAccountStatus[] {
  return [...state.createAccountStatuses.values()].filter((s) => s.State === "IN_PROGRESS");
}

/**
 * The outcome of a creation, decided when it is requested: an email already used by an account
 * fails with EMAIL_ALREADY_EXISTS; the same email already being created fails with
 * CONCURRENT_ACCOUNT_MODIFICATION ("You already submitted a request with the same information",
 * CreateAccountStatus data type); scenarios inject other reasons by email or name.
 */
function creationOutcome(state: SandboxState, email: string, name: string): CreateAccountStatus["outcome"] {
  const injected = state.createAccountFailures.get(email) ?? state.createAccountFailures.get(name);
  if (injected) return { state: "FAILED", reason: injected };
  const lower = email.toLowerCase();
  if ([...state.accounts.values()].some((a) => a.Email.toLowerCase() === lower)) return { state: "FAILED", reason: "EMAIL_ALREADY_EXISTS" };
  if (inProgressCreations(state).some((s) => s.Email.toLowerCase() === lower)) {
    return { state: "FAILED", reason: "CONCURRENT_ACCOUNT_MODIFICATION" };
  }
  return { state: "SUCCEEDED" };
}

function findAccount(state: SandboxState, input: Record<string, unknown>): Account {
  const id = requireString(input, "AccountId", { max: 12, pattern: ACCOUNT_ID }, invalid);
  const account = state.accounts.get(id);
  if (!account) throw new AwsError("AccountNotFoundException", "We can't find an AWS account with the AccountId that you specified.", 400);
  return account;
}

/** When each service principal was enabled (ListAWSServiceAccessForOrganization's DateEnabled). */
const serviceAccessDates = new WeakMap<SandboxState, Map<string, number>>();

function createAccount(input: Record<string, unknown>, ctx: CallContext) {
  const { state } = ctx;
  // Email: 6–64 characters, pattern [^\s@]*@[^\s@]*\.[^\s@]* and ASCII only; AccountName: 1–50
  // printable ASCII (CreateAccount request parameters, API reference).
  const email = requireString(input, "Email", { min: 6, max: 64, pattern: /^[\x21-\x7e]*@[\x21-\x7e]*\.[\x21-\x7e]*$/ }, invalid);
  if ((email.match(/@/g) ?? []).length !== 1) throw invalid("The email address is not valid.", "INVALID_PATTERN");
  const name = requireString(input, "AccountName", { min: 1, max: 50, pattern: /^[\u0020-\u007e]+$/ }, invalid);
  const roleName = optionalString(input, "RoleName", { max: 64, pattern: /^[\w+=,.@-]{1,64}$/ }, invalid) ?? DEFAULT_ACCESS_ROLE;
  optionalString(input, "IamUserAccessToBilling", { oneOf: ["ALLOW", "DENY"] }, invalid);
  const org = managedOrganization(state);
  const now = ctx.now();
  if (now < org.createdAt + (state.timings.finalizingOrganizationMs ?? 0)) {
    throw new AwsError(
      "FinalizingOrganizationException",
      "AWS Organizations couldn't perform the operation because your organization hasn't finished initializing. This can take up to an hour. Try again later.",
      400,
    );
  }
  const inProgress = inProgressCreations(state);
  // Closed (SUSPENDED) accounts still count toward the quota (Organizations quotas page).
  if (state.accounts.size + inProgress.length >= state.accountQuota) {
    throw constraintViolation(
      "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
      "You have exceeded the allowed number of AWS accounts. If you need more accounts, contact AWS Support to request an increase in your limit.",
    );
  }
  if (inProgress.length >= MAX_CREATIONS_IN_PROGRESS) {
    // Quotas page: at most five accounts created concurrently; the documented reason for creating
    // accounts faster than allowed is ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED (ConstraintViolationException).
    throw constraintViolation(
      "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED",
      "You have exceeded the number of accounts that you can create at the same time. Wait for a creation to finish and try again.",
    );
  }
  const status: CreateAccountStatus = {
    Id: `car-${newId("", 32, "0123456789abcdef")}`,
    AccountName: name,
    Email: email,
    State: "IN_PROGRESS",
    RequestedTimestamp: now,
    settlesAt: now + state.timings.createAccountMs,
    outcome: creationOutcome(state, email, name),
    roleName,
  };
  state.createAccountStatuses.set(status.Id, status);
  // Always IN_PROGRESS in the answer, even with no delay: AWS never answers with a finished creation.
  return { CreateAccountStatus: statusOut(status) };
}

function closeAccount(input: Record<string, unknown>, ctx: CallContext) {
  const { state } = ctx;
  managedOrganization(state);
  const account = findAccount(state, input);
  if (account.Id === state.managementAccount.Id) {
    throw constraintViolation("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "You can't close the management account with this API.");
  }
  if (account.State !== "ACTIVE" && account.State !== "PENDING_ACTIVATION") {
    throw new AwsError("AccountAlreadyClosedException", "You attempted to close an account that is already closed.", 400);
  }
  const now = ctx.now();
  const closures = (state.accountClosures ??= []);
  const recent = closures.filter((t) => t > now - THIRTY_DAYS_MS).length;
  const members = [...state.accounts.values()].filter((a) => a.Id !== state.managementAccount.Id).length;
  // docs/aws-facts.md, Organizations: the higher of 250 or 20% of member accounts per rolling 30 days. (The API
  // reference has quoted other figures over time; the shape — a rolling 30-day count — is the same.)
  if (recent >= Math.max(250, Math.floor(members * 0.2))) {
    throw constraintViolation("CLOSE_ACCOUNT_QUOTA_EXCEEDED", "You have exceeded the number of accounts that you can close in a rolling 30-day period.");
  }
  closures.push(now);
  account.State = "PENDING_CLOSURE";
  account.closesAt = now + state.timings.closeAccountMs;
  return {};
}

export const organizationsOperations: ServiceOperations = {
  CreateOrganization: {
    mutating: true,
    handle: (input: Record<string, unknown>, { state }) => {
      const featureSet = optionalString(input, "FeatureSet", { oneOf: ["ALL", "CONSOLIDATED_BILLING"] }, invalid) ?? "ALL";
      if (state.organization || (state.caller.kind === "member" && state.foreignOrganization)) {
        throw new AwsError(
          "AlreadyInOrganizationException",
          "This account is already a member of an organization. An account can belong to only one organization at a time.",
          400,
        );
      }
      return { Organization: organizationOut(createOrganization(state, featureSet as Organization["FeatureSet"])) };
    },
  },
  DescribeOrganization: {
    mutating: false,
    handle: (_input, { state }) => {
      // A member account sees the organization it belongs to (managed by another account).
      const org = state.caller.kind === "member" ? state.foreignOrganization : state.organization;
      if (!org) throw notInUse();
      return { Organization: organizationOut(org) };
    },
  },
  ListRoots: {
    mutating: false,
    handle: (input, { state, now }) => {
      const org = managedOrganization(state);
      const roots = [
        { Id: org.rootId, Arn: `arn:aws:organizations::${org.MasterAccountId}:root/${org.Id}/${org.rootId}`, Name: "Root", PolicyTypes: rootPolicyTypes(state, now()) },
      ];
      const { page, nextToken } = pageOf(roots, input, ORGANIZATIONS_MAX_PAGE, state, invalid);
      return { Roots: page, NextToken: nextToken };
    },
  },
  CreateAccount: { mutating: true, handle: createAccount },
  DescribeCreateAccountStatus: {
    mutating: false,
    handle: (input: Record<string, unknown>, { state }) => {
      const id = requireString(input, "CreateAccountRequestId", { max: 36, pattern: /^car-[a-z0-9]{8,32}$/ }, invalid);
      managedOrganization(state);
      const status = state.createAccountStatuses.get(id);
      if (!status) {
        throw new AwsError("CreateAccountStatusNotFoundException", "We can't find an create account request with the CreateAccountRequestId that you specified.", 400);
      }
      return { CreateAccountStatus: statusOut(status) };
    },
  },
  ListCreateAccountStatus: {
    mutating: false,
    handle: (input, { state }) => {
      managedOrganization(state);
      const states: unknown = input.States;
      if (states !== undefined && (!Array.isArray(states) || states.some((s) => !["IN_PROGRESS", "SUCCEEDED", "FAILED"].includes(s)))) {
        throw invalid("States must be a list of IN_PROGRESS, SUCCEEDED or FAILED.", "INVALID_ENUM");
      }
      const all = [...state.createAccountStatuses.values()].filter((s) => !states || states.length === 0 || states.includes(s.State));
      const { page, nextToken } = pageOf(all, input, ORGANIZATIONS_MAX_PAGE, state, invalid);
      return { CreateAccountStatuses: page.map(statusOut), NextToken: nextToken };
    },
  },
  ListAccounts: {
    mutating: false,
    handle: (input, { state }) => {
      managedOrganization(state);
      const { page, nextToken } = pageOf([...state.accounts.values()], input, ORGANIZATIONS_MAX_PAGE, state, invalid);
      return { Accounts: page.map(accountOut), NextToken: nextToken };
    },
  },
  DescribeAccount: {
    mutating: false,
    handle: (input, { state }) => {
      managedOrganization(state);
      return { Account: accountOut(findAccount(state, input)) };
    },
  },
  CloseAccount: { mutating: true, handle: closeAccount },
  EnableAWSServiceAccess: {
    mutating: true,
    handle: (input, { state, now }) => {
      const principal = requireString(input, "ServicePrincipal", { min: 1, max: 128, pattern: /^[\w+=,.@-]*$/ }, invalid);
      const org = managedOrganization(state);
      // Trusted access needs all features (EnableAWSServiceAccess, API reference).
      if (org.FeatureSet !== "ALL") {
        throw new AwsError("AccessDeniedException", "This operation requires that all features are enabled in the organization.", 400);
      }
      let dates = serviceAccessDates.get(state);
      if (!dates) serviceAccessDates.set(state, (dates = new Map()));
      if (!state.serviceAccess.has(principal)) dates.set(principal, now());
      state.serviceAccess.add(principal);
      return {};
    },
  },
  ListAWSServiceAccessForOrganization: {
    mutating: false,
    handle: (input, { state }) => {
      managedOrganization(state);
      const dates = serviceAccessDates.get(state);
      const items = [...state.serviceAccess].map((p) => ({ ServicePrincipal: p, DateEnabled: epochSeconds(dates?.get(p) ?? Date.now()) }));
      const { page, nextToken } = pageOf(items, input, ORGANIZATIONS_MAX_PAGE, state, invalid);
      return { EnabledServicePrincipals: page, NextToken: nextToken };
    },
  },
  ...organizationPolicyOperations,
};
