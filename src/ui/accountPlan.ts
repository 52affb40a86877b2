/**
 * Renders the `add-account` plan and the `close-account` summary. Pure: returns lines. Steps use
 * init's own wording (`describeStep`), so both commands read the same.
 */
import type { AddAccountPlan } from "../plan/addAccountPlan.js";
import type { Output } from "./output.js";
import { describeStep, planStepLines } from "./plan.js";

type Styler = Pick<Output, "style">;

export function renderAddAccountPlan(plan: AddAccountPlan, out: Styler): string[] {
  const steps = [plan.account, ...plan.assignments];
  const creating = steps.filter((s) => s.status === "create").length;
  return [
    ...renderNewAccountAccess(plan, out),
    out.style("bold", `Plan (AWS) for stage ${plan.stage}:`),
    ...steps.flatMap((s) => planStepLines(s.status, describeStep(s), out)),
    `  ${creating} to create, ${steps.length - creating} already in place.`,
    ...plan.warnings.map((w) => `  ${out.style("yellow", "!")} ${w}`),
  ];
}

/** Each group's access in the new account, and where it comes from: the plan's first lines. */
function renderNewAccountAccess(plan: AddAccountPlan, out: Styler): string[] {
  const width = Math.max(...plan.access.map((g) => g.group.length));
  const line = (g: AddAccountPlan["access"][number]) => {
    const sets = g.permissionSets.map((p) => p.name).join(", ");
    const also = g.kept.length ? `; also has ${g.kept.join(", ")}` : "";
    if (g.source === "every-stage") return `${sets} ${out.style("dim", `(as in every stage account${also})`)}`;
    if (g.source === "like") return `${sets || out.style("dim", "no access")} ${out.style("dim", `(as in ${plan.like}${also})`)}`;
    return g.kept.length ? `${g.kept.join(", ")} ${out.style("dim", "(already there; its access differs per stage)")}` : out.style("dim", "no access (differs per stage, no --like)");
  };
  return [out.style("bold", `Access in ${plan.account.name}:`), ...plan.access.map((g) => `  ${g.group.padEnd(width)}  ${line(g)}`)];
}

/**
 * What closing means, in AWS's terms (CloseAccount API reference): the account goes
 * PENDING_CLOSURE → SUSPENDED; resources left in it are deleted after 90 days, during which only
 * AWS Support can reopen it; closures are limited per rolling 30 days (the reference has quoted
 * 20% / at least 250 and, now, 10% of member accounts between 10 and 1000 — docs/aws-facts.md, Organizations).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html
 */
export function closeAccountExplanation(accountName: string): string[] {
  return [
    `${accountName} is now PENDING_CLOSURE, then SUSPENDED: nobody can sign in to it or use it.`,
    "For 90 days AWS Support can reopen it; after that AWS deletes what was left in it and the",
    "closure is final. You may still get a last bill for usage before the closure.",
    "AWS limits closures to a share of your member accounts per rolling 30 days (see the",
    "CloseAccount API reference for today's figure); the quota frees up as closures age.",
  ];
}
