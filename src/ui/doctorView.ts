/**
 * Renders `doctor`'s report: one line per check (✔ pass, ✖ fail, – skipped) and, under each
 * failure, what is wrong and the fix (config blocks indented, ready to paste). Pure: returns lines.
 */
import type { DoctorReport } from "../plan/doctorChecks.js";
import type { Output } from "./output.js";
import { wrap } from "./text.js";

type Styler = Pick<Output, "style">;

export function renderDoctorReport(report: DoctorReport, out: Styler): string[] {
  const marks = { pass: out.style("green", "✔"), fail: out.style("red", "✖"), skip: out.style("dim", "–") };
  const lines: string[] = [];
  for (const check of report.checks) {
    lines.push(`${marks[check.status]} ${out.style("bold", check.title)}`);
    lines.push(...wrap(out.style("dim", check.summary), "    ", "    "));
    for (const problem of check.problems) {
      lines.push(...wrap(problem.message, "  - ", "    "));
      problem.fix.forEach((paragraph, i) => lines.push(...wrap(paragraph, i === 0 ? `    ${out.style("cyan", "fix:")} ` : "         ", "         ")));
    }
  }
  const failed = report.checks.filter((c) => c.status === "fail").length;
  lines.push("");
  lines.push(failed === 0 ? out.style("green", "All checks passed.") : out.style("red", `${failed} check${failed === 1 ? "" : "s"} failed; each fix is shown under it.`));
  return lines;
}
