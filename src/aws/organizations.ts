/**
 * AWS Organizations adapter: the few calls the commands use, paging folded in, account creation
 * paced and waited on as AWS advises (DESIGN §9):
 * - `ListAccounts` has no server-side filter: page through and match name/email ourselves.
 * - `CreateAccount` is asynchronous; its rate is 0.1/s with a burst of 3, so creations beyond
 *   three are spaced; waiting polls `ListCreateAccountStatus` once for all in-progress requests
 *   rather than one `DescribeCreateAccountStatus` per account (that call is limited to 2/s).
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";
import { isAwsError } from "./errors.js";
import { collectPages } from "./paging.js";
import { mapLimit, pollUntil, retryWithBackoff, sleep, type Backoff } from "./waiting.js";

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
}

export interface NewAccount {
  name: string;
  email: string;
}

export interface CreateAccountsOptions {
  /** Called as each CreateAccount call returns. */
  onStarted?(creation: AccountCreation): void;
  signal?: AbortSignal;
  /** Creations started without spacing (AWS's burst). */
  burst?: number;
  /** Spacing beyond the burst (AWS's rate 0.1/s → 10 s). */
  intervalMs?: number;
}

export interface WaitForAccountsOptions {
  timeoutMs?: number;
  backoff?: Backoff;
  signal?: AbortSignal;
  /** Called whenever a creation's state changes. */
  onProgress?(creation: AccountCreation): void;
}

export interface OrganizationsApi {
  /** The organization, or undefined when the account is in none (AWSOrganizationsNotInUseException). */
  describeOrganization(): Promise<OrganizationInfo | undefined>;
  /** Creates an organization with all features (`FeatureSet: ALL`), which Identity Center needs. */
  createOrganization(): Promise<OrganizationInfo>;
  listAccounts(): Promise<MemberAccount[]>;
  /** The account whose email (case-insensitive) or name matches, among all pages. */
  findAccountByNameOrEmail(query: { name?: string; email?: string }): Promise<MemberAccount | undefined>;
  listCreateAccountStatuses(states?: AccountCreation["state"][]): Promise<AccountCreation[]>;
  createAccount(account: NewAccount): Promise<AccountCreation>;
  /** Starts every creation (paced beyond AWS's burst) before returning; does not wait for them. */
  createAccounts(accounts: NewAccount[], options?: CreateAccountsOptions): Promise<AccountCreation[]>;
  /** Waits until no creation is IN_PROGRESS; returns their final states (FAILED included). */
  waitForAccounts(creations: AccountCreation[], options?: WaitForAccountsOptions): Promise<AccountCreation[]>;
  /** Starts closing a member account (asynchronous: PENDING_CLOSURE → SUSPENDED). */
  closeAccount(accountId: string): Promise<void>;
  describeAccount(accountId: string): Promise<MemberAccount>;
}

/** Default time we wait for accounts: AWS usually takes minutes, occasionally much longer. */
export const ACCOUNT_CREATION_TIMEOUT_MS = 20 * 60_000;

export async function openOrganizations(ctx: AwsContext): Promise<OrganizationsApi> {
  const sdk = await import("@aws-sdk/client-organizations");
  // Organizations is a global service served from us-east-1; the SDK resolves its endpoint.
  const client = new sdk.OrganizationsClient(clientConfig(ctx));

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
    // `Status` is retired in favour of `State` (DESIGN §9); fall back only for older emulators.
    state: (a.State ?? a.Status ?? "ACTIVE") as AccountState,
  });
  const toCreation = (s: { Id?: string; AccountName?: string; State?: string; AccountId?: string; FailureReason?: string }, email?: string): AccountCreation => ({
    requestId: s.Id ?? "",
    name: s.AccountName ?? "",
    ...(email ? { email } : {}),
    state: (s.State ?? "IN_PROGRESS") as AccountCreation["state"],
    ...(s.AccountId ? { accountId: s.AccountId } : {}),
    ...(s.FailureReason ? { failureReason: s.FailureReason } : {}),
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

    async createOrganization() {
      return toOrganization((await client.send(new sdk.CreateOrganizationCommand({ FeatureSet: "ALL" }))).Organization);
    },

    async listAccounts() {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListAccountsCommand({ NextToken: token }));
        return { items: out.Accounts, next: out.NextToken };
      });
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
      return toCreation(out.CreateAccountStatus ?? {}, account.email);
    },

    async createAccounts(accounts, options = {}) {
      const burst = options.burst ?? 3;
      const interval = options.intervalMs ?? 10_000;
      // Right after CreateOrganization, AWS answers FinalizingOrganizationException for a
      // while; a concurrent change answers ConcurrentModificationException. Both clear up.
      const create = async (account: NewAccount) => {
        const creation = await retryWithBackoff(
          () => api.createAccount(account),
          (err) => isAwsError(err, "FinalizingOrganizationException", "ConcurrentModificationException"),
          { attempts: 7, backoff: { initialMs: 1_000, maxMs: 15_000, factor: 2 }, signal: options.signal },
        );
        options.onStarted?.(creation);
        return creation;
      };
      // Up to the burst, all calls start at once. Later ones are spaced at AWS's sustained rate,
      // counted from when the burst has been answered: AWS's bucket starts when it receives the
      // first call, which our clock cannot see, so counting from before it lands a call early.
      const first = accounts.slice(0, burst).map(create);
      const burstAnswered = Promise.allSettled(first);
      const rest = accounts.slice(burst).map(async (account, i) => {
        await burstAnswered;
        await sleep((i + 1) * interval, options.signal);
        return create(account);
      });
      return Promise.all([...first, ...rest]);
    },

    async waitForAccounts(creations, options = {}) {
      const current = new Map(creations.map((c) => [c.requestId, c]));
      const settle = (c: AccountCreation, next: Partial<AccountCreation>) => {
        const updated = { ...c, ...next };
        current.set(c.requestId, updated);
        if (updated.state !== c.state) options.onProgress?.(updated);
      };
      await pollUntil(
        async () => {
          const pending = [...current.values()].filter((c) => c.state === "IN_PROGRESS");
          if (pending.length === 0) return true;
          // One call covers every in-progress creation (DescribeCreateAccountStatus is 2/s).
          const inProgress = new Set((await api.listCreateAccountStatuses(["IN_PROGRESS"])).map((s) => s.requestId));
          const finished = pending.filter((c) => !inProgress.has(c.requestId));
          // Only requests that just left IN_PROGRESS are described, once each, two at a time.
          await mapLimit(finished, 2, async (c) => {
            const out = await client.send(new sdk.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: c.requestId }));
            const s = toCreation(out.CreateAccountStatus ?? {}, c.email);
            settle(c, { state: s.state, accountId: s.accountId, failureReason: s.failureReason });
          });
          return [...current.values()].some((c) => c.state === "IN_PROGRESS") ? undefined : true;
        },
        {
          what: "the new AWS accounts to be created",
          timeoutMs: options.timeoutMs ?? ACCOUNT_CREATION_TIMEOUT_MS,
          backoff: options.backoff,
          signal: options.signal,
        },
      );
      return creations.map((c) => current.get(c.requestId) ?? c);
    },

    async closeAccount(accountId) {
      await client.send(new sdk.CloseAccountCommand({ AccountId: accountId }));
    },

    async describeAccount(accountId) {
      const out = await client.send(new sdk.DescribeAccountCommand({ AccountId: accountId }));
      return toAccount(out.Account ?? {});
    },
  };
  return api;
}
