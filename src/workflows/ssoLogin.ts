/**
 * The SSO login flows, as the AWS CLI v2 runs them (botocore `SSOTokenFetcher` and
 * `SSOTokenFetcherAuth`), writing the shared token cache (`src/local/tokenCache.ts`):
 *
 * - a cached token with more than 15 minutes left is used as it is;
 * - an expiring token with a refresh token and a live client registration is refreshed silently
 *   (`CreateToken` with `grant_type=refresh_token`);
 * - otherwise a full login: authorization code with PKCE and a loopback redirect (the AWS CLI's
 *   default since 2.22), or the device code flow.
 *
 * Client registrations are cached and reused until they expire, in the file the AWS CLI uses, and
 * are kept per flow as the CLI does (a PKCE registration is not used for the device flow and the
 * other way round). Nothing here prints: the caller's `LoginPrompts` shows codes and URLs.
 */
import { createHash, randomInt, randomUUID } from "node:crypto";
import { CancelledError, explainSystemError, OperationError } from "../errors.js";
import type { SsoSession } from "../local/ssoSessions.js";
import {
  formatTimestamp,
  assertTokenCacheWritable,
  isExpired,
  readCachedToken,
  readRegistration,
  writeCachedToken,
  writeRegistration,
  type ClientRegistration,
  type RegistrationKey,
  type SsoToken,
} from "../local/tokenCache.js";
import { awsErrorName, explainAwsError } from "../aws/errors.js";
import { REGISTERED_REDIRECT_URI, startLoopbackRedirect, type LoopbackRedirect } from "../aws/loopbackRedirect.js";
import type { DeviceAuthorization, RegisteredClient, SsoOidcApi } from "../aws/ssoOidc.js";

export type LoginFlow = "authorization_code" | "device_code";

/** The scope a client needs for account access when the session configures none (AWS CLI default). */
export const DEFAULT_SCOPE = "sso:account:access";
/** RFC 8628 §3.5: a slow_down answer adds 5 seconds to the polling interval. */
export const SLOW_DOWN_SECONDS = 5;
/** RFC 8628 §3.2: the interval when the service names none. */
export const DEFAULT_INTERVAL_SECONDS = 5;

export interface LoginPrompts {
  /** Device flow: show the code and the verification URL (and open the browser if allowed). */
  showDeviceCode(auth: DeviceAuthorization): void | Promise<void>;
  /** Authorization code flow: show (and open) the authorize URL. */
  showAuthorizeUrl(url: string): void | Promise<void>;
}

export interface LoginContext {
  oidc: SsoOidcApi;
  home: string;
  session: SsoSession;
  /** Cache file key: the session name (or a legacy profile's start URL). */
  cacheKey: string;
  signal: AbortSignal;
  now?: () => number;
  /** Injected in tests so polling is checked without waiting. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injected in tests in place of a loopback server. */
  startRedirect?: () => Promise<LoopbackRedirect>;
  /** Progress worth a `--verbose` line; never given secrets. */
  debug?(text: string): void;
}

export type TokenSource = "cache" | "refresh" | "login";

export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError("Login cancelled."));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError("Login cancelled."));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function registrationKey(session: SsoSession): RegistrationKey {
  return { startUrl: session.startUrl, region: session.region, scopes: session.registrationScopes, sessionName: session.name };
}

const isForAuthCode = (r: ClientRegistration) => (r.grantTypes ?? []).includes("authorization_code");

/** The cached client registration for this flow, or a new one (written to the shared cache). */
export async function ensureRegistration(ctx: LoginContext, flow: LoginFlow, force = false): Promise<ClientRegistration> {
  const now = (ctx.now ?? Date.now)();
  const key = registrationKey(ctx.session);
  const cached = force ? undefined : await readRegistration(ctx.home, key);
  if (cached && !isExpired(cached.expiresAt, now) && isForAuthCode(cached) === (flow === "authorization_code")) {
    ctx.signal.throwIfAborted?.();
    return cached;
  }
  const clientName = `botocore-client-${ctx.session.name}`;
  const configured = ctx.session.registrationScopes;
  const registered =
    flow === "authorization_code"
      ? await ctx.oidc.registerClient({
          clientName,
          scopes: configured ?? [DEFAULT_SCOPE],
          grantTypes: ["authorization_code", "refresh_token"],
          redirectUris: [REGISTERED_REDIRECT_URI],
          issuerUrl: ctx.session.startUrl,
        })
      : await ctx.oidc.registerClient({ clientName, ...(configured ? { scopes: configured } : {}) });
  const registration: ClientRegistration = {
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
    expiresAt: formatTimestamp(registered.expiresAtMs),
    ...(flow === "authorization_code"
      ? { scopes: configured ?? [DEFAULT_SCOPE], grantTypes: ["authorization_code", "refresh_token"] }
      : configured
        ? { scopes: configured }
        : {}),
  };
  await writeRegistration(ctx.home, key, registration);
  ctx.signal.throwIfAborted?.();
  return registration;
}

const asClient = (r: ClientRegistration): RegisteredClient => ({ clientId: r.clientId, clientSecret: r.clientSecret, expiresAtMs: Date.parse(r.expiresAt) });

function tokenFrom(ctx: LoginContext, grant: { accessToken: string; expiresInSec: number; refreshToken?: string }, registration: ClientRegistration): SsoToken {
  const now = (ctx.now ?? Date.now)();
  return {
    startUrl: ctx.session.startUrl,
    region: ctx.session.region,
    accessToken: grant.accessToken,
    expiresAt: formatTimestamp(now + grant.expiresInSec * 1000),
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    registrationExpiresAt: registration.expiresAt,
    refreshToken: grant.refreshToken,
  };
}

/** Silent refresh; undefined when the refresh token or the registration is no longer accepted. */
export async function refreshCachedToken(ctx: LoginContext, cached: SsoToken): Promise<SsoToken | undefined> {
  const now = (ctx.now ?? Date.now)();
  if (!cached.refreshToken || !cached.clientId || !cached.clientSecret) return undefined;
  if (cached.registrationExpiresAt && isExpired(cached.registrationExpiresAt, now, 0)) return undefined;
  const registration: ClientRegistration = {
    clientId: cached.clientId,
    clientSecret: cached.clientSecret,
    expiresAt: cached.registrationExpiresAt ?? formatTimestamp(now),
  };
  try {
    const grant = await ctx.oidc.createToken(asClient(registration), { kind: "refresh_token", refreshToken: cached.refreshToken });
    // Keep the old refresh token if the service did not rotate it.
    return tokenFrom(ctx, { ...grant, refreshToken: grant.refreshToken ?? cached.refreshToken }, registration);
  } catch (err) {
    const name = awsErrorName(err);
    if (name && /InvalidGrant|InvalidClient|ExpiredToken|AccessDenied|InvalidRequest|UnauthorizedClient/.test(name)) {
      ctx.debug?.(`Refresh not accepted (${name}); a full login follows.`);
      return undefined;
    }
    throw err;
  }
}

/**
 * CreateToken's failures are about the sign-in in the browser (expired, denied), not the
 * credentials: the AWS table (src/aws/errors.ts) has CreateToken's own rows for them.
 */
function oidcFailure(err: unknown): Error {
  return explainAwsError(err, { operation: "CreateToken" });
}

/** Device code flow (RFC 8628): show the code, poll CreateToken at the interval AWS gives. */
export async function deviceCodeLogin(ctx: LoginContext, prompts: LoginPrompts): Promise<SsoToken> {
  const sleep = ctx.sleep ?? sleepFor;
  const now = ctx.now ?? Date.now;
  let registration = await ensureRegistration(ctx, "device_code");
  let auth: DeviceAuthorization;
  try {
    auth = await ctx.oidc.startDeviceAuthorization(asClient(registration), ctx.session.startUrl);
  } catch (err) {
    // A registration the cache thinks is alive but the service no longer knows: register again once.
    if (awsErrorName(err) !== "InvalidClientException") throw err;
    ctx.debug?.("The cached client registration was refused; registering a new client.");
    registration = await ensureRegistration(ctx, "device_code", true);
    auth = await ctx.oidc.startDeviceAuthorization(asClient(registration), ctx.session.startUrl);
  }
  await prompts.showDeviceCode(auth);
  let interval = auth.intervalSec ?? DEFAULT_INTERVAL_SECONDS;
  const deadline = now() + auth.expiresInSec * 1000;
  for (;;) {
    await sleep(interval * 1000, ctx.signal);
    try {
      const grant = await ctx.oidc.createToken(asClient(registration), { kind: "device_code", deviceCode: auth.deviceCode });
      return tokenFrom(ctx, grant, registration);
    } catch (err) {
      const name = awsErrorName(err);
      if (name === "AuthorizationPendingException") {
        if (now() > deadline) throw oidcFailure({ name: "ExpiredTokenException" });
        continue;
      }
      if (name === "SlowDownException") {
        interval += SLOW_DOWN_SECONDS;
        ctx.debug?.(`Asked to slow down: polling every ${interval} s.`);
        continue;
      }
      throw oidcFailure(err);
    }
  }
}

const VERIFIER_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/** RFC 7636 §4.1: 64 unreserved characters, as the AWS CLI generates. */
export function newCodeVerifier(): string {
  let out = "";
  for (let i = 0; i < 64; i++) out += VERIFIER_ALPHABET[randomInt(VERIFIER_ALPHABET.length)];
  return out;
}

/** RFC 7636 §4.2: BASE64URL(SHA256(verifier)) without padding. */
export function codeChallenge(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

export function authorizeUrl(endpoint: string, p: { clientId: string; redirectUri: string; state: string; scopes: string[]; challenge: string }): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    state: p.state,
    code_challenge_method: "S256",
    // The authorize endpoint takes `scopes` (plural), space-separated (docs/aws-facts.md, SSO OIDC).
    scopes: p.scopes.join(" "),
    code_challenge: p.challenge,
  });
  return `${endpoint.replace(/\/+$/, "")}/authorize?${query.toString().replace(/\+/g, "%20")}`;
}

/** Authorization code flow with PKCE and a loopback redirect. */
export async function authCodeLogin(ctx: LoginContext, prompts: LoginPrompts): Promise<SsoToken> {
  const registration = await ensureRegistration(ctx, "authorization_code");
  const verifier = newCodeVerifier();
  const state = randomUUID();
  const redirect = await (ctx.startRedirect ?? startLoopbackRedirect)();
  try {
    const url = authorizeUrl(await ctx.oidc.endpoint(), {
      clientId: registration.clientId,
      redirectUri: redirect.redirectUri,
      state,
      scopes: registration.scopes ?? [DEFAULT_SCOPE],
      challenge: codeChallenge(verifier),
    });
    await prompts.showAuthorizeUrl(url);
    const result = await redirect.wait(ctx.signal);
    if (result.error) {
      throw result.error === "access_denied" ? oidcFailure({ name: "AccessDeniedException" }) : new OperationError(`The sign-in page answered ${result.error}.`, "Run the login again.");
    }
    if (result.state !== state) {
      // RFC 6749 §10.12: a redirect we did not ask for (another tab, or a forged request). Use nothing from it.
      throw new OperationError("The browser returned a login for a different request (state mismatch); nothing was saved.", "Run the login again, from this terminal only.");
    }
    try {
      const grant = await ctx.oidc.createToken(asClient(registration), {
        kind: "authorization_code",
        code: result.code ?? "",
        codeVerifier: verifier,
        redirectUri: redirect.redirectUri,
      });
      return tokenFrom(ctx, grant, registration);
    } catch (err) {
      throw oidcFailure(err);
    }
  } finally {
    await redirect.close();
  }
}

export interface EnsureTokenOptions {
  flow: LoginFlow;
  /** Log in again even when the cached token is still good. */
  force?: boolean;
  /** False: never start a full login (env/exec without a terminal); undefined is returned instead. */
  allowLogin?: boolean;
}

/** The token to use now: cached, refreshed, or from a full login — written to the cache when new. */
export async function ensureToken(
  ctx: LoginContext,
  prompts: LoginPrompts,
  options: EnsureTokenOptions,
): Promise<{ token: SsoToken; source: TokenSource } | undefined> {
  const now = (ctx.now ?? Date.now)();
  const cached = await readCachedToken(ctx.home, ctx.cacheKey);
  const sameSession = cached && cached.startUrl === ctx.session.startUrl;
  if (cached && sameSession && !options.force && !isExpired(cached.expiresAt, now)) return { token: cached, source: "cache" };
  // Before any sign-in (or refresh) that ends in a write: a token that cannot be kept is not asked for.
  const refreshing = Boolean(cached && sameSession && !options.force);
  if (refreshing || options.allowLogin !== false) {
    await assertTokenCacheWritable(ctx.home, ctx.cacheKey).catch((err: unknown) => {
      throw explainSystemError(err, {}, "Not signing in, the token could not be kept") ?? err;
    });
  }
  if (cached && refreshing) {
    const refreshed = await refreshCachedToken(ctx, cached);
    if (refreshed) {
      await writeCachedToken(ctx.home, ctx.cacheKey, refreshed);
      return { token: refreshed, source: "refresh" };
    }
  }
  if (options.allowLogin === false) return undefined;
  const token = options.flow === "device_code" ? await deviceCodeLogin(ctx, prompts) : await authCodeLogin(ctx, prompts);
  await writeCachedToken(ctx.home, ctx.cacheKey, token);
  return { token, source: "login" };
}

/** Why the device flow is chosen although the browser flow was not refused (docs/login.md). */
export function reasonForDeviceFlow(probe: { env: NodeJS.ProcessEnv; inContainer: boolean; inWsl: boolean }): string | undefined {
  if (probe.env.SSH_CONNECTION || probe.env.SSH_TTY || probe.env.SSH_CLIENT) {
    return "This is an SSH session: a browser on your own computer cannot reach this machine's 127.0.0.1.";
  }
  if (probe.inWsl) return "This is WSL: the Windows browser may not reach the loopback address inside WSL.";
  if (probe.inContainer) return "This runs in a container: a browser outside it cannot reach the container's 127.0.0.1.";
  return undefined;
}
