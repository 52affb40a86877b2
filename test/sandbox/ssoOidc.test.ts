import { createHash, randomBytes } from "node:crypto";
import {
  CreateTokenCommand,
  RegisterClientCommand,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from "@aws-sdk/client-sso-oidc";
import { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand, LogoutCommand, SSOClient } from "@aws-sdk/client-sso";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { scriptDeviceSlowDowns } from "../../src/sandbox/services/ssoOidc.js";
import { openSandbox } from "../helpers/sandbox.js";
import { answerAuthorizePage, answerDevicePage, seedSsoWorld, type SeededWorld } from "../helpers/ssoSeed.js";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

describe("emulated SSO OIDC and access portal, through the AWS SDK", () => {
  let sandbox: Sandbox;
  let world: SeededWorld;
  let oidc: SSOOIDCClient;
  let portal: SSOClient;
  beforeAll(async () => {
    sandbox = await openSandbox();
    oidc = new SSOOIDCClient({ endpoint: sandbox.url, region: "us-east-1", maxAttempts: 1 });
    portal = new SSOClient({ endpoint: sandbox.url, region: "us-east-1", maxAttempts: 1 });
  });
  beforeEach(() => {
    sandbox.reset();
    world = seedSsoWorld(sandbox.state);
  });
  afterAll(() => sandbox.close());

  const registerDeviceClient = () =>
    oidc.send(new RegisterClientCommand({ clientName: "test", clientType: "public", scopes: ["sso:account:access"] }));

  async function deviceLogin(userName = world.userName) {
    const client = await registerDeviceClient();
    const auth = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: world.startUrl }));
    await answerDevicePage(sandbox.url, auth.userCode!, userName);
    const token = await oidc.send(
      new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: auth.deviceCode }),
    );
    return { client, token };
  }

  it("runs the device flow: pending until approved on the page, then a token that the portal accepts", async () => {
    const client = await registerDeviceClient();
    expect(client.clientSecretExpiresAt! * 1000).toBeGreaterThan(Date.now());
    const auth = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: world.startUrl }));
    expect(auth.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(auth.verificationUriComplete).toBe(`${sandbox.url}/device?user_code=${auth.userCode}`);
    const poll = () =>
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: auth.deviceCode }));
    await expect(poll()).rejects.toMatchObject({ name: "AuthorizationPendingException", error: "authorization_pending" });

    const page = await (await fetch(auth.verificationUriComplete!)).text();
    expect(page).toContain(auth.userCode);
    expect(page).toContain(world.userName);
    expect((await answerDevicePage(sandbox.url, auth.userCode!, world.userName)).html).toContain("Request approved");

    const token = await poll();
    expect(token.expiresIn).toBe(8 * 3600);
    expect(token.refreshToken).toBeTruthy();
    const accounts = await portal.send(new ListAccountsCommand({ accessToken: token.accessToken }));
    expect(accounts.accountList?.map((a) => a.accountName).sort()).toEqual(["acme-dev", "acme-production"]);
    const roles = await portal.send(new ListAccountRolesCommand({ accessToken: token.accessToken, accountId: world.devAccountId }));
    expect(roles.roleList).toEqual([{ accountId: world.devAccountId, roleName: "AdministratorAccess" }]);
    const creds = await portal.send(
      new GetRoleCredentialsCommand({ accessToken: token.accessToken, accountId: world.devAccountId, roleName: "AdministratorAccess" }),
    );
    expect(creds.roleCredentials?.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(creds.roleCredentials?.expiration).toBeGreaterThan(Date.now() + 11 * 3600_000);
  });

  it("answers slow_down when scripted or when polled faster than the interval, then expired_token after the lifetime", async () => {
    const client = await registerDeviceClient();
    const auth = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: world.startUrl }));
    const poll = () =>
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: auth.deviceCode }));
    scriptDeviceSlowDowns(sandbox.state, 1);
    await expect(poll()).rejects.toMatchObject({ name: "SlowDownException", error: "slow_down" });
    // Immediately again: faster than the (now 5 s longer) interval.
    await expect(poll()).rejects.toMatchObject({ name: "SlowDownException" });
    for (const a of sandbox.state.deviceAuthorizations.values()) a.expiresAt = Date.now() - 1;
    await expect(poll()).rejects.toMatchObject({ name: "ExpiredTokenException", error: "expired_token" });
  });

  it("answers access_denied when the person clicks Deny", async () => {
    const client = await registerDeviceClient();
    const auth = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: world.startUrl }));
    expect((await answerDevicePage(sandbox.url, auth.userCode!, world.userName, "deny")).html).toContain("Request denied");
    await expect(
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: auth.deviceCode })),
    ).rejects.toMatchObject({ name: "AccessDeniedException", error: "access_denied" });
  });

  it("rejects an expired client registration with InvalidClientException (HTTP 401)", async () => {
    const client = await registerDeviceClient();
    sandbox.state.oidcClients.get(client.clientId!)!.expiresAt = Date.now() - 1;
    const err = await oidc
      .send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: world.startUrl }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "InvalidClientException", error: "invalid_client", $metadata: { httpStatusCode: 401 } });
  });

  it("runs the authorization code flow with PKCE and refuses a wrong verifier or redirect", async () => {
    const client = await oidc.send(
      new RegisterClientCommand({
        clientName: "test",
        clientType: "public",
        scopes: ["sso:account:access"],
        grantTypes: ["authorization_code", "refresh_token"],
        redirectUris: ["http://127.0.0.1/oauth/callback"],
        issuerUrl: world.startUrl,
      }),
    );
    const verifier = randomBytes(48).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const redirectUri = "http://127.0.0.1:45678/oauth/callback";
    const authorize = `${sandbox.url}/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: client.clientId!,
      redirect_uri: redirectUri,
      state: "state-123",
      code_challenge_method: "S256",
      scopes: "sso:account:access",
      code_challenge: challenge,
    })}`;
    expect((await fetch(authorize)).status).toBe(200);
    const elsewhere = authorize.replace(encodeURIComponent("http://127.0.0.1:45678/oauth/callback"), encodeURIComponent("http://evil.example/cb"));
    expect((await fetch(elsewhere)).status).toBe(400);

    const answer = await answerAuthorizePage(authorize, world.userName);
    expect(answer.status).toBe(302);
    const back = new URL(answer.location);
    expect(`${back.origin}${back.pathname}`).toBe("http://127.0.0.1:45678/oauth/callback");
    expect(back.searchParams.get("state")).toBe("state-123");
    const code = back.searchParams.get("code")!;
    const create = (codeVerifier: string) =>
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: "authorization_code", code, codeVerifier, redirectUri }));
    await expect(create(`${verifier}x`)).rejects.toMatchObject({ name: "InvalidGrantException" });
    const token = await create(verifier);
    expect(token.accessToken).toBeTruthy();
    await expect(create(verifier)).rejects.toMatchObject({ name: "InvalidGrantException" });

    const denied = await answerAuthorizePage(authorize, world.userName, "deny");
    expect(new URL(denied.location).searchParams.get("error")).toBe("access_denied");
  });

  it("refreshes with a refresh token (rotating it) and logs out", async () => {
    const { client, token } = await deviceLogin();
    const refreshed = await oidc.send(
      new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: "refresh_token", refreshToken: token.refreshToken }),
    );
    expect(refreshed.accessToken).not.toBe(token.accessToken);
    await expect(
      oidc.send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: "refresh_token", refreshToken: token.refreshToken })),
    ).rejects.toMatchObject({ name: "InvalidGrantException", error: "invalid_grant" });
    await portal.send(new LogoutCommand({ accessToken: refreshed.accessToken }));
    await expect(portal.send(new ListAccountsCommand({ accessToken: refreshed.accessToken }))).rejects.toMatchObject({ name: "UnauthorizedException" });
  });

  it("lists only what is assigned to the signed-in person, and refuses other roles", async () => {
    const { token } = await deviceLogin(world.otherUserName);
    const accounts = await portal.send(new ListAccountsCommand({ accessToken: token.accessToken }));
    expect(accounts.accountList).toEqual([]);
    await expect(
      portal.send(new GetRoleCredentialsCommand({ accessToken: token.accessToken, accountId: world.devAccountId, roleName: "AdministratorAccess" })),
    ).rejects.toMatchObject({ name: "ForbiddenException", $metadata: { httpStatusCode: 403 } });
  });
});
