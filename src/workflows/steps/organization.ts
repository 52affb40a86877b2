/**
 * The organization's own steps: creating it (init, in a standalone account) and closing a member
 * account (close-account). Both are answered at once by AWS; a repeated call meets
 * AlreadyInOrganizationException / AccountAlreadyClosedException, which mean the change we asked
 * for is in place.
 */
import { explainAwsError, isAwsError } from "../../aws/errors.js";
import type { OrganizationInfo, OrganizationsApi } from "../../aws/organizations.js";
import type { StepKind } from "../executor.js";

export interface OrganizationsEnv {
  organizations: OrganizationsApi;
}

export interface OrganizationInput {
  /** The caller's account: an organization it already manages with all features is ours. */
  managementAccountId: string;
}

export const organizationKind: StepKind<OrganizationInput, OrganizationInfo, OrganizationsEnv> = {
  kind: "organization",
  describe: () => "Organization (all features)",
  async apply(o, ctx) {
    const org = await ctx.env.organizations.createOrganization(o.managementAccountId).catch((err: unknown) => {
      throw explainAwsError(err, "Creating the organization");
    });
    ctx.report(org.madeByAnotherRun ? `Organization ${org.id}: made by another run at the same time; using it (all features)` : `Organization ${org.id}: created (all features)`);
    const { madeByAnotherRun: _, ...info } = org;
    return info;
  },
  async verify(o, ctx) {
    const org = await ctx.env.organizations.describeOrganization();
    return org && org.managementAccountId === o.managementAccountId && org.featureSet === "ALL" ? org : undefined;
  },
};

export interface CloseAccountInput {
  accountId: string;
  name: string;
}

/** States of an account whose closure AWS has accepted (docs/close-account.md). */
export const CLOSING_STATES = new Set(["PENDING_CLOSURE", "SUSPENDED", "CLOSED"]);

export const closeAccountKind: StepKind<CloseAccountInput, "closed", OrganizationsEnv> = {
  kind: "close-account",
  describe: (a) => `Close account ${a.name} (${a.accountId})`,
  async apply(a, ctx) {
    try {
      await ctx.env.organizations.closeAccount(a.accountId);
      return "closed";
    } catch (err) {
      // We read the account open a moment ago, so this is almost always the SDK's retry of our own
      // CloseAccount whose answer was lost (rarely someone else's, a moment earlier): either way the
      // closure this run asked for is under way, and the run reports it as closed.
      if (isAwsError(err, "AccountAlreadyClosedException")) return "closed";
      throw explainAwsError(err, `Closing ${a.name}`);
    }
  },
  async verify(a, ctx) {
    const account = await ctx.env.organizations.describeAccount(a.accountId);
    return CLOSING_STATES.has(account.state) ? "closed" : undefined;
  },
};
