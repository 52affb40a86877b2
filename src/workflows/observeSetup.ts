/**
 * Reads what already exists for `init`, through the adapters, as the planner's `ObservedSetup`.
 * Independent reads run concurrently; reads that depend on an earlier answer (the instance
 * before its permission sets, the group before its assignments) wait only for that answer.
 * Read-only: it never changes anything.
 */
import type { DesiredSetup } from "../plan/desired.js";
import { checkCaller, type ObservedSetup } from "../plan/initPlan.js";
import type { AwsContext } from "../aws/clientConfig.js";
import { openIdentityStore } from "../aws/identityStore.js";
import { openOrganizations, type OrganizationsApi } from "../aws/organizations.js";
import { findInstanceInRegions, openSsoAdmin, type IdentityCenterInstance } from "../aws/ssoAdmin.js";
import { identityCenterRegionsLike } from "../plan/regions.js";
import { openSts } from "../aws/sts.js";

export interface ObserveOptions {
  ctx: AwsContext;
  /** The desired setup, once the management account's email is known (undefined: no organization yet). */
  desiredFor(managementEmail: string | undefined): DesiredSetup;
  /** Regions to look in for an existing instance when the chosen one has none. */
  regions?: readonly string[];
}

export interface Observation {
  observed: ObservedSetup;
  desired: DesiredSetup;
  organizations: OrganizationsApi;
}

/** Permission sets, group, user, membership and assignments of an active instance. */
export async function observeIdentityCenter(
  ctx: AwsContext,
  instance: IdentityCenterInstance,
  desired: DesiredSetup,
  accountIds: string[],
): Promise<Pick<ObservedSetup, "permissionSets" | "groupId" | "userId" | "membershipId" | "groupAssignedAccountIds">> {
  const regional = { ...ctx, region: instance.region };
  const [ssoAdmin, identityStore] = await Promise.all([openSsoAdmin(regional), openIdentityStore(regional, instance.identityStoreId)]);
  const wanted = new Set(desired.permissionSets.map((p) => p.name));
  const [permissionSets, groupId, userId] = await Promise.all([
    ssoAdmin.listPermissionSets(instance.instanceArn).then((all) => all.filter((p) => wanted.has(p.name))),
    identityStore.findGroupId(desired.group.displayName),
    identityStore.findUserId(desired.user.userName),
  ]);
  const admin = permissionSets.find((p) => p.name === desired.adminPermissionSet);
  const [membershipId, assigned] = await Promise.all([
    groupId && userId ? identityStore.findMembershipId(groupId, userId) : Promise.resolve(undefined),
    groupId && admin
      ? Promise.all(
          accountIds.map(async (accountId) =>
            (await ssoAdmin.hasAssignment(instance.instanceArn, { accountId, permissionSetArn: admin.arn, principalType: "GROUP", principalId: groupId }))
              ? accountId
              : undefined,
          ),
        )
      : Promise.resolve([]),
  ]);
  return {
    permissionSets,
    ...(groupId ? { groupId } : {}),
    ...(userId ? { userId } : {}),
    ...(membershipId ? { membershipId } : {}),
    groupAssignedAccountIds: assigned.filter((id): id is string => id !== undefined),
  };
}

export async function observeSetup(options: ObserveOptions): Promise<Observation> {
  const { ctx } = options;
  const [sts, organizations] = await Promise.all([openSts(ctx), openOrganizations(ctx)]);
  const [caller, organization] = await Promise.all([sts.getCallerIdentity(), organizations.describeOrganization()]);
  const observed: ObservedSetup = {
    caller: { accountId: caller.accountId, arn: caller.arn, isRoot: caller.isRoot },
    ...(organization ? { organization } : {}),
    accounts: [],
    inProgressCreations: [],
    permissionSets: [],
    groupAssignedAccountIds: [],
  };
  // Refuse early (member account, consolidated billing): further reads would only fail.
  checkCaller(observed);
  const desired = options.desiredFor(organization?.managementAccountEmail);
  if (!organization) return { observed, desired, organizations };

  const [accounts, inProgress, instance] = await Promise.all([
    organizations.listAccounts(),
    organizations.listCreateAccountStatuses(["IN_PROGRESS"]),
    findInstanceInRegions({ ...ctx, region: desired.ssoRegion }, options.regions ?? identityCenterRegionsLike(desired.ssoRegion)),
  ]);
  observed.accounts = accounts.map((a) => ({ id: a.id, name: a.name, email: a.email, state: a.state }));
  observed.inProgressCreations = inProgress.map((c) => ({ requestId: c.requestId, name: c.name }));
  if (!instance || instance.status !== "ACTIVE") return { observed, desired, organizations };
  observed.instance = instance;

  // Accounts that will receive the group's assignment: the management one, every matching stage
  // account, and every other ACTIVE <org>-<stage> account (the planner keeps those as stages).
  const emails = new Set(desired.accounts.map((a) => a.email.toLowerCase()));
  const names = new Set(desired.accounts.map((a) => a.name));
  const prefix = `${desired.orgName}-`;
  const accountIds = [
    organization.managementAccountId,
    ...accounts
      .filter((a) => a.id !== organization.managementAccountId && (emails.has(a.email.toLowerCase()) || names.has(a.name) || (a.state === "ACTIVE" && a.name.startsWith(prefix))))
      .map((a) => a.id),
  ];
  Object.assign(observed, await observeIdentityCenter(ctx, instance, desired, accountIds));
  return { observed, desired, organizations };
}
