/**
 * Managed policies, per account: the AWS-managed ones every account sees, and customer-managed
 * ones made with CreatePolicy (IAM API reference, CreatePolicy and GetPolicy; docs/aws-facts.md, IAM):
 * - names `[\w+=,.@-]{1,128}`, unique in the account regardless of case → EntityAlreadyExists;
 * - paths `/` or `/a/b/`; documents of at most 6,144 characters without whitespace → LimitExceeded,
 *   not JSON → MalformedPolicyDocument; at most 1,500 customer-managed policies per account;
 * - an ARN that names no policy of the acting account (another account's, or none) →
 *   NoSuchEntity, for GetPolicy and for attaching it to a role alike.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
 */
import type { CallContext, ServiceOperations } from "../types.js";
import { optionalString, requireString } from "./validate.js";
import { actingAccountId, alreadyExists, checkTags, iamAccount, iamInvalid, isoDate, limitExceeded, malformedPolicy, noSuchEntity, queryTags, upperAlnum, type IamAccount, type IamTag } from "./iamState.js";

/** AWS managed policies the sandbox knows (arn:aws:iam::aws:policy/<name>). */
export const AWS_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "ViewOnlyAccess", "IAMFullAccess", "job-function/ViewOnlyAccess", "job-function/Billing"];

export interface IamManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: number;
  document: string;
  tags: IamTag[];
}

const POLICY_NAME = { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/ };
const POLICY_PATH = { min: 1, max: 512, pattern: /^((\/[A-Za-z0-9.,+@=_-]+)*)\/$/ };
const POLICY_TEXT = { min: 1, max: 131072, pattern: /^[\t\n\r\u0020-\u00FF]+$/ };
const LIMITS = { policiesPerAccount: 1500, policyCharacters: 6144 } as const;

/** The policy an ARN names, as the acting account sees it; NoSuchEntity when it names none. */
export function managedPolicy(account: IamAccount, arn: string): { name: string; customer?: IamManagedPolicy } {
  const aws = /^arn:aws:iam::aws:policy\/(.+)$/.exec(arn);
  if (aws && AWS_MANAGED_POLICIES.includes(aws[1])) return { name: aws[1].split("/").pop()! };
  const customer = account.policies.get(arn.toLowerCase());
  if (customer) return { name: customer.PolicyName, customer };
  throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

function createPolicy(input: Record<string, unknown>, ctx: CallContext) {
  const name = requireString(input, "PolicyName", POLICY_NAME, iamInvalid);
  const path = optionalString(input, "Path", POLICY_PATH, iamInvalid) ?? "/";
  const description = optionalString(input, "Description", { max: 1000 }, iamInvalid);
  const document = requireString(input, "PolicyDocument", POLICY_TEXT, iamInvalid);
  const tags = queryTags(input) ?? [];
  checkTags(tags);
  const accountId = actingAccountId(ctx);
  const account = iamAccount(ctx.state, accountId);
  try {
    JSON.parse(document);
  } catch {
    throw malformedPolicy("Syntax errors in policy.");
  }
  if (document.replace(/\s/g, "").length > LIMITS.policyCharacters) throw limitExceeded(`Cannot exceed quota for PolicySize: ${LIMITS.policyCharacters}`);
  // Names are unique in the account whatever the path, and regardless of case.
  if ([...account.policies.values()].some((p) => p.PolicyName.toLowerCase() === name.toLowerCase())) throw alreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  if (account.policies.size >= LIMITS.policiesPerAccount) throw limitExceeded(`Cannot exceed quota for PoliciesPerAccount: ${LIMITS.policiesPerAccount}`);
  const policy: IamManagedPolicy = { PolicyName: name, PolicyId: `ANPA${upperAlnum(17)}`, Arn: `arn:aws:iam::${accountId}:policy${path}${name}`, Path: path, CreateDate: ctx.now(), document, tags, ...(description ? { Description: description } : {}) };
  account.policies.set(policy.Arn.toLowerCase(), policy);
  return { Policy: policyOut(policy) };
}

function policyOut(p: IamManagedPolicy) {
  return { PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path, DefaultVersionId: "v1", AttachmentCount: 0, IsAttachable: true, CreateDate: isoDate(p.CreateDate), UpdateDate: isoDate(p.CreateDate), ...(p.Description ? { Description: p.Description } : {}), ...(p.tags.length ? { Tags: p.tags } : {}) };
}

function getPolicy(input: Record<string, unknown>, ctx: CallContext) {
  const arn = requireString(input, "PolicyArn", { min: 20, max: 2048 }, iamInvalid);
  const { name, customer } = managedPolicy(iamAccount(ctx.state, actingAccountId(ctx)), arn);
  if (customer) return { Policy: policyOut(customer) };
  return { Policy: { PolicyName: name, Arn: arn, Path: arn.slice("arn:aws:iam::aws:policy".length, arn.length - name.length), DefaultVersionId: "v1", IsAttachable: true } };
}

export const iamPolicyOperations: ServiceOperations = {
  CreatePolicy: { mutating: true, handle: createPolicy },
  GetPolicy: { mutating: false, handle: getPolicy },
};
