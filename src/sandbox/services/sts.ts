import { accessKeyFromAuthorization } from "../protocols.js";
import type { CallContext, ServiceOperations } from "../types.js";
import { AwsError } from "../types.js";
import type { RoleSession } from "../state.js";
import { issueRoleCredentials, stsCredentials } from "./roleSessions.js";
import { iamAccount } from "./iamState.js";
import { assumeRoleWithWebIdentity } from "./webIdentity.js";
import { optionalString, requireString, type InvalidInput } from "./validate.js";

// STS answers bad input with the query protocol's generic ValidationError (STS API reference, Common Errors).
const invalid: InvalidInput = (message) => new AwsError("ValidationError", message, 400);

/** The session a request is signed with, when its key id is one the emulator handed out. */
function sessionOf(ctx: CallContext): RoleSession | undefined {
  const header = ctx.headers.authorization;
  const keyId = accessKeyFromAuthorization(Array.isArray(header) ? header[0] : header);
  const session = keyId ? ctx.state.roleSessions.get(keyId) : undefined;
  if (session && session.expiresAt <= ctx.now()) throw new AwsError("ExpiredToken", "The security token included in the request is expired", 400);
  return session;
}

/**
 * Who the request is signed as. Role credentials the emulated portal handed out answer as the
 * SSO role in that account, the way AWS names it
 * (`arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<permission set>_<suffix>/<user name>`),
 * so `exec --profile acme-dev` can be checked to reach acme-dev; AssumeRole credentials as
 * `assumed-role/<role>/<session name>` (AssumeRoleWithWebIdentity's too). Anything else is the scenario's caller.
 */
function callerIdentity(ctx: CallContext) {
  const session = sessionOf(ctx);
  if (!session) {
    const { caller } = ctx.state;
    return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
  }
  const role = session.via === "assume-role" || session.via === "web-identity" ? session.roleName : `AWSReservedSSO_${session.roleName}_${session.accountId.slice(-8)}sandbox`;
  return {
    UserId: `AROASANDBOX${session.accountId.slice(-8)}:${session.userName}`,
    Account: session.accountId,
    Arn: `arn:aws:sts::${session.accountId}:assumed-role/${role}/${session.userName}`,
  };
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const ONE_HOUR = 3600;

/**
 * AssumeRole as it reaches the roles Organizations makes in the accounts it creates
 * (OrganizationAccountAccessRole, trusting the management account). AWS's rules kept here:
 * the root user may not assume a role; only the management account is trusted; those roles
 * allow sessions of at most one hour (their default MaxSessionDuration), and a role assuming a
 * role (role chaining) is capped at one hour too
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
 */
function assumeRole(input: Record<string, unknown>, ctx: CallContext) {
  const roleArn = requireString(input, "RoleArn", { min: 20, max: 2048 }, invalid);
  const sessionName = requireString(input, "RoleSessionName", { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/ }, invalid);
  const durationText = optionalString(input, "DurationSeconds", { pattern: /^\d+$/ }, invalid);
  const duration = durationText === undefined ? ONE_HOUR : Number(durationText);
  if (duration < 900 || duration > 43200) {
    throw invalid(`1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`, "");
  }
  const session = sessionOf(ctx);
  const caller = callerIdentity(ctx);
  if (!session && ctx.state.caller.kind === "root") throw new AwsError("AccessDenied", "Roles may not be assumed by root accounts.", 403);
  const match = ROLE_ARN.exec(roleArn);
  if (!match) throw invalid(`${roleArn} is invalid`, "");
  const [, accountId, roleName] = match;
  const account = ctx.state.accounts.get(accountId);
  const trusted = caller.Account === ctx.state.managementAccount.Id && ctx.state.organization !== undefined;
  // The role must still be there: IAM shows it in the account (src/sandbox/services/iamState.ts), where it can be deleted.
  const exists = account !== undefined && iamAccount(ctx.state, accountId).roles.has(roleName.toLowerCase());
  if (!trusted || !account || !exists || account.accessRoleName !== roleName || account.State !== "ACTIVE") {
    throw new AwsError("AccessDenied", `User: ${caller.Arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  if (duration > ONE_HOUR) {
    const why = session ? "the 1 hour session limit for roles assuming other roles" : "the MaxSessionDuration set for this role";
    throw invalid(`The requested DurationSeconds exceeds ${why}.`, "");
  }
  const issued = issueRoleCredentials(ctx.state, { accountId, roleName, userName: sessionName, expiresAt: ctx.now() + duration * 1000, via: "assume-role" });
  return {
    Credentials: stsCredentials(issued),
    AssumedRoleUser: { AssumedRoleId: `AROASANDBOX${accountId.slice(-8)}:${sessionName}`, Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}` },
  };
}

export const stsOperations: ServiceOperations = {
  GetCallerIdentity: { mutating: false, handle: (_input, ctx) => callerIdentity(ctx) },
  AssumeRole: { mutating: false, handle: assumeRole },
  AssumeRoleWithWebIdentity: { mutating: false, handle: assumeRoleWithWebIdentity },
};
