/**
 * Figure 1: start-up. Median wall time of the built CLI's `--help` and `--version`, next to
 * Debian's AWS CLI v2 `aws --version`, in the same run, interleaved so that any drift in the
 * machine's load hits all three alike. Warm-up runs first (file cache, Node's compile cache).
 */
import { existsSync } from "node:fs";
import { median, timeCli, timeProcess } from "./lib/processes.mjs";

export const AWS_CLI = "/usr/bin/aws";

export async function measureStartup({ runs = 11, warmup = 2 } = {}) {
  const cases = [
    { name: "org-bootstrap --help", run: () => timeCli(["--help"]) },
    { name: "org-bootstrap --version", run: () => timeCli(["--version"]) },
  ];
  if (existsSync(AWS_CLI)) cases.push({ name: "aws --version", run: () => timeProcess(AWS_CLI, ["--version"]) });
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const c of cases) {
      const r = await c.run();
      if (r.code !== 0) throw new Error(`${c.name} exited ${r.code}: ${r.stderr}`);
      if (i >= warmup) samples.get(c.name).push(r.wallMs);
    }
  }
  const medians = Object.fromEntries([...samples].map(([name, s]) => [name, median(s)]));
  return { runs, medians, awsCli: medians["aws --version"] };
}
