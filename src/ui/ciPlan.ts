/**
 * Renders the `ci github` plan: per stage account, GitHub's OIDC provider, the deploy role with
 * the subjects it trusts (this repository's and the others kept), and its policies. Pure: lines.
 */
import { describeSubject, type CiAccountPlan, type CiGithubPlan } from "../plan/ciGithubPlan.js";
import type { Output } from "./output.js";
import { planStepLines } from "./plan.js";

type Styler = Pick<Output, "style">;

const policyName = (arn: string) => arn.split("/").pop() ?? arn;

function accountLines(a: CiAccountPlan, plan: CiGithubPlan, out: Styler): string[] {
  const lines = [out.style("bold", `  ${a.stage}: ${a.accountName} (${a.accountId})`)];
  const provider = `OIDC provider token.actions.githubusercontent.com (audience sts.amazonaws.com)`;
  switch (a.provider) {
    case "create":
      lines.push(...planStepLines("create", provider, out));
      break;
    case "add-client-id":
      lines.push(...planStepLines("update", `${provider}: add the audience`, out));
      break;
    case "exists":
      lines.push(...planStepLines("exists", provider, out));
      break;
    case "delete":
      lines.push(...planStepLines("remove", `${provider}: no other role uses it`, out));
      break;
    case "keep":
      lines.push(...planStepLines("exists", `${provider}: kept, ${a.providerNote}`, out));
      break;
  }
  const trusts = a.subjects.map((s) => `${plan.repo} from ${describeSubject(s)} (${s})`);
  const role = `Role ${plan.roleName} (${a.roleArn})`;
  switch (a.role) {
    case "create":
      lines.push(...planStepLines("create", `${role}, sessions of 1 hour, trusting ${trusts.join(" and ")}`, out));
      break;
    case "update-trust": {
      const change = [...a.added.map((s) => `trust ${s}`), ...a.removed.map((s) => `stop trusting ${s}`)].join("; ");
      lines.push(...planStepLines("update", `${role}: ${change}`, out));
      break;
    }
    case "exists":
      lines.push(...planStepLines("exists", `${role}, trusting ${trusts.join(" and ")}`, out));
      break;
    case "delete":
      lines.push(...planStepLines("remove", `${role}: it trusts no other repository`, out));
      break;
    case "absent":
      if (plan.remove) lines.push(`  ${out.style("dim", `no role ${plan.roleName} here: nothing to remove`)}`);
      break;
  }
  if (a.otherRepositories.length > 0 && a.role !== "delete") lines.push(`            ${out.style("dim", `also trusts ${a.otherRepositories.join(", ")} (kept)`)}`);
  for (const p of a.policies) {
    const mark = p.status === "attach" ? "create" : p.status === "detach" ? "remove" : "exists";
    lines.push(...planStepLines(mark, `Policy ${policyName(p.arn)} on the role (${p.arn})`, out));
  }
  return lines;
}

export function renderCiPlan(plan: CiGithubPlan, out: Styler): string[] {
  const lines = [out.style("bold", `Plan (AWS) for ${plan.repo}${plan.remove ? ", removing it" : ""}:`)];
  for (const a of plan.accounts) lines.push(...accountLines(a, plan, out));
  const n = plan.steps.length;
  lines.push(n === 0 ? "  Nothing to change in AWS." : `  ${n} change${n === 1 ? "" : "s"} in AWS.`);
  return lines;
}
