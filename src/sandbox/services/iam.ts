/**
 * Emulated IAM (query protocol, global endpoint `iam.amazonaws.com`, signed for us-east-1), per
 * account. Each group of operations lives in a file of its own; add new ones here.
 */
import type { ServiceOperations } from "../types.js";
import { iamOidcOperations } from "./iamOidc.js";
import { iamPolicyOperations } from "./iamPolicies.js";
import { iamRoleOperations } from "./iamRoles.js";
import { iamRootAccessOperations } from "./iamRootAccess.js";

export { IAM_XMLNS } from "./iamState.js";

export const iamOperations: ServiceOperations = {
  ...iamOidcOperations,
  ...iamRoleOperations,
  ...iamPolicyOperations,
  // Organization root features (centralized root access): the guardrails engineer's, apart.
  ...iamRootAccessOperations,
};
