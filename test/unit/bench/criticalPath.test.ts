/** The critical-path computation behind `npm run bench` figure 2 (bench/lib/criticalPath.mjs). */
import { describe, expect, it } from "vitest";
import { initCriticalPath, longestPath, pacingOffsetMs } from "../../../bench/lib/criticalPath.mjs";

const timings = { callLatencyMs: 80, createAccountMs: 8000, assignmentMs: 1500 };
const L = timings.callLatencyMs;
const C = timings.createAccountMs;
const A = timings.assignmentMs;

describe("longestPath", () => {
  it("follows the longer branch and reports the chain in order", () => {
    const r = longestPath([
      { id: "a", label: "a", durationMs: 10, deps: [] },
      { id: "b", label: "b", durationMs: 5, deps: ["a"] },
      { id: "c", label: "c", durationMs: 20, deps: ["a"] },
      { id: "d", label: "d", durationMs: 1, deps: ["b", "c"] },
    ]);
    expect(r.totalMs).toBe(31);
    expect(r.chain.map((c) => c.id)).toEqual(["a", "c", "d"]);
    expect(r.chain.map((c) => [c.startMs, c.endMs])).toEqual([[0, 10], [10, 30], [30, 31]]);
  });

  it("starts a paced node no earlier than its anchor's start plus the offset", () => {
    const r = longestPath([
      { id: "first", label: "first", durationMs: 10, deps: [] },
      { id: "paced", label: "paced", durationMs: 10, deps: ["first"], notBefore: { node: "first", offsetMs: 100 } },
    ]);
    expect(r.times.get("paced")).toMatchObject({ start: 100, end: 110 });
  });

  it("refuses a node listed before one it depends on", () => {
    expect(() => longestPath([{ id: "b", label: "b", durationMs: 1, deps: ["a"] }, { id: "a", label: "a", durationMs: 1, deps: [] }])).toThrow(/b depends on a/);
  });
});

describe("init's critical path", () => {
  it("is three calls, the account's creation, a read, the assignment call, the assignment and a read", () => {
    const r = initCriticalPath({ stages: 2, timings });
    expect(r.totalMs).toBe(6 * L + C + A);
    expect(r.chain.map((c) => c.label)).toEqual([
      "GetCallerIdentity",
      "CreateOrganization",
      "CreateAccount",
      "account creation (AWS)",
      "DescribeCreateAccountStatus",
      "CreateAccountAssignment",
      "account assignment (AWS)",
      "DescribeAccountAssignmentCreationStatus",
    ]);
  });

  it("waits for AWS's CreateAccount rate beyond the burst", () => {
    const limit = { rate: 0.1, burst: 3 };
    expect([0, 1, 2, 3, 4, 9].map((k) => pacingOffsetMs(k, limit))).toEqual([0, 0, 0, 10_000, 20_000, 70_000]);
    expect(initCriticalPath({ stages: 3, timings, createAccountLimit: limit }).totalMs).toBe(6 * L + C + A);
    expect(initCriticalPath({ stages: 5, timings, createAccountLimit: limit }).totalMs).toBe(6 * L + 20_000 + C + A);
  });

  it("starts a sixth creation only when one of the first five has finished", () => {
    const r = initCriticalPath({ stages: 6, timings });
    // account 5 waits for account 0's creation (3L + C), then takes one more call and creation.
    expect(r.totalMs).toBe(3 * L + C + L + C + 3 * L + A);
  });

  it("keeps at most ten assignments outstanding", () => {
    const fast = { callLatencyMs: 10, createAccountMs: 0, assignmentMs: 1000 };
    // 11 targets (management + 10 stages): the eleventh starts after the first one finishes.
    const r = initCriticalPath({ stages: 10, timings: fast, maxCreationsInProgress: 100 });
    expect(r.totalMs).toBeGreaterThan(2 * fast.assignmentMs);
    expect(initCriticalPath({ stages: 9, timings: fast, maxCreationsInProgress: 100 }).totalMs).toBeLessThan(2 * fast.assignmentMs);
  });

  it("uses an operation's own latency when the emulator sets one", () => {
    const slowCreate = { ...timings, latencyByOperation: { CreateOrganization: 1000 } };
    expect(initCriticalPath({ stages: 2, timings: slowCreate }).totalMs).toBe(5 * L + 1000 + C + A);
  });
});
