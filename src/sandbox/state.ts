/**
 * The emulated AWS's whole world, in memory. Services read and change it; the control API
 * (`/_sandbox/control/*`) sets scenarios and reads it back for tests.
 */
import { randomBytes } from "node:crypto";
import type { PolicyWorld } from "./services/organizationPolicies.js";
import type { BudgetWorld } from "./services/budgets.js";
import type { IamAccount } from "./services/iamState.js";

export type CallerKind = "root" | "iam-user" | "member";

/**
 * The role CreateAccount makes in a new account unless told another name; it trusts the
 * management account (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html).
 */
export const DEFAULT_ACCESS_ROLE = "OrganizationAccountAccessRole";

export interface Account {
  Id: string;
  Arn: string;
  Email: string;
  Name: string;
  State: "PENDING_ACTIVATION" | "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED";
  JoinedMethod: "INVITED" | "CREATED";
  JoinedTimestamp: number;
  /**
   * The IAM role Organizations made in an account it created (CreateAccount's RoleName, by default
   * OrganizationAccountAccessRole), which the management account may assume. Invited accounts have none.
   */
  accessRoleName?: string;
  /** When a PENDING_CLOSURE account becomes SUSPENDED. */
  closesAt?: number;
}

export interface CreateAccountStatus {
  Id: string;
  AccountName: string;
  Email: string;
  State: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  RequestedTimestamp: number;
  CompletedTimestamp?: number;
  AccountId?: string;
  FailureReason?: string;
  /** When the async creation settles. */
  settlesAt: number;
  /** Outcome decided at request time (scenario-injected failures). */
  outcome: { state: "SUCCEEDED" } | { state: "FAILED"; reason: string };
  /** The role the new account gets (CreateAccount's RoleName). */
  roleName: string;
}

export interface Organization {
  Id: string;
  Arn: string;
  FeatureSet: "ALL" | "CONSOLIDATED_BILLING";
  MasterAccountArn: string;
  MasterAccountId: string;
  MasterAccountEmail: string;
  createdAt: number;
  rootId: string;
}

export interface IdentityCenterInstance {
  InstanceArn: string;
  IdentityStoreId: string;
  OwnerAccountId: string;
  Name?: string;
  CreatedDate: number;
  Status: "CREATE_IN_PROGRESS" | "CREATE_FAILED" | "DELETE_IN_PROGRESS" | "ACTIVE";
  region: string;
}

export interface PermissionSet {
  PermissionSetArn: string;
  Name: string;
  Description?: string;
  SessionDuration: string;
  RelayState?: string;
  CreatedDate: number;
  instanceArn: string;
  managedPolicies: { Name: string; Arn: string }[];
  /** Accounts it is provisioned to, and whether a change happened since (needs ProvisionPermissionSet). */
  provisionedTo: Set<string>;
  outdated: boolean;
}

export interface AccountAssignment {
  AccountId: string;
  PermissionSetArn: string;
  PrincipalType: "USER" | "GROUP";
  PrincipalId: string;
  instanceArn: string;
}

export interface AsyncAssignmentOp {
  RequestId: string;
  kind: "create" | "delete";
  Status: "IN_PROGRESS" | "FAILED" | "SUCCEEDED";
  FailureReason?: string;
  TargetId: string;
  TargetType: "AWS_ACCOUNT";
  PermissionSetArn: string;
  PrincipalType: "USER" | "GROUP";
  PrincipalId: string;
  CreatedDate: number;
  settlesAt: number;
  instanceArn: string;
  outcome: { state: "SUCCEEDED" } | { state: "FAILED"; reason: string };
}

export interface PermissionSetProvisioningOp {
  RequestId: string;
  AccountId?: string;
  PermissionSetArn: string;
  CreatedDate: number;
  settlesAt: number;
  instanceArn: string;
}

export interface IdentityStoreUser {
  UserId: string;
  IdentityStoreId: string;
  UserName: string;
  DisplayName?: string;
  Name?: { GivenName?: string; FamilyName?: string; Formatted?: string };
  Emails?: { Value: string; Type?: string; Primary?: boolean }[];
  [extra: string]: unknown;
}

export interface IdentityStoreGroup {
  GroupId: string;
  IdentityStoreId: string;
  DisplayName: string;
  Description?: string;
}

export interface GroupMembership {
  MembershipId: string;
  IdentityStoreId: string;
  GroupId: string;
  MemberId: { UserId: string };
}

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  clientType: string;
  scopes: string[];
  grantTypes: string[];
  redirectUris: string[];
  issuerUrl?: string;
  issuedAt: number;
  expiresAt: number;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAt: number;
  interval: number;
  status: "pending" | "approved" | "denied";
  lastPollAt?: number;
  /** Which Identity Store user approved (the portal lists that user's accounts). */
  userId?: string;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
  userId?: string;
}

export interface AccessToken {
  accessToken: string;
  refreshToken?: string;
  clientId: string;
  expiresAt: number;
  refreshExpiresAt?: number;
  userId?: string;
  revoked: boolean;
}

export interface RoleSession {
  accountId: string;
  roleName: string;
  /** The person (portal credentials) or the RoleSessionName (AssumeRole). */
  userName: string;
  expiresAt: number;
  /**
   * How the role was reached: the SSO portal (an `AWSReservedSSO_…` role), STS AssumeRole, or
   * STS AssumeRoleWithWebIdentity (a CI job's token).
   */
  via?: "portal" | "assume-role" | "web-identity";
  /** The rest of the credentials, which the federation endpoint checks (src/sandbox/pages/signin.ts). */
  secretAccessKey?: string;
  sessionToken?: string;
}

/** A console sign-in token of the federation endpoint, or the console session it started. */
export interface SigninSession {
  accountId: string;
  roleName: string;
  userName: string;
  expiresAt: number;
}

/** Delays (ms) for work that AWS does asynchronously, and latency per call. */
export interface Timings {
  createAccountMs: number;
  closeAccountMs: number;
  assignmentMs: number;
  /** Added to every call unless a per-operation latency is set. */
  callLatencyMs: number;
  latencyByOperation: Record<string, number>;
  tokenLifetimeSec: number;
  refreshTokenLifetimeSec: number;
  clientRegistrationLifetimeSec: number;
  deviceCodeLifetimeSec: number;
  deviceInterval: number;
  /** After CreateOrganization, CreateAccount answers FinalizingOrganizationException for this long (default 0). */
  finalizingOrganizationMs?: number;
  /** How long EnablePolicyType / DisablePolicyType stay PENDING_ENABLE / PENDING_DISABLE (default 0). */
  policyTypeMs?: number;
}

export interface Faults {
  /** Share of calls (0..1) answered with the service's throttling error. */
  throttleRate: number;
  /** Share of calls (0..1) answered with a 5xx. */
  serverErrorRate: number;
  /** Operations the faults apply to; empty = all. */
  operations: string[];
  /** Enforce AWS's published request rates (docs/aws-facts.md, Request rates) with token buckets. */
  enforceRateLimits: boolean;
  /**
   * Spread the faults evenly (call k fails when k × rate crosses a whole number) instead of
   * drawing them at random: exactly `rate` of the calls fail whatever order concurrent calls
   * arrive in, so a test can count on seeing both kinds.
   */
  spread?: boolean;
  /** What `spread` has counted so far. */
  spreadCounts?: { calls: number; throttled: number; failed: number };
  /** Multiplies the rate limits, so benchmarks with shortened delays keep AWS's proportions. */
  rateScale?: number;
  /**
   * Every call of an operation answered with this AWS error (name, HTTP status, message, and a
   * `Reason` where the error has one), as AWS answers a call it refuses; a null entry clears it.
   */
  errorsByOperation?: Record<string, InjectedError | null>;
}

export interface InjectedError {
  name: string;
  /** Default 400. */
  status?: number;
  message?: string;
  reason?: string;
}

export interface CallRecord {
  seq: number;
  service: string;
  operation: string;
  mutating: boolean;
  region: string;
  startedAt: number;
  endedAt?: number;
  status?: number;
  errorCode?: string;
  /** Input with secrets removed, for tests that assert on what was asked. */
  input?: unknown;
  /**
   * Whose credentials signed the call: role credentials the portal handed out name their account
   * and role; any other key is the scenario's caller. Absent for unsigned calls (OIDC, portal).
   */
  signedAs?: { accountId: string; roleName?: string };
}

export interface SandboxState {
  caller: { kind: CallerKind; accountId: string; arn: string; userId: string };
  managementAccount: { Id: string; Email: string; Name: string };
  organization?: Organization;
  /** Set when the caller is in a member account of an organization managed elsewhere. */
  foreignOrganization?: Organization;
  accounts: Map<string, Account>;
  createAccountStatuses: Map<string, CreateAccountStatus>;
  /** Failures to inject into the next CreateAccount calls, by account email or name. */
  createAccountFailures: Map<string, string>;
  /** Account assignments to this account (by id or name) are accepted, then fail with this reason. */
  assignmentFailures: Map<string, string>;
  accountQuota: number;
  serviceAccess: Set<string>;
  /** Regions in which an organization instance of Identity Center exists. */
  instances: Map<string, IdentityCenterInstance>;
  enabledRegions: string[];
  permissionSets: Map<string, PermissionSet>;
  assignments: AccountAssignment[];
  assignmentOps: Map<string, AsyncAssignmentOp>;
  /** ProvisionPermissionSet requests, by request id (created on first use). */
  provisioningOps?: Map<string, PermissionSetProvisioningOp>;
  /** When each CloseAccount was accepted, for the rolling 30-day closure quota (created on first use). */
  accountClosures?: number[];
  users: Map<string, IdentityStoreUser>;
  groups: Map<string, IdentityStoreGroup>;
  memberships: Map<string, GroupMembership>;
  oidcClients: Map<string, OidcClient>;
  deviceAuthorizations: Map<string, DeviceAuthorization>;
  authorizationCodes: Map<string, AuthorizationCode>;
  accessTokens: Map<string, AccessToken>;
  /** Role credentials the portal handed out, by access key id: STS answers as that role. */
  roleSessions: Map<string, RoleSession>;
  /** Federation sign-in tokens (15 minutes), and the console sessions their login links started. */
  signinTokens: Map<string, SigninSession>;
  consoleSessions: Map<string, SigninSession & { destination: string; issuer: string }>;
  /** IAM, per account id (created on first use: src/sandbox/services/iamState.ts). */
  iam?: Map<string, IamAccount>;
  timings: Timings;
  faults: Faults;
  /** Cap on page sizes; small by default so paging bugs show. */
  maxPageSize: number;
  defaultRegion: string;
  calls: CallRecord[];
  /** Crash tests: hold the response to the Nth mutating call (1-based) after applying it. */
  hold?: { mutatingCall: number; held: boolean };
  /**
   * Connection-drop tests: apply the Nth mutating call (1-based), or the Nth applied call of one
   * operation, then reset the connection without answering, so the SDK's own retry sends the same
   * non-idempotent call again.
   */
  drop?: { mutatingCall?: number; operation?: string; occurrence: number; seen: number; dropped: boolean };
  /** Race tests: calls of an operation wait here until this many have arrived, then all go on in arrival order. */
  barriers?: Map<string, { calls: number; timeoutMs: number; waiting: (() => void)[]; open: boolean; timer?: NodeJS.Timeout }>;
  mutatingCount: number;
  /** Organizations policies (SCPs), their attachments and the root's policy types (made on first use). */
  policies?: PolicyWorld;
  /** AWS Budgets, per account (made on first use). */
  budgets?: BudgetWorld;
  /** Deterministic ids and fault decisions. */
  random: () => number;
}

export function newId(prefix = "", length = 10, alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

export function newAccountId(): string {
  return newId("", 12, "0123456789");
}

/** Mulberry32: a tiny seeded PRNG so fault injection is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const timingPresets: Record<"none" | "fast" | "aws", Partial<Timings>> = {
  none: { createAccountMs: 0, closeAccountMs: 0, assignmentMs: 0, callLatencyMs: 0 },
  fast: { createAccountMs: 1500, closeAccountMs: 500, assignmentMs: 300, callLatencyMs: 15 },
  aws: { createAccountMs: 8000, closeAccountMs: 2000, assignmentMs: 1500, callLatencyMs: 80 },
};

export interface StateOptions {
  callerKind?: CallerKind;
  identityCenterEnabled?: boolean;
  identityCenterRegion?: string;
  timings?: Partial<Timings>;
  maxPageSize?: number;
  seed?: number;
  managementEmail?: string;
}

export function createState(options: StateOptions = {}): SandboxState {
  const managementId = "111111111111";
  const email = options.managementEmail ?? "owner@example.com";
  const state: SandboxState = {
    caller: callerFor(options.callerKind ?? "root", managementId),
    managementAccount: { Id: managementId, Email: email, Name: "management" },
    accounts: new Map(),
    createAccountStatuses: new Map(),
    createAccountFailures: new Map(),
    assignmentFailures: new Map(),
    accountQuota: 10,
    serviceAccess: new Set(),
    instances: new Map(),
    enabledRegions: ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"],
    permissionSets: new Map(),
    assignments: [],
    assignmentOps: new Map(),
    users: new Map(),
    groups: new Map(),
    memberships: new Map(),
    oidcClients: new Map(),
    deviceAuthorizations: new Map(),
    authorizationCodes: new Map(),
    accessTokens: new Map(),
    roleSessions: new Map(),
    signinTokens: new Map(),
    consoleSessions: new Map(),
    timings: {
      createAccountMs: 0,
      closeAccountMs: 0,
      assignmentMs: 0,
      callLatencyMs: 0,
      latencyByOperation: {},
      tokenLifetimeSec: 8 * 3600,
      refreshTokenLifetimeSec: 90 * 24 * 3600,
      clientRegistrationLifetimeSec: 90 * 24 * 3600,
      deviceCodeLifetimeSec: 600,
      deviceInterval: 1,
      ...options.timings,
    },
    faults: { throttleRate: 0, serverErrorRate: 0, operations: [], enforceRateLimits: false },
    maxPageSize: options.maxPageSize ?? 3,
    defaultRegion: options.identityCenterRegion ?? "us-east-1",
    calls: [],
    mutatingCount: 0,
    random: seededRandom(options.seed ?? 42),
  };
  if (options.identityCenterEnabled) enableIdentityCenter(state, options.identityCenterRegion ?? "us-east-1");
  return state;
}

export function callerFor(kind: CallerKind, managementId: string): SandboxState["caller"] {
  switch (kind) {
    case "root":
      return { kind, accountId: managementId, arn: `arn:aws:iam::${managementId}:root`, userId: managementId };
    case "iam-user":
      return { kind, accountId: managementId, arn: `arn:aws:iam::${managementId}:user/admin`, userId: "AIDASANDBOXADMIN00001" };
    case "member":
      return { kind, accountId: "222222222222", arn: "arn:aws:iam::222222222222:user/dev", userId: "AIDASANDBOXMEMBER0001" };
  }
}

/**
 * What the console's "Enable" button does: an organization instance of IAM Identity Center.
 * AWS only allows this from the console for an organization's management account (docs/aws-facts.md, IAM Identity Center).
 */
export function enableIdentityCenter(state: SandboxState, region: string): IdentityCenterInstance {
  const existing = [...state.instances.values()][0];
  if (existing) return existing;
  const instance: IdentityCenterInstance = {
    InstanceArn: `arn:aws:sso:::instance/ssoins-${newId("", 16, "0123456789abcdef")}`,
    IdentityStoreId: `d-${newId("", 10, "0123456789")}`,
    OwnerAccountId: state.managementAccount.Id,
    CreatedDate: Date.now(),
    Status: "ACTIVE",
    region,
  };
  state.instances.set(region, instance);
  return instance;
}
