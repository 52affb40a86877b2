/**
 * The step executor (docs/architecture.md, "The step executor"): every mutating command applies
 * its plan through `runSteps`. A plan becomes a list of `Step`s, each naming its kind, its input
 * (the plan step), the steps it needs, and — for a step observed already in place — what was
 * found. Each kind (`StepKind`) says how to apply one step, how to find out afterwards whether it
 * took effect (`verify`, asked when `apply` failed: a dropped connection, a run at the same time)
 * and how it is described. One scheduler runs every step whose needs are done, at once, within
 * the kind's limits: `concurrency` (steps of a `pool` in flight together, e.g. AWS's 10
 * outstanding account assignments) and `pace` (AWS's request rate for the step's first call, e.g.
 * CreateAccount's burst of 3 then one per 10 s).
 *
 * The first failure stops the run: its dependants and every step not started yet are skipped;
 * steps already running finish what they started (an assignment AWS accepted is seen through),
 * except those of a kind that only waits (`cancelOnFailure`), whose `signal` aborts; once nothing
 * runs, the failure is thrown as it was. Ctrl-C (the caller's signal) aborts every step's signal. Nothing here prints:
 * everything the user sees goes through `onEvent` (src/ui/progress.ts turns events into lines).
 * A re-run observes again, so what was done is found and skipped: that is how every command
 * resumes after a crash.
 */
import { setMaxListeners } from "node:events";
import { ABORT_LISTENERS, sleep, stoppedError } from "../aws/waiting.js";

/** A progress line's text; a function is a live line, redrawn (e.g. with the elapsed time). */
export type StatusText = string | (() => string);

/** What a step's `apply` and `verify` are given. */
export interface StepContext<Env> {
  /** What the command passes to every step: adapters, the client provider, settings. */
  readonly env: Env;
  /** Aborted on Ctrl-C (and, for a `cancelOnFailure` kind, when another step failed): waits stop at their next sleep. */
  readonly signal: AbortSignal;
  /** The outcome of a step listed in this step's `needs`. */
  result<T>(id: string): T;
  /** Something finished ("Account acme-dev: created in 8s"); `ok: false` when it failed. */
  report(text: string, ok?: boolean): void;
  /** What this step waits on now (undefined: nothing). Steps share a line per `slot` (default: the kind). */
  status(text: StatusText | undefined, slot?: string): void;
  /** Runs `call` when the kind's `pace` allows (at once for a kind without one). */
  paced<T>(call: () => Promise<T>): Promise<T>;
}

/** One kind of plan step: a table entry in the command's registry (its list of kinds). */
export interface StepKind<Input, Output, Env> {
  /** Unique among the kinds of one run ("account", "assignment"). */
  readonly kind: string;
  /** At most this many steps of the kind's pool in flight at once (default: no limit). */
  readonly concurrency?: number;
  /** Kinds with the same pool share `concurrency` (default: the kind itself). The first kind of a run to name a pool sets its limit. */
  readonly pool?: string;
  /** AWS's rate for the kind's first call: `burst` at once, then one per `intervalMs`, counted from when the burst was answered. */
  readonly pace?: { burst: number; intervalMs: number };
  /**
   * The kind's steps only wait (for a person, for AWS's work already asked for): when another
   * step fails they are told to stop (their signal aborts) instead of being waited for.
   */
  readonly cancelOnFailure?: boolean;
  /** One line naming the step, for plans and progress ("Account acme-dev (dev@acme.com)"). */
  describe(input: Input): string;
  /** Makes the change; its result is what dependants read with `ctx.result(id)`. */
  apply(input: Input, ctx: StepContext<Env>): Promise<Output>;
  /**
   * After `apply` failed: did the change take effect anyway? The result when it did (the step
   * then succeeds), undefined when it did not (the failure stands). Not asked after Ctrl-C.
   */
  verify?(input: Input, ctx: StepContext<Env>): Promise<Output | undefined>;
}

/** One step of a plan, as the executor runs it. */
export interface Step<Input = unknown> {
  /** Unique within the run ("account:dev"). */
  readonly id: string;
  readonly kind: string;
  readonly input: Input;
  /** Steps that must succeed before this one starts. */
  readonly needs?: readonly string[];
  /** Observed already in place: not applied; this is its result for dependants. */
  readonly found?: unknown;
}

/** A typed `Step`: the input must be the kind's. */
export function step<Input>(kind: StepKind<Input, unknown, any>, id: string, input: Input, options: { needs?: readonly string[]; found?: unknown } = {}): Step<Input> {
  return { id, kind: kind.kind, input, ...(options.needs?.length ? { needs: options.needs } : {}), ...("found" in options ? { found: options.found } : {}) };
}

export interface StepInfo {
  id: string;
  kind: string;
  description: string;
}

export type StepEvent =
  | { type: "start"; step: StepInfo }
  /** `verified`: apply failed, and verify found the change in place. */
  | { type: "done"; step: StepInfo; verified: boolean }
  | { type: "fail"; step: StepInfo; error: unknown }
  /** Not run: a step it needs failed, or the run stopped first. */
  | { type: "skip"; step: StepInfo; because: string }
  | { type: "report"; step: StepInfo; text: string; ok: boolean }
  | { type: "status"; step: StepInfo; slot: string; text: StatusText | undefined };

export interface RunStepsOptions<Env> {
  /** Every kind the steps use. */
  kinds: readonly StepKind<any, any, Env>[];
  steps: readonly Step[];
  env: Env;
  /** Ctrl-C. */
  signal?: AbortSignal;
  onEvent?(event: StepEvent): void;
}

export interface RunOutcome {
  /** Every step's result (found or applied), by id. */
  readonly results: ReadonlyMap<string, unknown>;
  /** One step's result. */
  get<T>(id: string): T;
}

/** A plan whose steps cannot all run: an unknown kind or need, a duplicate id, a cycle. A bug, not the user's. */
export class StepGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StepGraphError";
  }
}

function checkGraph(kinds: ReadonlyMap<string, StepKind<any, any, any>>, steps: readonly Step[]): void {
  const ids = new Set<string>();
  for (const s of steps) {
    if (ids.has(s.id)) throw new StepGraphError(`Two steps have the id ${s.id}.`);
    ids.add(s.id);
    // A found step is never run: its kind need not be among the run's (a day-two command's instance).
    if (!("found" in s) && !kinds.has(s.kind)) throw new StepGraphError(`Step ${s.id} is of kind ${s.kind}, which is not registered.`);
  }
  for (const s of steps) for (const n of s.needs ?? []) if (!ids.has(n)) throw new StepGraphError(`Step ${s.id} needs ${n}, which is not in the plan.`);
  // Kahn's algorithm: every step must become ready once its needs are done.
  const byId = new Map(steps.map((s) => [s.id, s]));
  const done = new Set<string>();
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const s of byId.values()) {
      if (!done.has(s.id) && (s.needs ?? []).every((n) => done.has(n))) {
        done.add(s.id);
        progressed = true;
      }
    }
  }
  const stuck = steps.filter((s) => !done.has(s.id)).map((s) => s.id);
  if (stuck.length) throw new StepGraphError(`Steps ${stuck.join(", ")} need each other (a cycle).`);
}

/** AWS's rate for one kind's first call: the burst at once, the rest spaced from when the burst was answered. */
function pacer(pace: { burst: number; intervalMs: number } | undefined) {
  let count = 0;
  const burst: Promise<unknown>[] = [];
  return async <T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> => {
    if (!pace) return call();
    const k = count++;
    if (k < pace.burst) {
      const p = call();
      burst.push(p.catch(() => undefined));
      return p;
    }
    await Promise.all([...burst]);
    await sleep((k - pace.burst + 1) * pace.intervalMs, signal);
    return call();
  };
}

/**
 * Runs `steps`: each as soon as its needs are done and its kind's limits allow. Resolves with
 * every result; rejects with the first failure (or the stop of Ctrl-C) once nothing runs any more.
 */
export async function runSteps<Env>(options: RunStepsOptions<Env>): Promise<RunOutcome> {
  const kinds = new Map(options.kinds.map((k) => [k.kind, k]));
  checkGraph(kinds, options.steps);
  const emit = (e: StepEvent) => options.onEvent?.(e);
  // `stop`: Ctrl-C, seen by every step; `cancel`: Ctrl-C or a failure, seen by the steps that only wait.
  const stop = new AbortController();
  const cancel = new AbortController();
  setMaxListeners(ABORT_LISTENERS, stop.signal);
  setMaxListeners(ABORT_LISTENERS, cancel.signal);
  const outer = options.signal;
  const onOuterAbort = () => {
    stop.abort(outer?.reason);
    cancel.abort(outer?.reason);
  };
  if (outer?.aborted) onOuterAbort();
  outer?.addEventListener("abort", onOuterAbort, { once: true });

  const results = new Map<string, unknown>();
  const infoOf = new Map<string, StepInfo>();
  const info = (s: Step) => {
    let i = infoOf.get(s.id);
    if (!i) {
      i = { id: s.id, kind: s.kind, description: kinds.get(s.kind)!.describe(s.input) };
      infoOf.set(s.id, i);
    }
    return i;
  };
  const poolOf = (k: StepKind<any, any, Env>) => k.pool ?? k.kind;
  const limits = new Map<string, number>();
  for (const k of options.kinds) if (k.concurrency !== undefined && !limits.has(poolOf(k))) limits.set(poolOf(k), k.concurrency);
  const inFlight = new Map<string, number>();
  const pacers = new Map(options.kinds.map((k) => [k.kind, pacer(k.pace)]));

  const pending: Step[] = [];
  for (const s of options.steps) {
    if ("found" in s) results.set(s.id, s.found);
    else pending.push(s);
  }
  let running = 0;
  let failure: { error: unknown } | undefined;
  let skippedAny = false;

  return new Promise<RunOutcome>((resolve, reject) => {
    const finish = () => {
      outer?.removeEventListener("abort", onOuterAbort);
      // Ctrl-C: one line saying how to resume, whatever the steps it stopped threw.
      if (outer?.aborted && (failure || skippedAny)) return reject(stoppedError());
      if (failure) return reject(failure.error);
      resolve({ results, get: <T>(id: string) => results.get(id) as T });
    };

    const skipRest = (because: string) => {
      for (const s of pending.splice(0)) {
        skippedAny = true;
        emit({ type: "skip", step: info(s), because });
      }
    };

    const runOne = async (s: Step, kind: StepKind<any, any, Env>): Promise<void> => {
      const i = info(s);
      const needs = new Set(s.needs ?? []);
      const signal = kind.cancelOnFailure ? cancel.signal : stop.signal;
      const ctx: StepContext<Env> = {
        env: options.env,
        signal,
        result: <T>(id: string) => {
          if (!needs.has(id)) throw new StepGraphError(`Step ${s.id} reads ${id}, which it does not list in its needs.`);
          return results.get(id) as T;
        },
        report: (text, ok = true) => emit({ type: "report", step: i, text, ok }),
        status: (text, slot = s.kind) => emit({ type: "status", step: i, slot, text }),
        paced: (call) => pacers.get(s.kind)!(call, signal),
      };
      emit({ type: "start", step: i });
      try {
        results.set(s.id, await kind.apply(s.input, ctx));
        emit({ type: "done", step: i, verified: false });
      } catch (err) {
        let found: unknown;
        if (kind.verify && !signal.aborted) found = await kind.verify(s.input, ctx).catch(() => undefined);
        if (found !== undefined) {
          results.set(s.id, found);
          emit({ type: "done", step: i, verified: true });
          return;
        }
        emit({ type: "fail", step: i, error: err });
        if (!failure) failure = { error: err };
        cancel.abort(err);
      }
    };

    const pump = () => {
      if (failure || stop.signal.aborted) skipRest(failure ? "an earlier step failed" : "stopped");
      for (let idx = 0; idx < pending.length; ) {
        const s = pending[idx];
        const kind = kinds.get(s.kind)!;
        const pool = poolOf(kind);
        const ready = (s.needs ?? []).every((n) => results.has(n));
        const room = (inFlight.get(pool) ?? 0) < (limits.get(pool) ?? Infinity);
        if (!ready || !room) {
          idx++;
          continue;
        }
        pending.splice(idx, 1);
        running++;
        inFlight.set(pool, (inFlight.get(pool) ?? 0) + 1);
        void runOne(s, kind).finally(() => {
          running--;
          inFlight.set(pool, (inFlight.get(pool) ?? 0) - 1);
          pump();
        });
      }
      if (running === 0) {
        // Nothing runs and nothing can start: every step left needs a step that failed.
        skipRest("a step it needs did not finish");
        finish();
      }
    };
    pump();
  });
}
