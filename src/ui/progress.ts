/**
 * Progress for work that runs concurrently: finished things print as lines, and one status line
 * says what is being waited on. On a TTY the status line animates in place and finished lines
 * print above it; elsewhere each new status prints once, so logs stay readable.
 */
import type { Output } from "./output.js";

export interface ProgressBoard {
  report(text: string, ok?: boolean): void;
  /** A plain line (instructions, notices), printed above the status line. */
  note(text: string): void;
  /** A function is a live line: redrawn with what it returns (e.g. the elapsed time) on a terminal. */
  status(text: string | (() => string) | undefined): void;
  /** Whether the status line animates in place (a terminal) or prints once per change (logs). */
  readonly live: boolean;
  close(): void;
}

export function createProgressBoard(out: Output): ProgressBoard {
  const stream = out.human;
  const tty = Boolean(stream.isTTY);
  const frames = ["◒", "◐", "◓", "◑"];
  let current: string | (() => string) | undefined;
  const textOf = () => (typeof current === "function" ? current() : current);
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const text = textOf();
    if (text !== undefined) stream.write(`\r\u001b[2K${out.style("cyan", frames[frame++ % frames.length])} ${out.fitLine(text)}`);
  };
  const clear = () => {
    if (tty && current !== undefined) stream.write("\r\u001b[2K");
  };
  let printed: string | undefined;
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
    status(text) {
      if (text === current) return;
      clear();
      current = text;
      if (!tty) {
        const now = textOf();
        if (now !== undefined && now !== printed) out.line(`… ${now}`);
        printed = now;
        return;
      }
      if (text === undefined) {
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
      current = undefined;
    },
  };
}
