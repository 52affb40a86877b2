/**
 * IAM's OpenID Connect providers, per account: Create, Get, List (no paging in AWS either),
 * AddClientID, Delete, with IAM's errors and quotas
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html).
 * The URL must be https; IAM keeps it without the scheme, and the provider's ARN ends in it.
 * ThumbprintList is optional: IAM gets the certificate itself for well-known issuers.
 */
import type { CallContext, ServiceOperations } from "../types.js";
import { requireString } from "./validate.js";
import {
  actingAccountId,
  alreadyExists,
  checkTags,
  iamAccount,
  iamInvalid,
  IAM_LIMITS,
  invalidInput,
  isoDate,
  limitExceeded,
  noSuchEntity,
  queryList,
  queryTags,
  type IamAccount,
  type IamOidcProvider,
} from "./iamState.js";

const ARN = { min: 20, max: 2048 };

function providerByArn(account: IamAccount, arn: string): IamOidcProvider {
  const provider = account.oidcProviders.get(arn);
  if (!provider) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

function checkClientId(id: string): void {
  if (id.length < 1 || id.length > 255) throw iamInvalid(`1 validation error detected: Value '${id}' at 'clientID' failed to satisfy constraint: Member must have length between 1 and 255`, "");
}

function create(input: Record<string, unknown>, ctx: CallContext) {
  const url = requireString(input, "Url", { min: 1, max: 255 }, iamInvalid);
  const accountId = actingAccountId(ctx);
  const account = iamAccount(ctx.state, accountId);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidInput("Invalid URL: the URL must begin with https://");
  }
  if (parsed.protocol !== "https:" || parsed.search || parsed.hash) throw invalidInput("Invalid URL: the URL must begin with https:// and have no query or fragment.");
  const bare = `${parsed.host.toLowerCase()}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  const arn = `arn:aws:iam::${accountId}:oidc-provider/${bare}`;
  if (account.oidcProviders.has(arn)) throw alreadyExists(`Provider with url ${url} already exists.`);
  if (account.oidcProviders.size >= IAM_LIMITS.oidcProvidersPerAccount) {
    throw limitExceeded(`Cannot exceed quota for OpenIdIdpsPerAccount: ${IAM_LIMITS.oidcProvidersPerAccount}`);
  }
  const clientIds = [...new Set(queryList(input, "ClientIDList") ?? [])];
  clientIds.forEach(checkClientId);
  if (clientIds.length > IAM_LIMITS.clientIdsPerProvider) throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${IAM_LIMITS.clientIdsPerProvider}`);
  const thumbprints = queryList(input, "ThumbprintList") ?? [];
  for (const t of thumbprints) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw iamInvalid(`1 validation error detected: Value '${t}' at 'thumbprintList' failed to satisfy constraint: Member must have length 40`, "");
  if (thumbprints.length > IAM_LIMITS.thumbprintsPerProvider) throw limitExceeded(`Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: ${IAM_LIMITS.thumbprintsPerProvider}`);
  const tags = queryTags(input) ?? [];
  checkTags(tags);
  if (tags.length > IAM_LIMITS.tagsPerResource) throw limitExceeded(`Cannot exceed quota for TagsPerOpenIdConnectProvider: ${IAM_LIMITS.tagsPerResource}`);
  account.oidcProviders.set(arn, { Arn: arn, Url: bare, ClientIDList: clientIds, ThumbprintList: thumbprints, CreateDate: ctx.now(), tags });
  return { OpenIDConnectProviderArn: arn, ...(tags.length ? { Tags: tags } : {}) };
}

function get(input: Record<string, unknown>, ctx: CallContext) {
  const arn = requireString(input, "OpenIDConnectProviderArn", ARN, iamInvalid);
  const p = providerByArn(iamAccount(ctx.state, actingAccountId(ctx)), arn);
  return { Url: p.Url, ClientIDList: p.ClientIDList, ThumbprintList: p.ThumbprintList, CreateDate: isoDate(p.CreateDate), Tags: p.tags };
}

function addClientId(input: Record<string, unknown>, ctx: CallContext) {
  const arn = requireString(input, "OpenIDConnectProviderArn", ARN, iamInvalid);
  const clientId = requireString(input, "ClientID", { min: 1, max: 255 }, iamInvalid);
  const p = providerByArn(iamAccount(ctx.state, actingAccountId(ctx)), arn);
  // Adding a client id already there succeeds and changes nothing.
  if (p.ClientIDList.includes(clientId)) return {};
  if (p.ClientIDList.length >= IAM_LIMITS.clientIdsPerProvider) throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${IAM_LIMITS.clientIdsPerProvider}`);
  p.ClientIDList.push(clientId);
  return {};
}

function remove(input: Record<string, unknown>, ctx: CallContext) {
  const arn = requireString(input, "OpenIDConnectProviderArn", ARN, iamInvalid);
  const account = iamAccount(ctx.state, actingAccountId(ctx));
  // AWS deletes a provider even while roles still name it in their trust policies.
  providerByArn(account, arn);
  account.oidcProviders.delete(arn);
  return {};
}

export const iamOidcOperations: ServiceOperations = {
  CreateOpenIDConnectProvider: { mutating: true, handle: create },
  GetOpenIDConnectProvider: { mutating: false, handle: get },
  ListOpenIDConnectProviders: {
    mutating: false,
    handle: (_input, ctx) => ({
      OpenIDConnectProviderList: [...iamAccount(ctx.state, actingAccountId(ctx)).oidcProviders.values()].map((p) => ({ Arn: p.Arn })),
    }),
  },
  AddClientIDToOpenIDConnectProvider: { mutating: true, handle: addClientId },
  DeleteOpenIDConnectProvider: { mutating: true, handle: remove },
};
