/**
 * Emulated IAM Identity Center administration (JSON 1.1, target prefix `SWBExternalService`):
 * instances and permission sets here, account assignments and provisioning in
 * `ssoAdminAssignments.ts`. Behaviour follows the IAM Identity Center API reference
 * (docs.aws.amazon.com/singlesignon/latest/APIReference/) and docs/aws-facts.md, IAM Identity Center.
 */
import { epochSeconds } from "../protocols.js";
import { enableIdentityCenter, type IdentityCenterInstance, type PermissionSet } from "../state.js";
import { AwsError, type CallContext, type ServiceOperations } from "../types.js";
import { assignmentOperations } from "./ssoAdminAssignments.js";
import { conflict, instanceFor, newPermissionSetArn, outdatedAccounts, permissionSetFor, SSO_ADMIN_MAX_PAGE } from "./ssoAdminLookup.js";
import { optionalString, pageOf, requireString, validationInvalid as invalid } from "./validate.js";

/** A change to a provisioned permission set reaches its accounts only after ProvisionPermissionSet. */
function markChanged(set: PermissionSet): void {
  for (const account of set.provisionedTo) outdatedAccounts(set).add(account);
  set.outdated = outdatedAccounts(set).size > 0;
}

/** ISO-8601 duration → seconds, for the forms Identity Center accepts (PnDTnHnMnS, PnW). */
export function durationSeconds(text: string): number | undefined {
  const m = text.match(/^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/);
  if (!m || text === "P" || text.endsWith("T")) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
}

/** SessionDuration: ISO-8601, from 1 hour to 12 hours (CreatePermissionSet, API reference). */
function sessionDuration(input: Record<string, unknown>): string | undefined {
  const value = optionalString(input, "SessionDuration", { min: 1, max: 100 }, invalid);
  if (value === undefined) return undefined;
  const seconds = durationSeconds(value);
  if (seconds === undefined) throw invalid(`SessionDuration '${value}' is not a valid ISO-8601 duration.`, "INVALID_PATTERN");
  if (seconds < 3600 || seconds > 12 * 3600) {
    throw invalid(`SessionDuration '${value}' must be between PT1H and PT12H.`, "INVALID_INPUT");
  }
  return value;
}

/** "Number of permission sets allowed in IAM Identity Center: 2000" (Identity Center quotas). */
const MAX_PERMISSION_SETS = 2000;

const DESCRIPTION = { min: 1, max: 700, pattern: /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/ };
const RELAY_STATE = { min: 1, max: 240, pattern: /^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+[\]. ()}]+$/ };

function permissionSetOut(p: PermissionSet) {
  return {
    Name: p.Name,
    PermissionSetArn: p.PermissionSetArn,
    ...(p.Description !== undefined ? { Description: p.Description } : {}),
    CreatedDate: epochSeconds(p.CreatedDate),
    SessionDuration: p.SessionDuration,
    ...(p.RelayState !== undefined ? { RelayState: p.RelayState } : {}),
  };
}

function instanceOut(i: IdentityCenterInstance) {
  return {
    InstanceArn: i.InstanceArn,
    IdentityStoreId: i.IdentityStoreId,
    OwnerAccountId: i.OwnerAccountId,
    ...(i.Name ? { Name: i.Name } : {}),
    CreatedDate: epochSeconds(i.CreatedDate),
    Status: i.Status,
  };
}

function createPermissionSet(input: Record<string, unknown>, ctx: CallContext) {
  const name = requireString(input, "Name", { min: 1, max: 32, pattern: /^[\w+=,.@-]+$/ }, invalid);
  const description = optionalString(input, "Description", DESCRIPTION, invalid);
  const duration = sessionDuration(input) ?? "PT1H";
  const relayState = optionalString(input, "RelayState", RELAY_STATE, invalid);
  const instance = instanceFor(input, ctx);
  const sets = [...ctx.state.permissionSets.values()].filter((p) => p.instanceArn === instance.InstanceArn);
  // Names are unique within an instance; AWS answers a duplicate with ConflictException (docs/aws-facts.md, IAM Identity Center).
  if (sets.some((p) => p.Name === name)) throw conflict(`PermissionSet with name ${name} already exists.`);
  if (sets.length >= MAX_PERMISSION_SETS) {
    throw new AwsError("ServiceQuotaExceededException", "The number of permission sets has reached the quota.", 400);
  }
  const set: PermissionSet = {
    PermissionSetArn: newPermissionSetArn(instance.InstanceArn),
    Name: name,
    Description: description,
    SessionDuration: duration,
    RelayState: relayState,
    CreatedDate: ctx.now(),
    instanceArn: instance.InstanceArn,
    managedPolicies: [],
    provisionedTo: new Set(),
    outdated: false,
  };
  ctx.state.permissionSets.set(set.PermissionSetArn, set);
  return { PermissionSet: permissionSetOut(set) };
}

function createInstance(input: Record<string, unknown>, ctx: CallContext) {
  const name = optionalString(input, "Name", { min: 1, max: 32, pattern: /^[\w+=,.@-]+$/ }, invalid);
  const { state } = ctx;
  // "The CreateInstance request is rejected if ... the instance is created within the organization
  // management account" (CreateInstance, API reference); AWS answers 400 "Organization management
  // account is not allowed to perform the operation." The organization instance is console-only.
  if (state.organization && state.caller.kind !== "member") {
    throw invalid("Organization management account is not allowed to perform the operation.", "INVALID_INPUT");
  }
  if (state.caller.kind === "member") {
    throw new AwsError("AccessDeniedException", "Account instances of IAM Identity Center are not enabled for this organization's member accounts.", 400);
  }
  // "...rejected if an instance already exists in the same account", in any region.
  if (state.instances.size > 0) throw conflict("An instance of IAM Identity Center already exists for this account.");
  const instance = enableIdentityCenter(state, ctx.region);
  if (name) instance.Name = name;
  return { InstanceArn: instance.InstanceArn };
}

export const ssoAdminOperations: ServiceOperations = {
  ListInstances: {
    mutating: false,
    handle: (input, ctx) => {
      // Regional: only the instance of the region the request was signed for.
      const instance = ctx.state.caller.kind === "member" ? undefined : ctx.state.instances.get(ctx.region);
      const { page, nextToken } = pageOf(instance ? [instance] : [], input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
      return { Instances: page.map(instanceOut), NextToken: nextToken };
    },
  },
  DescribeInstance: {
    mutating: false,
    handle: (input, ctx) => instanceOut(instanceFor(input, ctx)),
  },
  CreateInstance: { mutating: true, handle: createInstance },
  CreatePermissionSet: { mutating: true, handle: createPermissionSet },
  DescribePermissionSet: {
    mutating: false,
    handle: (input, ctx) => ({ PermissionSet: permissionSetOut(permissionSetFor(input, instanceFor(input, ctx), ctx.state)) }),
  },
  ListPermissionSets: {
    mutating: false,
    handle: (input, ctx) => {
      const instance = instanceFor(input, ctx);
      const arns = [...ctx.state.permissionSets.values()].filter((p) => p.instanceArn === instance.InstanceArn).map((p) => p.PermissionSetArn);
      const { page, nextToken } = pageOf(arns, input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
      return { PermissionSets: page, NextToken: nextToken };
    },
  },
  UpdatePermissionSet: {
    mutating: true,
    handle: (input, ctx) => {
      const description = optionalString(input, "Description", DESCRIPTION, invalid);
      const duration = sessionDuration(input);
      const relayState = optionalString(input, "RelayState", RELAY_STATE, invalid);
      const set = permissionSetFor(input, instanceFor(input, ctx), ctx.state);
      if (description !== undefined) set.Description = description;
      if (duration !== undefined) set.SessionDuration = duration;
      if (relayState !== undefined) set.RelayState = relayState;
      markChanged(set);
      return {};
    },
  },
  AttachManagedPolicyToPermissionSet: {
    mutating: true,
    handle: (input, ctx) => {
      const arn = requireString(input, "ManagedPolicyArn", { min: 20, max: 2048, pattern: /^arn:aws[-a-z]*:iam::(aws|\d{12}):policy\/.+$/ }, invalid);
      const set = permissionSetFor(input, instanceFor(input, ctx), ctx.state);
      if (set.managedPolicies.some((p) => p.Arn === arn)) throw conflict(`Managed policy ${arn} is already attached to the permission set.`);
      set.managedPolicies.push({ Name: arn.split("/").pop()!, Arn: arn });
      markChanged(set);
      return {};
    },
  },
  ListManagedPoliciesInPermissionSet: {
    mutating: false,
    handle: (input, ctx) => {
      const set = permissionSetFor(input, instanceFor(input, ctx), ctx.state);
      const { page, nextToken } = pageOf(set.managedPolicies, input, SSO_ADMIN_MAX_PAGE, ctx.state, invalid);
      return { AttachedManagedPolicies: page, NextToken: nextToken };
    },
  },
  ...assignmentOperations,
};
