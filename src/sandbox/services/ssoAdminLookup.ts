/**
 * Lookups shared by the emulated SSO Admin operations: the instance and permission set a request
 * names, checked the way IAM Identity Center checks them.
 */
import { newId, type IdentityCenterInstance, type PermissionSet, type SandboxState } from "../state.js";
import { AwsError, type CallContext } from "../types.js";
import { requireString, validationInvalid as invalid } from "./validate.js";

/** Every sso-admin List operation takes MaxResults 1–100. */
export const SSO_ADMIN_MAX_PAGE = 100;

export const INSTANCE_ARN = /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
export const PERMISSION_SET_ARN = /^arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;

/** A new permission set ARN in the instance's namespace (`.../permissionSet/ssoins-.../ps-...`). */
export function newPermissionSetArn(instanceArn: string): string {
  return `arn:aws:sso:::permissionSet/${instanceArn.split("/").pop()!}/ps-${newId("", 16, "0123456789abcdef")}`;
}

export const notFound = (message: string) => new AwsError("ResourceNotFoundException", message, 400);
export const conflict = (message: string) => new AwsError("ConflictException", message, 400);

/**
 * The instance named by `InstanceArn`, seen from the caller's region: Identity Center is regional,
 * so an instance in another region is not found there. A member account of someone else's
 * organization does not own the organization instance.
 */
export function instanceFor(input: Record<string, unknown>, ctx: CallContext): IdentityCenterInstance {
  const arn = requireString(input, "InstanceArn", { min: 10, max: 1224, pattern: INSTANCE_ARN }, invalid);
  const instance = ctx.state.instances.get(ctx.region);
  if (!instance || instance.InstanceArn !== arn || ctx.state.caller.kind === "member") {
    throw notFound(`Could not find Identity Center instance ${arn} in ${ctx.region}.`);
  }
  return instance;
}

export function permissionSetFor(input: Record<string, unknown>, instance: IdentityCenterInstance, state: SandboxState): PermissionSet {
  const arn = requireString(input, "PermissionSetArn", { min: 10, max: 1224, pattern: PERMISSION_SET_ARN }, invalid);
  const set = state.permissionSets.get(arn);
  if (!set || set.instanceArn !== instance.InstanceArn) throw notFound(`Could not find PermissionSet with arn ${arn}.`);
  return set;
}

/** Accounts where the permission set changed since it was last provisioned there. */
const outdatedIn = new WeakMap<PermissionSet, Set<string>>();

export function outdatedAccounts(set: PermissionSet): Set<string> {
  let accounts = outdatedIn.get(set);
  if (!accounts) outdatedIn.set(set, (accounts = new Set()));
  return accounts;
}

