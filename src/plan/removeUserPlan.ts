/**
 * The `remove-user <email>` planner, the leavers' process: what goes (direct account assignments
 * in every account, group memberships, then the user) and the one refusal — removing the last
 * member of the admin group would lock everybody out of the organisation's SSO administration.
 * Pure: observed state in, plan out.
 *
 * Why assignments first: deleting an Identity Store user does not delete the user's account
 * assignments in IAM Identity Center; they are left behind pointing at a principal that no longer
 * exists. Deleting them is asynchronous (`DeleteAccountAssignment`, then
 * `DescribeAccountAssignmentDeletionStatus`), so they are waited for before the user goes.
 * https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_DeleteAccountAssignment.html
 */
import { UserError } from "../errors.js";

export interface RemoveUserObserved {
  user?: { userId: string; userName: string; email?: string; displayName?: string };
  memberships: { membershipId: string; groupId: string; group: string }[];
  /** The user's direct assignments (assignments through groups go with the memberships). */
  assignments: { accountId: string; accountName: string; permissionSetArn: string; permissionSet: string }[];
  /** The admin group, when it exists: its id and how many users are in it. */
  adminGroup?: { groupId: string; displayName: string; memberCount: number };
}

export interface RemoveUserPlan {
  email: string;
  /** Undefined: no such user, nothing to do. */
  user?: RemoveUserObserved["user"] & {};
  memberships: RemoveUserObserved["memberships"];
  assignments: RemoveUserObserved["assignments"];
  warnings: string[];
}

export function planRemoveUser(input: { email: string; force: boolean }, observed: RemoveUserObserved): RemoveUserPlan {
  if (!observed.user) return { email: input.email, memberships: [], assignments: [], warnings: [] };
  const warnings: string[] = [];
  const admin = observed.adminGroup;
  const inAdmin = admin ? observed.memberships.some((m) => m.groupId === admin.groupId) : false;
  if (admin && inAdmin && admin.memberCount <= 1) {
    if (!input.force) {
      throw new UserError(
        `${observed.user.userName} is the last member of ${admin.displayName}: without them nobody could sign in to administer the organization through SSO.`,
        `Add another administrator first (org-bootstrap add-user --group ${admin.displayName} ...), or pass --force if you mean it.`,
      );
    }
    warnings.push(`${admin.displayName} will have no members left (--force).`);
  }
  return { email: input.email, user: observed.user, memberships: observed.memberships, assignments: observed.assignments, warnings };
}

export function removeUserChangesAws(plan: RemoveUserPlan): boolean {
  return plan.user !== undefined;
}
