/**
 * Renders an `init` plan: one line per step, marked create / exists / update, so `--dry-run`,
 * the confirmation and the tests all read the same words. Pure: returns lines.
 */
import { isPendingEmail } from "../plan/desired.js";
import type { InitPlan, PlanStep } from "../plan/initPlan.js";
import type { Output } from "./output.js";
import { wrap } from "./text.js";

type Styler = Pick<Output, "style">;

export const marks = {
  create: { text: "+ create", style: "green" },
  update: { text: "~ update", style: "yellow" },
  exists: { text: "= exists", style: "dim" },
  remove: { text: "- remove", style: "red" },
} as const;

/** One plan step: its mark, then its text word-wrapped under itself (every command's plan reads alike). */
export function planStepLines(status: keyof typeof marks, text: string, out: Styler): string[] {
  const mark = marks[status];
  return wrap(text, `  ${out.style(mark.style, mark.text)}  `, " ".repeat(2 + mark.text.length + 2));
}

export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case "organization":
      return step.status === "exists" ? `Organization ${step.id}` : "Organization with all features (FeatureSet ALL)";
    case "identity-center":
      return step.status === "exists"
        ? `IAM Identity Center in ${step.region} (identity store ${step.identityStoreId})`
        : `IAM Identity Center in ${step.region}: enabled by you in the AWS console (one button); we wait for it`;
    case "account": {
      const email = isPendingEmail(step.email) ? `the management account's email +${step.stage} (known once the organization exists)` : step.email;
      if (step.status === "exists" && step.foundBy === "organization") {
        return `Account ${step.name} (${step.accountId}, ${step.email}) for stage ${step.stage}: a stage added after init, kept (only close-account removes a stage)`;
      }
      if (step.status === "exists") return `Account ${step.name} (${step.accountId}, ${step.email}) for stage ${step.stage}, found by ${step.foundBy}`;
      if (step.pendingRequestId) return `Account ${step.name}, email ${email}: creation already in progress, waiting for it`;
      return `Account ${step.name} for stage ${step.stage}, email ${email}`;
    }
    case "permission-set": {
      const what = `Permission set ${step.spec.name} (${step.spec.sessionDuration}, ${step.spec.managedPolicyArns.join(", ")})`;
      return step.status === "update" ? `${what}: ${(step.changes ?? []).join("; ")}` : what;
    }
    case "group":
      return `Group ${step.displayName}`;
    case "user":
      return `User ${step.userName}`;
    case "membership":
      return `${step.userName} in group ${step.group}`;
    case "assignment":
      return `Access: group ${step.group} → ${step.permissionSet} in ${step.accountName}${step.accountId ? ` (${step.accountId})` : ""}`;
  }
}

export function renderPlan(plan: InitPlan, out: Styler): string[] {
  const lines = [out.style("bold", "Plan (AWS):")];
  for (const step of plan.steps) {
    lines.push(...planStepLines(step.status, describeStep(step), out));
  }
  const counts = { create: 0, update: 0, exists: 0 };
  for (const s of plan.steps) counts[s.status] += 1;
  lines.push(`  ${counts.create} to create, ${counts.update} to update, ${counts.exists} already in place.`);
  return lines;
}
