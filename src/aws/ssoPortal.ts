/**
 * AWS access portal adapter (service `sso`): role credentials for an account and role, and sign-out,
 * authorised by the SSO access token (bearer header), not by AWS credentials.
 */
import { clientConfig } from "./clientConfig.js";
import { nameFailedOperations } from "./errors.js";
import { mapLimit } from "./waiting.js";

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
}

/** An account the signed-in person can use, with the roles (permission sets) they have there. */
export interface PortalAccount {
  id: string;
  name: string;
  email: string;
  roles: string[];
}

export interface SsoPortalApi {
  getRoleCredentials(accessToken: string, accountId: string, roleName: string): Promise<RoleCredentials>;
  /** What the person's sign-in gives access to: every account and its roles, all pages (`max_result` 100, the most the portal takes). */
  listAccess(accessToken: string): Promise<PortalAccount[]>;
  logout(accessToken: string): Promise<void>;
}

export async function openSsoPortal(region: string): Promise<SsoPortalApi> {
  const { SSOClient, GetRoleCredentialsCommand, LogoutCommand, paginateListAccounts, paginateListAccountRoles } = await import("@aws-sdk/client-sso");
  const client = new SSOClient(clientConfig({ region }));
  nameFailedOperations(client);
  return {
    async getRoleCredentials(accessToken, accountId, roleName) {
      const out = await client.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName }));
      const c = out.roleCredentials ?? {};
      return { accessKeyId: c.accessKeyId ?? "", secretAccessKey: c.secretAccessKey ?? "", sessionToken: c.sessionToken ?? "", expiration: c.expiration ?? 0 };
    },
    async listAccess(accessToken) {
      const accounts: PortalAccount[] = [];
      for await (const page of paginateListAccounts({ client, pageSize: 100 }, { accessToken })) {
        for (const a of page.accountList ?? []) accounts.push({ id: a.accountId ?? "", name: a.accountName ?? "", email: a.emailAddress ?? "", roles: [] });
      }
      // One role listing per account, at most a few at a time (the portal is rate limited too).
      await mapLimit(accounts, 4, async (account) => {
        for await (const page of paginateListAccountRoles({ client, pageSize: 100 }, { accessToken, accountId: account.id })) {
          for (const r of page.roleList ?? []) if (r.roleName) account.roles.push(r.roleName);
        }
      });
      return accounts;
    },
    async logout(accessToken) {
      await client.send(new LogoutCommand({ accessToken }));
    },
  };
}
