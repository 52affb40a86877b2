/**
 * AWS Organizations adapter: the few calls the commands use, paging folded in, account creation
 * paced and waited on as AWS advises (docs/aws-facts.md, Organizations and Request rates):
 * - `ListAccounts` has no server-side filter: page through and match name/email ourselves.
 * - `CreateAccount` is asynchronous; its rate is 0.1/s with a burst of 3, so creations beyond
 *   three are spaced; waiting polls `ListCreateAccountStatus` once for all in-progress requests
 *   rather than one `DescribeCreateAccountStatus` per account (that call is limited to 2/s).
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";
import { isAwsError, nameFailedOperations } from "./errors.js";
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
  /**
   * Creates an organization with all features (`FeatureSet: ALL`), which Identity Center needs.
   * With the caller's account id, an organization that account already manages with all
   * features is returned instead of AlreadyInOrganizationException.
   */
  createOrganization(callerAccountId?: string): Promise<OrganizationInfo>;
  /** Every account, through every page; `onPage` hears the count so far (status's live line). */
  listAccounts(onPage?: (soFar: number) => void): Promise<MemberAccount[]>;
  /** The account whose email (case-insensitive) or name matches, among all pages. */
  findAccountByNameOrEmail(query: { name?: string; email?: string }): Promise<MemberAccount | undefined>;
  listCreateAccountStatuses(states?: AccountCreation["state"][]): Promise<AccountCreation[]>;
  createAccount(account: NewAccount): Promise<AccountCreation>;
  /** Starts every creation (paced beyond AWS's burst) before returning; does not wait for them. */
  createAccounts(accounts: NewAccount[], options?: CreateAccountsOptions): Promise<AccountCreation[]>;
  /**
   * Waits until no creation is IN_PROGRESS; returns their final states (FAILED included). A
   * creation that failed only because our account exists or is being made (same email and name)
   * ends SUCCEEDED with that account.
   */
  waitForAccounts(creations: AccountCreation[], options?: WaitForAccountsOptions): Promise<AccountCreation[]>;
  /** Starts closing a member account (asynchronous: PENDING_CLOSURE → SUSPENDED). */
  closeAccount(accountId: string): Promise<void>;
  describeAccount(accountId: string): Promise<MemberAccount>;
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
        if (org?.managementAccountId === callerAccountId && org.featureSet === "ALL") return org;
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
      // By position, not request id: a creation that only repeated another request follows that one.
      const current = creations.map((c) => ({ ...c }));
      const seen = new Set(creations.map((c) => c.requestId));
      /** Positions whose own request failed as a duplicate and now follow another run's request. */
      const following = new Map<number, string>();
      const settle = (i: number, next: Partial<AccountCreation>) => {
        const before = current[i];
        const updated = { ...before, ...next };
        current[i] = updated;
        if (updated.state !== before.state) options.onProgress?.(updated);
      };
      /** The final state of creation `i` as AWS describes it, with duplicates of our own account resolved. */
      const finish = async (i: number): Promise<Partial<AccountCreation>> => {
        const c = current[i];
        const out = await client.send(new sdk.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: c.requestId }));
        const s = toCreation(out.CreateAccountStatus ?? {}, c.email);
        if (s.state === "SUCCEEDED" && following.has(i) && s.accountId) {
          // Another request of the same name: ours only if the account it made has our email.
          const account = await api.describeAccount(s.accountId);
          if (account.email.toLowerCase() !== c.email?.toLowerCase()) return { state: "FAILED", failureReason: following.get(i) };
        }
        const failed = { state: s.state, accountId: s.accountId, failureReason: s.failureReason };
        if (s.state !== "FAILED" || !s.failureReason || !DUPLICATE_REASONS.has(s.failureReason)) return failed;
        const ours = await adoptDuplicate(c, seen);
        if (!ours) return failed;
        if ("accountId" in ours) return { state: "SUCCEEDED", accountId: ours.accountId, failureReason: undefined };
        if (!following.has(i)) following.set(i, s.failureReason);
        return { requestId: ours.follow, state: "IN_PROGRESS", failureReason: undefined };
      };
      await pollUntil(
        async () => {
          const pending = current.flatMap((c, i) => (c.state === "IN_PROGRESS" ? [i] : []));
          if (pending.length === 0) return true;
          // One call covers every in-progress creation (DescribeCreateAccountStatus is 2/s).
          const inProgress = new Set((await api.listCreateAccountStatuses(["IN_PROGRESS"])).map((s) => s.requestId));
          const finished = pending.filter((i) => !inProgress.has(current[i].requestId));
          // Only requests that just left IN_PROGRESS are described, once each, two at a time.
          await mapLimit(finished, 2, async (i) => settle(i, await finish(i)));
          return current.some((c) => c.state === "IN_PROGRESS") ? undefined : true;
        },
        {
          what: "the new AWS accounts to be created",
          timeoutMs: options.timeoutMs ?? ACCOUNT_CREATION_TIMEOUT_MS,
          backoff: options.backoff,
          signal: options.signal,
        },
      );
      return current;
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
