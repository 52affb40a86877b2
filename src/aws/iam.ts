/**
 * IAM adapter: the calls the commands use, in the account the context acts in (a member
 * account's context comes from the client provider, as OrganizationAccountAccessRole). IAM is
 * global: its client always signs for us-east-1 (docs/aws-facts.md, IAM). Paging (`Marker`,
 * `IsTruncated`) is folded in; trust policies come back decoded (IAM answers them URL-encoded);
 * calls that find their work already done (a retried create after a dropped connection, a delete
 * of what is gone) answer as done, so a re-run and a resumed run converge.
 *
 * More IAM operations (the organization's root-access features, ...) are added as methods here.
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";
import { isAwsError, nameFailedOperations } from "./errors.js";
import { collectPages } from "./paging.js";
import { retryWithBackoff } from "./waiting.js";

/** IAM's only endpoint is signed for this region, whatever region the command uses. */
export const IAM_SIGNING_REGION = "us-east-1";

export interface OidcProvider {
  arn: string;
  /** Without the scheme, as IAM answers it (`token.actions.githubusercontent.com`). */
  url: string;
  clientIds: string[];
  tags: Record<string, string>;
}

export interface Role {
  name: string;
  arn: string;
  /** The trust policy as JSON text (decoded). */
  trustPolicy: string;
  maxSessionDuration: number;
  description?: string;
  /** Only from getRole: ListRoles does not return tags. */
  tags?: Record<string, string>;
}

export interface NewRole {
  name: string;
  trustPolicy: string;
  description?: string;
  maxSessionDuration?: number;
  tags?: Record<string, string>;
}

/** IAM's organization root features (centralized root access for member accounts). */
export type OrganizationsRootFeature = "RootCredentialsManagement" | "RootSessions";

export interface IamApi {
  /** ARNs of the account's OIDC providers (IAM does not page this list). */
  listOpenIdConnectProviders(): Promise<string[]>;
  /** The provider, or undefined when there is none with that ARN. */
  getOpenIdConnectProvider(arn: string): Promise<OidcProvider | undefined>;
  /** Creates the provider; one that already has the URL (a retried call) is returned as it is. */
  createOpenIdConnectProvider(request: { url: string; clientIds: string[]; tags?: Record<string, string> }): Promise<string>;
  addClientIdToOpenIdConnectProvider(arn: string, clientId: string): Promise<void>;
  /** Deletes the provider; one already gone is not an error. */
  deleteOpenIdConnectProvider(arn: string): Promise<void>;
  /** The role with its tags, or undefined when there is none. */
  getRole(name: string): Promise<Role | undefined>;
  /** Every role in the account (without tags). */
  listRoles(): Promise<Role[]>;
  /** Creates the role; one of that name already there (a retried call) is returned as it is, for the caller to check. */
  createRole(role: NewRole): Promise<Role>;
  updateAssumeRolePolicy(name: string, trustPolicy: string): Promise<void>;
  /** Deletes the role (detach its policies first); one already gone is not an error. */
  deleteRole(name: string): Promise<void>;
  listAttachedRolePolicies(name: string): Promise<string[]>;
  /** Is there a managed policy with this ARN that this account can attach (AWS's, or the account's own)? */
  policyExists(policyArn: string): Promise<boolean>;
  /** Attaching a policy already attached changes nothing, in AWS too. */
  attachRolePolicy(name: string, policyArn: string): Promise<void>;
  /** Detaching a policy that is not attached is not an error. */
  detachRolePolicy(name: string, policyArn: string): Promise<void>;
  tagRole(name: string, tags: Record<string, string>): Promise<void>;
  listRoleTags(name: string): Promise<Record<string, string>>;
  // ---- organization root features: centralized root access (guardrails; docs/aws-facts.md, Guardrails) ----

  /** IAM's organization features enabled (`RootCredentialsManagement`, `RootSessions`); none while trusted access for IAM is off. */
  listOrganizationsFeatures(): Promise<string[]>;
  enableOrganizationsFeature(feature: OrganizationsRootFeature): Promise<void>;
  disableOrganizationsFeature(feature: OrganizationsRootFeature): Promise<void>;
}

/** IAM answers policies URL-encoded (RFC 3986); the SDK leaves them so, other emulators may not. */
export function decodePolicy(text: string | undefined): string {
  if (!text) return "";
  if (text.trimStart().startsWith("{")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const tagList = (tags: Record<string, string> | undefined) => Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
const tagRecord = (tags: { Key?: string; Value?: string }[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));

/**
 * A provider IAM has just created may not yet be visible to a trust policy that names it: IAM is
 * eventually consistent, and answers "Invalid principal in policy" meanwhile. Worth a few retries.
 */
const notYetVisible = (err: unknown) => isAwsError(err, "MalformedPolicyDocumentException", "MalformedPolicyDocument") && /invalid principal/i.test(String((err as Error).message));

export async function openIam(ctx: AwsContext): Promise<IamApi> {
  const sdk = await import("@aws-sdk/client-iam");
  const client = new sdk.IAMClient(clientConfig(ctx, { region: IAM_SIGNING_REGION }));
  nameFailedOperations(client);
  const missing = (err: unknown) => isAwsError(err, "NoSuchEntityException", "NoSuchEntity");
  const orUndefined = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  };
  const ignoreMissing = async (fn: () => Promise<unknown>) => {
    await orUndefined(fn);
  };
  const toRole = (r: { RoleName?: string; Arn?: string; AssumeRolePolicyDocument?: string; MaxSessionDuration?: number; Description?: string }, tags?: Record<string, string>): Role => ({
    name: r.RoleName ?? "",
    arn: r.Arn ?? "",
    trustPolicy: decodePolicy(r.AssumeRolePolicyDocument),
    maxSessionDuration: r.MaxSessionDuration ?? 3600,
    ...(r.Description ? { description: r.Description } : {}),
    ...(tags ? { tags } : {}),
  });

  const api: IamApi = {
    async listOpenIdConnectProviders() {
      const out = await client.send(new sdk.ListOpenIDConnectProvidersCommand({}));
      return (out.OpenIDConnectProviderList ?? []).map((p) => p.Arn ?? "").filter(Boolean);
    },
    async getOpenIdConnectProvider(arn) {
      const out = await orUndefined(() => client.send(new sdk.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
      return out && { arn, url: (out.Url ?? "").replace(/^https:\/\//, ""), clientIds: out.ClientIDList ?? [], tags: tagRecord(out.Tags) };
    },
    async createOpenIdConnectProvider({ url, clientIds, tags }) {
      try {
        const out = await client.send(new sdk.CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: clientIds, ...(tags ? { Tags: tagList(tags) } : {}) }));
        return out.OpenIDConnectProviderArn ?? "";
      } catch (err) {
        if (!isAwsError(err, "EntityAlreadyExistsException", "EntityAlreadyExists")) throw err;
        const bare = url.replace(/^https:\/\//, "").replace(/\/$/, "");
        const found = (await api.listOpenIdConnectProviders()).find((arn) => arn.endsWith(`:oidc-provider/${bare}`));
        if (!found) throw err;
        return found;
      }
    },
    async addClientIdToOpenIdConnectProvider(arn, clientId) {
      await client.send(new sdk.AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: clientId }));
    },
    async deleteOpenIdConnectProvider(arn) {
      await ignoreMissing(() => client.send(new sdk.DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    },
    async policyExists(policyArn) {
      return (await orUndefined(() => client.send(new sdk.GetPolicyCommand({ PolicyArn: policyArn })))) !== undefined;
    },
    async getRole(name) {
      const out = await orUndefined(() => client.send(new sdk.GetRoleCommand({ RoleName: name })));
      return out?.Role && toRole(out.Role, tagRecord(out.Role.Tags));
    },
    async listRoles() {
      const roles = await collectPages(async (marker) => {
        const out = await client.send(new sdk.ListRolesCommand({ Marker: marker }));
        return { items: out.Roles, next: out.IsTruncated ? out.Marker : undefined };
      });
      return roles.map((r) => toRole(r));
    },
    async createRole(role) {
      try {
        const out = await retryWithBackoff(
          () =>
            client.send(
              new sdk.CreateRoleCommand({
                RoleName: role.name,
                AssumeRolePolicyDocument: role.trustPolicy,
                Description: role.description,
                MaxSessionDuration: role.maxSessionDuration,
                ...(role.tags ? { Tags: tagList(role.tags) } : {}),
              }),
            ),
          notYetVisible,
          { attempts: 6, backoff: { initialMs: 500, maxMs: 4_000, factor: 2 } },
        );
        return toRole(out.Role ?? {}, role.tags ?? {});
      } catch (err) {
        if (!isAwsError(err, "EntityAlreadyExistsException", "EntityAlreadyExists")) throw err;
        const existing = await api.getRole(role.name);
        if (!existing) throw err;
        return existing;
      }
    },
    async updateAssumeRolePolicy(name, trustPolicy) {
      await retryWithBackoff(() => client.send(new sdk.UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: trustPolicy })), notYetVisible, {
        attempts: 6,
        backoff: { initialMs: 500, maxMs: 4_000, factor: 2 },
      });
    },
    async deleteRole(name) {
      await ignoreMissing(() => client.send(new sdk.DeleteRoleCommand({ RoleName: name })));
    },
    async listAttachedRolePolicies(name) {
      const attached = await collectPages(async (marker) => {
        const out = await client.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker }));
        return { items: out.AttachedPolicies, next: out.IsTruncated ? out.Marker : undefined };
      });
      return attached.map((p) => p.PolicyArn ?? "").filter(Boolean);
    },
    async attachRolePolicy(name, policyArn) {
      await client.send(new sdk.AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn }));
    },
    async detachRolePolicy(name, policyArn) {
      await ignoreMissing(() => client.send(new sdk.DetachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })));
    },
    async tagRole(name, tags) {
      await client.send(new sdk.TagRoleCommand({ RoleName: name, Tags: tagList(tags) }));
    },
    async listRoleTags(name) {
      const tags = await collectPages(async (marker) => {
        const out = await client.send(new sdk.ListRoleTagsCommand({ RoleName: name, Marker: marker }));
        return { items: out.Tags, next: out.IsTruncated ? out.Marker : undefined };
      });
      return tagRecord(tags);
    },
    // ---- organization root features ----

    async listOrganizationsFeatures() {
      try {
        return (await client.send(new sdk.ListOrganizationsFeaturesCommand({}))).EnabledFeatures ?? [];
      } catch (err) {
        // Before trusted access for IAM is enabled, IAM answers this rather than an empty list.
        if (isAwsError(err, "ServiceAccessNotEnabledException", "ServiceAccessNotEnabled")) return [];
        throw err;
      }
    },
    async enableOrganizationsFeature(feature) {
      if (feature === "RootCredentialsManagement") await client.send(new sdk.EnableOrganizationsRootCredentialsManagementCommand({}));
      else await client.send(new sdk.EnableOrganizationsRootSessionsCommand({}));
    },
    async disableOrganizationsFeature(feature) {
      if (feature === "RootCredentialsManagement") await client.send(new sdk.DisableOrganizationsRootCredentialsManagementCommand({}));
      else await client.send(new sdk.DisableOrganizationsRootSessionsCommand({}));
    },
  };
  return api;
}
