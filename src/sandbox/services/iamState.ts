/**
 * Emulated IAM's world and the pieces every IAM operation shares: the account a request acts in,
 * the query protocol's list parameters, IAM's error names and its quotas.
 *
 * IAM is global (one endpoint, signed for us-east-1) and per account: a call signed with the
 * management account's keys acts there; one signed with role credentials the sandbox handed out
 * (AssumeRole into OrganizationAccountAccessRole, a CI job's web identity) acts in that role's
 * account. Each account created by CreateAccount holds the role Organizations made in it
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html).
 *
 * New IAM operations (the organization's root-access features, for example) go in a file of
 * their own beside iamRoles.ts and iamOidc.ts and are listed in iam.ts.
 */
import { randomBytes } from "node:crypto";
import { accessKeyFromAuthorization } from "../protocols.js";
import type { SandboxState } from "../state.js";
import { AwsError, type CallContext } from "../types.js";
import type { InvalidInput } from "./validate.js";
import type { IamManagedPolicy } from "./iamPolicies.js";

export interface IamTag {
  Key: string;
  Value: string;
}

export interface IamRole {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  /** The trust policy, as the caller sent it (answers URL-encode it, as IAM does). */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  tags: IamTag[];
  /** Managed policy ARNs, in the order attached. */
  attached: string[];
}

export interface IamOidcProvider {
  Arn: string;
  /** Without the `https://`, as IAM keeps and answers it. */
  Url: string;
  ClientIDList: string[];
  ThumbprintList: string[];
  CreateDate: number;
  tags: IamTag[];
}

export interface IamAccount {
  accountId: string;
  /** By lower-cased name: role names are unique regardless of case. */
  roles: Map<string, IamRole>;
  /** By ARN. */
  oidcProviders: Map<string, IamOidcProvider>;
  /** Customer-managed policies, by lower-cased ARN. */
  policies: Map<string, IamManagedPolicy>;
}

/**
 * IAM's default quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html;
 * docs/aws-facts.md, IAM). Exceeding one answers `LimitExceeded` (409).
 */
export const IAM_LIMITS = {
  rolesPerAccount: 1000,
  trustPolicyCharacters: 2048,
  managedPoliciesPerRole: 10,
  oidcProvidersPerAccount: 100,
  clientIdsPerProvider: 100,
  thumbprintsPerProvider: 5,
  tagsPerResource: 50,
} as const;

export const IAM_XMLNS = "https://iam.amazonaws.com/doc/2010-05-08/";

/** IAM answers bad input (length, pattern) with the query protocol's ValidationError. */
export const iamInvalid: InvalidInput = (message) => new AwsError("ValidationError", message, 400);
export const noSuchEntity = (message: string) => new AwsError("NoSuchEntity", message, 404);
export const alreadyExists = (message: string) => new AwsError("EntityAlreadyExists", message, 409);
export const limitExceeded = (message: string) => new AwsError("LimitExceeded", message, 409);
export const malformedPolicy = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);
export const invalidInput = (message: string) => new AwsError("InvalidInput", message, 400);

/** The account a request acts in: the role's account for sandbox-issued role credentials, else the caller's. */
export function actingAccountId(ctx: CallContext): string {
  const header = ctx.headers.authorization;
  const keyId = accessKeyFromAuthorization(Array.isArray(header) ? header[0] : header);
  const session = keyId ? ctx.state.roleSessions.get(keyId) : undefined;
  if (session && session.expiresAt <= ctx.now()) throw new AwsError("ExpiredToken", "The security token included in the request is expired", 403);
  return session?.accountId ?? ctx.state.caller.accountId;
}

/**
 * One account's IAM, made on first use. An account that CreateAccount made already holds its
 * access role (admin, trusting the management account), as in AWS.
 */
export function iamAccount(state: SandboxState, accountId: string): IamAccount {
  const all = (state.iam ??= new Map());
  const known = all.get(accountId);
  if (known) return known;
  const account: IamAccount = { accountId, roles: new Map(), oidcProviders: new Map(), policies: new Map() };
  all.set(accountId, account);
  const accessRole = state.accounts.get(accountId)?.accessRoleName;
  if (accessRole) {
    const trust = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${state.managementAccount.Id}:root` }, Action: "sts:AssumeRole" }],
    };
    const role = newRole(accountId, accessRole, JSON.stringify(trust), { MaxSessionDuration: 3600 });
    role.attached.push("arn:aws:iam::aws:policy/AdministratorAccess");
    account.roles.set(accessRole.toLowerCase(), role);
  }
  return account;
}

export function newRole(accountId: string, roleName: string, trust: string, options: { Path?: string; Description?: string; MaxSessionDuration?: number; tags?: IamTag[] } = {}): IamRole {
  const path = options.Path ?? "/";
  return {
    RoleName: roleName,
    RoleId: `AROA${upperAlnum(17)}`,
    Arn: `arn:aws:iam::${accountId}:role${path}${roleName}`,
    Path: path,
    CreateDate: Date.now(),
    AssumeRolePolicyDocument: trust,
    Description: options.Description,
    MaxSessionDuration: options.MaxSessionDuration ?? 3600,
    tags: options.tags ?? [],
    attached: [],
  };
}

export function findRole(account: IamAccount, roleName: string): IamRole {
  const role = account.roles.get(roleName.toLowerCase());
  if (!role) throw noSuchEntity(`The role with name ${roleName} cannot be found.`);
  return role;
}

export function upperAlnum(n: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** A query-protocol list of strings: `Name.member.1=…&Name.member.2=…`, in index order. */
export function queryList(input: Record<string, unknown>, name: string): string[] | undefined {
  const prefix = `${name}.member.`;
  const entries = Object.entries(input)
    .filter(([k]) => k.startsWith(prefix) && /^\d+$/.test(k.slice(prefix.length)))
    .map(([k, v]) => [Number(k.slice(prefix.length)), String(v)] as const)
    .sort((a, b) => a[0] - b[0]);
  if (entries.length === 0) return input[name] === "" ? [] : undefined;
  return entries.map(([, v]) => v);
}

/** A query-protocol list of tags: `Tags.member.1.Key=…&Tags.member.1.Value=…`. */
export function queryTags(input: Record<string, unknown>, name = "Tags"): IamTag[] | undefined {
  const prefix = `${name}.member.`;
  const byIndex = new Map<number, Partial<IamTag>>();
  for (const [k, v] of Object.entries(input)) {
    const m = k.startsWith(prefix) ? /^(\d+)\.(Key|Value)$/.exec(k.slice(prefix.length)) : null;
    if (!m) continue;
    const tag = byIndex.get(Number(m[1])) ?? {};
    tag[m[2] as "Key" | "Value"] = String(v);
    byIndex.set(Number(m[1]), tag);
  }
  if (byIndex.size === 0) return undefined;
  return [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, t]) => {
      if (t.Key === undefined || t.Value === undefined) throw iamInvalid(`1 validation error detected: Value null at '${name.toLowerCase()}' failed to satisfy constraint: Member must not be null`, "");
      return t as IamTag;
    });
}

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tags as IAM checks them: key 1–128, value 0–256, IAM's character set, keys unique (case-insensitively). */
export function checkTags(tags: IamTag[]): void {
  const keys = new Set<string>();
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128 || !TAG_TEXT.test(t.Key)) throw iamInvalid(`1 validation error detected: Value '${t.Key}' at 'tags.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`, "");
    if (t.Value.length > 256 || !TAG_TEXT.test(t.Value)) throw iamInvalid(`1 validation error detected: Value '${t.Value}' at 'tags.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`, "");
    if (keys.has(t.Key.toLowerCase())) throw invalidInput(`Duplicate tag keys found. Please note that Tag keys are case insensitive.`);
    keys.add(t.Key.toLowerCase());
  }
}

/** Tags merged as TagRole does: a key already there (case-insensitively) takes the new value. */
export function mergeTags(current: IamTag[], added: IamTag[]): IamTag[] {
  const out = current.filter((t) => !added.some((a) => a.Key.toLowerCase() === t.Key.toLowerCase()));
  out.push(...added);
  if (out.length > IAM_LIMITS.tagsPerResource) throw limitExceeded(`Cannot exceed quota for TagsPerRole: ${IAM_LIMITS.tagsPerResource}`);
  return out;
}

/**
 * IAM's Marker paging (`Marker`, `MaxItems` ≤ 1000, `IsTruncated`), capped by the sandbox's small
 * page size so a caller that ignores IsTruncated fails its tests.
 */
export function markerPage<T>(items: T[], input: Record<string, unknown>, state: SandboxState): { page: T[]; IsTruncated: boolean; Marker?: string } {
  const maxText = input.MaxItems;
  const max = maxText === undefined ? 100 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw iamInvalid(`1 validation error detected: Value '${String(maxText)}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`, "");
  }
  let start = 0;
  if (input.Marker !== undefined) {
    const decoded = Number.parseInt(Buffer.from(String(input.Marker), "base64url").toString("utf8").replace(/^m:/, ""), 10);
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) throw invalidInput("Invalid Marker.");
    start = decoded;
  }
  const size = Math.min(max, state.maxPageSize);
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length ? { page, IsTruncated: true, Marker: Buffer.from(`m:${end}`).toString("base64url") } : { page, IsTruncated: false };
}

/** ISO 8601, as the query protocol writes timestamps. */
export const isoDate = (ms: number) => new Date(ms).toISOString();

/** IAM per account as plain JSON (trust policies decoded), for GET /_sandbox/control/state. */
export function iamSnapshot(state: SandboxState) {
  return Object.fromEntries(
    [...(state.iam ?? new Map<string, IamAccount>()).values()].map((a) => [
      a.accountId,
      {
        roles: [...a.roles.values()].map(({ tags, attached, ...role }) => ({ ...role, Tags: tags, AttachedPolicyArns: attached })),
        oidcProviders: [...a.oidcProviders.values()].map(({ tags, ...p }) => ({ ...p, Tags: tags })),
        policies: [...a.policies.values()].map(({ tags, document, ...p }) => ({ ...p, PolicyDocument: document, Tags: tags })),
      },
    ]),
  );
}
