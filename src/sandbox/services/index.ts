/**
 * The services the sandbox speaks, by wire protocol. JSON 1.1 services are keyed by their
 * `X-Amz-Target` prefix; REST services are route tables.
 */
import type { ServiceOperations } from "../types.js";
import type { RestRoute } from "../rest.js";
import { stsOperations } from "./sts.js";
import { ssoOidcRoutes } from "./ssoOidc.js";
import { ssoPortalRoutes } from "./ssoPortal.js";
import { organizationsOperations } from "./organizations.js";
import { ssoAdminOperations } from "./ssoAdmin.js";
import { identityStoreOperations } from "./identityStore.js";
import { budgetsOperations } from "./budgets.js";
import { iamOperations, IAM_XMLNS } from "./iam.js";

export const jsonServices: Record<string, { service: string; operations: ServiceOperations }> = {
  AWSOrganizationsV20161128: { service: "organizations", operations: organizationsOperations },
  SWBExternalService: { service: "sso-admin", operations: ssoAdminOperations },
  AWSIdentityStore: { service: "identitystore", operations: identityStoreOperations },
  AWSBudgetServiceGateway: { service: "budgets", operations: budgetsOperations },
};

export const queryServices: Record<string, { operations: ServiceOperations; xmlns: string }> = {
  sts: { operations: stsOperations, xmlns: "https://sts.amazonaws.com/doc/2011-06-15/" },
  iam: { operations: iamOperations, xmlns: IAM_XMLNS },
};

export const restRoutes: RestRoute[] = [...ssoOidcRoutes, ...ssoPortalRoutes];
