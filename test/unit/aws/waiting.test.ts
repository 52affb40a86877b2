import { describe, expect, it } from "vitest";
import { CancelledError, OperationError } from "../../../src/errors.js";
import { backoffDelay, batchPoller, formatDuration, formatElapsed, intervalAfter, mapLimit, pollUntil, retryWithBackoff } from "../../../src/aws/waiting.js";
import { collectPages, findInPages } from "../../../src/aws/paging.js";

const quick = { initialMs: 1, maxMs: 2, factor: 2 };

describe("waiting", () => {
  it("backs off from a short first interval up to a ceiling", () => {
    expect([0, 1, 2, 10, 30].map((n) => backoffDelay(n, { initialMs: 250, maxMs: 5000, factor: 2 }))).toEqual([250, 500, 1000, 5000, 5000]);
  });

  it("polls until the check answers", async () => {
    let n = 0;
    await expect(pollUntil(async () => (++n === 4 ? "done" : undefined), { what: "x", timeoutMs: 5_000, backoff: quick })).resolves.toBe("done");
    expect(n).toBe(4);
  });

  it("times out with a message naming what it waited for and how to resume", async () => {
    const err = await pollUntil(async () => undefined, { what: "the new AWS accounts", timeoutMs: 5, backoff: quick }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).message).toMatch(/waiting for the new AWS accounts/);
    expect((err as OperationError).hint).toMatch(/run the same command again/);
  });

  it("stops at once on Ctrl-C with a one-line resume message", async () => {
    const controller = new AbortController();
    const waiting = pollUntil(async () => undefined, { what: "x", timeoutMs: 60_000, backoff: { initialMs: 10_000, maxMs: 10_000, factor: 1 }, signal: controller.signal });
    controller.abort();
    const err = await waiting.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as CancelledError).message).toMatch(/Run the same command again to resume/);
  });

  it("retries only what it is told to", async () => {
    let calls = 0;
    const conflict = Object.assign(new Error("did not have time to propagate"), { name: "ConflictException" });
    await expect(retryWithBackoff(async () => (++calls < 3 ? Promise.reject(conflict) : "ok"), (e) => (e as Error).name === "ConflictException", { backoff: quick })).resolves.toBe("ok");
    expect(calls).toBe(3);
    calls = 0;
    await expect(retryWithBackoff(async () => Promise.reject(new Error("other")).finally(() => calls++), () => false, { backoff: quick })).rejects.toThrow("other");
    expect(calls).toBe(1);
  });

  it("keeps at most N tasks in flight and results in order", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 10, async (x) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return x * 2;
    });
    expect(peak).toBe(10);
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
  });
});

describe("paging", () => {
  const pages: Record<string, { items: number[]; next?: string }> = { start: { items: [1, 2], next: "a" }, a: { items: [3], next: "b" }, b: { items: [4] } };
  const fetchPage = async (token: string | undefined) => {
    const p = pages[token ?? "start"];
    return { items: p.items, next: p.next };
  };

  it("follows NextToken to the end", async () => {
    expect(await collectPages(fetchPage)).toEqual([1, 2, 3, 4]);
  });

  it("stops at the first match", async () => {
    const asked: (string | undefined)[] = [];
    expect(await findInPages(async (t) => (asked.push(t), fetchPage(t)), (x) => x === 3)).toBe(3);
    expect(asked).toEqual([undefined, "a"]);
  });

  it("does not loop forever on a service that repeats its token", async () => {
    expect(await collectPages(async () => ({ items: [1], next: "same" }))).toEqual([1, 1]);
  });
});

describe("elapsed times on progress lines", () => {
  it("formatDuration: whole seconds, then minutes and seconds, then hours and minutes", () => {
    expect([0, 999, 8_400, 59_999, 72_000, 3_599_000, 3_720_000].map(formatDuration)).toEqual(["0s", "0s", "8s", "59s", "1m 12s", "59m 59s", "1h 2m"]);
    expect(formatDuration(-5)).toBe("0s");
  });
  it("formatElapsed: a clock for live lines", () => {
    expect([7_000, 125_000, 3_723_000].map(formatElapsed)).toEqual(["0:07", "2:05", "1:02:03"]);
  });
});

describe("batchPoller: one look for every wait", () => {
  const fast = { initialMs: 5, maxMs: 20, factor: 1.5 };
  it("waits that overlap share each look; each ends when the look says it finished", async () => {
    const looks: string[][] = [];
    const finishAt = new Map([
      ["a", 2],
      ["b", 4],
      ["c", 3],
    ]);
    const poller = batchPoller<string, string>(async (pending) => {
      looks.push([...pending]);
      return new Map(pending.filter((k) => looks.length >= finishAt.get(k)!).map((k) => [k, `${k} done`]));
    });
    const waits = ["a", "b", "c"].map((k) => poller.wait(k, { what: k, timeoutMs: 5_000, backoff: fast }));
    expect(await Promise.all(waits)).toEqual(["a done", "b done", "c done"]);
    expect(looks).toEqual([["a", "b", "c"], ["a", "b", "c"], ["b", "c"], ["b"]]);
  });

  it("a wait times out on its own, with what it waited for; Ctrl-C stops one at once", async () => {
    const poller = batchPoller<string, string>(async () => new Map());
    await expect(poller.wait("x", { what: "the thing", timeoutMs: 30, backoff: fast })).rejects.toThrow(/Timed out after \d+ s waiting for the thing/);
    const ctrlC = new AbortController();
    const stopped = poller.wait("y", { what: "y", timeoutMs: 5_000, backoff: fast, signal: ctrlC.signal });
    ctrlC.abort();
    await expect(stopped).rejects.toThrow(/^Stopped\./);
  });

  it("looks again sooner the newer the wait: the interval is (factor − 1) of the time waited, within the bounds", () => {
    const b = { initialMs: 250, maxMs: 5_000, factor: 1.05 };
    expect(intervalAfter(0, b)).toBe(250);
    expect(intervalAfter(8_000, b)).toBe(400);
    expect(intervalAfter(600_000, b)).toBe(5_000);
  });
});
