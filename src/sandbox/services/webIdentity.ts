/**
 * STS AssumeRoleWithWebIdentity, as a GitHub Actions job calls it with its OIDC token
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
 * Unsigned, like in AWS. The token is a JWT whose `iss`, `aud`, `sub` and `exp` are read and whose
 * signature is not checked (no signature is, in the sandbox), so a test mints one in a few lines.
 * AWS's checks kept, in its order: a JWT → InvalidIdentityToken; an IAM OIDC provider for the
 * issuer in the role's account → InvalidIdentityToken; the audience among the provider's client
 * ids → InvalidIdentityToken; not expired → ExpiredTokenException; the role exists and its trust
 * policy allows these claims (src/sandbox/services/iamPolicy.ts) → else AccessDenied (403);
 * DurationSeconds within the role's MaxSessionDuration → ValidationError.
 */
import type { CallContext } from "../types.js";
import { AwsError } from "../types.js";
import { allowsWebIdentity } from "./iamPolicy.js";
import { iamAccount } from "./iamState.js";
import { issueRoleCredentials, stsCredentials } from "./roleSessions.js";
import { optionalString, requireString, type InvalidInput } from "./validate.js";

const invalid: InvalidInput = (message) => new AwsError("ValidationError", message, 400);
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/** The claims of an unsigned-checked JWT, or undefined when it is not one. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    return claims && typeof claims === "object" && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function assumeRoleWithWebIdentity(input: Record<string, unknown>, ctx: CallContext) {
  const roleArn = requireString(input, "RoleArn", { min: 20, max: 2048 }, invalid);
  const sessionName = requireString(input, "RoleSessionName", { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/ }, invalid);
  const token = requireString(input, "WebIdentityToken", { min: 4, max: 20000 }, invalid);
  const durationText = optionalString(input, "DurationSeconds", { pattern: /^\d+$/ }, invalid);
  const duration = durationText === undefined ? 3600 : Number(durationText);
  if (duration < 900 || duration > 43200) {
    throw invalid(`1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`, "");
  }
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw invalid(`${roleArn} is invalid`, "");
  const [, accountId, roleName] = match;

  const claims = jwtClaims(token);
  if (!claims || typeof claims.iss !== "string") {
    throw new AwsError("InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", 400);
  }
  const iam = iamAccount(ctx.state, accountId);
  const issuer = claims.iss.replace(/^https:\/\//, "").replace(/\/$/, "");
  const providerArn = `arn:aws:iam::${accountId}:oidc-provider/${issuer}`;
  const provider = iam.oidcProviders.get(providerArn);
  if (!provider) throw new AwsError("InvalidIdentityToken", `No OpenIDConnect provider found in your account for ${claims.iss}`, 400);
  const audiences = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? "")];
  if (!audiences.some((a) => provider.ClientIDList.includes(a))) throw new AwsError("InvalidIdentityToken", "Incorrect token audience", 400);
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= ctx.now()) {
    throw new AwsError("ExpiredTokenException", "Token expired: current date/time must be before the expiration date/time.", 400);
  }
  const role = iam.roles.get(roleName.toLowerCase());
  if (!role || role.Arn !== roleArn || !allowsWebIdentity(role.AssumeRolePolicyDocument, providerArn, claims)) {
    throw new AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);
  }
  if (duration > role.MaxSessionDuration) throw invalid("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", "");

  const issued = issueRoleCredentials(ctx.state, { accountId, roleName: role.RoleName, userName: sessionName, expiresAt: ctx.now() + duration * 1000, via: "web-identity" });
  return {
    Credentials: stsCredentials(issued),
    SubjectFromWebIdentityToken: String(claims.sub ?? ""),
    AssumedRoleUser: { AssumedRoleId: `${role.RoleId}:${sessionName}`, Arn: `arn:aws:sts::${accountId}:assumed-role/${role.RoleName}/${sessionName}` },
    Provider: providerArn,
    Audience: audiences[0],
  };
}
