/**
 * Emulated AWS access portal API (service `sso`, restJson1, https://portal.sso.<region>.amazonaws.com):
 * ListAccounts, ListAccountRoles, GetRoleCredentials and Logout, authorised by the OIDC access token
 * in the `x-amz-sso_bearer_token` header (SSO portal API reference,
 * https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/).
 *
 * A person sees the accounts and roles assigned to them directly or through their groups; the role
 * name is the permission set's name. Role credentials are temporary (`ASIA...` key id, a session
 * token, `expiration` in epoch milliseconds) and never real.
 */
import { paginate } from "../paging.js";
import type { RestRoute } from "../rest.js";
import type { SandboxState } from "../state.js";
import { AwsError, type CallContext } from "../types.js";
import { BUILT_IN_USER, findLiveToken } from "./ssoOidc.js";
import { issueRoleCredentials } from "./roleSessions.js";

function bearer(ctx: CallContext): string | undefined {
  const value = ctx.headers["x-amz-sso_bearer_token"];
  return Array.isArray(value) ? value[0] : value;
}

function signedInUser(ctx: CallContext): string {
  const found = findLiveToken(ctx.state, bearer(ctx), ctx.now());
  if (!found) throw new AwsError("UnauthorizedException", "Session token not found or invalid", 401);
  return found.userId ?? BUILT_IN_USER.UserId;
}

/**
 * (accountId, roleName) pairs the user may use. The built-in sandbox user (who approves when the
 * Identity Store is empty) counts as a member of every group, so it sees every assignment.
 */
export function entitlements(state: SandboxState, userId: string): { accountId: string; roleName: string }[] {
  const everyone = userId === BUILT_IN_USER.UserId;
  const groups = new Set([...state.memberships.values()].filter((m) => m.MemberId.UserId === userId).map((m) => m.GroupId));
  const seen = new Set<string>();
  const out: { accountId: string; roleName: string }[] = [];
  for (const a of state.assignments) {
    const mine = everyone || (a.PrincipalType === "USER" ? a.PrincipalId === userId : groups.has(a.PrincipalId));
    const roleName = state.permissionSets.get(a.PermissionSetArn)?.Name;
    const key = `${a.AccountId}/${roleName}`;
    if (!mine || !roleName || seen.has(key)) continue;
    seen.add(key);
    out.push({ accountId: a.AccountId, roleName });
  }
  return out;
}

function pageInput(ctx: CallContext) {
  const max = ctx.query.get("max_result");
  return { nextToken: ctx.query.get("next_token") ?? undefined, maxResults: max ? Number(max) : undefined };
}

/** ISO-8601 durations as permission sets use them (PT1H .. PT12H). */
function durationMs(iso: string | undefined): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(iso ?? "");
  if (!m) return 3600_000;
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60_000;
}

export const ssoPortalRoutes: RestRoute[] = [
  {
    service: "sso",
    operation: "ListAccounts",
    method: "GET",
    path: "/assignment/accounts",
    mutating: false,
    handle(_body, ctx) {
      const accountIds = [...new Set(entitlements(ctx.state, signedInUser(ctx)).map((e) => e.accountId))];
      const accounts = accountIds.map((id) => {
        const account = ctx.state.accounts.get(id);
        return { accountId: id, accountName: account?.Name ?? id, emailAddress: account?.Email ?? "" };
      });
      const { page, nextToken } = paginate(accounts, pageInput(ctx), ctx.state.maxPageSize);
      return { accountList: page, ...(nextToken ? { nextToken } : {}) };
    },
  },
  {
    service: "sso",
    operation: "ListAccountRoles",
    method: "GET",
    path: "/assignment/roles",
    mutating: false,
    handle(_body, ctx) {
      const accountId = ctx.query.get("account_id") ?? "";
      const roles = entitlements(ctx.state, signedInUser(ctx)).filter((e) => e.accountId === accountId);
      const { page, nextToken } = paginate(roles, pageInput(ctx), ctx.state.maxPageSize);
      return { roleList: page, ...(nextToken ? { nextToken } : {}) };
    },
  },
  {
    service: "sso",
    operation: "GetRoleCredentials",
    method: "GET",
    path: "/federation/credentials",
    mutating: false,
    handle(_body, ctx) {
      const userId = signedInUser(ctx);
      const accountId = ctx.query.get("account_id") ?? "";
      const roleName = ctx.query.get("role_name") ?? "";
      if (!accountId || !roleName) throw new AwsError("InvalidRequestException", "account_id and role_name are required", 400);
      const allowed = entitlements(ctx.state, userId).some((e) => e.accountId === accountId && e.roleName === roleName);
      // What the portal answers when the role is not assigned to the person (as the AWS CLI shows it:
      // "An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access").
      if (!allowed) throw new AwsError("ForbiddenException", "No access", 403);
      const permissionSet = [...ctx.state.permissionSets.values()].find((p) => p.Name === roleName);
      const expiration = ctx.now() + durationMs(permissionSet?.SessionDuration);
      const userName = ctx.state.users.get(userId)?.UserName ?? BUILT_IN_USER.UserName;
      const issued = issueRoleCredentials(ctx.state, { accountId, roleName, userName, expiresAt: expiration });
      return {
        roleCredentials: { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken, expiration },
      };
    },
  },
  {
    service: "sso",
    operation: "Logout",
    method: "POST",
    path: "/logout",
    mutating: false,
    handle(_body, ctx) {
      const found = findLiveToken(ctx.state, bearer(ctx), ctx.now());
      if (!found) throw new AwsError("UnauthorizedException", "Session token not found or invalid", 401);
      // Signing out ends the portal session: the access token and its refresh token stop working.
      found.revoked = true;
      return {};
    },
  },
];
