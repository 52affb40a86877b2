export interface WorldCounts {
  accounts: number;
  users: number;
  permissionSets: number;
  groupMembers: number[];
  provisionedAccountsPerSet: number[];
  assignmentsPerPair: number[];
  assignmentsPerPrincipal: number[];
}
export interface BoundLimits {
  latencyMs: number;
  pageSize: { organizations: number; identityCenter: number };
  identityCenterRate: { rate: number; burst: number };
  listAccountsRate: { rate: number; burst: number };
}
export interface StatusBound {
  boundMs: number;
  limitedBy: "rateMs" | "listAccountsMs" | "pagingMs";
  floors: { rateMs: number; listAccountsMs: number; pagingMs: number };
  calls: { first: number; organizations: number; identityCenter: number };
  totalCalls: number;
  assignmentListing: "account-and-permission-set" | "principal";
}
export function statusLowerBound(world: WorldCounts, limits: BoundLimits): StatusBound;
export function worldCounts(world: {
  accounts: { Id: string }[];
  users: { UserId: string }[];
  groups: { GroupId: string }[];
  memberships: { GroupId: string }[];
  permissionSets: { PermissionSetArn: string; provisionedTo?: string[] }[];
  assignments: { AccountId: string; PermissionSetArn: string; PrincipalId: string }[];
}): WorldCounts;
