/**
 * IAM roles, per account: create, read, list, change the trust policy, delete; managed-policy
 * attachments and tags — with IAM's names, errors and quotas (IAM API reference; docs/aws-facts.md, IAM):
 * - names `[\w+=,.@-]{1,64}`, unique regardless of case → EntityAlreadyExists (409);
 * - MaxSessionDuration 3600–43200; trust policy ≤ 2,048 characters → LimitExceeded;
 * - a trust policy IAM refuses → MalformedPolicyDocument (src/sandbox/services/iamPolicy.ts);
 * - at most 10 managed policies per role; DeleteRole with policies still attached → DeleteConflict;
 * - policies answered URL-encoded (RFC 3986), as IAM does ("Policies returned by this operation are
 *   URL-encoded", https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html).
 * Managed policies are iamPolicies.ts's: AWS-managed ones, and the acting account's own.
 */
import type { CallContext, ServiceOperations } from "../types.js";
import { optionalString, requireString } from "./validate.js";
import { checkTrustPolicy } from "./iamPolicy.js";
import { managedPolicy } from "./iamPolicies.js";
import {
  actingAccountId,
  alreadyExists,
  checkTags,
  findRole,
  iamAccount,
  iamInvalid,
  IAM_LIMITS,
  isoDate,
  limitExceeded,
  markerPage,
  mergeTags,
  newRole,
  noSuchEntity,
  queryList,
  queryTags,
  type IamAccount,
  type IamRole,
} from "./iamState.js";
import { AwsError } from "../types.js";

const ROLE_NAME = { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/ };
const POLICY_TEXT = { min: 1, max: 131072, pattern: /^[\t\n\r\u0020-\u00FF]+$/ };

function trustText(input: Record<string, unknown>, field: string, account: IamAccount): string {
  const text = requireString(input, field, POLICY_TEXT, iamInvalid);
  // IAM counts the document without its whitespace against the quota.
  if (text.replace(/\s/g, "").length > IAM_LIMITS.trustPolicyCharacters) {
    throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${IAM_LIMITS.trustPolicyCharacters}`);
  }
  checkTrustPolicy(text, (arn) => account.oidcProviders.has(arn));
  return text;
}

/** A role as IAM answers it; ListRoles leaves out tags, as AWS does. */
function roleOut(role: IamRole, withTags = true) {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: isoDate(role.CreateDate),
    AssumeRolePolicyDocument: encodeURIComponent(role.AssumeRolePolicyDocument),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    ...(withTags && role.tags.length ? { Tags: role.tags } : {}),
  };
}

function roleIn(input: Record<string, unknown>, ctx: CallContext): IamRole {
  const name = requireString(input, "RoleName", ROLE_NAME, iamInvalid);
  return findRole(iamAccount(ctx.state, actingAccountId(ctx)), name);
}

function createRole(input: Record<string, unknown>, ctx: CallContext) {
  const name = requireString(input, "RoleName", ROLE_NAME, iamInvalid);
  const accountId = actingAccountId(ctx);
  const account = iamAccount(ctx.state, accountId);
  const path = optionalString(input, "Path", { min: 1, max: 512, pattern: /^(\/|\/[\u0021-\u007E]+\/)$/ }, iamInvalid);
  const description = optionalString(input, "Description", { max: 1000, pattern: /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/ }, iamInvalid);
  const durationText = optionalString(input, "MaxSessionDuration", { pattern: /^\d+$/ }, iamInvalid);
  const duration = durationText === undefined ? 3600 : Number(durationText);
  if (duration < 3600 || duration > 43200) {
    throw iamInvalid(`1 validation error detected: Value '${duration}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600 and less than or equal to 43200`, "");
  }
  const tags = queryTags(input) ?? [];
  checkTags(tags);
  if (tags.length > IAM_LIMITS.tagsPerResource) throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${IAM_LIMITS.tagsPerResource}`);
  if (account.roles.has(name.toLowerCase())) throw alreadyExists(`Role with name ${name} already exists.`);
  if (account.roles.size >= IAM_LIMITS.rolesPerAccount) throw limitExceeded(`Cannot exceed quota for RolesPerAccount: ${IAM_LIMITS.rolesPerAccount}`);
  const trust = trustText(input, "AssumeRolePolicyDocument", account);
  const role = newRole(accountId, name, trust, { Path: path, Description: description, MaxSessionDuration: duration, tags });
  role.CreateDate = ctx.now();
  account.roles.set(name.toLowerCase(), role);
  return { Role: roleOut(role) };
}

function updateAssumeRolePolicy(input: Record<string, unknown>, ctx: CallContext) {
  const role = roleIn(input, ctx);
  role.AssumeRolePolicyDocument = trustText(input, "PolicyDocument", iamAccount(ctx.state, actingAccountId(ctx)));
  return {};
}

function deleteRole(input: Record<string, unknown>, ctx: CallContext) {
  const role = roleIn(input, ctx);
  if (role.attached.length > 0) throw new AwsError("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409);
  iamAccount(ctx.state, actingAccountId(ctx)).roles.delete(role.RoleName.toLowerCase());
  return {};
}

function attach(input: Record<string, unknown>, ctx: CallContext) {
  const role = roleIn(input, ctx);
  const arn = requireString(input, "PolicyArn", { min: 20, max: 2048 }, iamInvalid);
  managedPolicy(iamAccount(ctx.state, actingAccountId(ctx)), arn);
  // Attaching a policy already attached succeeds and changes nothing.
  if (role.attached.includes(arn)) return {};
  if (role.attached.length >= IAM_LIMITS.managedPoliciesPerRole) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${IAM_LIMITS.managedPoliciesPerRole}`);
  role.attached.push(arn);
  return {};
}

function detach(input: Record<string, unknown>, ctx: CallContext) {
  const role = roleIn(input, ctx);
  const arn = requireString(input, "PolicyArn", { min: 20, max: 2048 }, iamInvalid);
  if (!role.attached.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
  role.attached = role.attached.filter((a) => a !== arn);
  return {};
}

function listAttached(input: Record<string, unknown>, ctx: CallContext) {
  const role = roleIn(input, ctx);
  const account = iamAccount(ctx.state, actingAccountId(ctx));
  const { page, ...rest } = markerPage(role.attached, input, ctx.state);
  return { AttachedPolicies: page.map((arn) => ({ PolicyName: managedPolicy(account, arn).name, PolicyArn: arn })), ...rest };
}

function tagRole(input: Record<string, unknown>, ctx: CallContext) {
  const role = roleIn(input, ctx);
  const tags = queryTags(input);
  if (!tags || tags.length === 0) throw iamInvalid("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null", "");
  checkTags(tags);
  role.tags = mergeTags(role.tags, tags);
  return {};
}

function untagRole(input: Record<string, unknown>, ctx: CallContext) {
  const role = roleIn(input, ctx);
  const keys = (queryList(input, "TagKeys") ?? []).map((k) => k.toLowerCase());
  role.tags = role.tags.filter((t) => !keys.includes(t.Key.toLowerCase()));
  return {};
}

function listRoles(input: Record<string, unknown>, ctx: CallContext) {
  const prefix = optionalString(input, "PathPrefix", { min: 1, max: 512 }, iamInvalid) ?? "/";
  const roles = [...iamAccount(ctx.state, actingAccountId(ctx)).roles.values()].filter((r) => r.Path.startsWith(prefix));
  const { page, ...rest } = markerPage(roles, input, ctx.state);
  return { Roles: page.map((r) => roleOut(r, false)), ...rest };
}

export const iamRoleOperations: ServiceOperations = {
  CreateRole: { mutating: true, handle: createRole },
  GetRole: { mutating: false, handle: (input, ctx) => ({ Role: roleOut(roleIn(input, ctx)) }) },
  ListRoles: { mutating: false, handle: listRoles },
  UpdateAssumeRolePolicy: { mutating: true, handle: updateAssumeRolePolicy },
  DeleteRole: { mutating: true, handle: deleteRole },
  AttachRolePolicy: { mutating: true, handle: attach },
  DetachRolePolicy: { mutating: true, handle: detach },
  ListAttachedRolePolicies: { mutating: false, handle: listAttached },
  TagRole: { mutating: true, handle: tagRole },
  UntagRole: { mutating: true, handle: untagRole },
  ListRoleTags: {
    mutating: false,
    handle: (input, ctx) => {
      const { page, ...rest } = markerPage(roleIn(input, ctx).tags, input, ctx.state);
      return { Tags: page, ...rest };
    },
  },
};
