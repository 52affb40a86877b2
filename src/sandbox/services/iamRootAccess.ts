/**
 * IAM's organization root features (centralized root access for member accounts), kept apart
 * from the rest of IAM: EnableOrganizationsRootCredentialsManagement,
 * EnableOrganizationsRootSessions, their Disable… pair and ListOrganizationsFeatures, with their
 * prerequisites and errors (IAM API reference; docs/aws-facts.md, Guardrails: centralized root
 * access): the caller's account must be in an organization (`OrganizationNotFoundException`) with
 * all features (`OrganizationNotInAllFeaturesModeException`), trusted access for IAM must be
 * enabled in Organizations (`ServiceAccessNotEnabledException`), and only the management account
 * may call (`CallerIsNotManagementAccountException` to enable,
 * `AccountNotManagementOrDelegatedAdministratorException` otherwise). Every answer carries the
 * organization id and the features enabled. The features live with the organization.
 */
import type { SandboxState } from "../state.js";
import { AwsError, type CallContext, type ServiceOperations } from "../types.js";
import { actingAccountId } from "./iamState.js";

const FEATURES = ["RootCredentialsManagement", "RootSessions"] as const;
type Feature = (typeof FEATURES)[number];

const enabledFeatures = new WeakMap<SandboxState, Set<Feature>>();

function featuresOf(state: SandboxState): Set<Feature> {
  let set = enabledFeatures.get(state);
  if (!set) enabledFeatures.set(state, (set = new Set()));
  return set;
}

/** The checks every operation shares, in the order AWS's errors suggest; `enable` names the stricter caller error. */
function checked(ctx: CallContext, enable: boolean) {
  const { state } = ctx;
  const accountId = actingAccountId(ctx);
  const org = state.organization;
  const inOrganization = org !== undefined && state.accounts.has(accountId) && state.caller.kind !== "member";
  if (!inOrganization) throw new AwsError("OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.", 400);
  if (org.FeatureSet !== "ALL") throw new AwsError("OrganizationNotInAllFeaturesModeException", "The request was rejected because your organization does not have All features enabled.", 400);
  if (accountId !== state.managementAccount.Id) {
    if (enable) throw new AwsError("CallerIsNotManagementAccountException", "The request was rejected because the account making the request is not the management account for the organization.", 400);
    throw new AwsError("AccountNotManagementOrDelegatedAdministratorException", "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.", 400);
  }
  if (!state.serviceAccess.has("iam.amazonaws.com")) {
    throw new AwsError("ServiceAccessNotEnabledException", "The request was rejected because trusted access for IAM is not enabled for the organization.", 400);
  }
  return { org, features: featuresOf(state) };
}

function answer(org: { Id: string }, features: Set<Feature>) {
  return { OrganizationId: org.Id, EnabledFeatures: FEATURES.filter((f) => features.has(f)) };
}

const change = (feature: Feature, enable: boolean) => ({
  mutating: true,
  handle: (_input: unknown, ctx: CallContext) => {
    const { org, features } = checked(ctx, enable);
    if (enable) features.add(feature);
    else features.delete(feature);
    return answer(org, features);
  },
});

export const iamRootAccessOperations: ServiceOperations = {
  EnableOrganizationsRootCredentialsManagement: change("RootCredentialsManagement", true),
  EnableOrganizationsRootSessions: change("RootSessions", true),
  DisableOrganizationsRootCredentialsManagement: change("RootCredentialsManagement", false),
  DisableOrganizationsRootSessions: change("RootSessions", false),
  ListOrganizationsFeatures: {
    mutating: false,
    handle: (_input, ctx) => {
      const { org, features } = checked(ctx, false);
      return answer(org, features);
    },
  },
};

/** For the state snapshot (tests): the features enabled. */
export function organizationsRootFeatures(state: SandboxState): string[] {
  return FEATURES.filter((f) => featuresOf(state).has(f));
}
