/**
 * Fault injection and AWS's request-rate limits, and the clock that settles asynchronous work.
 */
import { newAccountId, type SandboxState } from "./state.js";
import { AwsError } from "./types.js";

/** Each service's own throttling and server-error names (all retried by the SDK's standard retry). */
const errorNames: Record<string, { throttle: [string, number]; server: [string, number] }> = {
  organizations: { throttle: ["TooManyRequestsException", 400], server: ["ServiceException", 500] },
  "sso-admin": { throttle: ["ThrottlingException", 400], server: ["InternalServerException", 500] },
  identitystore: { throttle: ["ThrottlingException", 400], server: ["InternalServerException", 500] },
  sts: { throttle: ["Throttling", 400], server: ["InternalFailure", 500] },
  iam: { throttle: ["Throttling", 400], server: ["ServiceFailure", 500] },
  "sso-oidc": { throttle: ["SlowDownException", 400], server: ["InternalServerException", 500] },
  sso: { throttle: ["TooManyRequestsException", 429], server: ["InternalServerException", 500] },
  budgets: { throttle: ["ThrottlingException", 400], server: ["InternalErrorException", 500] },
};

/**
 * Request rates per account, rate/burst per second (Organizations user guide, "Quotas for AWS
 * Organizations" → "Throttling limits"; docs/aws-facts.md, Request rates). Identity Center's APIs share about 20 TPS:
 * that figure is modelled as one bucket for sso-admin and identitystore together.
 */
export const rateLimits: Record<string, { rate: number; burst: number }> = {
  "organizations.CreateAccount": { rate: 0.1, burst: 3 },
  "organizations.CloseAccount": { rate: 0.05, burst: 1 },
  "organizations.DescribeCreateAccountStatus": { rate: 2, burst: 2 },
  "organizations.DescribeAccount": { rate: 20, burst: 30 },
  "organizations.ListAccounts": { rate: 8, burst: 12 },
  "organizations.EnableAWSServiceAccess": { rate: 1, burst: 2 },
  "identity-center": { rate: 20, burst: 20 },
};

const buckets = new WeakMap<SandboxState, Map<string, { tokens: number; at: number }>>();

function bucketKey(service: string, operation: string): string | undefined {
  if (service === "sso-admin" || service === "identitystore") return "identity-center";
  const key = `${service}.${operation}`;
  return rateLimits[key] ? key : undefined;
}

function takeToken(state: SandboxState, key: string): boolean {
  const limit = rateLimits[key];
  const scale = state.faults.rateScale ?? 1;
  let map = buckets.get(state);
  if (!map) buckets.set(state, (map = new Map()));
  const now = Date.now();
  const b = map.get(key) ?? { tokens: limit.burst, at: now };
  b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.rate * scale);
  b.at = now;
  map.set(key, b);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

export function checkFaults(state: SandboxState, service: string, operation: string): void {
  const names = errorNames[service] ?? errorNames.organizations;
  if (state.faults.enforceRateLimits) {
    const key = bucketKey(service, operation);
    if (key && !takeToken(state, key)) {
      throw new AwsError(names.throttle[0], "Rate exceeded", names.throttle[1], { Type: "rate" });
    }
  }
  const injected = state.faults.errorsByOperation?.[operation];
  if (injected) throw new AwsError(injected.name, injected.message ?? `${injected.name} (injected)`, injected.status ?? 400, injected.reason ? { Reason: injected.reason } : {});
  const applies = state.faults.operations.length === 0 || state.faults.operations.includes(operation);
  if (!applies) return;
  if (state.faults.spread) {
    // One schedule for both kinds (a fault whenever calls × total rate crosses a whole number),
    // then the kind that is furthest behind its share: exact shares, never two faults on one call.
    const { throttleRate: t, serverErrorRate: e } = state.faults;
    const c = (state.faults.spreadCounts ??= { calls: 0, throttled: 0, failed: 0 });
    c.calls += 1;
    const total = t + e;
    if (total <= 0 || Math.floor(c.calls * total) === Math.floor((c.calls - 1) * total)) return;
    if (e === 0 || (t > 0 && c.throttled / t <= c.failed / e)) {
      c.throttled += 1;
      throw new AwsError(names.throttle[0], "Rate exceeded (injected)", names.throttle[1]);
    }
    c.failed += 1;
    throw new AwsError(names.server[0], "We encountered an internal error. Please try again. (injected)", names.server[1]);
  }
  const roll = state.random();
  if (roll < state.faults.throttleRate) {
    throw new AwsError(names.throttle[0], "Rate exceeded (injected)", names.throttle[1]);
  }
  if (roll < state.faults.throttleRate + state.faults.serverErrorRate) {
    throw new AwsError(names.server[0], "We encountered an internal error. Please try again. (injected)", names.server[1]);
  }
}

/** Moves asynchronous work whose time has come to its final state. Called before every operation. */
export function settleAsyncWork(state: SandboxState, now = Date.now()): void {
  for (const status of state.createAccountStatuses.values()) {
    if (status.State !== "IN_PROGRESS" || status.settlesAt > now) continue;
    status.CompletedTimestamp = now;
    if (status.outcome.state === "FAILED") {
      status.State = "FAILED";
      status.FailureReason = status.outcome.reason;
      continue;
    }
    const id = newAccountId();
    state.accounts.set(id, {
      Id: id,
      Arn: `arn:aws:organizations::${state.managementAccount.Id}:account/${state.organization?.Id ?? "o-unknown"}/${id}`,
      Email: status.Email,
      Name: status.AccountName,
      State: "ACTIVE",
      JoinedMethod: "CREATED",
      JoinedTimestamp: now,
      accessRoleName: status.roleName,
    });
    status.State = "SUCCEEDED";
    status.AccountId = id;
  }
  for (const account of state.accounts.values()) {
    if (account.State === "PENDING_CLOSURE" && account.closesAt !== undefined && account.closesAt <= now) {
      account.State = "SUSPENDED";
    }
  }
  for (const op of state.assignmentOps.values()) {
    if (op.Status !== "IN_PROGRESS" || op.settlesAt > now) continue;
    if (op.outcome.state === "FAILED") {
      op.Status = "FAILED";
      op.FailureReason = op.outcome.reason;
      continue;
    }
    const same = (a: (typeof state.assignments)[number]) =>
      a.AccountId === op.TargetId &&
      a.PermissionSetArn === op.PermissionSetArn &&
      a.PrincipalType === op.PrincipalType &&
      a.PrincipalId === op.PrincipalId &&
      a.instanceArn === op.instanceArn;
    if (op.kind === "create") {
      if (!state.assignments.some(same)) {
        state.assignments.push({
          AccountId: op.TargetId,
          PermissionSetArn: op.PermissionSetArn,
          PrincipalType: op.PrincipalType,
          PrincipalId: op.PrincipalId,
          instanceArn: op.instanceArn,
        });
      }
      state.permissionSets.get(op.PermissionSetArn)?.provisionedTo.add(op.TargetId);
    } else {
      state.assignments = state.assignments.filter((a) => !same(a));
    }
    op.Status = "SUCCEEDED";
  }
}
