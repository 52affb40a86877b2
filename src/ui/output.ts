/**
 * The only place that writes to the terminal (docs/architecture.md, Layers). Commands call these methods; tests
 * capture the streams. With `--json`, stdout carries one JSON document and every human line
 * goes to stderr. Colour follows NO_COLOR / FORCE_COLOR and whether the stream is a TTY.
 */
import type { Writable } from "node:stream";
import { escapeControls, widthOf, wrapMessage, type OwnSequences } from "./text.js";

export interface OutputOptions {
  stdout?: Writable & { isTTY?: boolean };
  stderr?: Writable & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  json?: boolean;
  verbose?: boolean;
  color?: boolean;
}

const codes = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
export type Style = keyof typeof codes;

export interface Spinner {
  update(text: string): void;
  /** `ok`: ✔ (default), ✖ for false, – for "skip" (nothing failed, nothing was done). */
  stop(finalText?: string, ok?: boolean | "skip"): void;
}

export class Output {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean; columns?: number };
  readonly json: boolean;
  readonly verbose: boolean;
  readonly color: boolean;
  private readonly env: NodeJS.ProcessEnv;

  private readonly raw: { stdout: Writable & { isTTY?: boolean; columns?: number }; stderr: Writable & { isTTY?: boolean; columns?: number } };

  constructor(options: OutputOptions = {}) {
    this.raw = { stdout: options.stdout ?? process.stdout, stderr: options.stderr ?? process.stderr };
    this.env = options.env ?? process.env;
    this.json = options.json ?? false;
    this.verbose = options.verbose ?? false;
    this.color = options.color ?? decideColor(this.env, this.json ? this.raw.stderr : this.raw.stdout);
    // Everything written through these streams, by us or by any view, has its control characters
    // escaped but our own colours and redraws: names from AWS or the user are shown, not obeyed.
    this.stdout = escaping(this.raw.stdout, () => ({ colour: this.color, redraw: Boolean(this.raw.stdout.isTTY) }));
    this.stderr = escaping(this.raw.stderr, () => ({ colour: this.color, redraw: Boolean(this.raw.stderr.isTTY) }));
  }

  /** Where human-readable lines go: stdout normally, stderr when stdout is reserved for JSON. */
  get human(): Writable & { isTTY?: boolean; columns?: number } {
    return this.json ? this.stderr : this.stdout;
  }

  /** Columns to lay human lines out for: the terminal's width, 80 when not a terminal. */
  get width(): number {
    return widthOf(this.human);
  }

  /**
   * The human stream unescaped, for the prompt library alone: it draws with its own cursor
   * sequences. What it shows of ours goes through `escapeControls` first (src/ui/prompts.ts).
   */
  get promptStream(): Writable & { isTTY?: boolean; columns?: number } {
    return this.json ? this.raw.stderr : this.raw.stdout;
  }

  get interactive(): boolean {
    return Boolean(process.stdin.isTTY && this.human.isTTY);
  }

  style(style: Style, text: string): string {
    if (!this.color) return text;
    const [open, close] = codes[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  }

  /**
   * Cuts a one-line status to the terminal's width: a line that wraps cannot be redrawn in place
   * with a carriage return, and every animation frame would leave a copy behind.
   */
  fitLine(text: string): string {
    const columns = this.human.columns ?? 0;
    if (!columns || text.length <= columns - 3) return text;
    return `${text.slice(0, Math.max(10, columns - 4))}…`;
  }

  line(text = ""): void {
    this.human.write(`${text}\n`);
  }

  /** A message: long lines break between words at the width, continuations indented under the text. */
  info(text: string): void {
    for (const l of wrapMessage(text, "", "  ", this.width)) this.line(l);
  }

  heading(text: string): void {
    this.line(this.style("bold", text));
  }

  success(text: string): void {
    for (const l of wrapMessage(text, `${this.style("green", "✔")} `, "  ", this.width, "")) this.line(l);
  }

  warn(text: string): void {
    const lines = wrapMessage(text, "! ", "  ", widthOf(this.stderr), "");
    this.stderr.write(`${lines.map((l) => this.style("yellow", l)).join("\n")}\n`);
  }

  error(text: string): void {
    this.stderr.write(`${wrapMessage(text, `${this.style("red", "✖")} `, "  ", widthOf(this.stderr), "").join("\n")}\n`);
  }

  /** What to do next, under an error: indented, wrapped at the width. */
  hint(text: string): void {
    this.stderr.write(`${wrapMessage(text, "  ", "    ", widthOf(this.stderr)).join("\n")}\n`);
  }

  debug(text: string): void {
    if (this.verbose) this.stderr.write(`${this.style("dim", text)}\n`);
  }

  /** The one JSON document a `--json` run prints. */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  private outcomeMark(ok: boolean | "skip"): string {
    if (ok === "skip") return this.style("dim", "–");
    return ok ? this.style("green", "✔") : this.style("red", "✖");
  }

  /**
   * Progress for anything slow. On a TTY it animates in place; elsewhere it prints the start
   * and the end as plain lines, so logs stay readable.
   */
  spinner(text: string): Spinner {
    const stream = this.human;
    const frames = ["◒", "◐", "◓", "◑"];
    let current = text;
    if (!stream.isTTY) {
      this.line(`… ${text}`);
      return {
        update: (t) => {
          current = t;
        },
        stop: (finalText, ok = true) => {
          const mark = this.outcomeMark(ok);
          this.line(`${mark} ${finalText ?? current}`);
        },
      };
    }
    let i = 0;
    const draw = () => stream.write(`\r\u001b[2K${this.style("cyan", frames[i++ % frames.length])} ${this.fitLine(current)}`);
    draw();
    const timer = setInterval(draw, 120);
    timer.unref();
    return {
      update: (t) => {
        current = t;
        draw();
      },
      stop: (finalText, ok = true) => {
        clearInterval(timer);
        const mark = this.outcomeMark(ok);
        stream.write(`\r\u001b[2K${mark} ${finalText ?? current}\n`);
      },
    };
  }
}

/** `stream` with every text written to it passed through `escapeControls`. */
function escaping<S extends Writable>(stream: S, own: () => OwnSequences): S {
  const clean = (chunk: unknown) => (typeof chunk === "string" ? escapeControls(chunk, own()) : chunk);
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === "write" || prop === "end") {
        const method = Reflect.get(target, prop, target) as (...args: unknown[]) => unknown;
        return (chunk: unknown, ...rest: unknown[]) => method.call(target, clean(chunk), ...rest);
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function decideColor(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  // https://no-color.org: any non-empty NO_COLOR disables colour.
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}
