/** Runs a command and measures it: wall time, exit code, output, and (for Node) peak memory. */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const PEAK_RSS = pathToFileURL(fileURLToPath(new URL("./peakRss.mjs", import.meta.url))).href;

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, peakRss?: boolean }} [options] with `peakRss`, also the CPU time (`cpuMs`)
 */
export async function timeProcess(command, args, options = {}) {
  const env = { ...(options.env ?? process.env) };
  let rssDir;
  if (options.peakRss) {
    rssDir = mkdtempSync(path.join(os.tmpdir(), "ob-bench-rss-"));
    env.BENCH_PEAK_RSS_FILE = path.join(rssDir, "rss");
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --import=${PEAK_RSS}`.trim();
  }
  const startedAt = Date.now();
  const started = performance.now();
  const child = spawn(command, args, { env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (c, signal) => resolve(c ?? (signal ? 128 : 1)));
  });
  const wallMs = performance.now() - started;
  let peakRssKb;
  let cpuMs;
  if (rssDir) {
    try {
      const [rss, cpu] = readFileSync(env.BENCH_PEAK_RSS_FILE, "utf8").split(" ").map(Number);
      peakRssKb = rss;
      cpuMs = cpu === undefined ? undefined : cpu / 1000;
    } catch {
      peakRssKb = undefined;
    }
    rmSync(rssDir, { recursive: true, force: true });
  }
  return { code, wallMs, stdout, stderr, peakRssKb, cpuMs, startedAt, endedAt: startedAt + wallMs };
}

/** The built CLI, run with this Node. */
export function timeCli(args, options) {
  return timeProcess(process.execPath, [CLI, ...args], options);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Stderr without the AWS SDK's Node-version notice (it prints one under Node 20). */
export function meaningfulStderr(stderr) {
  return stderr
    .split("\n")
    .filter((l) => l.trim() && !/NodeVersionSupportWarning|node\.js version|nodejs\.org|aws-sdk-js-v3|--trace-warnings/i.test(l))
    .join("\n");
}

/**
 * Starts the built CLI and resolves once its output matches `pattern` (a device code to approve):
 * the match, the exit code to come, and everything it printed.
 */
export async function startProcessForCode(args, env, pattern) {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exit = new Promise((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  const match = await new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d;
      const m = output.match(pattern);
      if (m) resolve(m);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exit.then(() => reject(new Error(`exited before ${pattern}: ${output}`)));
  });
  return { match, exit, output: () => output };
}
