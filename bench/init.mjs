/**
 * Figures 2–4: `init` against its critical path, against a plain AWS CLI script, and re-run on a
 * finished setup. Each run gets a fresh emulated AWS with AWS-like delays and AWS's request
 * rates enforced; the emulator's call log is the timeline.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rateLimits } from "../dist/sandbox/faults.js";
import { timingPresets } from "../dist/sandbox/state.js";
import { initCriticalPath } from "./lib/criticalPath.mjs";
import { meaningfulStderr, timeCli, timeProcess } from "./lib/processes.mjs";
import { AWS_CLI } from "./startup.mjs";

/** AWS-like delays (the emulator's "aws" preset): 80 ms a call, accounts in 8 s, assignments in 1.5 s. */
export const initTimings = { ...timingPresets.aws, latencyByOperation: {} };
const STAGE_NAMES = ["dev", "production", "staging", "qa", "demo", "test", "preview", "perf", "uat", "load"];
export const stagesFor = (n) => STAGE_NAMES.slice(0, n);
const AWSCLI_SCRIPT = fileURLToPath(new URL("./awscli-init.sh", import.meta.url));

const who = { org: "acme", accountEmail: "aws+{stage}@acme.com", userEmail: "ann@acme.com", given: "Ann", family: "Lee" };

/** A fresh world: no organization yet, Identity Center already enabled (its console step is a person's). */
async function freshWorld(emulator) {
  await emulator.reset({ identityCenterEnabled: true, timings: initTimings, maxPageSize: 100 });
  // Ten stage accounts plus the management account exceed AWS's default quota of 10 accounts
  // (Organizations quotas page): the bench assumes it was raised.
  await emulator.scenario({ accountQuota: 20 });
  await emulator.faults({ enforceRateLimits: true, rateScale: 1 });
}

function makeHome() {
  const home = mkdtempSync(path.join(os.tmpdir(), "ob-bench-home-"));
  const project = path.join(home, "project");
  mkdirSync(project);
  writeFileSync(path.join(project, "package.json"), '{\n  "name": "app",\n  "scripts": {\n    "dev": "sst dev"\n  }\n}\n');
  return { home, project };
}

function childEnv(emulator, home) {
  return { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", AWS_PAGER: "", ...emulator.env, AWS_DEFAULT_REGION: emulator.env.AWS_REGION };
}

function initArgs(stages) {
  return [
    "init", "--yes", "--json", "--no-browser",
    "--org-name", who.org, "--sso-region", "us-east-1", "--stages", stages.join(","),
    "--account-email", who.accountEmail, "--user-email", who.userEmail,
    "--user-given-name", who.given, "--user-family-name", who.family,
  ];
}

async function runInit(emulator, h, stages) {
  const r = await timeCli(initArgs(stages), { env: childEnv(emulator, h.home), cwd: h.project });
  if (r.code !== 0) throw new Error(`init (${stages.length} stages) exited ${r.code}:\n${meaningfulStderr(r.stderr)}`);
  return r;
}

/** Where the time went: before the first call, between first and last call, after the last. */
export function timelineSummary(run, calls) {
  const first = Math.min(...calls.map((c) => c.startedAt));
  const last = Math.max(...calls.map((c) => c.endedAt ?? c.startedAt));
  const count = (pred) => calls.filter(pred).length;
  return {
    calls: calls.length,
    mutating: count((c) => c.mutating),
    reads: count((c) => !c.mutating),
    throttled: count((c) => /Throttl|TooManyRequests/.test(c.errorCode ?? "")),
    beforeFirstCallMs: first - run.startedAt,
    firstToLastCallMs: last - first,
    afterLastCallMs: run.endedAt - last,
  };
}

/** Figure 2 for one stage count; with `rerun`, figure 4 on the finished setup it leaves. */
export async function benchInit(emulator, stageCount, { rerun = false } = {}) {
  await freshWorld(emulator);
  const stages = stagesFor(stageCount);
  const h = makeHome();
  const run = await runInit(emulator, h, stages);
  const calls = await emulator.calls();
  const path = initCriticalPath({
    stages: stageCount,
    timings: initTimings,
    createAccountLimit: rateLimits["organizations.CreateAccount"],
  });
  const result = {
    stages: stageCount,
    wallMs: run.wallMs,
    criticalPathMs: path.totalMs,
    ratio: run.wallMs / path.totalMs,
    chain: path.chain,
    timeline: timelineSummary(run, calls),
    calls: calls.map((c) => ({ operation: c.operation, startMs: c.startedAt - run.startedAt, endMs: (c.endedAt ?? c.startedAt) - run.startedAt, status: c.status, errorCode: c.errorCode })),
  };
  if (rerun) {
    await emulator.clearCalls();
    const again = await runInit(emulator, h, stages);
    const rerunCalls = await emulator.calls();
    result.rerun = { wallMs: again.wallMs, ...timelineSummary(again, rerunCalls), operations: countBy(rerunCalls.map((c) => c.operation)) };
  }
  return result;
}

function countBy(names) {
  const m = {};
  for (const n of names) m[n] = (m[n] ?? 0) + 1;
  return m;
}

/** Figure 3: the same steps as a plain AWS CLI script, same emulator settings, same stages. */
export async function benchAwsCliScript(emulator, stageCount) {
  await freshWorld(emulator);
  const stages = stagesFor(stageCount);
  const h = makeHome();
  const env = {
    ...childEnv(emulator, h.home),
    AWS_CLI,
    AWS_CONFIG_FILE: path.join(h.home, ".aws", "config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(h.home, ".aws", "credentials"),
    ORG_NAME: who.org,
    STAGES: stages.join(" "),
    ACCOUNT_EMAIL: who.accountEmail,
    USER_EMAIL: who.userEmail,
    GIVEN_NAME: who.given,
    FAMILY_NAME: who.family,
  };
  const run = await timeProcess("bash", [AWSCLI_SCRIPT], { env, cwd: h.project });
  if (run.code !== 0) throw new Error(`awscli-init.sh exited ${run.code}:\n${run.stderr}`);
  const calls = await emulator.calls();
  return { stages: stageCount, wallMs: run.wallMs, timeline: timelineSummary(run, calls) };
}
