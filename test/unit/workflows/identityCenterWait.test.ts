/**
 * The Identity Center wait, on a fake clock: the chosen region is polled, the other regions are
 * looked at every 30 s, and an instance enabled in another region ends the wait with that one.
 */
import { describe, expect, it } from "vitest";
import { OperationError } from "../../../src/errors.js";
import type { IdentityCenterInstance } from "../../../src/aws/ssoAdmin.js";
import { watchForIdentityCenter } from "../../../src/workflows/identityCenterWait.js";

const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const instance = (region: string, status: IdentityCenterInstance["status"] = "ACTIVE"): IdentityCenterInstance => ({
  instanceArn: `arn:aws:sso:::instance/ssoins-${region}`,
  identityStoreId: "d-1234567890",
  status,
  region,
});

/** A world whose instance appears in `region` at `atMs`, a fake clock, and a log of every region looked at. */
function fakeWorld(enabled?: { region: string; atMs: number; status?: IdentityCenterInstance["status"] }) {
  let clock = 0;
  const looked: { at: number; region: string }[] = [];
  return {
    looked,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
    listInstances: async (region: string) => {
      looked.push({ at: clock, region });
      if (region === "ap-southeast-2") throw new Error("UnrecognizedClientException: opt-in region not enabled");
      return enabled && region === enabled.region && clock >= enabled.atMs ? [instance(region, enabled.status)] : [];
    },
  };
}

const base = { region: "us-east-1", regions, timeoutMs: 30 * 60_000, backoff: { initialMs: 500, maxMs: 3_000, factor: 1.5 } };

describe("waiting for Identity Center to be enabled", () => {
  it("finds it in the chosen region without looking elsewhere when it comes on within 30 s", async () => {
    const w = fakeWorld({ region: "us-east-1", atMs: 10_000 });
    const found = await watchForIdentityCenter({ ...base, ...w });
    expect(found.region).toBe("us-east-1");
    expect(w.looked.every((l) => l.region === "us-east-1")).toBe(true);
  });

  it("finds it enabled in another region at the next 30 s look, not after 30 minutes", async () => {
    const w = fakeWorld({ region: "eu-west-1", atMs: 5_000 });
    const looks: { elapsedMs: number; scannedOtherRegions: boolean }[] = [];
    const found = await watchForIdentityCenter({ ...base, ...w, onLook: (l) => looks.push(l) });
    expect(found.region).toBe("eu-west-1");
    const elsewhere = w.looked.filter((l) => l.region !== "us-east-1");
    // One scan of the other regions (an opt-in region's error is no answer), after about 30 s.
    expect(elsewhere.map((l) => l.region).sort()).toEqual(["ap-southeast-2", "eu-west-1"]);
    expect(elsewhere[0].at).toBeGreaterThanOrEqual(30_000);
    expect(elsewhere[0].at).toBeLessThan(34_000);
    // Every look reported the time so far, so the live line can show it.
    expect(looks.length).toBeGreaterThan(5);
    expect(looks.map((l) => l.elapsedMs)).toEqual([...looks.map((l) => l.elapsedMs)].sort((a, b) => a - b));
  });

  it("looks at the other regions about every 30 s while nothing is enabled, then times out with the hint", async () => {
    const w = fakeWorld();
    const err = await watchForIdentityCenter({ ...base, ...w, timeoutMs: 125_000, timeoutHint: "Enable it, then run init again." }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).hint).toBe("Enable it, then run init again.");
    const scans = w.looked.filter((l) => l.region === "eu-west-1").map((l) => l.at);
    expect(scans).toHaveLength(4);
    scans.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(30_000 * (i + 1)));
  });

  it("follows an instance still being created in another region until it is ACTIVE", async () => {
    const w = fakeWorld({ region: "eu-west-1", atMs: 0, status: "CREATE_IN_PROGRESS" });
    let polls = 0;
    const found = await watchForIdentityCenter({
      ...base,
      ...w,
      otherRegionsEveryMs: 1_000,
      listInstances: async (region) => {
        const list = await w.listInstances(region);
        if (region === "eu-west-1" && ++polls >= 3) return list.map((i) => ({ ...i, status: "ACTIVE" as const }));
        return list;
      },
    });
    expect(found).toMatchObject({ region: "eu-west-1", status: "ACTIVE" });
  });
});
