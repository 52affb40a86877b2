/**
 * Preloaded into a measured process (NODE_OPTIONS=--import): on exit, writes the process's peak
 * resident set size in kilobytes (getrusage's ru_maxrss) and the CPU time it used in
 * microseconds (user + system), separated by a space, to $BENCH_PEAK_RSS_FILE.
 */
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(file, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}`);
  });
