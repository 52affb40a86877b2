/**
 * Preloaded into a measured process (NODE_OPTIONS=--import): on exit, writes the process's peak
 * resident set size in kilobytes (getrusage's ru_maxrss) to $BENCH_PEAK_RSS_FILE.
 */
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
