/**
 * The `status` report as data, and the pure comparisons in it: local config profiles against
 * the organisation (missing / stale), token states, and the assignment-listing strategy with the
 * fewest calls. No I/O: `src/workflows/organizationStatus.ts` gathers, `src/ui/statusView.ts` renders.
 */
import type { DeployRoleView } from "./ciGithubPlan.js";

export interface StatusAccount {
  id: string;
  name: string;
  email: string;
  state: string;
  management: boolean;
}

export interface StatusPermissionSet {
  arn: string;
  name: string;
  sessionDuration?: string;
  managedPolicyArns: string[];
}

export interface StatusUser {
  id: string;
  userName: string;
  displayName?: string;
  email?: string;
  /** Group names. */
  groups: string[];
}

export interface StatusGroup {
  id: string;
  name: string;
  /** User names. */
  members: string[];
}

export interface StatusAssignment {
  accountId: string;
  permissionSet: string;
  principalType: "USER" | "GROUP";
  principalId: string;
  /** Group name or user name. */
  principal: string;
}

export type ProfileState = "ok" | "unknown-account" | "account-closed" | "unknown-permission-set";

export interface StatusProfile {
  name: string;
  accountId?: string;
  roleName?: string;
  state: ProfileState;
  /** What is wrong, for anything but "ok". */
  detail?: string;
  /** What to do about it. */
  fix?: string;
}

export interface StatusSession {
  name: string;
  startUrl: string;
  region: string;
  expiresAt?: string;
  state: "valid" | "expired" | "logged-out";
}

import type { GuardrailState } from "./guardrails.js";

export interface StatusReport {
  organization: { id: string; featureSet: string; managementAccountId: string; managementAccountEmail: string };
  identityCenter: { instanceArn: string; identityStoreId: string; region: string; startUrl: string };
  accounts: StatusAccount[];
  permissionSets: StatusPermissionSet[];
  groups: StatusGroup[];
  users: StatusUser[];
  assignments: StatusAssignment[];
  configFile: string;
  orgName: string;
  profiles: StatusProfile[];
  /** Active `<org>-<stage>` member accounts no profile of the session points at. */
  accountsWithoutProfile: { id: string; name: string; stage: string }[];
  sessions: StatusSession[];
  /** How assignments were listed, and how many listings that took (see `chooseAssignmentListing`). */
  assignmentListing: { by: AssignmentListing; listings: number };
  /** Which guardrails are in place (docs/guardrails.md); absent when they could not be read. */
  guardrails?: GuardrailState[];
  /** Per stage account of the config: the roles GitHub Actions may assume and the repositories they trust (`ci github`). */
  deployRoles?: StatusDeployRoles[];
}

export interface StatusDeployRoles {
  stage: string;
  accountId: string;
  accountName: string;
  roles: DeployRoleView[];
  /** Why the account's IAM could not be read (the root user cannot assume roles, ...). */
  error?: string;
}

/**
 * Every assignment can be listed two ways (sso-admin API reference):
 * - `ListAccountAssignments` per (account, permission set) — only for pairs where the set is
 *   provisioned, since `CreateAccountAssignment` provisions the set to the account
 *   (`ListAccountsForProvisionedPermissionSet`, one paged listing per set, gives those pairs);
 * - `ListAccountAssignmentsForPrincipal` per group and per user.
 * Each listing is at least one call, so the fewer listings win: a few permission sets over many
 * accounts usually means pairs; an organisation with few people and many accounts, principals.
 * For 500 accounts × 3 sets vs 2,000 users + 50 groups that is at most 1,500 vs 2,050.
 */
export type AssignmentListing = "account-and-permission-set" | "principal";

export function chooseAssignmentListing(provisionedPairs: number, principals: number): AssignmentListing {
  return provisionedPairs <= principals ? "account-and-permission-set" : "principal";
}

const CLOSED = new Set(["PENDING_CLOSURE", "SUSPENDED", "CLOSED"]);

/** The session's profiles against the organisation: which point nowhere, which are stale. */
export function compareProfiles(
  profiles: { name: string; accountId?: string; roleName?: string }[],
  accounts: StatusAccount[],
  permissionSetNames: string[],
): StatusProfile[] {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const sets = new Set(permissionSetNames);
  return profiles.map((p) => {
    const base = { name: p.name, ...(p.accountId ? { accountId: p.accountId } : {}), ...(p.roleName ? { roleName: p.roleName } : {}) };
    const account = p.accountId ? byId.get(p.accountId) : undefined;
    if (!account) {
      return { ...base, state: "unknown-account" as const, detail: `account ${p.accountId ?? "(none)"} is not in the organization`, fix: "remove the profile, or correct its sso_account_id" };
    }
    if (CLOSED.has(account.state)) {
      return { ...base, state: "account-closed" as const, detail: `account ${account.name} is ${account.state}`, fix: "remove the profile (org-bootstrap close-account <stage> does it)" };
    }
    if (p.roleName && !sets.has(p.roleName)) {
      return {
        ...base,
        state: "unknown-permission-set" as const,
        detail: `there is no permission set ${p.roleName}`,
        fix: `set sso_role_name to one of ${permissionSetNames.join(", ") || "(none)"}`,
      };
    }
    return { ...base, state: "ok" as const };
  });
}

/** Active `<org>-<stage>` member accounts that no profile points at. */
export function accountsWithoutProfile(orgName: string, accounts: StatusAccount[], profiles: { accountId?: string }[]): StatusReport["accountsWithoutProfile"] {
  const covered = new Set(profiles.map((p) => p.accountId));
  const prefix = `${orgName}-`;
  return accounts
    .filter((a) => !a.management && a.state === "ACTIVE" && a.name.startsWith(prefix) && !covered.has(a.id))
    .map((a) => ({ id: a.id, name: a.name, stage: a.name.slice(prefix.length) }));
}

export function sessionState(expiresAt: string | undefined, now: number): StatusSession["state"] {
  if (!expiresAt) return "logged-out";
  const at = Date.parse(expiresAt);
  return Number.isFinite(at) && at > now ? "valid" : "expired";
}
