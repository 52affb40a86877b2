/**
 * The step executor's scheduler (src/workflows/executor.ts), with in-memory step kinds: steps
 * wait for what they need, independent ones run at once within their kind's limits, a failure
 * stops its dependants and is thrown, verify turns a failed apply whose change took effect into
 * success, and progress reaches the caller as events.
 */
import { describe, expect, it } from "vitest";
import { CancelledError, OperationError } from "../../../src/errors.js";
import { runSteps, step, StepGraphError, type StepEvent, type StepKind } from "../../../src/workflows/executor.js";

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** A world that logs every start and end, so order and overlap can be read back. */
function world() {
  const log: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const made = new Set<string>();
  return {
    log,
    made,
    peak: () => peak,
    async work(name: string, ms = 5) {
      log.push(`start ${name}`);
      peak = Math.max(peak, ++inFlight);
      await tick(ms);
      inFlight--;
      log.push(`end ${name}`);
    },
  };
}
type World = ReturnType<typeof world>;

const thing: StepKind<{ name: string; fail?: boolean; ms?: number }, string, World> = {
  kind: "thing",
  describe: (i) => `Thing ${i.name}`,
  async apply(i, ctx) {
    await ctx.env.work(i.name, i.ms);
    if (i.fail) throw new OperationError(`${i.name} failed`);
    ctx.env.made.add(i.name);
    ctx.report(`Thing ${i.name}: made`);
    return `id-${i.name}`;
  },
};

describe("the step executor", () => {
  it("runs a step only after the steps it needs, and gives it their results", async () => {
    const w = world();
    const seen: string[] = [];
    const user: StepKind<{ name: string }, string, World> = {
      kind: "user",
      describe: (i) => `User ${i.name}`,
      async apply(i, ctx) {
        seen.push(ctx.result<string>("thing:a"), ctx.result<string>("thing:b"));
        await ctx.env.work(i.name);
        return "u";
      },
    };
    const out = await runSteps({
      kinds: [thing, user],
      env: w,
      steps: [step(user, "user", { name: "u" }, { needs: ["thing:a", "thing:b"] }), step(thing, "thing:a", { name: "a" }), step(thing, "thing:b", { name: "b", ms: 15 })],
    });
    expect(w.log).toEqual(["start a", "start b", "end a", "end b", "start u", "end u"]);
    expect(seen).toEqual(["id-a", "id-b"]);
    expect(out.get("user")).toBe("u");
  });

  it("a step found in place makes no call and its result is what dependants read", async () => {
    const w = world();
    const dependant: StepKind<{ name: string }, string, World> = {
      kind: "dep",
      describe: () => "dep",
      apply: async (_i, ctx) => `after ${ctx.result<string>("thing:a")}`,
    };
    const out = await runSteps({ kinds: [thing, dependant], env: w, steps: [step(thing, "thing:a", { name: "a" }, { found: "id-old" }), step(dependant, "d", { name: "d" }, { needs: ["thing:a"] })] });
    expect(w.log).toEqual([]);
    expect(out.get("d")).toBe("after id-old");
  });

  it("keeps at most `concurrency` steps of a pool in flight, shared by the kinds of that pool", async () => {
    const w = world();
    const create: StepKind<{ name: string }, void, World> = { kind: "create", pool: "ops", concurrency: 3, describe: (i) => i.name, apply: (i, ctx) => ctx.env.work(i.name) };
    const remove: StepKind<{ name: string }, void, World> = { kind: "remove", pool: "ops", describe: (i) => i.name, apply: (i, ctx) => ctx.env.work(i.name) };
    const steps = Array.from({ length: 8 }, (_, n) => (n % 2 ? step(create, `c${n}`, { name: `c${n}` }) : step(remove, `r${n}`, { name: `r${n}` })));
    await runSteps({ kinds: [create, remove], env: w, steps });
    expect(w.peak()).toBe(3);
    expect(w.log.filter((l) => l.startsWith("end"))).toHaveLength(8);
  });

  it("paces a kind's calls: the burst at once, then one per interval after the burst was answered", async () => {
    const starts: number[] = [];
    const t0 = Date.now();
    const paced: StepKind<{ n: number }, void, World> = {
      kind: "paced",
      pace: { burst: 2, intervalMs: 40 },
      describe: (i) => String(i.n),
      apply: (_i, ctx) =>
        ctx.paced(async () => {
          starts.push(Date.now() - t0);
          await tick(10);
        }),
    };
    await runSteps({ kinds: [paced], env: world(), steps: [0, 1, 2, 3].map((n) => step(paced, `p${n}`, { n })) });
    starts.sort((a, b) => a - b);
    expect(starts[1]).toBeLessThan(40); // the burst at once, well before the first paced slot (50 ms)
    // The third waits for the burst's answers (10 ms) plus one interval, the fourth one more. Only
    // "not before" is promised: on a loaded machine both late timers may fire at the same moment.
    expect(starts[2]).toBeGreaterThanOrEqual(48);
    expect(starts[3]).toBeGreaterThanOrEqual(88);
  });

  it("a failing step skips its dependants and what has not started, lets running steps settle, then throws its error", async () => {
    const w = world();
    const events: StepEvent[] = [];
    const run = runSteps({
      kinds: [thing],
      env: w,
      onEvent: (e) => events.push(e),
      steps: [
        step(thing, "bad", { name: "bad", fail: true, ms: 5 }),
        step(thing, "slow", { name: "slow", ms: 30 }),
        step(thing, "after-bad", { name: "after-bad" }, { needs: ["bad"] }),
        step(thing, "after-slow", { name: "after-slow" }, { needs: ["slow"] }),
      ],
    });
    await expect(run).rejects.toThrow("bad failed");
    expect(w.log).toEqual(["start bad", "start slow", "end bad", "end slow"]);
    expect(events.filter((e) => e.type === "fail").map((e) => e.step.description)).toEqual(["Thing bad"]);
    expect(events.filter((e) => e.type === "skip").map((e) => [e.step.id, e.type === "skip" && e.because])).toEqual([
      ["after-bad", "an earlier step failed"],
      ["after-slow", "an earlier step failed"],
    ]);
  });

  it("when a step fails, a kind that only waits is told to stop (its signal aborts); others finish what they started", async () => {
    let aborted = false;
    let workerAborted = false;
    const worker: StepKind<Record<string, never>, void, World> = {
      kind: "worker",
      describe: () => "worker",
      async apply(_i, ctx) {
        await tick(30);
        workerAborted = ctx.signal.aborted;
      },
    };
    const waiter: StepKind<Record<string, never>, void, World> = {
      kind: "waiter",
      cancelOnFailure: true,
      describe: () => "waiter",
      apply: (_i, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(new CancelledError("stopped"));
          });
        }),
    };
    const events: StepEvent[] = [];
    await expect(
      runSteps({ kinds: [thing, waiter, worker], env: world(), onEvent: (e) => events.push(e), steps: [step(waiter, "w", {}), step(worker, "k", {}), step(thing, "bad", { name: "bad", fail: true })] }),
    ).rejects.toThrow("bad failed");
    expect(aborted).toBe(true);
    expect(workerAborted).toBe(false);
    expect(events.filter((e) => e.type === "done").map((e) => e.step.id)).toEqual(["k"]);
  });

  it("after a failed apply, verify is asked: a change that took effect is success, one that did not keeps the failure", async () => {
    const events: StepEvent[] = [];
    const inPlace = new Set(["dropped"]);
    const flaky: StepKind<{ name: string }, string, World> = {
      kind: "flaky",
      describe: (i) => i.name,
      apply: async () => {
        throw new Error("socket hang up");
      },
      verify: async (i) => (inPlace.has(i.name) ? `found-${i.name}` : undefined),
    };
    const out = await runSteps({ kinds: [flaky], env: world(), onEvent: (e) => events.push(e), steps: [step(flaky, "a", { name: "dropped" })] });
    expect(out.get("a")).toBe("found-dropped");
    expect(events.map((e) => e.type)).toEqual(["start", "done"]);
    expect(events[1]).toMatchObject({ type: "done", verified: true });
    await expect(runSteps({ kinds: [flaky], env: world(), steps: [step(flaky, "b", { name: "lost" })] })).rejects.toThrow("socket hang up");
  });

  it("reports progress as events: start, report, status by slot, done", async () => {
    const events: StepEvent[] = [];
    const waits: StepKind<{ name: string }, void, World> = {
      kind: "waits",
      describe: (i) => `Waits ${i.name}`,
      async apply(i, ctx) {
        ctx.status(`Waiting for ${i.name}`);
        await tick();
        ctx.status(undefined);
        ctx.report(`${i.name}: done`);
      },
    };
    await runSteps({ kinds: [waits], env: world(), onEvent: (e) => events.push(e), steps: [step(waits, "x", { name: "x" })] });
    expect(events.map((e) => [e.type, "text" in e ? e.text : e.step.description, "slot" in e ? e.slot : undefined])).toEqual([
      ["start", "Waits x", undefined],
      ["status", "Waiting for x", "waits"],
      ["status", undefined, "waits"],
      ["report", "x: done", undefined],
      ["done", "Waits x", undefined],
    ]);
  });

  it("Ctrl-C stops waiting steps, starts nothing more and ends with the one line on resuming", async () => {
    const ctrlC = new AbortController();
    const w = world();
    const waiter: StepKind<Record<string, never>, void, World> = {
      kind: "waiter",
      describe: () => "waiter",
      apply: (_i, ctx) => new Promise((_r, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted wait")))),
    };
    const run = runSteps({ kinds: [waiter, thing], env: w, signal: ctrlC.signal, steps: [step(waiter, "w", {}), step(thing, "later", { name: "later" }, { needs: ["w"] })] });
    await tick();
    ctrlC.abort();
    await expect(run).rejects.toThrow("Stopped. Run the same command again to resume; nothing is lost or made twice.");
    expect(w.log).toEqual([]);
  });

  it("refuses a plan it cannot run before running anything: unknown kind, unknown need, duplicate id, cycle", async () => {
    const w = world();
    const cases = [
      [{ id: "a", kind: "nope", input: {} }],
      [step(thing, "a", { name: "a" }, { needs: ["ghost"] })],
      [step(thing, "a", { name: "a" }), step(thing, "a", { name: "a" })],
      [step(thing, "a", { name: "a" }, { needs: ["b"] }), step(thing, "b", { name: "b" }, { needs: ["a"] })],
    ];
    for (const steps of cases) await expect(runSteps({ kinds: [thing], env: w, steps })).rejects.toBeInstanceOf(StepGraphError);
    expect(w.log).toEqual([]);
  });

  it("a step reading a result it does not list in its needs is a bug, caught at once", async () => {
    const sneaky: StepKind<Record<string, never>, void, World> = { kind: "sneaky", describe: () => "sneaky", apply: async (_i, ctx) => void ctx.result("other") };
    await expect(runSteps({ kinds: [thing, sneaky], env: world(), steps: [step(thing, "other", { name: "o" }), step(sneaky, "s", {})] })).rejects.toBeInstanceOf(StepGraphError);
  });
});
