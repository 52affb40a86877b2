/**
 * Every @clack/prompts question goes through these helpers (docs/architecture.md, Habits): commands ask for answers
 * through the `Prompter` their input holds and never call clack directly. One cancel handler: Esc /
 * Ctrl-C on a prompt → CancelledError (exit 130). Prompts draw on the human stream, so `--json`
 * keeps stdout for the JSON document.
 */
import * as clack from "@clack/prompts";
import { CancelledError } from "../errors.js";
import type { Output } from "./output.js";
import { escapeControls } from "./text.js";

/** What the prompt shows of ours (a name from AWS or git in a question) is shown, never obeyed. */
const shown = (text: string) => escapeControls(text);

export interface PromptContext {
  out: Output;
  signal?: AbortSignal;
}

function unwrap<T>(value: T | symbol): Exclude<T, symbol> {
  if (clack.isCancel(value) || typeof value === "symbol") {
    throw cancelledQuestion();
  }
  return value as Exclude<T, symbol>;
}

const common = (ctx: PromptContext) => ({ output: ctx.out.promptStream, ...(ctx.signal ? { signal: ctx.signal } : {}) });

export async function askText(
  ctx: PromptContext,
  options: { message: string; initialValue?: string; placeholder?: string; validate?: (value: string) => string | undefined },
): Promise<string> {
  const value = await clack.text({
    ...common(ctx),
    message: shown(options.message),
    ...(options.initialValue !== undefined ? { initialValue: shown(options.initialValue) } : {}),
    ...(options.placeholder !== undefined ? { placeholder: shown(options.placeholder) } : {}),
    ...(options.validate ? { validate: (v: string | undefined) => options.validate?.(v ?? "") } : {}),
  });
  return unwrap(value).trim();
}

export async function askConfirm(ctx: PromptContext, options: { message: string; initialValue?: boolean }): Promise<boolean> {
  return unwrap(await clack.confirm({ ...common(ctx), message: shown(options.message), initialValue: options.initialValue ?? true }));
}

export interface Choice<T> {
  value: T;
  label: string;
  hint?: string;
}

export async function askSelect<T extends string>(ctx: PromptContext, options: { message: string; choices: Choice<T>[]; initialValue?: T }): Promise<T> {
  const value = await clack.select<T>({
    ...common(ctx),
    message: shown(options.message),
    options: options.choices.map((c) => ({ value: c.value, label: shown(c.label), ...(c.hint ? { hint: shown(c.hint) } : {}) })) as never,
    ...(options.initialValue !== undefined ? { initialValue: options.initialValue } : {}),
  });
  return unwrap(value) as T;
}

export async function askMultiselect<T extends string>(
  ctx: PromptContext,
  options: { message: string; choices: Choice<T>[]; initialValues?: T[]; required?: boolean },
): Promise<T[]> {
  const value = await clack.multiselect<T>({
    ...common(ctx),
    message: shown(options.message),
    options: options.choices.map((c) => ({ value: c.value, label: shown(c.label), ...(c.hint ? { hint: shown(c.hint) } : {}) })) as never,
    initialValues: options.initialValues ?? [],
    required: options.required ?? false,
  });
  return unwrap(value) as T[];
}

export type TextQuestion = Parameters<typeof askText>[1];
export type ConfirmQuestion = Parameters<typeof askConfirm>[1];
export interface SelectQuestion<T extends string> {
  message: string;
  choices: Choice<T>[];
  initialValue?: T;
}
export interface MultiselectQuestion<T extends string> {
  message: string;
  choices: Choice<T>[];
  initialValues?: T[];
  required?: boolean;
}

/**
 * The questions a command may ask, handed to it in its input (src/commands/types.ts): the entry
 * gives the terminal's (`terminalPrompter`), a test one with scripted answers. A text answer comes
 * back trimmed and passes the question's `validate`; a cancelled question throws CancelledError.
 */
export interface Prompter {
  /** A person can answer (stdin and the human stream are terminals, or a test answers). */
  readonly interactive: boolean;
  text(question: TextQuestion): Promise<string>;
  confirm(question: ConfirmQuestion): Promise<boolean>;
  select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  multiselect<T extends string>(question: MultiselectQuestion<T>): Promise<T[]>;
}

/** The terminal's prompter: clack on the human stream, cancelled by Esc, Ctrl-C or the signal. */
export function terminalPrompter(ctx: PromptContext): Prompter {
  return {
    get interactive() {
      return ctx.out.interactive;
    },
    text: (q) => askText(ctx, q),
    confirm: (q) => askConfirm(ctx, q),
    select: (q) => askSelect(ctx, q),
    multiselect: (q) => askMultiselect(ctx, q),
  };
}

/** What a cancelled question throws, whoever answers it (a scripted prompter too). */
export function cancelledQuestion(): CancelledError {
  return new CancelledError("Cancelled.", "Nothing was changed by the questions; run the command again when ready.");
}
