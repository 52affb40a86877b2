/**
 * Emulated IAM Identity Center OIDC (service `sso-oidc`, restJson1): RegisterClient,
 * StartDeviceAuthorization and CreateToken, unsigned as on AWS. The person's side of both flows
 * (the device verification page and the `/authorize` sign-in page) lives in `pages/oidc.ts` and
 * calls `approveDevice` / `issueAuthorizationCode` here.
 *
 * Behaviour follows the SSO OIDC API reference
 * (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html) and the
 * device grant RFC 8628 §3.5: while the person has not approved, polls answer
 * `AuthorizationPendingException`; polling faster than `interval` answers `SlowDownException`
 * (and the interval grows by 5 s); a device code past its lifetime answers `ExpiredTokenException`;
 * a denied request `AccessDeniedException`. Errors carry `error` / `error_description` as AWS's do.
 * PKCE (RFC 7636): the code is bound to the client, the redirect URI and the S256 challenge.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RestRoute } from "../rest.js";
import type { AccessToken, OidcClient, SandboxState } from "../state.js";
import { AwsError, type CallContext } from "../types.js";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
/** Where the person approves a device code (AWS: https://device.sso.<region>.amazonaws.com/). */
export const DEVICE_PAGE_PATH = "/device";
/** The PKCE authorize endpoint, relative to the OIDC endpoint (as the AWS CLI builds it). */
export const AUTHORIZE_PATH = "/authorize";

/** The identity that approves when the Identity Store has no user yet (see `pages/oidc.ts`). */
export const BUILT_IN_USER = { UserId: "sandbox-user-0000", UserName: "sandbox-user" } as const;

/** One OIDC error as AWS shapes it: error name, status, OAuth `error` code and description. */
function oidcError(name: string, error: string, description: string, status = 400): AwsError {
  return new AwsError(name, description, status, { error, error_description: description });
}

/** Knobs tests turn that have no place in the shared state: how many polls to answer slow_down. */
const scripted = new WeakMap<SandboxState, { slowDowns: number }>();

/** The next `count` device-code polls answer `SlowDownException` (a client polling too fast). */
export function scriptDeviceSlowDowns(state: SandboxState, count: number): void {
  scripted.set(state, { slowDowns: count });
}

const token = (prefix: string, bytes = 48) => `${prefix}${randomBytes(bytes).toString("base64url")}`;

export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") {
    throw oidcError("InvalidRequestException", "invalid_request", `${field} is required`);
  }
  return value;
}

/** The registered client behind a clientId/clientSecret pair, or `InvalidClientException`. */
export function authenticateClient(state: SandboxState, clientId: unknown, clientSecret: unknown, now: number): OidcClient {
  const client = typeof clientId === "string" ? state.oidcClients.get(clientId) : undefined;
  if (!client || client.clientSecret !== clientSecret) {
    throw oidcError("InvalidClientException", "invalid_client", "Invalid client", 401);
  }
  if (client.expiresAt <= now) {
    throw oidcError("InvalidClientException", "invalid_client", "Client registration has expired", 401);
  }
  return client;
}

function issueToken(state: SandboxState, client: OidcClient, userId: string | undefined, now: number) {
  const t = state.timings;
  const record: AccessToken = {
    accessToken: token("aoa", 60),
    // AWS returns a refresh token only to clients registered with scopes (sso:account:access).
    refreshToken: client.scopes.length > 0 ? token("aor", 60) : undefined,
    clientId: client.clientId,
    expiresAt: now + t.tokenLifetimeSec * 1000,
    refreshExpiresAt: now + t.refreshTokenLifetimeSec * 1000,
    userId,
    revoked: false,
  };
  state.accessTokens.set(record.accessToken, record);
  return {
    accessToken: record.accessToken,
    tokenType: "Bearer",
    expiresIn: t.tokenLifetimeSec,
    ...(record.refreshToken ? { refreshToken: record.refreshToken } : {}),
  };
}

/** The access token behind a portal bearer header, or undefined when unknown, revoked or expired. */
export function findLiveToken(state: SandboxState, accessToken: string | undefined, now: number): AccessToken | undefined {
  const found = accessToken ? state.accessTokens.get(accessToken) : undefined;
  if (!found || found.revoked || found.expiresAt <= now) return undefined;
  return found;
}

function userCode(): string {
  // AWS user codes: 8 letters in two groups of four, without look-alike characters.
  const letters = "BCDFGHJKLMNPQRSTVWXZ";
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => letters[b % letters.length]);
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

function tokenFromDeviceCode(state: SandboxState, client: OidcClient, body: Record<string, unknown>, now: number) {
  const deviceCode = requireString(body, "deviceCode");
  const auth = state.deviceAuthorizations.get(deviceCode);
  if (!auth || auth.clientId !== client.clientId) throw oidcError("InvalidGrantException", "invalid_grant", "Invalid grant provided");
  if (auth.expiresAt <= now) throw oidcError("ExpiredTokenException", "expired_token", "Device code has expired");
  if (auth.status === "denied") throw oidcError("AccessDeniedException", "access_denied", "Access denied");
  if (auth.status === "pending") {
    const script = scripted.get(state);
    const tooFast = auth.lastPollAt !== undefined && now - auth.lastPollAt < auth.interval * 1000;
    auth.lastPollAt = now;
    if ((script && script.slowDowns > 0) || tooFast) {
      if (script && script.slowDowns > 0) script.slowDowns -= 1;
      // RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for this and all subsequent requests".
      auth.interval += 5;
      throw oidcError("SlowDownException", "slow_down", "Client is polling too quickly");
    }
    throw oidcError("AuthorizationPendingException", "authorization_pending", "Authorization is still pending");
  }
  state.deviceAuthorizations.delete(deviceCode);
  return issueToken(state, client, auth.userId, now);
}

function tokenFromAuthorizationCode(state: SandboxState, client: OidcClient, body: Record<string, unknown>, now: number) {
  const code = requireString(body, "code");
  const verifier = requireString(body, "codeVerifier");
  const redirectUri = requireString(body, "redirectUri");
  const grant = state.authorizationCodes.get(code);
  if (!grant || grant.used || grant.clientId !== client.clientId || grant.expiresAt <= now) {
    throw oidcError("InvalidGrantException", "invalid_grant", "Invalid grant provided");
  }
  // RFC 6749 §4.1.3: the redirect_uri must be identical to the one in the authorization request.
  if (grant.redirectUri !== redirectUri) throw oidcError("InvalidGrantException", "invalid_grant", "Redirect URI mismatch");
  if (pkceChallenge(verifier) !== grant.codeChallenge) {
    throw oidcError("InvalidGrantException", "invalid_grant", "Code verifier does not match the code challenge");
  }
  grant.used = true;
  return issueToken(state, client, grant.userId, now);
}

function tokenFromRefreshToken(state: SandboxState, client: OidcClient, body: Record<string, unknown>, now: number) {
  const refreshToken = requireString(body, "refreshToken");
  const old = [...state.accessTokens.values()].find((t) => t.refreshToken === refreshToken);
  if (!old || old.revoked || old.clientId !== client.clientId || (old.refreshExpiresAt ?? 0) <= now) {
    throw oidcError("InvalidGrantException", "invalid_grant", "Invalid refresh token provided");
  }
  // The refresh token rotates: the old pair stops working once a new one is issued.
  old.revoked = true;
  return issueToken(state, client, old.userId, now);
}

/** What the device page's Approve/Deny does. Returns false for an unknown or expired code. */
export function decideDevice(state: SandboxState, code: string, decision: "approved" | "denied", userId: string, now = Date.now()): boolean {
  const normalized = code.trim().toUpperCase();
  const auth = [...state.deviceAuthorizations.values()].find((a) => a.userCode === normalized);
  if (!auth || auth.expiresAt <= now || auth.status !== "pending") return false;
  auth.status = decision;
  auth.userId = userId;
  return true;
}

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  scopes: string[];
}

/** What the sign-in page's Approve does in the PKCE flow: a one-time code, 10 minutes. */
export function issueAuthorizationCode(state: SandboxState, request: AuthorizeRequest, userId: string, now = Date.now()): string {
  const code = token("code-", 32);
  state.authorizationCodes.set(code, { code, ...request, expiresAt: now + 600_000, used: false, userId });
  return code;
}

/**
 * Why an authorize request must not even show the sign-in page (RFC 6749 §4.1.2.1: errors about the
 * client or the redirect URI are shown to the person, never redirected). Loopback redirect URIs
 * match the registered one ignoring the port (RFC 8252 §7.3).
 */
export function checkAuthorizeRequest(state: SandboxState, query: URLSearchParams, now = Date.now()): { request?: AuthorizeRequest; error?: string } {
  const clientId = query.get("client_id") ?? "";
  const client = state.oidcClients.get(clientId);
  if (!client || client.expiresAt <= now) return { error: "Unknown or expired client." };
  if (!client.grantTypes.includes("authorization_code")) return { error: "This client is not registered for the authorization code grant." };
  const redirectUri = query.get("redirect_uri") ?? "";
  let parsed: URL;
  try {
    parsed = new URL(redirectUri);
  } catch {
    return { error: "redirect_uri is not a URL." };
  }
  const withoutPort = `${parsed.protocol}//${parsed.hostname}${parsed.pathname}`;
  if (!client.redirectUris.includes(withoutPort)) return { error: "redirect_uri is not registered for this client." };
  if (query.get("response_type") !== "code") return { error: "response_type must be code." };
  const codeChallenge = query.get("code_challenge") ?? "";
  if (query.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    return { error: "A S256 code_challenge is required." };
  }
  const scopes = (query.get("scopes") ?? "").split(" ").filter(Boolean);
  return { request: { clientId, redirectUri, codeChallenge, codeChallengeMethod: "S256", scopes } };
}

export const ssoOidcRoutes: RestRoute[] = [
  {
    service: "sso-oidc",
    operation: "RegisterClient",
    method: "POST",
    path: "/client/register",
    mutating: false,
    handle(body: Record<string, unknown>, ctx: CallContext) {
      const clientName = requireString(body, "clientName");
      const clientType = requireString(body, "clientType");
      if (clientType !== "public") {
        throw oidcError("InvalidClientMetadataException", "invalid_client_metadata", "Only public clients are supported");
      }
      const grantTypes = Array.isArray(body.grantTypes) ? (body.grantTypes as string[]) : [];
      const redirectUris = Array.isArray(body.redirectUris) ? (body.redirectUris as string[]) : [];
      if (grantTypes.includes("authorization_code")) {
        if (redirectUris.length === 0) throw oidcError("InvalidRedirectUriException", "invalid_redirect_uri", "redirectUris is required for authorization_code");
        if (typeof body.issuerUrl !== "string") throw oidcError("InvalidRequestException", "invalid_request", "issuerUrl is required for authorization_code");
      }
      const now = ctx.now();
      const client: OidcClient = {
        clientId: token("", 24),
        clientSecret: token("cs-", 96),
        clientName,
        clientType,
        scopes: Array.isArray(body.scopes) ? (body.scopes as string[]) : [],
        grantTypes,
        redirectUris,
        issuerUrl: typeof body.issuerUrl === "string" ? body.issuerUrl : undefined,
        issuedAt: now,
        expiresAt: now + ctx.state.timings.clientRegistrationLifetimeSec * 1000,
      };
      ctx.state.oidcClients.set(client.clientId, client);
      return {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        clientIdIssuedAt: Math.floor(client.issuedAt / 1000),
        clientSecretExpiresAt: Math.floor(client.expiresAt / 1000),
      };
    },
  },
  {
    service: "sso-oidc",
    operation: "StartDeviceAuthorization",
    method: "POST",
    path: "/device_authorization",
    mutating: false,
    handle(body: Record<string, unknown>, ctx: CallContext) {
      const now = ctx.now();
      const client = authenticateClient(ctx.state, body.clientId, body.clientSecret, now);
      const startUrl = requireString(body, "startUrl");
      if (client.grantTypes.length > 0 && !client.grantTypes.includes(DEVICE_GRANT)) {
        throw oidcError("UnauthorizedClientException", "unauthorized_client", "Client is not authorized for the device code grant");
      }
      const t = ctx.state.timings;
      const auth = {
        deviceCode: token("", 64),
        userCode: userCode(),
        clientId: client.clientId,
        startUrl,
        expiresAt: now + t.deviceCodeLifetimeSec * 1000,
        interval: t.deviceInterval,
        status: "pending" as const,
      };
      ctx.state.deviceAuthorizations.set(auth.deviceCode, auth);
      const verificationUri = `${ctx.baseUrl}${DEVICE_PAGE_PATH}`;
      return {
        deviceCode: auth.deviceCode,
        userCode: auth.userCode,
        verificationUri,
        verificationUriComplete: `${verificationUri}?user_code=${auth.userCode}`,
        expiresIn: t.deviceCodeLifetimeSec,
        interval: t.deviceInterval,
      };
    },
  },
  {
    service: "sso-oidc",
    operation: "CreateToken",
    method: "POST",
    path: "/token",
    mutating: false,
    handle(body: Record<string, unknown>, ctx: CallContext) {
      const now = ctx.now();
      const client = authenticateClient(ctx.state, body.clientId, body.clientSecret, now);
      const grantType = requireString(body, "grantType");
      if (grantType === DEVICE_GRANT) return tokenFromDeviceCode(ctx.state, client, body, now);
      if (grantType === "authorization_code") return tokenFromAuthorizationCode(ctx.state, client, body, now);
      if (grantType === "refresh_token") return tokenFromRefreshToken(ctx.state, client, body, now);
      throw oidcError("UnsupportedGrantTypeException", "unsupported_grant_type", `Unsupported grant type: ${grantType}`);
    },
  },
];
