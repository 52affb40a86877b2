/**
 * Last line of defence against printing secrets: anything that looks like an AWS access key id,
 * a secret key, a session token or a bearer token is masked before it reaches a terminal or log.
 * The first line of defence is never putting secrets in messages at all.
 */
import { debuglog } from "node:util";

const patterns: RegExp[] = [
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /("?(?:accessToken|refreshToken|clientSecret|secretAccessKey|sessionToken|SecretAccessKey|SessionToken|access_token|refresh_token|client_secret)"?\s*[:=]\s*"?)[^"\s,}]+/g,
];

export function redact(text: string): string {
  let result = text.replace(patterns[0], "****");
  result = result.replace(patterns[1], (_m, prefix: string) => `${prefix}****`);
  return result;
}

/**
 * Node's own debug output that prints requests: `NODE_DEBUG=http` (and these) logs each
 * request's options, headers included — the portal's `x-amz-sso_bearer_token`, the SDK's
 * `authorization` (with the access key id) and `x-amz-security-token` — on stderr, below any code
 * of ours (Node warns about it: https://nodejs.org/api/cli.html#node_debugmodule).
 */
const requestDebugSections = ["http", "https", "http2", "net", "tls", "fetch", "undici"];

/**
 * The sections of `NODE_DEBUG` that would print our requests. Asked of Node itself
 * (`debuglog(section).enabled`), so `*`, `HTTP`, `ht*` or `net,fs` count exactly as Node reads them.
 */
export function requestDebugEnabled(): string[] {
  return requestDebugSections.filter((section) => debuglog(section).enabled);
}
