/**
 * Figure 5: `status --json` on a large organization (500 accounts, 2,000 users, 50 groups,
 * 3 permission sets assigned in every account), with AWS's request rates enforced at their
 * published values (src/sandbox/faults.ts `rateLimits`, bench/README.md). Reports wall time,
 * calls, peak memory, and the lower bound that those rates and AWS's page sizes allow.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { rateLimits } from "../dist/sandbox/faults.js";
import { meaningfulStderr, timeCli } from "./lib/processes.mjs";
import { statusLowerBound, worldCounts } from "./lib/statusBound.mjs";

export const scaleWorld = { accounts: 500, users: 2000, groups: 50, permissionSets: 3, assignmentsPerAccount: 3 };
export const scaleLatencyMs = 80;
/** AWS's maximum page sizes: Organizations ListAccounts 20, Identity Center lists 100 (API references). */
const pageSize = { organizations: 20, identityCenter: 100 };

export async function benchStatusAtScale(emulator, { rateScale = 1 } = {}) {
  await emulator.reset({ identityCenterEnabled: false, timings: { callLatencyMs: scaleLatencyMs, latencyByOperation: {} }, maxPageSize: pageSize.identityCenter });
  await emulator.scenario({ seed: scaleWorld });
  await emulator.faults({ enforceRateLimits: true, rateScale });
  const world = await emulator.state();
  await emulator.clearCalls();

  const home = mkdtempSync(path.join(os.tmpdir(), "ob-bench-status-"));
  mkdirSync(path.join(home, ".aws"));
  // What init writes: the sso-session status reads its organization and region from.
  const store = world.instances[0].IdentityStoreId;
  writeFileSync(
    path.join(home, ".aws", "config"),
    `[sso-session big]\nsso_start_url = https://${store}.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
  );
  const env = { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", ...emulator.env };
  const run = await timeCli(["status", "--json"], { env, cwd: home, peakRss: true });
  const calls = await emulator.calls();
  const scaled = (limit) => ({ rate: limit.rate * rateScale, burst: limit.burst });
  const bound = statusLowerBound(worldCounts(world), {
    latencyMs: scaleLatencyMs,
    pageSize,
    identityCenterRate: scaled(rateLimits["identity-center"]),
    listAccountsRate: scaled(rateLimits["organizations.ListAccounts"]),
  });
  let shown;
  if (run.code === 0) {
    const report = JSON.parse(run.stdout);
    shown = { accounts: report.accounts.length, users: report.users.length, groups: report.groups.length, assignments: report.assignments.length };
  }
  return {
    world: scaleWorld,
    rateScale,
    code: run.code,
    error: run.code === 0 ? undefined : meaningfulStderr(run.stderr).split("\n").slice(0, 3).join(" "),
    wallMs: run.wallMs,
    peakRssMb: run.peakRssKb === undefined ? undefined : run.peakRssKb / 1024,
    calls: calls.length,
    throttled: calls.filter((c) => /Throttl|TooManyRequests/.test(c.errorCode ?? "")).length,
    shown,
    bound,
    ratio: run.wallMs / bound.boundMs,
  };
}
