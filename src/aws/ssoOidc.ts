/**
 * SSO OIDC adapter (RegisterClient, StartDeviceAuthorization, CreateToken): unsigned calls, so no
 * AWS credentials are needed to log in. The SDK client is loaded on first use, which keeps `--help` fast (docs/architecture.md, How a command runs).
 * Errors are the SDK's own (`AuthorizationPendingException`, `SlowDownException`, ...); the login
 * flows decide what each means.
 */
import { clientConfig } from "./clientConfig.js";
import { nameFailedOperations } from "./errors.js";

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** When the registration expires (`clientSecretExpiresAt`, epoch ms). */
  expiresAtMs: number;
}

export interface RegisterClientInput {
  clientName: string;
  scopes?: string[];
  grantTypes?: string[];
  redirectUris?: string[];
  issuerUrl?: string;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresInSec: number;
  /** Seconds between polls; undefined when AWS does not say (then 5, RFC 8628 §3.2). */
  intervalSec?: number;
}

export type Grant =
  | { kind: "device_code"; deviceCode: string }
  | { kind: "authorization_code"; code: string; codeVerifier: string; redirectUri: string }
  | { kind: "refresh_token"; refreshToken: string };

export interface TokenGrant {
  accessToken: string;
  expiresInSec: number;
  refreshToken?: string;
}

export interface SsoOidcApi {
  registerClient(input: RegisterClientInput): Promise<RegisteredClient>;
  startDeviceAuthorization(client: RegisteredClient, startUrl: string): Promise<DeviceAuthorization>;
  createToken(client: RegisteredClient, grant: Grant): Promise<TokenGrant>;
  /**
   * The OIDC endpoint this client resolves to (scheme + host). The PKCE authorize page is not an
   * API operation, so like the AWS CLI we take the endpoint a real request would use and append
   * `/authorize` — which also honours `AWS_ENDPOINT_URL`.
   */
  endpoint(): Promise<string>;
}

const grantTypeNames = {
  device_code: "urn:ietf:params:oauth:grant-type:device_code",
  authorization_code: "authorization_code",
  refresh_token: "refresh_token",
} as const;

class EndpointProbe extends Error {
  constructor(readonly url: string) {
    super("endpoint probe");
  }
}

export async function openSsoOidc(region: string): Promise<SsoOidcApi> {
  const { SSOOIDCClient, RegisterClientCommand, StartDeviceAuthorizationCommand, CreateTokenCommand } = await import("@aws-sdk/client-sso-oidc");
  const client = new SSOOIDCClient(clientConfig({ region }));
  nameFailedOperations(client);
  return {
    async registerClient(input) {
      const out = await client.send(new RegisterClientCommand({ clientType: "public", ...input }));
      return { clientId: out.clientId ?? "", clientSecret: out.clientSecret ?? "", expiresAtMs: (out.clientSecretExpiresAt ?? 0) * 1000 };
    },
    async startDeviceAuthorization(registered, startUrl) {
      const out = await client.send(
        new StartDeviceAuthorizationCommand({ clientId: registered.clientId, clientSecret: registered.clientSecret, startUrl }),
      );
      return {
        deviceCode: out.deviceCode ?? "",
        userCode: out.userCode ?? "",
        verificationUri: out.verificationUri ?? "",
        verificationUriComplete: out.verificationUriComplete ?? out.verificationUri ?? "",
        expiresInSec: out.expiresIn ?? 600,
        intervalSec: out.interval,
      };
    },
    async createToken(registered, grant) {
      const { kind, ...fields } = grant;
      const out = await client.send(
        new CreateTokenCommand({ clientId: registered.clientId, clientSecret: registered.clientSecret, grantType: grantTypeNames[kind], ...fields }),
      );
      return { accessToken: out.accessToken ?? "", expiresInSec: out.expiresIn ?? 0, refreshToken: out.refreshToken };
    },
    async endpoint() {
      const probe = new RegisterClientCommand({ clientName: "endpoint-probe", clientType: "public" });
      // At the build step the request carries the resolved endpoint but has not been sent (nor retried).
      probe.middlewareStack.add(
        () => async (args) => {
          const req = args.request as { protocol: string; hostname: string; port?: number };
          throw new EndpointProbe(`${req.protocol.replace(/:$/, "")}://${req.hostname}${req.port ? `:${req.port}` : ""}`);
        },
        { step: "build", name: "orgBootstrapEndpointProbe" },
      );
      try {
        await client.send(probe);
      } catch (err) {
        if (err instanceof EndpointProbe) return err.url;
        throw err;
      }
      throw new Error("The SSO OIDC endpoint could not be resolved.");
    },
  };
}

/** The same API, loading the SDK client only when a call is made (a cached token needs none). */
export function lazySsoOidc(region: string): SsoOidcApi {
  let api: Promise<SsoOidcApi> | undefined;
  const get = () => (api ??= openSsoOidc(region));
  return {
    registerClient: async (input) => (await get()).registerClient(input),
    startDeviceAuthorization: async (client, startUrl) => (await get()).startDeviceAuthorization(client, startUrl),
    createToken: async (client, grant) => (await get()).createToken(client, grant),
    endpoint: async () => (await get()).endpoint(),
  };
}
