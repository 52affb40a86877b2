/**
 * Waiting on AWS's asynchronous work (account creation, account assignments, an Identity Center
 * instance enabled in the console): short first intervals that back off, a timeout with a clear
 * message, and Ctrl-C (the command's AbortSignal) honoured at every sleep.
 */
import { CancelledError, OperationError } from "../errors.js";

export interface Backoff {
  /** First interval (ms). */
  initialMs: number;
  /** Interval ceiling (ms). */
  maxMs: number;
  /** Growth per attempt. */
  factor: number;
}

/** Short first polls (the emulator and fast AWS operations finish in about a second), then slower. */
export const defaultBackoff: Backoff = { initialMs: 250, maxMs: 5_000, factor: 1.5 };

export function backoffDelay(attempt: number, backoff: Backoff = defaultBackoff): number {
  return Math.min(backoff.maxMs, Math.round(backoff.initialMs * backoff.factor ** attempt));
}

/** The message a Ctrl-C during a wait ends with: nothing is lost, the next run picks up. */
export const RESUME_HINT = "Nothing is lost: run the same command again to resume where it stopped.";

/** One line, as Ctrl-C deserves: what happened and how to go on. */
export function stoppedError(): CancelledError {
  return new CancelledError("Stopped. Run the same command again to resume; nothing is lost or made twice.");
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw stoppedError();
}

/** Listeners one abort signal may have: our concurrency bounds (docs/aws-facts.md, Request rates) times a margin. */
export const ABORT_LISTENERS = 64;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(stoppedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(stoppedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `0:07`, `2:05`, `1:02:03`: how long a wait has lasted, for progress lines. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}

/** `0s`, `8s`, `1m 12s`, `1h 2m`: how long something took, for finished lines ("acme-dev created in 1m 12s"). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}

export interface WaitOptions {
  /** What we are waiting for, for the timeout message ("account creation"). */
  what: string;
  timeoutMs: number;
  backoff?: Backoff;
  signal?: AbortSignal;
  /** What to tell the user when the wait times out (default: run again to resume). */
  timeoutHint?: string;
}

/**
 * Calls `check` until it returns a value other than `undefined`, sleeping with backoff between
 * calls. Throws an OperationError on timeout and a CancelledError on abort.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal);
    const result = await check();
    if (result !== undefined) return result;
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutMs) {
      throw new OperationError(
        `Timed out after ${Math.round(elapsed / 1000)} s waiting for ${options.what}.`,
        options.timeoutHint ?? `AWS may still be working on it. ${RESUME_HINT}`,
      );
    }
    await sleep(Math.min(backoffDelay(attempt, options.backoff), options.timeoutMs - elapsed), options.signal);
  }
}

/**
 * Retries `fn` while `isRetryable(err)` says so, with backoff. For errors the SDK's standard
 * retry does not cover, such as sso-admin's ConflictException "did not have time to
 * propagate" (docs/aws-facts.md, IAM Identity Center).
 */
export async function retryWithBackoff<T>(
  fn: () => Promise<T>,
  isRetryable: (err: unknown) => boolean,
  options: { attempts?: number; backoff?: Backoff; signal?: AbortSignal } = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt + 1 >= attempts || !isRetryable(err)) throw err;
      await sleep(backoffDelay(attempt, options.backoff ?? { initialMs: 200, maxMs: 4_000, factor: 2 }), options.signal);
    }
  }
}

/**
 * Runs `fn` over `items` with at most `limit` in flight, preserving order in the result. Used for
 * AWS's "at most 10 outstanding CreateAccountAssignment" and similar caps.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * Gentle backoff for waits on AWS's asynchronous work: the next look comes `factor − 1` of the
 * time waited so far after the last one (between `initialMs` and `maxMs`), so a finished piece of
 * work is seen at most that fraction of its duration late: 5 % of an 8 s creation is 0.4 s,
 * where 250 ms × 1.5ⁿ could land half the wait late (bench/RESULTS.md).
 */
export const gentleBackoff: Backoff = { initialMs: 200, maxMs: 5_000, factor: 1.05 };

/** The interval after `elapsedMs` of waiting: proportional to the wait, within the bounds. */
export function intervalAfter(elapsedMs: number, backoff: Backoff = gentleBackoff): number {
  return Math.round(Math.min(backoff.maxMs, Math.max(backoff.initialMs, elapsedMs * (backoff.factor - 1))));
}

export interface BatchWaitOptions extends Omit<WaitOptions, "backoff"> {
  backoff?: Backoff;
}

/**
 * One poll loop for many waits: AWS lists the state of every operation in one call
 * (ListCreateAccountStatus, ListAccountAssignmentCreationStatus), so each `wait(key)` joins one
 * loop instead of polling on its own. Each round `look` is given every key still waited on and
 * returns the finished ones with their results. Rounds start `intervalAfter` the newest wait's
 * age apart (start to start: a look's own latency is part of the interval); each wait has its
 * own timeout and signal (Ctrl-C). A failed look fails the waits it was looking at.
 */
export function batchPoller<K, R>(look: (pending: K[]) => Promise<Map<K, R>>): { wait(key: K, options: BatchWaitOptions): Promise<R> } {
  interface Waiter {
    since: number;
    options: BatchWaitOptions;
    resolve(r: R): void;
    reject(err: unknown): void;
  }
  const waiters = new Map<K, Waiter>();
  let timer: NodeJS.Timeout | undefined;
  let timerAt = 0;
  let looking = false;
  let lastLookAt = 0;

  const settle = (key: K, outcome: { value: R } | { error: unknown }) => {
    const w = waiters.get(key);
    if (!w) return;
    waiters.delete(key);
    if ("value" in outcome) w.resolve(outcome.value);
    else w.reject(outcome.error);
  };
  const schedule = () => {
    if (looking || waiters.size === 0) {
      if (waiters.size === 0 && timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      return;
    }
    const now = Date.now();
    const youngest = [...waiters.values()].reduce((a, b) => (a.since > b.since ? a : b));
    // The first look of a new wait comes `initialMs` after it began; later ones from the last look's start.
    const at = Math.max(now, Math.max(lastLookAt, youngest.since) + intervalAfter(now - youngest.since, youngest.options.backoff));
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => void round(), at - now);
  };
  const round = async () => {
    timer = undefined;
    const keys = [...waiters.keys()];
    if (keys.length === 0) return;
    looking = true;
    lastLookAt = Date.now();
    try {
      const done = await look(keys);
      for (const [key, value] of done) settle(key, { value });
      const now = Date.now();
      for (const key of keys) {
        const w = waiters.get(key);
        if (w && now - w.since >= w.options.timeoutMs) {
          settle(key, {
            error: new OperationError(`Timed out after ${Math.round((now - w.since) / 1000)} s waiting for ${w.options.what}.`, w.options.timeoutHint ?? `AWS may still be working on it. ${RESUME_HINT}`),
          });
        }
      }
    } catch (error) {
      for (const key of keys) settle(key, { error });
    } finally {
      looking = false;
      schedule();
    }
  };
  return {
    wait(key, options) {
      return new Promise<R>((resolve, reject) => {
        const { signal } = options;
        if (signal?.aborted) return reject(stoppedError());
        const onAbort = () => {
          settle(key, { error: stoppedError() });
          schedule();
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        const done = () => signal?.removeEventListener("abort", onAbort);
        waiters.set(key, {
          since: Date.now(),
          options,
          resolve: (r) => (done(), resolve(r)),
          reject: (e) => (done(), reject(e)),
        });
        schedule();
      });
    },
  };
}
