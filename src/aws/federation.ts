/**
 * The AWS sign-in federation endpoint (docs/aws-facts.md, "Console sign-in links"): temporary
 * role credentials → a sign-in token → the console login URL, valid 15 minutes
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html).
 * `https://<region>.signin.aws.amazon.com/federation` (plain `signin.aws.amazon.com` is us-east-1);
 * `AWS_ENDPOINT_URL_SIGNIN`, else `AWS_ENDPOINT_URL`, replaces it, as the SDKs' endpoint variables do.
 * No `SessionDuration` is sent: AWS refuses it for some credentials, and granted and aws-vault send none.
 */
import { OperationError } from "../errors.js";

export interface FederationCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export function federationEndpoint(region: string | undefined, env: NodeJS.ProcessEnv): string {
  const custom = env.AWS_ENDPOINT_URL_SIGNIN || env.AWS_ENDPOINT_URL;
  if (custom) return `${custom.replace(/\/+$/, "")}/federation`;
  return !region || region === "us-east-1" ? "https://signin.aws.amazon.com/federation" : `https://${region}.signin.aws.amazon.com/federation`;
}

/** The console page a link opens by default: the console home in the profile's region. */
export function defaultDestination(region: string | undefined): string {
  return region ? `https://${region}.console.aws.amazon.com/console/home?region=${region}` : "https://console.aws.amazon.com/console/home";
}

/** `Action=getSigninToken`: the credentials as the URL-encoded JSON `Session` → `SigninToken`. */
export async function getSigninToken(endpoint: string, c: FederationCredentials, signal?: AbortSignal): Promise<string> {
  const session = JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken });
  const url = `${endpoint}?Action=getSigninToken&Session=${encodeURIComponent(session)}`;
  const res = await fetch(url, { signal });
  const text = await res.text();
  let token: unknown;
  try {
    token = (JSON.parse(text) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (!res.ok || typeof token !== "string" || !token) {
    // The body never holds our secrets, but it is not ours to print either: the status says enough.
    throw new OperationError(
      `The AWS sign-in endpoint (${new URL(endpoint).host}) gave no sign-in token (HTTP ${res.status}).`,
      "The role credentials may have expired: run the command again; if it persists, run org-bootstrap doctor.",
    );
  }
  return token;
}

/** `Action=login`: the link that signs the browser in. It is a credential for 15 minutes. */
export function consoleLoginUrl(endpoint: string, signinToken: string, destination: string, issuer: string): string {
  const q = new URLSearchParams({ Action: "login", Issuer: issuer, Destination: destination, SigninToken: signinToken });
  return `${endpoint}?${q.toString()}`;
}
