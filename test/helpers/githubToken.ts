/**
 * A GitHub Actions OIDC token as a job gets one: a JWT from https://token.actions.githubusercontent.com
 * with the job's `sub`. The sandbox reads its claims and checks no signature, so a test mints
 * one here (docs/ci.md shows the same for a person trying it).
 */
export function githubToken(sub: string, options: { aud?: string; expiresInSec?: number; iss?: string; extra?: Record<string, unknown> } = {}): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: options.iss ?? "https://token.actions.githubusercontent.com",
    aud: options.aud ?? "sts.amazonaws.com",
    sub,
    iat: now,
    exp: now + (options.expiresInSec ?? 300),
    ...options.extra,
  };
  return `${enc({ alg: "RS256", typ: "JWT", kid: "sandbox" })}.${enc(claims)}.${Buffer.from("not-a-signature").toString("base64url")}`;
}
