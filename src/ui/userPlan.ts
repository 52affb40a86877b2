/**
 * Renders the `add-user` and `remove-user` plans with init's marks and wording, so every command
 * reads the same. Pure: returns lines.
 */
import type { AddUserPlan } from "../plan/addUserPlan.js";
import type { RemoveUserPlan } from "../plan/removeUserPlan.js";
import type { Output } from "./output.js";
import { planStepLines } from "./plan.js";

type Styler = Pick<Output, "style">;

export function renderAddUserPlan(plan: AddUserPlan, out: Styler): string[] {
  const u = plan.user;
  const set = plan.permissionSet;
  const steps: { status: "create" | "exists" | "update" | "remove"; text: string }[] = [
    ...[...(set ? [set] : []), ...(plan.access?.sets ?? [])].map((s) => ({ status: s.status, text: `Permission set ${s.name}${s.status === "update" ? " (has no policy yet: its policy is attached)" : ""}` })),
    ...plan.groups.map((g) => ({
      status: g.status,
      text: `Group ${g.displayName}${g.adminIn ? ` (an administrators' group: administrator access in ${g.adminIn} account${g.adminIn === 1 ? "" : "s"})` : ""}`,
    })),
    { status: u.status, text: `User ${u.userName} (${u.givenName} ${u.familyName}, ${u.email})` },
    ...plan.memberships.map((m) => ({ status: m.status, text: `${u.userName} in group ${m.group}` })),
    ...plan.assignments.map((a) => ({ status: a.status === "delete" ? ("remove" as const) : a.status, text: `Access: group ${a.group} → ${a.permissionSet} in ${a.accountName} (${a.accountId})` })),
  ];
  const creating = steps.filter((s) => s.status === "create").length;
  const updating = steps.filter((s) => s.status === "update").length;
  // --access: the stage × permission set matrix first, stages it does not name included.
  const matrix = plan.access
    ? [
        out.style("bold", `Access per stage for ${plan.groups.map((g) => g.displayName).join(", ")}:`),
        ...plan.access.matrix.map((m) => `  ${m.stage.padEnd(Math.max(...plan.access!.matrix.map((x) => x.stage.length)))}  ${m.permissionSet ?? out.style("dim", "no access (not named in --access)")}`),
      ]
    : [];
  return [
    ...matrix,
    out.style("bold", `Plan (AWS) for ${u.userName}:`),
    ...steps.flatMap((s) => planStepLines(s.status, s.text, out)),
    `  ${creating} to create, ${updating ? `${updating} to update, ` : ""}${steps.length - creating - updating} already in place.`,
  ];
}

export function renderRemoveUserPlan(plan: RemoveUserPlan, out: Styler): string[] {
  if (!plan.user) return [`There is no Identity Center user ${plan.email}: nothing to remove.`];
  const name = plan.user.userName;
  return [
    out.style("bold", `Plan (AWS) for ${name}${plan.user.displayName ? ` (${plan.user.displayName})` : ""}:`),
    ...(plan.assignments.length === 0 ? [out.style("dim", "  No direct access assignments (access through groups ends with the memberships).")] : []),
    ...plan.assignments.flatMap((a) => planStepLines("remove", `Access: ${name} → ${a.permissionSet} in ${a.accountName} (${a.accountId})`, out)),
    ...(plan.memberships.length === 0 ? [out.style("dim", "  No group memberships.")] : []),
    ...plan.memberships.flatMap((m) => planStepLines("remove", `${name} in group ${m.group}`, out)),
    ...planStepLines("remove", `User ${name}`, out),
    ...plan.warnings.map((w) => `  ${out.style("yellow", "!")} ${w}`),
  ];
}
