/**
 * The account step: create a member account and wait until AWS has made it ("create account,
 * wait", for init and add-account alike). AWS's rate is the kind's (docs/aws-facts.md,
 * Organizations and Request rates): CreateAccount paced at a burst of 3, then one per 10 s; every
 * wait joins one ListCreateAccountStatus poll (`waitForAccount` in src/aws/organizations.ts).
 * AWS's 5 creations in progress is not a cap here: at that pace a creation is seen done only by
 * a poll, which would hold back the sixth CreateAccount although AWS has long finished the first. Every account being waited on shares one live
 * line with its elapsed time; each one's finished line says how long it took.
 */
import { OperationError } from "../../errors.js";
import { explainAwsError, explainCreateAccountFailure, isAwsError } from "../../aws/errors.js";
import type { AccountCreation, OrganizationsApi } from "../../aws/organizations.js";
import { formatDuration, retryWithBackoff, type Backoff } from "../../aws/waiting.js";
import type { StepContext, StepKind } from "../executor.js";
import { resolve, type Ref } from "./common.js";

export interface AccountInput {
  stage: string;
  name: string;
  email: Ref<string>;
  /** A creation an earlier run started and AWS is still working on: wait for it, start nothing. */
  pendingRequestId?: string;
}

export interface AccountOutcome {
  stage: string;
  id: string;
  name: string;
  email: string;
  status: "created" | "found";
}

export interface AccountEnv {
  organizations: OrganizationsApi;
}

export interface AccountKindOptions {
  /** Appended to each account's elapsed time on the live line ("; Ctrl-C stops, …"). */
  waitingNote?: string;
  /** What a failed CreateAccount call was doing, for its message (default: "Creating account <name>"). */
  explainAs?: string;
  timeoutMs?: number;
  /** AWS's rate (default CREATE_ACCOUNT_PACE; tests scale it as the emulator's buckets). */
  pace?: { burst: number; intervalMs: number };
  /** How the wait polls (default: src/aws/organizations.ts's). */
  backoff?: Backoff;
  /** The clock for elapsed times (tests inject one). */
  now?: () => number;
}

/** CreateAccount's rate (0.1/s, burst 3) and AWS's 5 creations in progress. */
export const CREATE_ACCOUNT_PACE = { burst: 3, intervalMs: 10_000 };

export function accountKind(options: AccountKindOptions = {}): StepKind<AccountInput, AccountOutcome, AccountEnv> {
  const now = options.now ?? Date.now;
  const since = new Map<string, number>();
  const took = (name: string) => formatDuration(now() - (since.get(name) ?? now()));
  const waiting = new Set<string>();
  // Every CreateAccount of the run is answered before any wait begins (docs/init.md): the steps
  // all start at once (they need only the organization), so each counts itself in before its
  // first await, and the waits begin when the last call has been answered.
  let creating = 0;
  let release = () => {};
  let allStarted = Promise.resolve();
  const begin = () => {
    if (creating++ === 0) allStarted = new Promise<void>((r) => (release = r));
  };
  const end = () => {
    if (--creating === 0) release();
  };
  // Accounts are created while Identity Center may still be waited for: a slot of their own.
  const show = (status: StepContext<AccountEnv>["status"]) => {
    const names = [...waiting];
    status(names.length ? () => `Waiting for AWS to create ${names.map((n) => `${n} (${took(n)}${options.waitingNote ?? ""})`).join(", ")}` : undefined, "accounts");
  };
  /** The creation to wait for: one an earlier run started, or CreateAccount now (paced). */
  const start = async (a: AccountInput, email: string, ctx: StepContext<AccountEnv>): Promise<AccountCreation> => {
    if (a.pendingRequestId) {
      since.set(a.name, now());
      ctx.report(`Account ${a.name}: creation already started by an earlier run, waiting for it`);
      return { requestId: a.pendingRequestId, name: a.name, email, state: "IN_PROGRESS" };
    }
    // Right after CreateOrganization, AWS answers FinalizingOrganizationException for a while; a
    // concurrent change answers ConcurrentModificationException. Both clear up.
    const creation = await ctx
      .paced(() =>
        retryWithBackoff(
          () => ctx.env.organizations.createAccount({ name: a.name, email }),
          (err) => isAwsError(err, "FinalizingOrganizationException", "ConcurrentModificationException"),
          { attempts: 7, backoff: { initialMs: 1_000, maxMs: 15_000, factor: 2 }, signal: ctx.signal },
        ),
      )
      .catch((err: unknown) => {
        throw explainAwsError(err, options.explainAs ?? `Creating account ${a.name}`);
      });
    since.set(a.name, now());
    ctx.report(`Account ${a.name}: creation started (${email})`);
    return creation;
  };
  return {
    kind: "account",
    pace: options.pace ?? CREATE_ACCOUNT_PACE,
    // A person's own wait (Identity Center being enabled) is not held up by it: this only waits.
    cancelOnFailure: true,
    describe: (a) => `Account ${a.name}`,
    async apply(a, ctx) {
      const email = resolve(a.email, ctx);
      const status = ctx.status;
      let creation: AccountCreation;
      begin();
      try {
        creation = await start(a, email, ctx);
      } finally {
        end();
      }
      waiting.add(a.name);
      show(status);
      await allStarted;
      let final: AccountCreation;
      try {
        final = await ctx.env.organizations
          .waitForAccount(creation, { signal: ctx.signal, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.backoff ? { backoff: options.backoff } : {}) })
          .catch((err: unknown) => {
            throw explainAwsError(err, options.explainAs ?? `Creating account ${a.name}`);
          });
      } finally {
        waiting.delete(a.name);
      }
      if (final.state === "FAILED") {
        ctx.report(`Account ${a.name}: creation FAILED after ${took(a.name)} (${final.failureReason ?? "no reason given"})`, false);
        show(status);
        throw explainCreateAccountFailure(final.failureReason, `Creating account ${a.name} (${email}) failed`);
      }
      if (!final.accountId) throw new OperationError(`AWS did not report an account id for ${a.name}.`, "Run the command again; it finds the account by name or email.");
      if (final.madeByAnotherRun) {
        ctx.report(`Account ${a.name}: made by another run at the same time; using it (${final.accountId})`);
        show(status);
        return { stage: a.stage, id: final.accountId, name: a.name, email, status: "found" };
      }
      ctx.report(`Account ${a.name}: created in ${took(a.name)} (${final.accountId})`);
      show(status);
      return { stage: a.stage, id: final.accountId, name: a.name, email, status: "created" };
    },
    async verify(a, ctx) {
      // The account is there under our name and email (a dropped answer, another run at once).
      const email = resolve(a.email, ctx).toLowerCase();
      const found = await ctx.env.organizations.findAccountByNameOrEmail({ name: a.name, email });
      return found && found.name === a.name && found.email.toLowerCase() === email && found.state === "ACTIVE"
        ? { stage: a.stage, id: found.id, name: a.name, email: found.email, status: "created" }
        : undefined;
    },
  };
}
