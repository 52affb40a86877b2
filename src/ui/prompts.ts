/**
 * Every @clack/prompts question goes through these helpers (docs/architecture.md, Habits): commands ask for answers
 * and never call clack directly. One cancel handler: Esc / Ctrl-C on a prompt → CancelledError
 * (exit 130). Prompts draw on the human stream, so `--json` keeps stdout for the JSON document.
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
    throw new CancelledError("Cancelled.", "Nothing was changed by the questions; run the command again when ready.");
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
