/**
 * The one list of IAM Identity Center regions (src/plan/regions.ts) against the oracle it was
 * taken from: the AWS endpoints data botocore ships (`data/endpoints.json`, service `sso`, which
 * is sso-admin's endpoint prefix), partitions aws, aws-cn and aws-us-gov. Skipped when python3
 * has no botocore.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { identityCenterRegions, identityCenterRegionsByPartition, identityCenterRegionsLike } from "../../../src/plan/regions.js";

function botocoreRegions(): Record<string, string[]> | undefined {
  const script = `
import json, os, botocore
d = json.load(open(os.path.join(os.path.dirname(botocore.__file__), "data", "endpoints.json")))
out = {}
for p in d["partitions"]:
    if p["partition"] in ("aws", "aws-cn", "aws-us-gov"):
        eps = p["services"].get("sso", {}).get("endpoints", {})
        out[p["partition"]] = sorted(r for r, e in eps.items() if "fips" not in r and not e.get("deprecated"))
print(json.dumps(out))
`;
  try {
    return JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })) as Record<string, string[]>;
  } catch {
    return undefined;
  }
}

const oracle = botocoreRegions();

describe("IAM Identity Center regions", () => {
  it.skipIf(!oracle)("match botocore's endpoints data for the sso service, per partition", () => {
    for (const [partition, list] of Object.entries(identityCenterRegionsByPartition)) expect([...list].sort(), partition).toEqual(oracle![partition]);
  });

  it("include the regions the scan used to miss", () => {
    for (const r of ["ap-east-2", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "mx-central-1"]) expect(identityCenterRegions).toContain(r);
    expect(identityCenterRegions).not.toContain("eu-west-9");
  });

  it("scan the chosen region's partition only (credentials work in one partition)", () => {
    expect(identityCenterRegionsLike("eu-west-1")).toBe(identityCenterRegions);
    expect(identityCenterRegionsLike("cn-north-1")).toEqual(["cn-north-1", "cn-northwest-1"]);
    expect(identityCenterRegionsLike("us-gov-west-1")).toEqual(["us-gov-east-1", "us-gov-west-1"]);
  });
});
