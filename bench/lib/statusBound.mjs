/**
 * The fastest `status` can read a whole organization, given AWS's page sizes and request rates.
 * Pure: no I/O, no clock.
 *
 * `status` shows every account, permission set (with its policies), user, group (with members)
 * and assignment. AWS offers no bulk read: each listing is paged, each page is one call, and
 * assignments are listed either per provisioned (account, permission set) pair or per principal
 * (user or group). The bound below counts the fewest calls that read all of it, then takes the
 * largest of three floors (see bench/README.md, "The status bound"):
 *   - rate: Identity Center's calls (sso-admin and identitystore share one budget) cannot go
 *     faster than its rate once the burst is spent; the same for Organizations' ListAccounts;
 *   - paging: pages of one listing follow one another (each needs the previous NextToken);
 *   - the first round (caller, organization, instance) comes before any listing.
 */

const pagesOf = (items, pageSize) => Math.max(1, Math.ceil(items / pageSize));
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/**
 * @param {{
 *   accounts: number, users: number, permissionSets: number,
 *   groupMembers: number[],
 *   provisionedAccountsPerSet: number[],
 *   assignmentsPerPair: number[],
 *   assignmentsPerPrincipal: number[],
 * }} world  counts read from the emulator's state (`assignmentsPerPrincipal`: one entry per user and group)
 * @param {{
 *   latencyMs: number,
 *   pageSize: { organizations: number, identityCenter: number },
 *   identityCenterRate: { rate: number, burst: number },
 *   listAccountsRate: { rate: number, burst: number },
 * }} limits
 */
export function statusLowerBound(world, limits) {
  const L = limits.latencyMs;
  const ic = limits.pageSize.identityCenter;
  const accountPages = pagesOf(world.accounts, limits.pageSize.organizations);
  const setPages = pagesOf(world.permissionSets, ic);
  const userPages = pagesOf(world.users, ic);
  const groupPages = pagesOf(world.groupMembers.length, ic);
  const memberPages = sum(world.groupMembers.map((m) => pagesOf(m, ic)));
  // Each set: DescribePermissionSet and ListManagedPoliciesInPermissionSet (one page: ≤ 20 policies per set).
  const setDetails = 2 * world.permissionSets;
  const provisionedPages = world.provisionedAccountsPerSet.map((n) => pagesOf(n, ic));
  const byPair = sum(world.assignmentsPerPair.map((n) => pagesOf(n, ic)));
  const byPrincipal = sum(world.assignmentsPerPrincipal.map((n) => pagesOf(n, ic)));
  const assignmentPages = Math.min(byPair, byPrincipal);

  const identityCenterCalls = 1 /* ListInstances */ + setPages + setDetails + userPages + groupPages + memberPages + sum(provisionedPages) + assignmentPages;
  const calls = { first: 3, organizations: accountPages, identityCenter: identityCenterCalls };
  const totalCalls = 2 /* GetCallerIdentity, DescribeOrganization */ + accountPages + identityCenterCalls;

  const afterBurst = (n, limit) => Math.max(0, n - limit.burst) / limit.rate * 1000;
  // Rate floor: every Identity Center call but ListInstances waits for the first round, and the
  // last one still takes its own latency.
  const rateMs = L + afterBurst(identityCenterCalls - 1, limits.identityCenterRate) + L;
  const listAccountsMs = Math.max(L + accountPages * L, L + afterBurst(accountPages, limits.listAccountsRate) + L);
  // Paging floor: the longest run of pages that must follow one another.
  const pagingMs = L + Math.max(userPages, setPages + Math.max(0, ...provisionedPages) + 1, groupPages + 1 + 1) * L;
  const floors = { rateMs, listAccountsMs, pagingMs };
  const boundMs = Math.max(rateMs, listAccountsMs, pagingMs);
  const limitedBy = Object.entries(floors).find(([, v]) => v === boundMs)[0];
  return { boundMs, limitedBy, floors, calls, totalCalls, assignmentListing: byPair <= byPrincipal ? "account-and-permission-set" : "principal" };
}

/**
 * The counts `statusLowerBound` needs, from the emulator's state snapshot
 * (GET /_sandbox/control/state).
 * @param {{ accounts: {Id: string}[], users: {UserId: string}[], groups: {GroupId: string}[],
 *   memberships: {GroupId: string}[], permissionSets: {PermissionSetArn: string, provisionedTo?: string[]}[],
 *   assignments: {AccountId: string, PermissionSetArn: string, PrincipalId: string}[] }} world
 */
export function worldCounts(world) {
  const count = (keys) => {
    const m = new Map();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const members = count(world.memberships.map((m) => m.GroupId));
  const perPrincipal = count(world.assignments.map((a) => a.PrincipalId));
  const perPair = count(world.assignments.map((a) => `${a.AccountId} ${a.PermissionSetArn}`));
  // ListAccountsForProvisionedPermissionSet returns every account a set is provisioned to; an
  // assigned account always is.
  const provisioned = world.permissionSets.map((p) => ({
    arn: p.PermissionSetArn,
    accounts: new Set([...(p.provisionedTo ?? []), ...world.assignments.filter((a) => a.PermissionSetArn === p.PermissionSetArn).map((a) => a.AccountId)]),
  }));
  const pairs = provisioned.flatMap((p) => [...p.accounts].map((account) => `${account} ${p.arn}`));
  return {
    accounts: world.accounts.length,
    users: world.users.length,
    permissionSets: world.permissionSets.length,
    groupMembers: world.groups.map((g) => members.get(g.GroupId) ?? 0),
    provisionedAccountsPerSet: provisioned.map((p) => p.accounts.size),
    assignmentsPerPair: pairs.map((p) => perPair.get(p) ?? 0),
    assignmentsPerPrincipal: [...world.users.map((u) => u.UserId), ...world.groups.map((g) => g.GroupId)].map((id) => perPrincipal.get(id) ?? 0),
  };
}
