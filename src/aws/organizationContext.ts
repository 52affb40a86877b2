/**
 * The organisation a day-two command works on, read from AWS: the organisation (its management
 * account and email) and the Identity Center instance in the sso-session's region (the region
 * `init` wrote as `sso_region`). Read-only. Refuses early, with the fix, when the credentials are
 * not the management account's: Organizations' list and account calls work only there.
 */
import { UserError } from "../errors.js";
import type { AwsContext } from "./clientConfig.js";
import { explainAwsError } from "./errors.js";
import { openIdentityStore, type IdentityStoreApi } from "./identityStore.js";
import { openOrganizations, type OrganizationInfo, type OrganizationsApi } from "./organizations.js";
import { openSsoAdmin, type IdentityCenterInstance, type SsoAdminApi } from "./ssoAdmin.js";
import { openSts, type CallerIdentity } from "./sts.js";

export interface OrganizationContext {
  /** Who signs: the root user, for one, may not act inside member accounts. */
  caller: CallerIdentity;
  organization: OrganizationInfo;
  instance: IdentityCenterInstance;
  organizations: OrganizationsApi;
  ssoAdmin: SsoAdminApi;
  identityStore: IdentityStoreApi;
}

/** What the credential choice already read with these same credentials, so it is not asked twice. */
export interface KnownIdentity {
  caller: CallerIdentity;
  organization: OrganizationInfo | undefined;
}

export async function openOrganizationContext(ctx: AwsContext, known?: KnownIdentity): Promise<OrganizationContext> {
  try {
    const [sts, organizations, ssoAdmin] = await Promise.all([openSts(ctx), openOrganizations(ctx), openSsoAdmin(ctx)]);
    const [caller, organization, instances] = await Promise.all([
      known?.caller ?? sts.getCallerIdentity(),
      known ? known.organization : organizations.describeOrganization(),
      ssoAdmin.listInstances(),
    ]);
    if (!organization) throw new UserError(`Account ${caller.accountId} is not in an AWS Organization.`, "Run org-bootstrap init first.");
    if (organization.managementAccountId !== caller.accountId) {
      throw new UserError(
        `These credentials are for account ${caller.accountId}, a member of organization ${organization.id}; this command needs its management account (${organization.managementAccountId}).`,
        "Use a profile of the management account: --profile NAME, or run org-bootstrap init again to add [profile <org>-management] (the day-two commands then use it through SSO).",
      );
    }
    const instance = instances.find((i) => i.status === "ACTIVE");
    if (!instance) {
      throw new UserError(`IAM Identity Center is not enabled in ${ctx.region}, the region of your sso-session.`, "Run org-bootstrap init, or check sso_region in your AWS config.");
    }
    const identityStore = await openIdentityStore(ctx, instance.identityStoreId);
    return { caller, organization, instance, organizations, ssoAdmin, identityStore };
  } catch (err) {
    throw explainAwsError(err, "Reading your organization");
  }
}
