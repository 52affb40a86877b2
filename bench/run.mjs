/**
 * `npm run bench`: every figure of bench/README.md with its target, printed, and written to
 * bench/RESULTS.md with a description of the machine. These are measurements, not tests: a
 * missed target is reported, never a failure (the exit code is non-zero only when a run broke).
 *
 *   node bench/run.mjs                      all figures, then bench/RESULTS.md
 *   node bench/run.mjs startup scale        some figures only (RESULTS.md left alone)
 *   node bench/run.mjs bigconfig            figure 6 only: a 50 MB ~/.aws/config
 *   node bench/run.mjs credentials          figure 7 only: env --format json, warm and cold
 *
 * Needs the build (`npm run build`, which `npm run bench` runs first) and, for figures 1 and 3,
 * Debian's AWS CLI v2 at /usr/bin/aws (figures without it are reported as skipped).
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { benchBigConfig } from "./bigconfig.mjs";
import { benchCredentials } from "./credentials.mjs";
import { benchAwsCliScript, benchInit } from "./init.mjs";
import { startEmulator } from "./lib/emulator.mjs";
import { timeCli } from "./lib/processes.mjs";
import { renderResults, writeResults } from "./results.mjs";
import { benchStatusAtScale } from "./scale.mjs";
import { AWS_CLI, measureStartup } from "./startup.mjs";

const ALL = ["startup", "init", "awscli", "rerun", "scale", "bigconfig", "credentials"];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const parts = new Set(wanted.length ? wanted : ALL);
for (const p of parts) if (!ALL.includes(p)) throw new Error(`unknown figure "${p}" (known: ${ALL.join(", ")})`);
const hasAwsCli = existsSync(AWS_CLI);

const log = (line) => process.stderr.write(`${line}\n`);
const began = Date.now();
const elapsed = () => `${((Date.now() - began) / 1000).toFixed(0)} s`;

/** Runs `fn` with its own emulated AWS (a child process), always stopped afterwards. */
async function withEmulator(fn) {
  const emulator = await startEmulator();
  try {
    return await fn(emulator);
  } finally {
    await emulator.stop();
  }
}

const results = { startedAt: new Date(began).toISOString() };

if (parts.has("startup")) {
  log(`[${elapsed()}] 1. start-up: --help, --version and aws --version, interleaved`);
  results.startup = await measureStartup();
}

const initParts = ["init", "awscli", "rerun"].filter((p) => parts.has(p));
if (initParts.length) {
  // Warm the file cache and Node's module loading for init's code and the SDK clients, as the
  // start-up figures do with their warm-up runs (the first run after a build is ~300 ms slower).
  await withEmulator(async (e) => {
    await e.reset({ identityCenterEnabled: true });
    await timeCli(["init", "--dry-run", "--yes", "--org-name", "warm", "--sso-region", "us-east-1", "--user-email", "w@example.com", "--user-given-name", "W", "--user-family-name", "U"], {
      env: { PATH: process.env.PATH, HOME: os.tmpdir(), NO_COLOR: "1", ...e.env },
    });
  });
  // The 10-stage run spends ~70 s waiting for AWS's CreateAccount rate (0.1/s): it runs alongside
  // the others, each with its own emulator process, so that the whole bench stays short.
  const long = parts.has("init")
    ? withEmulator(async (e) => {
        log(`[${elapsed()}] 2. init with 10 stage accounts (paced by AWS's CreateAccount rate)`);
        return benchInit(e, 10);
      })
    : Promise.resolve(undefined);
  const short = withEmulator(async (e) => {
    const out = {};
    // Let the 10-stage run get through its start-up first: two CLIs starting at the same moment
    // on a small machine would slow each other's first ~300 ms.
    if (parts.has("init")) await new Promise((resolve) => setTimeout(resolve, 3000));
    log(`[${elapsed()}] 2. init with 2 stage accounts${parts.has("rerun") ? ", then 4. the re-run" : ""}`);
    out.two = await benchInit(e, 2, { rerun: parts.has("rerun") });
    if (parts.has("init")) {
      log(`[${elapsed()}] 2. init with 5 stage accounts`);
      out.five = await benchInit(e, 5);
    }
    if (parts.has("awscli") && hasAwsCli) {
      log(`[${elapsed()}] 3. the AWS CLI script, 2 stage accounts`);
      out.awscli = await benchAwsCliScript(e, 2);
    }
    return out;
  });
  const [ten, { two, five, awscli }] = await Promise.all([long, short]);
  if (parts.has("init")) results.init = [two, five, ten];
  if (parts.has("rerun")) results.rerun = two.rerun;
  if (parts.has("awscli")) results.awscli = awscli ? { script: awscli, orgBootstrap: two } : { skipped: `no AWS CLI at ${AWS_CLI}` };
}

if (parts.has("scale")) {
  log(`[${elapsed()}] 5. status --json on 500 accounts, 2,000 users, 50 groups, AWS's request rates`);
  results.scale = await withEmulator((e) => benchStatusAtScale(e));
}

if (parts.has("credentials")) {
  log(`[${elapsed()}] 7. env --format json warm and cold, node -e 0 and the AWS CLI's export-credentials, interleaved`);
  results.credentials = await withEmulator((e) => benchCredentials(e));
}

if (parts.has("bigconfig")) {
  log(`[${elapsed()}] 6. a 50 MB ~/.aws/config: the edit, then init with it (no AWS delays)`);
  results.bigConfig = await withEmulator((e) => benchBigConfig(e));
}

results.durationMs = Date.now() - began;
const { text, summary } = renderResults(results);
process.stdout.write(`${summary}\n`);
if (parts.size === ALL.length) {
  const file = writeResults(text);
  log(`[${elapsed()}] written: ${file}`);
}
