/** Scenario set-up for tests: who the caller is and what already exists. */
import {
  callerFor,
  DEFAULT_ACCESS_ROLE,
  enableIdentityCenter,
  newAccountId,
  newId,
  type CallerKind,
  type Organization,
  type SandboxState,
} from "./state.js";
import { seedWorld, type SeedSpec } from "./seed.js";

export interface Scenario {
  caller?: CallerKind;
  managementEmail?: string;
  /** Create the organization up front. */
  organization?: { featureSet?: "ALL" | "CONSOLIDATED_BILLING" };
  identityCenter?: { enabled: boolean; region?: string };
  /** Member accounts that already exist (needs an organization). */
  accounts?: { name: string; email: string; state?: "ACTIVE" | "SUSPENDED" }[];
  /** CreateAccount for this email or name fails with this reason (e.g. EMAIL_ALREADY_EXISTS). */
  createAccountFailures?: Record<string, string>;
  /** Assignments to this account (id or name) end FAILED with this reason; an empty reason clears it. */
  assignmentFailures?: Record<string, string>;
  accountQuota?: number;
  maxPageSize?: number;
  defaultRegion?: string;
  /** A large organization made at once (creates the organization and Identity Center if needed). */
  seed?: SeedSpec;
}

export function createOrganization(state: SandboxState, featureSet: "ALL" | "CONSOLIDATED_BILLING" = "ALL"): Organization {
  if (state.organization) return state.organization;
  const id = `o-${newId("", 10)}`;
  const mgmt = state.managementAccount;
  state.organization = {
    Id: id,
    Arn: `arn:aws:organizations::${mgmt.Id}:organization/${id}`,
    FeatureSet: featureSet,
    MasterAccountArn: `arn:aws:organizations::${mgmt.Id}:account/${id}/${mgmt.Id}`,
    MasterAccountId: mgmt.Id,
    MasterAccountEmail: mgmt.Email,
    createdAt: Date.now(),
    rootId: `r-${newId("", 4)}`,
  };
  state.accounts.set(mgmt.Id, {
    Id: mgmt.Id,
    Arn: state.organization.MasterAccountArn,
    Email: mgmt.Email,
    Name: mgmt.Name,
    State: "ACTIVE",
    JoinedMethod: "INVITED",
    JoinedTimestamp: Date.now(),
  });
  return state.organization;
}

export function applyScenario(state: SandboxState, s: Scenario): void {
  if (s.managementEmail) state.managementAccount.Email = s.managementEmail;
  if (s.caller) {
    state.caller = callerFor(s.caller, state.managementAccount.Id);
    if (s.caller === "member") {
      // The caller's account belongs to an organization managed by another account.
      const id = "o-foreign0001";
      state.foreignOrganization = {
        Id: id,
        Arn: `arn:aws:organizations::999999999999:organization/${id}`,
        FeatureSet: "ALL",
        MasterAccountArn: `arn:aws:organizations::999999999999:account/${id}/999999999999`,
        MasterAccountId: "999999999999",
        MasterAccountEmail: "management@example.org",
        createdAt: Date.now(),
        rootId: "r-frgn",
      };
    }
  }
  if (s.organization) createOrganization(state, s.organization.featureSet ?? "ALL");
  if (s.identityCenter?.enabled) enableIdentityCenter(state, s.identityCenter.region ?? state.defaultRegion);
  if (s.identityCenter && !s.identityCenter.enabled) state.instances.clear();
  for (const a of s.accounts ?? []) {
    const org = createOrganization(state);
    const id = newAccountId();
    state.accounts.set(id, {
      Id: id,
      Arn: `arn:aws:organizations::${state.managementAccount.Id}:account/${org.Id}/${id}`,
      Email: a.email,
      Name: a.name,
      State: a.state ?? "ACTIVE",
      JoinedMethod: "CREATED",
      JoinedTimestamp: Date.now(),
      accessRoleName: DEFAULT_ACCESS_ROLE,
    });
  }
  for (const [key, reason] of Object.entries(s.createAccountFailures ?? {})) state.createAccountFailures.set(key, reason);
  for (const [key, reason] of Object.entries(s.assignmentFailures ?? {})) {
    if (reason) state.assignmentFailures.set(key, reason);
    else state.assignmentFailures.delete(key);
  }
  if (s.accountQuota !== undefined) state.accountQuota = s.accountQuota;
  if (s.maxPageSize !== undefined) state.maxPageSize = s.maxPageSize;
  if (s.defaultRegion) state.defaultRegion = s.defaultRegion;
  if (s.seed) seedWorld(state, s.seed);
}
