/**
 * AWS access portal adapter (service `sso`): role credentials for an account and role, and sign-out,
 * authorised by the SSO access token (bearer header), not by AWS credentials.
 */
import { clientConfig } from "./clientConfig.js";

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
}

export interface SsoPortalApi {
  getRoleCredentials(accessToken: string, accountId: string, roleName: string): Promise<RoleCredentials>;
  logout(accessToken: string): Promise<void>;
}

export async function openSsoPortal(region: string): Promise<SsoPortalApi> {
  const { SSOClient, GetRoleCredentialsCommand, LogoutCommand } = await import("@aws-sdk/client-sso");
  const client = new SSOClient(clientConfig({ region }));
  return {
    async getRoleCredentials(accessToken, accountId, roleName) {
      const out = await client.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName }));
      const c = out.roleCredentials ?? {};
      return { accessKeyId: c.accessKeyId ?? "", secretAccessKey: c.secretAccessKey ?? "", sessionToken: c.sessionToken ?? "", expiration: c.expiration ?? 0 };
    },
    async logout(accessToken) {
      await client.send(new LogoutCommand({ accessToken }));
    },
  };
}
