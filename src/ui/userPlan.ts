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
  const removing = steps.filter((s) => s.status === "remove").length;
  const counts = [`${creating} to create`, ...(updating ? [`${updating} to update`] : []), ...(removing ? [`${removing} to remove`] : []), `${steps.length - creating - updating - removing} already in place.`];
  return [
    ...(plan.access ? accessMatrixLines(plan, out) : []),
    out.style("bold", `Plan (AWS) for ${u.userName}:`),
    ...steps.flatMap((s) => planStepLines(s.status, s.text, out)),
    `  ${counts.join(", ")}`,
    ...(removing && plan.access?.keptOutside
      ? [out.style("dim", `  Access outside the stage accounts (${plan.access.keptOutside} assignment${plan.access.keptOutside === 1 ? "" : "s"}, such as in the management account) is kept as it is.`)]
      : []),
  ];
}

/**
 * --access: the stage × permission set matrix first, stages it does not name included. A new
 * group gets one table; an existing group shows what it has now and what it has after the run,
 * so a change (--force) is read before it is confirmed.
 */
function accessMatrixLines(plan: AddUserPlan, out: Styler): string[] {
  const access = plan.access!;
  const width = Math.max(...access.matrix.map((x) => x.stage.length));
  const after = (m: (typeof access.matrix)[number]) => m.permissionSet ?? out.style("dim", "no access (not named in --access)");
  const existing = plan.groups.filter((g) => g.status === "exists").map((g) => g.displayName);
  const fresh = plan.groups.filter((g) => g.status === "create").map((g) => g.displayName);
  const lines: string[] = [];
  if (fresh.length > 0) {
    lines.push(out.style("bold", `Access per stage for ${fresh.join(", ")}:`), ...access.matrix.map((m) => `  ${m.stage.padEnd(width)}  ${after(m)}`));
  }
  for (const group of existing) {
    const removed = plan.assignments.filter((a) => a.group === group && a.status === "delete");
    lines.push(out.style("bold", `Access per stage for ${group}, now → after this run${removed.length ? " (--force: exactly --access)" : ""}:`));
    for (const m of access.matrix) {
      const now = access.current.find((c) => c.group === group && c.accountId === m.accountId)?.permissionSets ?? [];
      const nowText = now.length ? now.join(" + ") : "no access";
      const same = now.length === (m.permissionSet ? 1 : 0) && (!m.permissionSet || now[0] === m.permissionSet);
      const gone = removed.filter((a) => a.accountId === m.accountId).map((a) => a.permissionSet);
      lines.push(`  ${m.stage.padEnd(width)}  ${same ? `${nowText} (unchanged)` : `${nowText} → ${after(m)}`}${gone.length ? `  ${out.style("red", `removes ${gone.join(", ")}`)}` : ""}`);
    }
  }
  return lines;
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
