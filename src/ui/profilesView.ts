/** `profiles`' plan as lines: what is added, kept, removed and left alone (docs/profiles.md). */
import type { SsoSession } from "../local/ssoSessions.js";
import type { ExistingProfile, PlannedProfile, ProfilesPlan } from "../plan/profilesPlan.js";
import type { Output } from "./output.js";

type Styler = Pick<Output, "style">;

export interface ProfilesPlanContext {
  session: SsoSession;
  sessionExists: boolean;
  existingOfSession: number;
  prune: boolean;
}

export function renderProfilesPlan(plan: ProfilesPlan, c: ProfilesPlanContext, out: Styler): string[] {
  const width = Math.max(0, ...[...plan.add, ...plan.keep, ...plan.remove, ...plan.prunable, ...plan.foreign].map((p) => p.name.length));
  const where = (p: PlannedProfile) => `${p.roleName} in ${p.accountName} (${p.accountId})`;
  const existingWhere = (p: ExistingProfile) => `${p.roleName ?? "?"} in ${p.accountId ?? "?"}`;
  const row = (mark: string, name: string, text: string) => `  ${mark} ${name.padEnd(width)}  ${text}`;
  const lines = [
    out.style("bold", `Profiles for [sso-session ${c.session.name}] (${c.session.startUrl})`),
    ...(c.sessionExists ? [] : [row("+", `[sso-session ${c.session.name}]`, `sso_region ${c.session.region}`)]),
    ...plan.add.map((p) => row(out.style("green", "+"), p.name, where(p))),
    ...plan.keep.map((p) => row("=", p.name, `${where(p)}: already there`)),
    ...plan.remove.map((p) => row(out.style("red", "-"), p.name, `${existingWhere(p)}: no longer yours, removed (--prune)`)),
    ...plan.prunable.map((p) => row("~", p.name, `${existingWhere(p)}: no longer yours; --prune removes it`)),
    ...plan.foreign.map((p) => row("!", p.name, `${existingWhere(p)}: no longer yours; not written by profiles, left alone`)),
  ];
  if (plan.add.length + plan.keep.length === 0) lines.push("  (the portal lists no account or role for you yet: ask an administrator to assign you)");
  return lines;
}
