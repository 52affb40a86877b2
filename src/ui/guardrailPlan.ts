/**
 * Renders a guardrails plan (src/plan/guardrails.ts): one line per step, marked create / exists /
 * update / remove, or blocked with the reason; then what each chosen guardrail means, the
 * regions SCP's exempted actions, and what we saw and leave alone. Pure: returns lines.
 */
import { describeGuardrailStep, GLOBAL_SERVICE_ACTIONS, type GuardrailName, type GuardrailPlan, type GuardrailState } from "../plan/guardrails.js";
import type { Output } from "./output.js";
import { planStepLines } from "./plan.js";
import { wrap } from "./text.js";

type Styler = Pick<Output, "style">;

/** What each guardrail does, blocks and costs, in one sentence each (docs/guardrails.md says more). */
export const GUARDRAIL_MEANINGS: Record<GuardrailName, string> = {
  "deny-leave": "Member accounts cannot leave the organization (an SCP denying organizations:LeaveOrganization on the root). Free.",
  "central-root":
    "Centralized root access: member accounts' root credentials can be removed, and the few root-only tasks run from the management account (sts:AssumeRoot) instead of signing in as root. Free.",
  regions: "No work outside the allowed regions in member accounts (an SCP on the root); global services stay reachable. Free.",
  budget: "A monthly cost budget per stage account with e-mail alerts at 80 % of actual and 100 % of forecasted spend. Free (budgets without actions cost nothing).",
};

export function renderGuardrailPlan(plan: GuardrailPlan, out: Styler): string[] {
  const lines = [out.style("bold", "Plan (AWS):")];
  for (const s of plan.steps) {
    const text = describeGuardrailStep(s) + (s.why && s.action !== "blocked" ? `: ${s.why}` : "");
    if (s.action === "blocked") {
      lines.push(...wrap(`${text}: cannot be done, ${s.why}`, `  ${out.style("red", "! blocked")}  `, " ".repeat(13)));
    } else lines.push(...planStepLines(s.action, text, out));
  }
  const count = (a: string) => plan.steps.filter((s) => s.action === a).length;
  const parts = [`${count("create")} to create`, `${count("update")} to update`, `${count("exists")} already in place`];
  if (count("remove")) parts.push(`${count("remove")} to remove`);
  if (count("blocked")) parts.push(`${count("blocked")} blocked`);
  lines.push(`  ${parts.join(", ")}.`);
  const chosen = [...new Set(plan.steps.map((s) => s.guardrail))];
  if (chosen.length && !plan.steps.every((s) => s.action === "remove")) {
    lines.push("", out.style("bold", "What this means:"));
    for (const g of chosen) lines.push(...wrap(`${g}: ${GUARDRAIL_MEANINGS[g]}`, "  ", "    "));
  }
  if (plan.regions) {
    lines.push(...wrap(`Allowed regions: ${plan.regions.join(", ")} (the Identity Center region is always allowed).`, "  ", "    "));
    lines.push(...wrap(`Never denied, in any region (AWS's global services): ${GLOBAL_SERVICE_ACTIONS.join(", ")}.`, "  ", "    "));
  }
  for (const note of plan.notes) lines.push(...wrap(note, `  ${out.style("dim", "note")}  `, "        "));
  return lines;
}

/** status's lines: which guardrails are in place. */
export function renderGuardrailStates(states: GuardrailState[], out: Styler): string[] {
  const lines = [out.style("bold", "Guardrails:")];
  for (const s of states) {
    const mark = s.state === "in place" ? out.style("green", "in place") : s.state === "partly" ? out.style("yellow", "partly") : out.style("dim", "not set up");
    lines.push(`  ${s.name.padEnd(13)} ${mark}${s.detail ? `  ${s.detail}` : ""}`);
  }
  return lines;
}
