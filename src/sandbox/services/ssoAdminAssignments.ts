/**
 * Emulated IAM Identity Center account assignments and permission-set provisioning. Both are
 * asynchronous in AWS: the call answers IN_PROGRESS with a request id, and the work settles later
 * (`settleAsyncWork` in faults.ts for assignments; provisioning settles on read below).
 */
import { randomUUID } from "node:crypto";
import { epochSeconds } from "../protocols.js";
import type { AccountAssignment, AsyncAssignmentOp, IdentityCenterInstance, PermissionSetProvisioningOp, SandboxState } from "../state.js";
import { AwsError, type CallContext, type ServiceOperations } from "../types.js";
import { instanceFor, notFound, outdatedAccounts, permissionSetFor, SSO_ADMIN_MAX_PAGE } from "./ssoAdminLookup.js";
import { optionalString, pageOf, requireString, validationInvalid as invalid } from "./validate.js";

const ACCOUNT_ID = { min: 12, max: 12, pattern: /^\d{12}$/ };
const PRINCIPAL_ID = { min: 1, max: 47, pattern: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/ };
const REQUEST_ID = { min: 36, max: 36, pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ };
/**
 * At most 10 assignment operations outstanding per instance (docs/aws-facts.md, Request rates); past that the caller is
 * throttled with ThrottlingException, "the principal has crossed the throttling limits"
 * (CreateAccountAssignment errors, API reference), which the SDK's standard retry backs off on.
 */
const MAX_OUTSTANDING_ASSIGNMENT_OPS = 10;

interface Target {
  instance: IdentityCenterInstance;
  TargetId: string;
  PermissionSetArn: string;
  PrincipalType: "USER" | "GROUP";
  PrincipalId: string;
}

function principalExists(state: SandboxState, instance: IdentityCenterInstance, type: "USER" | "GROUP", id: string): boolean {
  const principal = type === "USER" ? state.users.get(id) : state.groups.get(id);
  return principal?.IdentityStoreId === instance.IdentityStoreId;
}

/** The inputs CreateAccountAssignment and DeleteAccountAssignment share, checked the same way. */
function assignmentTarget(input: Record<string, unknown>, ctx: CallContext): Target {
  const TargetId = requireString(input, "TargetId", ACCOUNT_ID, invalid);
  requireString(input, "TargetType", { oneOf: ["AWS_ACCOUNT"] }, invalid);
  const PrincipalType = requireString(input, "PrincipalType", { oneOf: ["USER", "GROUP"] }, invalid) as "USER" | "GROUP";
  const PrincipalId = requireString(input, "PrincipalId", PRINCIPAL_ID, invalid);
  const instance = instanceFor(input, ctx);
  const set = permissionSetFor(input, instance, ctx.state);
  if (!principalExists(ctx.state, instance, PrincipalType, PrincipalId)) {
    throw notFound(`Could not find ${PrincipalType === "USER" ? "user" : "group"} with id ${PrincipalId} in identity store ${instance.IdentityStoreId}.`);
  }
  return { instance, TargetId, PermissionSetArn: set.PermissionSetArn, PrincipalType, PrincipalId };
}

function sameAssignment(t: Target) {
  return (a: AccountAssignment) =>
    a.AccountId === t.TargetId && a.PermissionSetArn === t.PermissionSetArn && a.PrincipalType === t.PrincipalType && a.PrincipalId === t.PrincipalId;
}

function opOut(op: AsyncAssignmentOp) {
  return {
    Status: op.Status,
    RequestId: op.RequestId,
    ...(op.FailureReason ? { FailureReason: op.FailureReason } : {}),
    TargetId: op.TargetId,
    TargetType: op.TargetType,
    PermissionSetArn: op.PermissionSetArn,
    PrincipalType: op.PrincipalType,
    PrincipalId: op.PrincipalId,
    CreatedDate: epochSeconds(op.CreatedDate),
  };
}

function startAssignmentOp(kind: AsyncAssignmentOp["kind"], t: Target, ctx: CallContext): AsyncAssignmentOp {
  const { state } = ctx;
  const outstanding = [...state.assignmentOps.values()].filter((o) => o.Status === "IN_PROGRESS" && o.instanceArn === t.instance.InstanceArn);
  if (outstanding.length >= MAX_OUTSTANDING_ASSIGNMENT_OPS) {
    throw new AwsError("ThrottlingException", "Too many account assignment operations are in progress. Wait for some to finish and try again.", 400);
  }
  // A member account must be in the organization and active for the role to be provisioned there;
  // otherwise the request is accepted and fails asynchronously, as provisioning does in AWS.
  const account = state.accounts.get(t.TargetId);
  const reachable = account && (account.State === "ACTIVE" || account.State === "PENDING_ACTIVATION");
  const now = ctx.now();
  const op: AsyncAssignmentOp = {
    RequestId: randomUUID(),
    kind,
    Status: "IN_PROGRESS",
    TargetId: t.TargetId,
    TargetType: "AWS_ACCOUNT",
    PermissionSetArn: t.PermissionSetArn,
    PrincipalType: t.PrincipalType,
    PrincipalId: t.PrincipalId,
    CreatedDate: now,
    settlesAt: now + state.timings.assignmentMs,
    instanceArn: t.instance.InstanceArn,
    outcome: createOutcome(kind, t.TargetId, account?.Name, Boolean(reachable), state),
  };
  state.assignmentOps.set(op.RequestId, op);
  return op;
}

function describeOp(kind: AsyncAssignmentOp["kind"], field: string) {
  return (input: Record<string, unknown>, ctx: CallContext) => {
    const id = requireString(input, field, REQUEST_ID, invalid);
    const instance = instanceFor(input, ctx);
    const op = ctx.state.assignmentOps.get(id);
    if (!op || op.kind !== kind || op.instanceArn !== instance.InstanceArn) throw notFound(`Could not find request ${id}.`);
    return op;
  };
}

/**
 * ListAccountAssignmentCreationStatus / …DeletionStatus: the instance's operations of one kind,
 * optionally filtered by `Filter.Status`, paged (MaxResults 1–100), each as
 * AccountAssignmentOperationStatusMetadata (Status, RequestId, CreatedDate; no failure reason).
 */
function listOps(kind: AsyncAssignmentOp["kind"], key: string) {
  return (input: Record<string, unknown>, ctx: CallContext) => {
    const instance = instanceFor(input, ctx);
    const filter = input.Filter;
    if (filter !== undefined && (typeof filter !== "object" || filter === null || Array.isArray(filter))) throw invalid("Filter must be a structure.", "INVALID_INPUT");
    const status = optionalString((filter ?? {}) as Record<string, unknown>, "Status", { oneOf: ["IN_PROGRESS", "FAILED", "SUCCEEDED"] }, invalid);
    const items = [...ctx.state.assignmentOps.values()].filter((o) => o.kind === kind && o.instanceArn === instance.InstanceArn && (!status || o.Status === status));
    const { page, nextToken } = pageOf(items, input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
    return { [key]: page.map((o) => ({ Status: o.Status, RequestId: o.RequestId, CreatedDate: epochSeconds(o.CreatedDate) })), NextToken: nextToken };
  };
}

const describeCreation = describeOp("create", "AccountAssignmentCreationRequestId");
const describeDeletion = describeOp("delete", "AccountAssignmentDeletionRequestId");

function provisioningOut(op: PermissionSetProvisioningOp, now: number) {
  // Provisioning takes effect at once here; its status reads IN_PROGRESS until its time is up.
  return {
    Status: now >= op.settlesAt ? "SUCCEEDED" : "IN_PROGRESS",
    RequestId: op.RequestId,
    ...(op.AccountId ? { AccountId: op.AccountId } : {}),
    PermissionSetArn: op.PermissionSetArn,
    CreatedDate: epochSeconds(op.CreatedDate),
  };
}

function provisionPermissionSet(input: Record<string, unknown>, ctx: CallContext) {
  const targetType = requireString(input, "TargetType", { oneOf: ["AWS_ACCOUNT", "ALL_PROVISIONED_ACCOUNTS"] }, invalid);
  const targetId = optionalString(input, "TargetId", ACCOUNT_ID, invalid);
  if (targetType === "AWS_ACCOUNT" && !targetId) throw invalid("TargetId is required when TargetType is AWS_ACCOUNT.", "INPUT_REQUIRED");
  const instance = instanceFor(input, ctx);
  const set = permissionSetFor(input, instance, ctx.state);
  const outdated = outdatedAccounts(set);
  if (targetType === "AWS_ACCOUNT") {
    set.provisionedTo.add(targetId!);
    outdated.delete(targetId!);
  } else {
    outdated.clear();
  }
  set.outdated = outdated.size > 0;
  const now = ctx.now();
  const op: PermissionSetProvisioningOp = {
    RequestId: randomUUID(),
    AccountId: targetType === "AWS_ACCOUNT" ? targetId : undefined,
    PermissionSetArn: set.PermissionSetArn,
    CreatedDate: now,
    settlesAt: now + ctx.state.timings.assignmentMs,
    instanceArn: instance.InstanceArn,
  };
  (ctx.state.provisioningOps ??= new Map()).set(op.RequestId, op);
  return { PermissionSetProvisioningStatus: provisioningOut(op, now) };
}

/** ProvisioningStatus filter of the two "provisioned" listings. */
function provisioningFilter(input: Record<string, unknown>): ((outdated: boolean) => boolean) {
  const status = optionalString(input, "ProvisioningStatus", { oneOf: ["LATEST_PERMISSION_SET_PROVISIONED", "LATEST_PERMISSION_SET_NOT_PROVISIONED"] }, invalid);
  if (!status) return () => true;
  return (outdated) => outdated === (status === "LATEST_PERMISSION_SET_NOT_PROVISIONED");
}

const assignmentOut = (a: AccountAssignment) => ({
  AccountId: a.AccountId,
  PermissionSetArn: a.PermissionSetArn,
  PrincipalType: a.PrincipalType,
  PrincipalId: a.PrincipalId,
});

export const assignmentOperations: ServiceOperations = {
  CreateAccountAssignment: {
    mutating: true,
    // Creating an assignment that already exists succeeds (the op settles with nothing to add).
    handle: (input, ctx) => ({ AccountAssignmentCreationStatus: opOut(startAssignmentOp("create", assignmentTarget(input, ctx), ctx)) }),
  },
  DescribeAccountAssignmentCreationStatus: {
    mutating: false,
    handle: (input, ctx) => ({ AccountAssignmentCreationStatus: opOut(describeCreation(input, ctx)) }),
  },
  ListAccountAssignmentCreationStatus: { mutating: false, handle: listOps("create", "AccountAssignmentsCreationStatus") },
  DeleteAccountAssignment: {
    mutating: true,
    handle: (input, ctx) => {
      const target = assignmentTarget(input, ctx);
      const exists = ctx.state.assignments.some((a) => a.instanceArn === target.instance.InstanceArn && sameAssignment(target)(a));
      if (!exists) throw notFound("Could not find the account assignment to delete.");
      return { AccountAssignmentDeletionStatus: opOut(startAssignmentOp("delete", target, ctx)) };
    },
  },
  DescribeAccountAssignmentDeletionStatus: {
    mutating: false,
    handle: (input, ctx) => ({ AccountAssignmentDeletionStatus: opOut(describeDeletion(input, ctx)) }),
  },
  ListAccountAssignmentDeletionStatus: { mutating: false, handle: listOps("delete", "AccountAssignmentsDeletionStatus") },
  ListAccountAssignments: {
    mutating: false,
    handle: (input, ctx) => {
      const accountId = requireString(input, "AccountId", ACCOUNT_ID, invalid);
      const instance = instanceFor(input, ctx);
      const set = permissionSetFor(input, instance, ctx.state);
      const items = ctx.state.assignments.filter((a) => a.instanceArn === instance.InstanceArn && a.AccountId === accountId && a.PermissionSetArn === set.PermissionSetArn);
      const { page, nextToken } = pageOf(items, input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
      return { AccountAssignments: page.map(assignmentOut), NextToken: nextToken };
    },
  },
  ListAccountAssignmentsForPrincipal: {
    mutating: false,
    handle: (input, ctx) => {
      const principalId = requireString(input, "PrincipalId", PRINCIPAL_ID, invalid);
      const principalType = requireString(input, "PrincipalType", { oneOf: ["USER", "GROUP"] }, invalid);
      const filter = (input.Filter ?? {}) as Record<string, unknown>;
      const accountId = optionalString(filter, "AccountId", ACCOUNT_ID, invalid);
      const instance = instanceFor(input, ctx);
      const items = ctx.state.assignments.filter(
        (a) =>
          a.instanceArn === instance.InstanceArn &&
          a.PrincipalId === principalId &&
          a.PrincipalType === principalType &&
          (!accountId || a.AccountId === accountId),
      );
      const { page, nextToken } = pageOf(items, input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
      return { AccountAssignments: page.map(assignmentOut), NextToken: nextToken };
    },
  },
  ProvisionPermissionSet: { mutating: true, handle: provisionPermissionSet },
  DescribePermissionSetProvisioningStatus: {
    mutating: false,
    handle: (input, ctx) => {
      const id = requireString(input, "ProvisionPermissionSetRequestId", REQUEST_ID, invalid);
      const instance = instanceFor(input, ctx);
      const op = ctx.state.provisioningOps?.get(id);
      if (!op || op.instanceArn !== instance.InstanceArn) throw notFound(`Could not find request ${id}.`);
      return { PermissionSetProvisioningStatus: provisioningOut(op, ctx.now()) };
    },
  },
  ListPermissionSetsProvisionedToAccount: {
    mutating: false,
    handle: (input, ctx) => {
      const accountId = requireString(input, "AccountId", ACCOUNT_ID, invalid);
      const keep = provisioningFilter(input);
      const instance = instanceFor(input, ctx);
      const arns = [...ctx.state.permissionSets.values()]
        .filter((p) => p.instanceArn === instance.InstanceArn && p.provisionedTo.has(accountId) && keep(outdatedAccounts(p).has(accountId)))
        .map((p) => p.PermissionSetArn);
      const { page, nextToken } = pageOf(arns, input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
      return { PermissionSets: page, NextToken: nextToken };
    },
  },
  ListAccountsForProvisionedPermissionSet: {
    mutating: false,
    handle: (input, ctx) => {
      const keep = provisioningFilter(input);
      const set = permissionSetFor(input, instanceFor(input, ctx), ctx.state);
      const ids = [...set.provisionedTo].filter((id) => keep(outdatedAccounts(set).has(id)));
      const { page, nextToken } = pageOf(ids, input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
      return { AccountIds: page, NextToken: nextToken };
    },
  },
};

function createOutcome(kind: "create" | "delete", accountId: string, accountName: string | undefined, reachable: boolean, state: SandboxState): AsyncAssignmentOp["outcome"] {
  if (kind !== "create") return { state: "SUCCEEDED" };
  if (!reachable) return { state: "FAILED", reason: `Received a 404 status error: Account ${accountId} is not an active member of the organization.` };
  const injected = state.assignmentFailures.get(accountId) ?? (accountName ? state.assignmentFailures.get(accountName) : undefined);
  return injected ? { state: "FAILED", reason: injected } : { state: "SUCCEEDED" };
}
