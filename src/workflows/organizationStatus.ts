/**
 * Gathers what `status` shows, through the adapters, concurrently with bounded parallelism:
 * accounts, permission sets, users and groups at once; then group members and each set's
 * provisioned accounts; then the assignments, listed whichever way takes fewer listings
 * (`chooseAssignmentListing`). Every listing is paged by the adapters. Read-only.
 */
import { chooseAssignmentListing, type AssignmentListing, type StatusAccount, type StatusAssignment, type StatusGroup, type StatusPermissionSet, type StatusUser } from "../plan/statusReport.js";
import type { OrganizationContext } from "../aws/organizationContext.js";
import type { Assignment } from "../aws/ssoAdmin.js";
import { mapLimit } from "../aws/waiting.js";

/**
 * Listings in flight at once per kind. Identity Center's APIs share about 20 requests per second
 * per account (docs/aws-facts.md, Request rates); 8 keeps well inside it while hiding each call's latency.
 */
export const STATUS_PARALLELISM = 8;

export interface OrganizationStatus {
  accounts: StatusAccount[];
  permissionSets: StatusPermissionSet[];
  users: StatusUser[];
  groups: StatusGroup[];
  assignments: StatusAssignment[];
  assignmentListing: { by: AssignmentListing; listings: number };
}

/** What has been read so far, for status's live line on a terminal (docs/status.md). */
export interface StatusProgress {
  accounts: number;
  users: number;
  assignments: number;
  /** Assignment listings finished, and how many there are (known once the other lists are read). */
  listings?: { done: number; total: number };
}

export async function gatherOrganizationStatus(
  org: OrganizationContext,
  parallelism = STATUS_PARALLELISM,
  onProgress?: (progress: StatusProgress) => void,
): Promise<OrganizationStatus> {
  const { organizations, ssoAdmin, identityStore, instance, organization } = org;
  const instanceArn = instance.instanceArn;
  const progress: StatusProgress = { accounts: 0, users: 0, assignments: 0 };
  const tell = (change: Partial<StatusProgress>) => {
    Object.assign(progress, change);
    onProgress?.({ ...progress });
  };

  const setsTask = ssoAdmin.listPermissionSets(instanceArn);
  const groupsTask = identityStore.listGroups().then(async (groups) => ({
    groups,
    members: await mapLimit(groups, parallelism, (g) => identityStore.listGroupMembers(g.groupId)),
  }));
  const provisionedTask = setsTask.then((sets) => mapLimit(sets, parallelism, (s) => ssoAdmin.listAccountsForProvisionedPermissionSet(instanceArn, s.arn)));
  const [accounts, sets, users, { groups, members }, provisioned] = await Promise.all([
    organizations.listAccounts((accounts) => tell({ accounts })),
    setsTask,
    identityStore.listUsers((users) => tell({ users })),
    groupsTask,
    provisionedTask,
  ]);

  const pairs = sets.flatMap((s, i) => provisioned[i].map((accountId) => ({ accountId, permissionSetArn: s.arn })));
  const principals = [
    ...groups.map((g) => ({ principalType: "GROUP" as const, principalId: g.groupId })),
    ...users.map((u) => ({ principalType: "USER" as const, principalId: u.userId })),
  ];
  const by = chooseAssignmentListing(pairs.length, principals.length);
  const listings = { done: 0, total: by === "account-and-permission-set" ? pairs.length : principals.length };
  tell({ listings: { ...listings } });
  const counted = async (list: Promise<Assignment[]>) => {
    const found = await list;
    listings.done++;
    tell({ assignments: progress.assignments + found.length, listings: { ...listings } });
    return found;
  };
  const raw: Assignment[][] =
    by === "account-and-permission-set"
      ? await mapLimit(pairs, parallelism, (p) => counted(ssoAdmin.listAccountAssignments(instanceArn, p.accountId, p.permissionSetArn)))
      : await mapLimit(principals, parallelism, (p) => counted(ssoAdmin.listAssignmentsForPrincipal(instanceArn, p)));

  const userName = new Map(users.map((u) => [u.userId, u.userName]));
  const groupName = new Map(groups.map((g) => [g.groupId, g.displayName]));
  const setName = new Map(sets.map((s) => [s.arn, s.name]));
  const groupsOfUser = new Map<string, string[]>();
  groups.forEach((g, i) => {
    for (const m of members[i]) groupsOfUser.set(m.userId, [...(groupsOfUser.get(m.userId) ?? []), g.displayName]);
  });

  return {
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, email: a.email, state: a.state, management: a.id === organization.managementAccountId })),
    permissionSets: sets.map((s) => ({ arn: s.arn, name: s.name, ...(s.sessionDuration ? { sessionDuration: s.sessionDuration } : {}), managedPolicyArns: s.managedPolicyArns })),
    users: users.map((u) => ({
      id: u.userId,
      userName: u.userName,
      ...(u.displayName ? { displayName: u.displayName } : {}),
      ...(u.email ? { email: u.email } : {}),
      groups: groupsOfUser.get(u.userId) ?? [],
    })),
    groups: groups.map((g, i) => ({ id: g.groupId, name: g.displayName, members: members[i].map((m) => userName.get(m.userId) ?? m.userId) })),
    assignments: raw.flat().map((a) => ({
      accountId: a.accountId,
      permissionSet: setName.get(a.permissionSetArn) ?? a.permissionSetArn,
      principalType: a.principalType,
      principalId: a.principalId,
      principal: (a.principalType === "GROUP" ? groupName.get(a.principalId) : userName.get(a.principalId)) ?? a.principalId,
    })),
    assignmentListing: { by, listings: by === "account-and-permission-set" ? pairs.length : principals.length },
  };
}
