/**
 * AWS Organizations adapter: the few calls the commands use, paging folded in, account creation
 * paced and waited on as AWS advises (docs/aws-facts.md, Organizations and Request rates):
 * - `ListAccounts` has no server-side filter: page through and match name/email ourselves.
 * - `CreateAccount` is asynchronous; its rate is 0.1/s with a burst of 3 (the account step kind,
 *   src/workflows/steps/accounts.ts, paces it); waiting polls `ListCreateAccountStatus` once for
 *   all in-progress requests rather than one `DescribeCreateAccountStatus` per account (that call
 *   is limited to 2/s).
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";
import { isAwsError, nameFailedOperations } from "./errors.js";
import { collectPages } from "./paging.js";
import { batchPoller, gentleBackoff, mapLimit, pollUntil, type Backoff } from "./waiting.js";

export interface OrganizationInfo {
  id: string;
  arn: string;
  featureSet: "ALL" | "CONSOLIDATED_BILLING";
  managementAccountId: string;
  managementAccountEmail: string;
}

export type AccountState = "PENDING_ACTIVATION" | "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED";

export interface MemberAccount {
  id: string;
  arn: string;
  name: string;
  email: string;
  state: AccountState;
}

export interface AccountCreation {
  requestId: string;
  name: string;
  /** Known when we started the creation; AWS's status record does not carry the email. */
  email?: string;
  state: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  accountId?: string;
  failureReason?: string;
  /** Our CreateAccount reached AWS in one attempt: a duplicate of it cannot be the SDK's retry of ours. */
  sentOnce?: boolean;
  /** The account another run made at the same time, adopted (our own request failed as its duplicate). */
  madeByAnotherRun?: boolean;
}

export interface NewAccount {
  name: string;
  email: string;
}

export interface WaitForAccountOptions {
  timeoutMs?: number;
  backoff?: Backoff;
  signal?: AbortSignal;
}

export interface OrganizationsApi {
  /** The organization, or undefined when the account is in none (AWSOrganizationsNotInUseException). */
  describeOrganization(): Promise<OrganizationInfo | undefined>;
  /**
   * Creates an organization with all features (`FeatureSet: ALL`), which Identity Center needs.
   * With the caller's account id, an organization that account already manages with all
   * features is returned instead of AlreadyInOrganizationException.
   */
  createOrganization(callerAccountId?: string): Promise<OrganizationInfo & { madeByAnotherRun?: boolean }>;
  /** Every account, through every page; `onPage` hears the count so far (status's live line). */
  listAccounts(onPage?: (soFar: number) => void): Promise<MemberAccount[]>;
  /** The account whose email (case-insensitive) or name matches, among all pages. */
  findAccountByNameOrEmail(query: { name?: string; email?: string }): Promise<MemberAccount | undefined>;
  listCreateAccountStatuses(states?: AccountCreation["state"][]): Promise<AccountCreation[]>;
  createAccount(account: NewAccount): Promise<AccountCreation>;
  /**
   * Waits until the creation is no longer IN_PROGRESS; returns its final state (FAILED included).
   * Every creation waited on at once shares one ListCreateAccountStatus poll. A creation that
   * failed only because our account exists or is being made (same email and name) ends
   * SUCCEEDED with that account.
   */
  waitForAccount(creation: AccountCreation, options?: WaitForAccountOptions): Promise<AccountCreation>;
  /** Starts closing a member account (asynchronous: PENDING_CLOSURE → SUSPENDED). */
  closeAccount(accountId: string): Promise<void>;
  describeAccount(accountId: string): Promise<MemberAccount>;

  // ---- policies (service control policies) and trusted access: the guardrails (docs/aws-facts.md, Guardrails) ----

  /** The organization's root: its id and the status of each policy type enabled on it. */
  describeRoot(): Promise<OrganizationRoot>;
  /** Enables a policy type on the root; already enabled (or being enabled) is success. */
  enablePolicyType(rootId: string, type: PolicyType): Promise<void>;
  /** Waits until ListRoots shows the type ENABLED (EnablePolicyType is asynchronous). */
  waitForPolicyType(rootId: string, type: PolicyType, options?: { timeoutMs?: number; backoff?: Backoff; signal?: AbortSignal }): Promise<void>;
  /** Every policy of the type in the organization, with content and tags. */
  listPolicies(type: PolicyType): Promise<OrgPolicy[]>;
  /** The policies attached to a root, OU or account. */
  listPoliciesForTarget(targetId: string, type: PolicyType): Promise<OrgPolicySummary[]>;
  /** The roots, OUs and accounts a policy is attached to. */
  listTargetsForPolicy(policyId: string): Promise<{ id: string; name: string; type: string }[]>;
  createPolicy(policy: NewOrgPolicy): Promise<OrgPolicySummary>;
  updatePolicy(policyId: string, change: { content?: string; description?: string }): Promise<void>;
  /** Deletes a policy; one already gone is success. */
  deletePolicy(policyId: string): Promise<void>;
  /** Attaches a policy; already attached is success. */
  attachPolicy(policyId: string, targetId: string): Promise<void>;
  /** Detaches a policy; not attached is success. */
  detachPolicy(policyId: string, targetId: string): Promise<void>;
  /** Trusted access for an AWS service (EnableAWSServiceAccess); already enabled is success. */
  enableServiceAccess(servicePrincipal: string): Promise<void>;
  listServiceAccess(): Promise<string[]>;
}

export type PolicyType = "SERVICE_CONTROL_POLICY";

export interface OrganizationRoot {
  id: string;
  policyTypes: { type: string; status: "ENABLED" | "PENDING_ENABLE" | "PENDING_DISABLE" }[];
}

export interface OrgPolicySummary {
  id: string;
  arn: string;
  name: string;
  description: string;
  awsManaged: boolean;
}

export interface OrgPolicy extends OrgPolicySummary {
  content: string;
  tags: Record<string, string>;
}

export interface NewOrgPolicy {
  name: string;
  description: string;
  content: string;
  tags: Record<string, string>;
  type: PolicyType;
}

/** Failure reasons that mean "this account exists or is being made already" (CreateAccountStatus). */
const DUPLICATE_REASONS = new Set(["EMAIL_ALREADY_EXISTS", "CONCURRENT_ACCOUNT_MODIFICATION"]);

/** Default time we wait for accounts: AWS usually takes minutes, occasionally much longer. */
export const ACCOUNT_CREATION_TIMEOUT_MS = 20 * 60_000;

export async function openOrganizations(ctx: AwsContext): Promise<OrganizationsApi> {
  const sdk = await import("@aws-sdk/client-organizations");
  // Organizations is a global service served from us-east-1; the SDK resolves its endpoint.
  const client = new sdk.OrganizationsClient(clientConfig(ctx));
  nameFailedOperations(client);

  const toOrganization = (o: { Id?: string; Arn?: string; FeatureSet?: string; MasterAccountId?: string; MasterAccountEmail?: string } = {}): OrganizationInfo => ({
    id: o.Id ?? "",
    arn: o.Arn ?? "",
    featureSet: (o.FeatureSet ?? "ALL") as OrganizationInfo["featureSet"],
    managementAccountId: o.MasterAccountId ?? "",
    managementAccountEmail: o.MasterAccountEmail ?? "",
  });
  const toAccount = (a: { Id?: string; Arn?: string; Name?: string; Email?: string; State?: string; Status?: string }): MemberAccount => ({
    id: a.Id ?? "",
    arn: a.Arn ?? "",
    name: a.Name ?? "",
    email: a.Email ?? "",
    // `Status` is retired in favour of `State` (docs/aws-facts.md, Organizations); fall back only for older emulators.
    state: (a.State ?? a.Status ?? "ACTIVE") as AccountState,
  });
  const toPolicySummary = (p: { Id?: string; Arn?: string; Name?: string; Description?: string; AwsManaged?: boolean }): OrgPolicySummary => ({
    id: p.Id ?? "",
    arn: p.Arn ?? "",
    name: p.Name ?? "",
    description: p.Description ?? "",
    awsManaged: p.AwsManaged ?? false,
  });
  const toCreation = (s: { Id?: string; AccountName?: string; State?: string; AccountId?: string; FailureReason?: string }, email?: string): AccountCreation => ({
    requestId: s.Id ?? "",
    name: s.AccountName ?? "",
    ...(email ? { email } : {}),
    state: (s.State ?? "IN_PROGRESS") as AccountCreation["state"],
    ...(s.AccountId ? { accountId: s.AccountId } : {}),
    ...(s.FailureReason ? { failureReason: s.FailureReason } : {}),
  });

  /**
   * A creation that failed as a duplicate — EMAIL_ALREADY_EXISTS (the account exists) or
   * CONCURRENT_ACCOUNT_MODIFICATION ("You already submitted a request with the same information",
   * CreateAccountStatus in the API reference) — is our own account when it has our email and our
   * name: the SDK retried our CreateAccount after a dropped connection, or another run of this
   * tool made the same account at the same time. Observed again: the account (`accountId`), or
   * the request still running under our name (`follow`), or undefined when it is not ours.
   */
  const adoptDuplicate = async (c: AccountCreation, seen: Set<string>): Promise<{ accountId: string } | { follow: string } | undefined> => {
    const email = c.email?.toLowerCase();
    if (!email) return undefined;
    const existing = async () => {
      const account = (await api.listAccounts()).find((a) => a.email.toLowerCase() === email);
      return account && account.name === c.name ? { accountId: account.id } : undefined;
    };
    const found = await existing();
    if (found) return found;
    const running = (await api.listCreateAccountStatuses(["IN_PROGRESS"])).find((s) => s.name === c.name && !seen.has(s.requestId));
    if (!running) return existing(); // it may have finished between the two reads
    seen.add(running.requestId);
    return { follow: running.requestId };
  };

  /** Request ids this run follows or has followed: another run's request is adopted once. */
  const seen = new Set<string>();
  /** One wait: its creation as last seen, and (after a duplicate) the failure reason of its own request. */
  interface Tracked {
    current: AccountCreation;
    following?: string;
  }
  /** The final state of a creation that left IN_PROGRESS, as AWS describes it, with duplicates of our own account resolved. */
  const finish = async (t: Tracked): Promise<Partial<AccountCreation>> => {
    const c = t.current;
    const out = await client.send(new sdk.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: c.requestId }));
    const s = toCreation(out.CreateAccountStatus ?? {}, c.email);
    if (s.state === "SUCCEEDED" && t.following && s.accountId) {
      // Another request of the same name: ours only if the account it made has our email.
      const account = await api.describeAccount(s.accountId);
      if (account.email.toLowerCase() !== c.email?.toLowerCase()) return { state: "FAILED", failureReason: t.following };
    }
    const failed = { state: s.state, accountId: s.accountId, failureReason: s.failureReason };
    // The request we followed after our own failed as its duplicate made the account.
    if (s.state === "SUCCEEDED" && t.following && c.sentOnce) return { ...failed, madeByAnotherRun: true };
    if (s.state !== "FAILED" || !s.failureReason || !DUPLICATE_REASONS.has(s.failureReason)) return failed;
    const ours = await adoptDuplicate(c, seen);
    if (!ours) return failed;
    // Sent once, our request cannot have made the account it duplicates: another run did.
    const adopted = c.sentOnce ? { madeByAnotherRun: true } : {};
    if ("accountId" in ours) return { state: "SUCCEEDED", accountId: ours.accountId, failureReason: undefined, ...adopted };
    t.following ??= s.failureReason;
    return { requestId: ours.follow, state: "IN_PROGRESS", failureReason: undefined };
  };
  // One ListCreateAccountStatus covers every creation waited on (DescribeCreateAccountStatus is
  // 2/s); only requests that just left IN_PROGRESS are described, once each, two at a time.
  const creations = batchPoller<Tracked, AccountCreation>(async (pending) => {
    const inProgress = new Set((await api.listCreateAccountStatuses(["IN_PROGRESS"])).map((s) => s.requestId));
    const done = new Map<Tracked, AccountCreation>();
    await mapLimit(
      pending.filter((t) => !inProgress.has(t.current.requestId)),
      2,
      async (t) => {
        t.current = { ...t.current, ...(await finish(t)) };
        if (t.current.state !== "IN_PROGRESS") done.set(t, t.current);
      },
    );
    return done;
  });

  const api: OrganizationsApi = {
    async describeOrganization() {
      try {
        return toOrganization((await client.send(new sdk.DescribeOrganizationCommand({}))).Organization);
      } catch (err) {
        if (isAwsError(err, "AWSOrganizationsNotInUseException")) return undefined;
        throw err;
      }
    },

    async createOrganization(callerAccountId) {
      try {
        return toOrganization((await client.send(new sdk.CreateOrganizationCommand({ FeatureSet: "ALL" }))).Organization);
      } catch (err) {
        // AlreadyInOrganizationException right after we asked: the SDK retried our own call after
        // a dropped connection, or another run created it a moment ago. The organization this
        // account manages, with all features, is the one we wanted; any other is not ours.
        if (!callerAccountId || !isAwsError(err, "AlreadyInOrganizationException")) throw err;
        const org = await api.describeOrganization();
        // Answered so at the first attempt, the organization was there before our call: another run's.
        const firstAttempt = ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) === 1;
        if (org?.managementAccountId === callerAccountId && org.featureSet === "ALL") return firstAttempt ? { ...org, madeByAnotherRun: true } : org;
        throw err;
      }
    },

    async listAccounts(onPage) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListAccountsCommand({ NextToken: token }));
        return { items: out.Accounts, next: out.NextToken };
      }, onPage);
      return raw.map(toAccount);
    },

    async findAccountByNameOrEmail(query) {
      const email = query.email?.toLowerCase();
      const accounts = await api.listAccounts();
      return (
        (email ? accounts.find((a) => a.email.toLowerCase() === email) : undefined) ??
        (query.name ? accounts.find((a) => a.name === query.name) : undefined)
      );
    },

    async listCreateAccountStatuses(states) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListCreateAccountStatusCommand({ States: states, NextToken: token }));
        return { items: out.CreateAccountStatuses, next: out.NextToken };
      });
      return raw.map((s) => toCreation(s));
    },

    async createAccount(account) {
      const out = await client.send(new sdk.CreateAccountCommand({ AccountName: account.name, Email: account.email }));
      return { ...toCreation(out.CreateAccountStatus ?? {}, account.email), sentOnce: (out.$metadata.attempts ?? 1) === 1 };
    },

    waitForAccount(creation, options = {}) {
      if (creation.state !== "IN_PROGRESS") return Promise.resolve(creation);
      seen.add(creation.requestId);
      return creations.wait(
        { current: { ...creation } },
        {
          what: "the new AWS accounts to be created",
          timeoutMs: options.timeoutMs ?? ACCOUNT_CREATION_TIMEOUT_MS,
          backoff: options.backoff ?? gentleBackoff,
          signal: options.signal,
        },
      );
    },

    async closeAccount(accountId) {
      await client.send(new sdk.CloseAccountCommand({ AccountId: accountId }));
    },

    async describeAccount(accountId) {
      const out = await client.send(new sdk.DescribeAccountCommand({ AccountId: accountId }));
      return toAccount(out.Account ?? {});
    },

    // ---- policies and trusted access ----

    async describeRoot() {
      const roots = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListRootsCommand({ NextToken: token }));
        return { items: out.Roots, next: out.NextToken };
      });
      const root = roots[0] ?? {};
      return {
        id: root.Id ?? "",
        policyTypes: (root.PolicyTypes ?? []).map((t) => ({ type: t.Type ?? "", status: (t.Status ?? "ENABLED") as OrganizationRoot["policyTypes"][number]["status"] })),
      };
    },

    async enablePolicyType(rootId, type) {
      try {
        await client.send(new sdk.EnablePolicyTypeCommand({ RootId: rootId, PolicyType: type }));
      } catch (err) {
        if (!isAwsError(err, "PolicyTypeAlreadyEnabledException")) throw err;
      }
    },

    async waitForPolicyType(rootId, type, options = {}) {
      await pollUntil(
        async () => {
          const root = await api.describeRoot();
          return root.id === rootId && root.policyTypes.some((t) => t.type === type && t.status === "ENABLED") ? true : undefined;
        },
        { what: "service control policies to be enabled on the root", timeoutMs: options.timeoutMs ?? 5 * 60_000, backoff: options.backoff, signal: options.signal },
      );
    },

    async listPolicies(type) {
      const summaries = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListPoliciesCommand({ Filter: type, NextToken: token }));
        return { items: out.Policies, next: out.NextToken };
      });
      // Content and tags are per policy; AWS-managed ones (FullAWSAccess) are neither ours nor changed.
      return mapLimit(summaries.map(toPolicySummary), 4, async (summary) => {
        if (summary.awsManaged) return { ...summary, content: "", tags: {} };
        const [described, tags] = await Promise.all([
          client.send(new sdk.DescribePolicyCommand({ PolicyId: summary.id })),
          collectPages(async (token) => {
            const out = await client.send(new sdk.ListTagsForResourceCommand({ ResourceId: summary.id, NextToken: token }));
            return { items: out.Tags, next: out.NextToken };
          }),
        ]);
        return { ...summary, content: described.Policy?.Content ?? "", tags: Object.fromEntries(tags.map((t) => [t.Key ?? "", t.Value ?? ""])) };
      });
    },

    async listPoliciesForTarget(targetId, type) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListPoliciesForTargetCommand({ TargetId: targetId, Filter: type, NextToken: token }));
        return { items: out.Policies, next: out.NextToken };
      });
      return raw.map(toPolicySummary);
    },

    async listTargetsForPolicy(policyId) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken: token }));
        return { items: out.Targets, next: out.NextToken };
      });
      return raw.map((t) => ({ id: t.TargetId ?? "", name: t.Name ?? "", type: t.Type ?? "" }));
    },

    async createPolicy(policy) {
      const out = await client.send(
        new sdk.CreatePolicyCommand({
          Name: policy.name,
          Description: policy.description,
          Content: policy.content,
          Type: policy.type,
          Tags: Object.entries(policy.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      return toPolicySummary(out.Policy?.PolicySummary ?? {});
    },

    async updatePolicy(policyId, change) {
      await client.send(new sdk.UpdatePolicyCommand({ PolicyId: policyId, Content: change.content, Description: change.description }));
    },

    async deletePolicy(policyId) {
      try {
        await client.send(new sdk.DeletePolicyCommand({ PolicyId: policyId }));
      } catch (err) {
        if (!isAwsError(err, "PolicyNotFoundException")) throw err;
      }
    },

    async attachPolicy(policyId, targetId) {
      try {
        await client.send(new sdk.AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
      } catch (err) {
        if (!isAwsError(err, "DuplicatePolicyAttachmentException")) throw err;
      }
    },

    async detachPolicy(policyId, targetId) {
      try {
        await client.send(new sdk.DetachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
      } catch (err) {
        if (!isAwsError(err, "PolicyNotAttachedException")) throw err;
      }
    },

    async enableServiceAccess(servicePrincipal) {
      await client.send(new sdk.EnableAWSServiceAccessCommand({ ServicePrincipal: servicePrincipal }));
    },

    async listServiceAccess() {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListAWSServiceAccessForOrganizationCommand({ NextToken: token }));
        return { items: out.EnabledServicePrincipals, next: out.NextToken };
      });
      return raw.map((p) => p.ServicePrincipal ?? "");
    },
  };
  return api;
}
