/**
 * Renders a planned file change for the terminal: a unified diff (added lines green, removed red,
 * hunk headers cyan), or the conflicts as old → new, or the snippet to paste when we leave a file
 * alone. Pure: returns lines; the caller prints them through `Output`.
 */
import type { FileChange } from "../local/fileChange.js";
import type { Output } from "./output.js";

type Styler = Pick<Output, "style">;

export function renderDiff(diff: string, out: Styler): string[] {
  const lines = diff.replace(/\n$/, "").split("\n");
  // Drop the "Index:" / "====" preamble createTwoFilesPatch adds; keep the ---/+++ file header.
  const start = lines.findIndex((l) => l.startsWith("---"));
  return lines.slice(start < 0 ? 0 : start).map((line) => {
    const visible = line.replace(/\r$/, "");
    if (visible.startsWith("+++") || visible.startsWith("---")) return out.style("bold", visible);
    if (visible.startsWith("@@")) return out.style("cyan", visible);
    if (visible.startsWith("+")) return out.style("green", visible);
    if (visible.startsWith("-")) return out.style("red", visible);
    return visible;
  });
}

export function renderFileChange(change: FileChange, out: Styler): string[] {
  const lines: string[] = [];
  switch (change.status) {
    case "unchanged":
      lines.push(`${change.label}: already up to date.`);
      break;
    case "created":
    case "updated":
      lines.push(out.style("bold", `${change.label}: ${change.status === "created" ? "new file" : "changes"}`));
      lines.push(...renderDiff(change.diff, out));
      break;
    case "conflict":
      lines.push(out.style("yellow", change.message ?? `${change.label} has different values.`));
      for (const c of change.conflicts) {
        lines.push(`  ${c.key}`);
        lines.push(`    ${out.style("red", `- ${c.old}`)}`);
        lines.push(`    ${out.style("green", `+ ${c.new}`)}`);
      }
      break;
    case "skipped":
      if (change.message) lines.push(change.message);
      if (change.snippet) lines.push("", ...change.snippet.split("\n").map((l) => `  ${l}`), "");
      break;
  }
  return lines;
}
