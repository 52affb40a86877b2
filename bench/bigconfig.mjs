/**
 * Figure 6: a 50 MB ~/.aws/config (docs/local-files.md, "Big files"). The file holds 400,000
 * other profiles (about 50 MB) and, in the middle, an `[profile acme-dev]` with other values, so
 * init's edit appends three blocks and, with --force, rewrites one in the middle.
 * - The edit: init's plan and write of the file, in a process of its own (lib/editConfig.mjs,
 *   the CLI's functions): wall time and peak memory. Target: < 3 s and < 400 MB.
 * - The whole `init --yes --force` with that file, against an emulated AWS that answers at once
 *   (no delays), next to the same run with a config holding only that block: what the file costs
 *   the command, including the AWS SDK's own reading of it.
 */
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { timingPresets } from "../dist/sandbox/state.js";
import { fileURLToPath } from "node:url";
import { meaningfulStderr, timeCli, timeProcess } from "./lib/processes.mjs";

const EDIT = fileURLToPath(new URL("./lib/editConfig.mjs", import.meta.url));

export const BIG_PROFILES = 400_000;

const ourBlock = "[profile acme-dev]\nsso_session = acme\nsso_account_id = 999999999999\nsso_role_name = Admin\nregion = eu-west-1\n\n";

/** `profiles` other profiles, with our block in the middle. */
export function bigConfigText(profiles) {
  const parts = [];
  for (let i = 0; i < profiles; i++) {
    if (i === profiles >> 1) parts.push(ourBlock);
    parts.push(`[profile user-${i}]\nsso_session = corp\nsso_account_id = ${100000000000 + i}\nsso_role_name = DeveloperPowerUser\nregion = us-east-1\n\n`);
  }
  if (profiles === 0) parts.push(ourBlock);
  return parts.join("");
}

async function initWithConfig(emulator, profiles) {
  await emulator.reset({ identityCenterEnabled: true, timings: timingPresets.none });
  const home = mkdtempSync(path.join(os.tmpdir(), "ob-bench-big-"));
  try {
    mkdirSync(path.join(home, ".aws"));
    const configFile = path.join(home, ".aws", "config");
    writeFileSync(configFile, bigConfigText(profiles), { mode: 0o600 });
    const bytes = statSync(configFile).size;
    const args = ["init", "--yes", "--json", "--force", "--no-browser", "--org-name", "acme", "--sso-region", "us-east-1", "--stages", "dev,production",
      "--account-email", "aws+{stage}@acme.com", "--user-email", "ann@acme.com", "--user-given-name", "Ann", "--user-family-name", "Lee"];
    const env = { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", ...emulator.env, AWS_DEFAULT_REGION: emulator.env.AWS_REGION };
    const run = await timeCli(args, { env, cwd: home, peakRss: true });
    if (run.code !== 0) throw new Error(`init with a ${bytes}-byte config exited ${run.code}:\n${meaningfulStderr(run.stderr)}`);
    const after = statSync(configFile).size;
    return { profiles, bytes, bytesAfter: after, wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.peakRssKb === undefined ? undefined : run.peakRssKb / 1024 };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The edit alone, on the big file. */
async function editBigConfig() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ob-bench-edit-"));
  try {
    const configFile = path.join(dir, "config");
    writeFileSync(configFile, bigConfigText(BIG_PROFILES), { mode: 0o600 });
    const bytes = statSync(configFile).size;
    const run = await timeProcess(process.execPath, [EDIT, configFile], { env: { PATH: process.env.PATH, HOME: dir }, peakRss: true });
    if (run.code !== 0) throw new Error(`the edit of a ${bytes}-byte config exited ${run.code}:\n${run.stderr}`);
    return { profiles: BIG_PROFILES, bytes, bytesAfter: statSync(configFile).size, wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.peakRssKb / 1024, result: JSON.parse(run.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The edit alone; then init with the baseline (a one-block config) and with the big one. */
export async function benchBigConfig(emulator) {
  const edit = await editBigConfig();
  const small = await initWithConfig(emulator, 0);
  const big = await initWithConfig(emulator, BIG_PROFILES);
  return { edit, init: { small, big } };
}
