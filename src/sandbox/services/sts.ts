import { accessKeyFromAuthorization } from "../protocols.js";
import type { CallContext, ServiceOperations } from "../types.js";
import { AwsError } from "../types.js";

/**
 * Who the request is signed as. Role credentials the emulated portal handed out answer as the
 * SSO role in that account, the way AWS names it
 * (`arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<permission set>_<suffix>/<user name>`),
 * so `exec --profile acme-dev` can be checked to reach acme-dev. Anything else is the scenario's caller.
 */
function callerIdentity(ctx: CallContext) {
  const header = ctx.headers.authorization;
  const keyId = accessKeyFromAuthorization(Array.isArray(header) ? header[0] : header);
  const session = keyId ? ctx.state.roleSessions.get(keyId) : undefined;
  if (!session) {
    const { caller } = ctx.state;
    return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
  }
  if (session.expiresAt <= ctx.now()) throw new AwsError("ExpiredToken", "The security token included in the request is expired", 400);
  const role = `AWSReservedSSO_${session.roleName}_${session.accountId.slice(-8)}sandbox`;
  return {
    UserId: `AROASANDBOX${session.accountId.slice(-8)}:${session.userName}`,
    Account: session.accountId,
    Arn: `arn:aws:sts::${session.accountId}:assumed-role/${role}/${session.userName}`,
  };
}

export const stsOperations: ServiceOperations = {
  GetCallerIdentity: { mutating: false, handle: (_input, ctx) => callerIdentity(ctx) },
};
