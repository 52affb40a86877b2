/**
 * A Prompter (src/ui/prompts.ts) that answers from a script instead of a terminal, as a person
 * would: each answer names the question it expects (a pattern on its message), in order. A text
 * answer goes through the question's own `validate`, as the terminal's prompt does; `undefined`
 * takes the default (Enter). A question nobody scripted, or asked out of order, fails the test.
 */
import { cancelledQuestion, type Prompter } from "../../src/ui/prompts.js";

export type Answer = string | boolean | string[] | undefined | "cancel";

export interface ScriptedPrompter extends Prompter {
  /** The messages of the questions asked so far. */
  asked: string[];
  /** Answers not asked for yet. */
  left(): number;
}

export function scriptedPrompter(script: [question: RegExp, answer: Answer][]): ScriptedPrompter {
  const queue = [...script];
  const asked: string[] = [];
  const next = (message: string): Answer => {
    asked.push(message);
    const step = queue.shift();
    if (!step) throw new Error(`Unscripted question: "${message}"`);
    const [pattern, answer] = step;
    if (!pattern.test(message)) throw new Error(`Expected a question matching ${pattern}, was asked "${message}"`);
    if (answer === "cancel") throw cancelledQuestion();
    return answer;
  };
  return {
    interactive: true,
    asked,
    left: () => queue.length,
    async text(q) {
      const answer = next(q.message);
      const value = (typeof answer === "string" ? answer : (q.initialValue ?? "")).trim();
      const problem = q.validate?.(value);
      if (problem) throw new Error(`"${value}" refused by "${q.message}": ${problem}`);
      return value;
    },
    async confirm(q) {
      const answer = next(q.message);
      return typeof answer === "boolean" ? answer : (q.initialValue ?? true);
    },
    async select(q) {
      const answer = next(q.message);
      const value = typeof answer === "string" ? answer : (q.initialValue ?? q.choices[0]!.value);
      if (!q.choices.some((c) => c.value === value)) throw new Error(`"${value}" is not a choice of "${q.message}"`);
      return value as never;
    },
    async multiselect(q) {
      const answer = next(q.message);
      const values = Array.isArray(answer) ? answer : (q.initialValues ?? []);
      for (const v of values) if (!q.choices.some((c) => c.value === v)) throw new Error(`"${v}" is not a choice of "${q.message}"`);
      return values as never;
    },
  };
}
