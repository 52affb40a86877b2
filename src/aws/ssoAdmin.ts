/**
 * IAM Identity Center (sso-admin) adapter: instances, permission sets, account assignments.
 * AWS facts it follows (docs/aws-facts.md, IAM Identity Center; the sso-admin API reference):
 * - `ListInstances` is regional; an organization has at most one organization instance, and
 *   `CreateInstance` is rejected in a management account (the console enables it).
 * - `CreateAccountAssignment` is asynchronous with no SDK waiter: we poll
 *   `ListAccountAssignmentCreationStatus` once for every operation waited on, with at most 10
 *   operations outstanding (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html).
 * - `ConflictException` ("did not have time to propagate") is not retried by the SDK; we retry it.
 * - Changing a permission set that is already provisioned needs `ProvisionPermissionSet`.
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";
import { isAwsError, isPropagationConflict, nameFailedOperations } from "./errors.js";
import { collectPages } from "./paging.js";
import { batchPoller, mapLimit, pollUntil, retryWithBackoff, type Backoff } from "./waiting.js";

export interface IdentityCenterInstance {
  instanceArn: string;
  identityStoreId: string;
  ownerAccountId?: string;
  status: "CREATE_IN_PROGRESS" | "CREATE_FAILED" | "DELETE_IN_PROGRESS" | "ACTIVE";
  region: string;
}

export interface PermissionSetInfo {
  arn: string;
  name: string;
  description?: string;
  sessionDuration?: string;
  managedPolicyArns: string[];
}

export interface DesiredPermissionSet {
  name: string;
  description: string;
  /** ISO-8601, PT1H..PT12H. */
  sessionDuration: string;
  managedPolicyArns: string[];
}

export interface Assignment {
  accountId: string;
  permissionSetArn: string;
  principalType: "USER" | "GROUP";
  principalId: string;
}

export interface AssignmentResult extends Assignment {
  status: "SUCCEEDED" | "FAILED";
  failureReason?: string;
}

export interface AssignOptions {
  timeoutMs?: number;
  backoff?: Backoff;
  signal?: AbortSignal;
}

/** An assignment operation AWS accepted and is working on. */
interface AssignmentOperation {
  instanceArn: string;
  kind: "create" | "delete";
  requestId: string;
}

export interface SsoAdminApi {
  readonly region: string;
  listInstances(): Promise<IdentityCenterInstance[]>;
  listPermissionSets(instanceArn: string): Promise<PermissionSetInfo[]>;
  findPermissionSetByName(instanceArn: string, name: string): Promise<PermissionSetInfo | undefined>;
  /** Creates the set and attaches its managed policies. */
  createPermissionSet(instanceArn: string, desired: DesiredPermissionSet): Promise<PermissionSetInfo>;
  /** Brings an existing set to `desired` (duration, description, missing policies) and re-provisions it. */
  updatePermissionSet(instanceArn: string, existing: PermissionSetInfo, desired: DesiredPermissionSet): Promise<PermissionSetInfo>;
  /** Find by name, then create or update as needed; `adjust` says what an existing set should become (default: `desired`). */
  ensurePermissionSet(
    instanceArn: string,
    desired: DesiredPermissionSet,
    adjust?: (existing: PermissionSetInfo) => DesiredPermissionSet,
  ): Promise<{ permissionSet: PermissionSetInfo; status: "created" | "exists" | "updated" }>;
  listAccountAssignments(instanceArn: string, accountId: string, permissionSetArn: string): Promise<Assignment[]>;
  hasAssignment(instanceArn: string, assignment: Assignment): Promise<boolean>;
  /**
   * Starts one assignment and waits for it (an existing one is success). AWS allows at most 10
   * outstanding: callers keep to it (the assignment step kind, src/workflows/steps/assignments.ts).
   */
  assign(instanceArn: string, assignment: Assignment, options?: AssignOptions): Promise<AssignmentResult>;
  /** Removes one assignment and waits for the deletion (one already gone is success). */
  unassign(instanceArn: string, assignment: Assignment, options?: AssignOptions): Promise<AssignmentResult>;
  /** Accounts a permission set is provisioned to (every account where it is assigned, and some where it was). */
  listAccountsForProvisionedPermissionSet(instanceArn: string, permissionSetArn: string): Promise<string[]>;
  /** A user's or group's assignments, in every account or in one (`accountId`). */
  listAssignmentsForPrincipal(instanceArn: string, principal: { principalType: Assignment["principalType"]; principalId: string }, accountId?: string): Promise<Assignment[]>;
}

export const ASSIGNMENT_TIMEOUT_MS = 10 * 60_000;
/** AWS's limit on outstanding assignment operations, creations and deletions together (docs/aws-facts.md). */
export const MAX_OUTSTANDING_ASSIGNMENTS = 10;
/** Assignments take a second or two: look soon, then at most 5 % of the wait late. */
const ASSIGNMENT_BACKOFF: Backoff = { initialMs: 150, maxMs: 5_000, factor: 1.05 };

/** Does `existing` already match `desired`? (policy order does not matter; extra policies are kept). */
export function permissionSetMatches(existing: PermissionSetInfo, desired: DesiredPermissionSet): boolean {
  return (
    existing.sessionDuration === desired.sessionDuration && desired.managedPolicyArns.every((arn) => existing.managedPolicyArns.includes(arn))
  );
}

export async function openSsoAdmin(ctx: AwsContext): Promise<SsoAdminApi> {
  const sdk = await import("@aws-sdk/client-sso-admin");
  const client = new sdk.SSOAdminClient(clientConfig(ctx));
  nameFailedOperations(client);
  // sso-admin's ConflictException means "another operation on this is in progress / has not
  // propagated"; AWS's API reference says to retry it, and the SDK does not (its model marks it
  // non-retryable: aws/aws-sdk-js-v3#3822). CreatePermissionSet is the exception: there a
  // ConflictException is a duplicate name, handled by finding the existing set.
  const retryConflict = <T>(fn: () => Promise<T>, signal?: AbortSignal) => retryWithBackoff(fn, (err) => isAwsError(err, "ConflictException"), { signal });
  const retryPropagation = <T>(fn: () => Promise<T>) => retryWithBackoff(fn, isPropagationConflict);

  const describe = async (instanceArn: string, arn: string): Promise<PermissionSetInfo> => {
    const [described, policies] = await Promise.all([
      client.send(new sdk.DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn })),
      collectPages(async (token) => {
        const out = await client.send(new sdk.ListManagedPoliciesInPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn, NextToken: token }));
        return { items: out.AttachedManagedPolicies, next: out.NextToken };
      }),
    ]);
    const p = described.PermissionSet ?? {};
    return {
      arn,
      name: p.Name ?? "",
      ...(p.Description ? { description: p.Description } : {}),
      ...(p.SessionDuration ? { sessionDuration: p.SessionDuration } : {}),
      managedPolicyArns: policies.map((m) => m.Arn ?? "").filter(Boolean),
    };
  };

  const listPolicyArns = async (instanceArn: string, arn: string) =>
    (
      await collectPages(async (token) => {
        const out = await client.send(new sdk.ListManagedPoliciesInPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn, NextToken: token }));
        return { items: out.AttachedManagedPolicies, next: out.NextToken };
      })
    ).map((m) => m.Arn ?? "");

  /**
   * ConflictException from AttachManagedPolicyToPermissionSet is either "not propagated yet"
   * (retry) or "already attached": after a dropped connection the SDK repeats our own attach, and
   * a run at the same time may attach it too. Observed again: attached is success.
   */
  const attachPolicy = (instanceArn: string, arn: string, policyArn: string) =>
    retryConflict(async () => {
      try {
        await client.send(new sdk.AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn, ManagedPolicyArn: policyArn }));
      } catch (err) {
        if (isAwsError(err, "ConflictException") && (await listPolicyArns(instanceArn, arn)).includes(policyArn)) return;
        throw err;
      }
    });

  const listPermissionSetArns = (instanceArn: string) =>
    collectPages(async (token) => {
      const out = await client.send(new sdk.ListPermissionSetsCommand({ InstanceArn: instanceArn, NextToken: token }));
      return { items: out.PermissionSets, next: out.NextToken };
    });

  /**
   * One listing per round for every assignment operation waited on (per instance and kind):
   * `ListAccountAssignmentCreationStatus` / `…DeletionStatus` filtered to IN_PROGRESS, then one
   * Describe for each operation that left it (its final status and failure reason). Ten waits at
   * once thus cost one call a round, not ten, within Identity Center's shared 20 requests per second.
   */
  const listInProgress = async (instanceArn: string, kind: AssignmentOperation["kind"]): Promise<Set<string>> => {
    const filter = { InstanceArn: instanceArn, Filter: { Status: "IN_PROGRESS" as const }, MaxResults: 100 };
    const ops = await collectPages(async (token) => {
      if (kind === "create") {
        const out = await client.send(new sdk.ListAccountAssignmentCreationStatusCommand({ ...filter, NextToken: token }));
        return { items: out.AccountAssignmentsCreationStatus, next: out.NextToken };
      }
      const out = await client.send(new sdk.ListAccountAssignmentDeletionStatusCommand({ ...filter, NextToken: token }));
      return { items: out.AccountAssignmentsDeletionStatus, next: out.NextToken };
    });
    return new Set(ops.map((o) => o.RequestId ?? ""));
  };
  const describeOperation = async (op: AssignmentOperation) =>
    op.kind === "create"
      ? (await client.send(new sdk.DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: op.instanceArn, AccountAssignmentCreationRequestId: op.requestId })))
          .AccountAssignmentCreationStatus
      : (await client.send(new sdk.DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: op.instanceArn, AccountAssignmentDeletionRequestId: op.requestId })))
          .AccountAssignmentDeletionStatus;
  const operations = batchPoller<AssignmentOperation, { Status?: string; FailureReason?: string }>(async (pending) => {
    const done = new Map<AssignmentOperation, { Status?: string; FailureReason?: string }>();
    const groups = new Map<string, AssignmentOperation[]>();
    for (const op of pending) groups.set(`${op.instanceArn} ${op.kind}`, [...(groups.get(`${op.instanceArn} ${op.kind}`) ?? []), op]);
    await Promise.all(
      [...groups.values()].map(async (ops) => {
        const running = await listInProgress(ops[0].instanceArn, ops[0].kind);
        await mapLimit(
          ops.filter((op) => !running.has(op.requestId)),
          10,
          async (op) => {
            const out = await describeOperation(op);
            if (out?.Status && out.Status !== "IN_PROGRESS") done.set(op, out);
          },
        );
      }),
    );
    return done;
  });

  /** Runs one asynchronous assignment operation to its end. */
  const runAssignment = async (
    instanceArn: string,
    a: Assignment,
    kind: AssignmentOperation["kind"],
    options: AssignOptions,
  ): Promise<AssignmentResult> => {
    const input = {
      InstanceArn: instanceArn,
      TargetId: a.accountId,
      TargetType: "AWS_ACCOUNT" as const,
      PermissionSetArn: a.permissionSetArn,
      PrincipalType: a.principalType,
      PrincipalId: a.principalId,
    };
    const present = () => api.hasAssignment(instanceArn, a);
    const started = await retryConflict(async (): Promise<{ Status?: string; RequestId?: string; FailureReason?: string }> => {
      try {
        if (kind === "create") {
          const out = await client.send(new sdk.CreateAccountAssignmentCommand(input));
          return out.AccountAssignmentCreationStatus ?? {};
        }
        const out = await client.send(new sdk.DeleteAccountAssignmentCommand(input));
        return out.AccountAssignmentDeletionStatus ?? {};
      } catch (err) {
        // The SDK repeats our call after a dropped connection, and another run may make the same
        // change: an assignment that is already there (create) or already gone (delete) is the
        // end state we asked for, so observe before treating the answer as a failure.
        if (kind === "create" && isAwsError(err, "ConflictException") && (await present())) return { Status: "SUCCEEDED" };
        if (kind === "delete" && isAwsError(err, "ResourceNotFoundException", "ConflictException") && !(await present().catch(() => true))) return { Status: "SUCCEEDED" };
        throw err;
      }
    }, options.signal);
    const requestId = started.RequestId ?? "";
    let status = started.Status ?? "IN_PROGRESS";
    let failureReason = started.FailureReason;
    if (status === "IN_PROGRESS") {
      const final = await operations.wait(
        { instanceArn, kind, requestId },
        {
          what: `the access assignment in account ${a.accountId}`,
          timeoutMs: options.timeoutMs ?? ASSIGNMENT_TIMEOUT_MS,
          backoff: options.backoff ?? ASSIGNMENT_BACKOFF,
          signal: options.signal,
        },
      );
      status = final.Status ?? "FAILED";
      failureReason = final.FailureReason;
    }
    const result: AssignmentResult = { ...a, status: status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED", ...(failureReason ? { failureReason } : {}) };
    return result;
  };

  const api: SsoAdminApi = {
    region: ctx.region,

    async listInstances() {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListInstancesCommand({ NextToken: token }));
        return { items: out.Instances, next: out.NextToken };
      });
      return raw.map((i) => ({
        instanceArn: i.InstanceArn ?? "",
        identityStoreId: i.IdentityStoreId ?? "",
        ...(i.OwnerAccountId ? { ownerAccountId: i.OwnerAccountId } : {}),
        // Older answers carry no Status; an instance listed without one is in use.
        status: (i.Status ?? "ACTIVE") as IdentityCenterInstance["status"],
        region: ctx.region,
      }));
    },

    async listPermissionSets(instanceArn) {
      const arns = await listPermissionSetArns(instanceArn);
      return mapLimit(arns, 5, (arn) => describe(instanceArn, arn));
    },

    async findPermissionSetByName(instanceArn, name) {
      // There is no lookup by name: list the ARNs and describe them until one matches.
      const arns = await listPermissionSetArns(instanceArn);
      for (const arn of arns) {
        const out = await client.send(new sdk.DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
        if (out.PermissionSet?.Name === name) return describe(instanceArn, arn);
      }
      return undefined;
    },

    async createPermissionSet(instanceArn, desired) {
      let arn: string;
      try {
        const out = await retryPropagation(() =>
          client.send(
            new sdk.CreatePermissionSetCommand({
              InstanceArn: instanceArn,
              Name: desired.name,
              Description: desired.description,
              SessionDuration: desired.sessionDuration,
            }),
          ),
        );
        arn = out.PermissionSet?.PermissionSetArn ?? "";
      } catch (err) {
        // A duplicate name is ConflictException: someone (or an interrupted run) created it already.
        if (!isAwsError(err, "ConflictException")) throw err;
        const existing = await api.findPermissionSetByName(instanceArn, desired.name);
        if (!existing) throw err;
        return permissionSetMatches(existing, desired) ? existing : api.updatePermissionSet(instanceArn, existing, desired);
      }
      for (const policyArn of desired.managedPolicyArns) await attachPolicy(instanceArn, arn, policyArn);
      return { arn, name: desired.name, description: desired.description, sessionDuration: desired.sessionDuration, managedPolicyArns: [...desired.managedPolicyArns] };
    },

    async updatePermissionSet(instanceArn, existing, desired) {
      if (existing.sessionDuration !== desired.sessionDuration) {
        await retryConflict(() =>
          client.send(
            new sdk.UpdatePermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: existing.arn,
              SessionDuration: desired.sessionDuration,
              ...(existing.description ? {} : { Description: desired.description }),
            }),
          ),
        );
      }
      const missing = desired.managedPolicyArns.filter((arn) => !existing.managedPolicyArns.includes(arn));
      for (const policyArn of missing) await attachPolicy(instanceArn, existing.arn, policyArn);
      // A changed set reaches accounts it is already provisioned to only after ProvisionPermissionSet.
      const provisioned = await collectPages(async (token) => {
        const out = await client.send(
          new sdk.ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: existing.arn, NextToken: token }),
        );
        return { items: out.AccountIds, next: out.NextToken };
      });
      if (provisioned.length > 0) {
        const out = await retryConflict(() =>
          client.send(new sdk.ProvisionPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: existing.arn, TargetType: "ALL_PROVISIONED_ACCOUNTS" })),
        );
        const requestId = out.PermissionSetProvisioningStatus?.RequestId;
        if (requestId && out.PermissionSetProvisioningStatus?.Status === "IN_PROGRESS") {
          await pollUntil(
            async () => {
              const s = await client.send(new sdk.DescribePermissionSetProvisioningStatusCommand({ InstanceArn: instanceArn, ProvisionPermissionSetRequestId: requestId }));
              return s.PermissionSetProvisioningStatus?.Status === "IN_PROGRESS" ? undefined : true;
            },
            { what: `permission set ${existing.name} to be provisioned`, timeoutMs: ASSIGNMENT_TIMEOUT_MS },
          );
        }
      }
      return {
        ...existing,
        sessionDuration: desired.sessionDuration,
        managedPolicyArns: [...existing.managedPolicyArns, ...missing],
      };
    },

    async ensurePermissionSet(instanceArn, desired, adjust) {
      const existing = await api.findPermissionSetByName(instanceArn, desired.name);
      if (!existing) return { permissionSet: await api.createPermissionSet(instanceArn, desired), status: "created" };
      const wanted = adjust ? adjust(existing) : desired;
      if (permissionSetMatches(existing, wanted)) return { permissionSet: existing, status: "exists" };
      return { permissionSet: await api.updatePermissionSet(instanceArn, existing, wanted), status: "updated" };
    },

    async listAccountAssignments(instanceArn, accountId, permissionSetArn) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(
          new sdk.ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn, NextToken: token }),
        );
        return { items: out.AccountAssignments, next: out.NextToken };
      });
      return raw.map((r) => ({
        accountId: r.AccountId ?? accountId,
        permissionSetArn: r.PermissionSetArn ?? permissionSetArn,
        principalType: (r.PrincipalType ?? "USER") as Assignment["principalType"],
        principalId: r.PrincipalId ?? "",
      }));
    },

    async hasAssignment(instanceArn, a) {
      const list = await api.listAccountAssignments(instanceArn, a.accountId, a.permissionSetArn);
      return list.some((x) => x.principalType === a.principalType && x.principalId === a.principalId);
    },

    assign: (instanceArn, assignment, options = {}) => runAssignment(instanceArn, assignment, "create", options),

    unassign: (instanceArn, assignment, options = {}) => runAssignment(instanceArn, assignment, "delete", options),

    listAccountsForProvisionedPermissionSet(instanceArn, permissionSetArn) {
      return collectPages(async (token) => {
        const out = await client.send(
          new sdk.ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: permissionSetArn, NextToken: token }),
        );
        return { items: out.AccountIds, next: out.NextToken };
      });
    },

    async listAssignmentsForPrincipal(instanceArn, principal, accountId) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(
          new sdk.ListAccountAssignmentsForPrincipalCommand({
            InstanceArn: instanceArn,
            PrincipalType: principal.principalType,
            PrincipalId: principal.principalId,
            ...(accountId ? { Filter: { AccountId: accountId } } : {}),
            NextToken: token,
          }),
        );
        return { items: out.AccountAssignments, next: out.NextToken };
      });
      return raw.map((r) => ({
        accountId: r.AccountId ?? "",
        permissionSetArn: r.PermissionSetArn ?? "",
        principalType: (r.PrincipalType ?? principal.principalType) as Assignment["principalType"],
        principalId: r.PrincipalId ?? principal.principalId,
      }));
    },
  };
  return api;
}

/**
 * Looks for the organization's Identity Center instance: first in the chosen region, then in
 * every other region at once (an organization has at most one, and people forget where they
 * enabled it — docs/init.md). Regions where the call fails (not enabled, no access) are skipped.
 */
export async function findInstanceInRegions(ctx: AwsContext, regions: readonly string[]): Promise<IdentityCenterInstance | undefined> {
  const [preferred] = await (await openSsoAdmin(ctx)).listInstances();
  if (preferred) return preferred;
  const others = regions.filter((r) => r !== ctx.region);
  const found = await Promise.all(
    others.map(async (region) => {
      try {
        return await (await openSsoAdmin({ ...ctx, region })).listInstances();
      } catch {
        return [];
      }
    }),
  );
  return found.flat()[0];
}
