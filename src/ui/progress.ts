/**
 * Progress for work that runs concurrently: finished things print as lines, and one status line
 * says what is being waited on. On a TTY the status line animates in place and finished lines
 * print above it; elsewhere each new status prints once, so logs stay readable.
 */
import type { StepEvent } from "../workflows/executor.js";
import type { Output } from "./output.js";

export type StatusText = string | (() => string);

export interface ProgressBoard {
  report(text: string, ok?: boolean): void;
  /** A plain line (instructions, notices), printed above the status line. */
  note(text: string): void;
  /**
   * What is being waited on; a function is a live line, redrawn with what it returns (e.g. the
   * elapsed time) on a terminal. Waits that run at once (accounts being created while Identity
   * Center is not enabled yet) each take a `slot`, and the line shows them side by side, so one
   * finishing never blanks the other.
   */
  status(text: StatusText | undefined, slot?: string): void;
  /** Whether the status line animates in place (a terminal) or prints once per change (logs). */
  readonly live: boolean;
  close(): void;
}

export function createProgressBoard(out: Output): ProgressBoard {
  const stream = out.human;
  const tty = Boolean(stream.isTTY);
  const frames = ["◒", "◐", "◓", "◑"];
  const slots = new Map<string, StatusText>();
  const valueOf = (t: StatusText) => (typeof t === "function" ? t() : t);
  const textOf = () => (slots.size ? [...slots.values()].map(valueOf).join(" · ") : undefined);
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const text = textOf();
    if (text !== undefined) stream.write(`\r\u001b[2K${out.style("cyan", frames[frame++ % frames.length])} ${out.fitLine(text)}`);
  };
  const clear = () => {
    if (tty && slots.size > 0) stream.write("\r\u001b[2K");
  };
  // In a log, each slot prints its own line when its text changes.
  const printed = new Map<string, string>();
  return {
    live: tty,
    report(text, ok = true) {
      clear();
      out.line(`${ok ? out.style("green", "✔") : out.style("red", "✖")} ${text}`);
      if (tty) draw();
    },
    note(text) {
      clear();
      out.line(text);
      if (tty) draw();
    },
    status(text, slot = "") {
      if (text === slots.get(slot)) return;
      clear();
      if (text === undefined) slots.delete(slot);
      else slots.set(slot, text);
      if (!tty) {
        const now = text === undefined ? undefined : valueOf(text);
        if (now !== undefined && now !== printed.get(slot)) out.line(`… ${now}`);
        if (now === undefined) printed.delete(slot);
        else printed.set(slot, now);
        return;
      }
      if (slots.size === 0) {
        if (timer) clearInterval(timer);
        timer = undefined;
        return;
      }
      draw();
      if (!timer) {
        timer = setInterval(draw, 120);
        timer.unref();
      }
    },
    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
      slots.clear();
    },
  };
}

/**
 * The step executor's events (src/workflows/executor.ts) on a progress board: what a step
 * reports prints as a finished line, what it waits on shares the status line by slot. Steps
 * starting and ending print nothing of their own: each kind says what is worth a line.
 */
export function stepProgress(board: ProgressBoard): (event: StepEvent) => void {
  return (event) => {
    if (event.type === "report") board.report(event.text, event.ok);
    else if (event.type === "status") board.status(event.text, event.slot);
  };
}
