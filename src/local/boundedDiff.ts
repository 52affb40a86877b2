/**
 * A unified diff whose cost follows the size of the change, not of the file. The `diff` package
 * compares whole files: on a 50 MB config, about a minute and gigabytes of memory for a few
 * changed lines (bench/RESULTS.md). Our editors know what they changed (`TextChange`s, whole
 * lines in the original's characters), so only a window of lines around each change is given to
 * the `diff` package, and its hunks are moved to their place in the file. The output has the
 * format of `createTwoFilesPatch`, and for files whose changes are more than a few lines apart
 * the same hunks (test/unit/local/boundedDiff.test.ts compares the two).
 *
 * Exports: `boundedDiff(oldName, newName, before, changes, context)`.
 */
import { formatPatch, structuredPatch, type StructuredPatchHunk } from "diff";
import type { TextChange } from "./awsConfig.js";

/** Unchanged lines kept on each side of a change: more than the context, so the diff package can align lines that move. */
const MARGIN = 10;

interface Window {
  /** The window in the original text: characters and first line (0-based). */
  from: number;
  to: number;
  line: number;
  changes: TextChange[];
}

/** The unified diff of `before` → `before` with `changes` applied (sorted, not overlapping). */
export function boundedDiff(oldName: string, newName: string, before: string, changes: TextChange[], context = 3): string {
  const windows: Window[] = [];
  // One pass over the text's line breaks, as far as the last change needs.
  let line = 0; // line number of `at`
  let at = 0; // a line start
  const lineStartBefore = (offset: number): { at: number; line: number } => {
    // Advance to the start of the line that holds `offset`.
    for (let nl = before.indexOf("\n", at); nl >= 0 && nl < offset; nl = before.indexOf("\n", at)) {
      at = nl + 1;
      line++;
    }
    return { at, line };
  };
  for (const change of changes) {
    const start = lineStartBefore(change.from);
    // MARGIN lines back from the line holding the change (we only move forward, so look back by hand).
    let from = start.at;
    let fromLine = start.line;
    for (let n = 0; n < MARGIN && from > 0; n++) {
      from = from >= 2 ? before.lastIndexOf("\n", from - 2) + 1 : 0;
      fromLine--;
    }
    // The end of the line holding `to` (when it is not a line start), then MARGIN lines more.
    let to = change.to;
    if (to > 0 && to < before.length && before.charCodeAt(to - 1) !== 10) to = nextLineStart(before, to);
    for (let n = 0; n < MARGIN && to < before.length; n++) to = nextLineStart(before, to);
    const last = windows[windows.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.changes.push(change);
    } else windows.push({ from, to, line: fromLine, changes: [change] });
  }

  const hunks: StructuredPatchHunk[] = [];
  let shift = 0; // lines added minus removed by the windows before
  for (const w of windows) {
    const oldText = before.slice(w.from, w.to);
    let newText = "";
    let pos = w.from;
    for (const c of w.changes) {
      newText += before.slice(pos, c.from) + c.text;
      pos = c.to;
    }
    newText += before.slice(pos, w.to);
    const patch = structuredPatch("a", "b", oldText, newText, undefined, undefined, { context });
    for (const h of patch.hunks) hunks.push({ ...h, oldStart: h.oldStart + w.line, newStart: h.newStart + w.line + shift });
    shift += lineCount(newText) - lineCount(oldText);
  }
  if (hunks.length === 0) return "";
  return formatPatch({ oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks });
}

function nextLineStart(text: string, at: number): number {
  const nl = text.indexOf("\n", at);
  return nl < 0 ? text.length : nl + 1;
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return text.length > 0 && !text.endsWith("\n") ? n + 1 : n;
}
