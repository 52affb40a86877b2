/**
 * Renders the `status` report for an 80-column terminal. Pure: returns lines. Long lists show
 * their first rows and a count (`--json` has everything); "who has what where" is a matrix of
 * principals × accounts when the accounts fit across, else one line per principal and set.
 */
import { TERMINAL_WIDTH, wrap } from "./text.js";
import type { StatusAccount, StatusAssignment, StatusReport } from "../plan/statusReport.js";
import { describeExpiry } from "./loginPrompts.js";
import { renderGuardrailStates } from "./guardrailPlan.js";
import type { Output } from "./output.js";

type Styler = Pick<Output, "style">;

export const STATUS_WIDTH = TERMINAL_WIDTH;
/** Rows shown per list before "… and N more". */
export const LIST_LIMIT = 15;

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** A table: column widths from the content, the last column takes what is left of 80. */
function table(rows: string[][], indent = "  "): string[] {
  if (rows.length === 0) return [];
  const cols = rows[0].length;
  const widths = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => r[c].length)));
  const fixed = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, indent.length);
  widths[cols - 1] = Math.max(8, Math.min(widths[cols - 1], STATUS_WIDTH - fixed));
  return rows.map((r) => (indent + r.map((cell, c) => (c === cols - 1 ? fit(cell, widths[c]).trimEnd() : fit(cell, widths[c]))).join("  ")).trimEnd());
}

function limited<T>(items: T[], render: (shown: T[]) => string[], what: string, out: Styler): string[] {
  const lines = render(items.slice(0, LIST_LIMIT));
  if (items.length > LIST_LIMIT) lines.push(out.style("dim", `  … and ${items.length - LIST_LIMIT} more ${what} (--json lists all)`));
  return lines;
}

/** Short, unique labels for permission sets: capitals and digits of the name without "Access". */
export function abbreviations(names: string[]): Map<string, string> {
  const result = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    const base = name.replace(/Access$/, "");
    let short = (base.match(/[A-Z]|\d+/g) ?? []).join("") || base.slice(0, 3);
    if (short.length > 8) short = short.slice(0, 8);
    let candidate = short;
    for (let i = 2; used.has(candidate); i++) candidate = `${short}${i}`;
    used.add(candidate);
    result.set(name, candidate);
  }
  return result;
}

/** Column heading for an account: the stage for `<org>-<stage>`, "management" for the management account. */
function accountHeading(a: StatusAccount, orgName: string): string {
  if (a.management) return "management";
  return a.name.startsWith(`${orgName}-`) ? a.name.slice(orgName.length + 1) : a.name;
}

function principalLabel(a: Pick<StatusAssignment, "principal" | "principalType">): string {
  return a.principalType === "GROUP" ? a.principal : `${a.principal} (user)`;
}

export function renderAccess(report: StatusReport, out: Styler): string[] {
  const lines = [out.style("bold", "Who has what where")];
  if (report.assignments.length === 0) return [...lines, "  No access assigned yet."];
  const abbr = abbreviations(report.permissionSets.map((p) => p.name));
  const legend = `  ${[...abbr].filter(([name]) => report.assignments.some((a) => a.permissionSet === name)).map(([name, short]) => `${short} = ${name}`).join(", ")}`;
  const accountsWithAccess = report.accounts.filter((acc) => report.assignments.some((a) => a.accountId === acc.id));
  const cells = new Map<string, Map<string, string[]>>();
  for (const a of report.assignments) {
    const key = principalLabel(a);
    const row = cells.get(key) ?? new Map<string, string[]>();
    row.set(a.accountId, [...(row.get(a.accountId) ?? []), abbr.get(a.permissionSet) ?? a.permissionSet]);
    cells.set(key, row);
  }
  const principals = [...cells.keys()];
  const labelWidth = Math.min(28, Math.max(...principals.map((p) => p.length)));
  const columns = accountsWithAccess.map((acc) => {
    const heading = accountHeading(acc, report.orgName);
    const longest = Math.max(...principals.map((p) => (cells.get(p)!.get(acc.id) ?? []).join(",").length));
    return { acc, heading, width: Math.min(14, Math.max(heading.length, longest, 1)) };
  });
  const matrixWidth = 2 + labelWidth + columns.reduce((sum, c) => sum + 2 + c.width, 0);
  if (matrixWidth <= STATUS_WIDTH) {
    lines.push(out.style("dim", `  ${"".padEnd(labelWidth)}  ${columns.map((c) => fit(c.heading, c.width)).join("  ")}`.trimEnd()));
    const rows = principals.map((p) => `  ${fit(p, labelWidth)}  ${columns.map((c) => fit((cells.get(p)!.get(c.acc.id) ?? ["·"]).join(","), c.width)).join("  ")}`.trimEnd());
    lines.push(...limited(rows, (shown) => shown, "principals", out));
    lines.push(out.style("dim", legend));
    return lines;
  }
  // Too many accounts to show across: one line per principal and permission set.
  const names = new Map(report.accounts.map((a) => [a.id, accountHeading(a, report.orgName)]));
  const grouped = new Map<string, { label: string; set: string; accounts: string[] }>();
  for (const a of report.assignments) {
    const key = `${principalLabel(a)}\u0000${a.permissionSet}`;
    const entry = grouped.get(key) ?? { label: principalLabel(a), set: a.permissionSet, accounts: [] };
    entry.accounts.push(names.get(a.accountId) ?? a.accountId);
    grouped.set(key, entry);
  }
  const rows = [...grouped.values()].map((g) => [g.label, g.set, g.accounts.length <= 3 ? g.accounts.join(", ") : `${g.accounts.length} accounts`]);
  lines.push(...limited(rows, (shown) => table(shown), "principal/permission-set pairs", out));
  return lines;
}

export function renderStatus(report: StatusReport, out: Styler, now = Date.now()): string[] {
  const o = report.organization;
  const ic = report.identityCenter;
  const lines: string[] = [];
  const section = (title: string) => lines.push("", out.style("bold", title));

  lines.push(`${out.style("bold", "Organization")}     ${o.id} (${o.featureSet === "ALL" ? "all features" : o.featureSet})`);
  lines.push(`  Management       ${o.managementAccountId}  ${o.managementAccountEmail}`);
  lines.push(`${out.style("bold", "Identity Center")}  ${ic.region}  ${ic.identityStoreId}`);
  lines.push(`  Start URL        ${ic.startUrl}`);

  const profileOf = new Map(report.profiles.filter((p) => p.accountId).map((p) => [p.accountId as string, p.name]));
  section(`Accounts (${report.accounts.length})`);
  lines.push(
    ...limited(
      report.accounts,
      (shown) => table([["NAME", "ID", "STATE", "PROFILE"], ...shown.map((a) => [a.name, a.id, a.state, a.management ? "(management)" : profileOf.get(a.id) ?? "-"])]),
      "accounts",
      out,
    ),
  );

  section(`Permission sets (${report.permissionSets.length})`);
  lines.push(
    ...limited(
      report.permissionSets,
      (shown) => table(shown.map((p) => [p.name, p.sessionDuration ?? "PT1H", p.managedPolicyArns.map((a) => a.split("/").pop()).join(", ") || "(no managed policy)"])),
      "permission sets",
      out,
    ),
  );

  section(`Groups (${report.groups.length})`);
  lines.push(
    ...limited(
      report.groups,
      (shown) => table(shown.map((g) => [g.name, `${g.members.length} member${g.members.length === 1 ? "" : "s"}`, g.members.join(", ")])),
      "groups",
      out,
    ),
  );
  section(`Users (${report.users.length})`);
  if (report.users.length > 0) {
    lines.push(
      ...limited(
        report.users,
        (shown) => table(shown.map((u) => [u.userName, u.displayName ?? "", u.groups.join(", ") || "(no group)"])),
        "users",
        out,
      ),
    );
  }

  lines.push("");
  lines.push(...renderAccess(report, out));

  lines.push(...renderDeployRoles(report, out));

  section(`Profiles in ${report.configFile}`);
  const bad = report.profiles.filter((p) => p.state !== "ok");
  const good = report.profiles.filter((p) => p.state === "ok");
  if (good.length > 0) lines.push(`  ${out.style("green", "✔")} ${good.map((p) => p.name).join(", ")}`);
  for (const p of bad) {
    lines.push(...wrap(`${p.name}: ${p.detail}`, `  ${out.style("red", "✖")} `, "    "));
    if (p.fix) lines.push(...wrap(`fix: ${p.fix}`, "    ", "      "));
  }
  for (const a of report.accountsWithoutProfile.slice(0, LIST_LIMIT)) {
    lines.push(...wrap(`${a.name} (${a.id}) has no profile: org-bootstrap add-account ${a.stage}`, `  ${out.style("yellow", "!")} `, "    "));
  }
  if (report.accountsWithoutProfile.length > LIST_LIMIT) lines.push(out.style("dim", `  … and ${report.accountsWithoutProfile.length - LIST_LIMIT} more accounts without a profile`));
  if (report.profiles.length === 0 && report.accountsWithoutProfile.length === 0) lines.push("  No profiles use this sso-session.");

  if (report.guardrails) lines.push("", ...renderGuardrailStates(report.guardrails, out));

  section("SSO sessions");
  const nameWidth = Math.max(0, ...report.sessions.map((s) => s.name.length));
  for (const s of report.sessions) {
    const at = s.expiresAt ? new Date(s.expiresAt).toISOString() : "";
    const state =
      s.state === "valid"
        ? out.style("green", `valid ${describeExpiry(s.expiresAt as string, now)}`)
        : out.style("yellow", s.state === "expired" ? `expired at ${at.slice(11, 16)} UTC on ${at.slice(0, 10)}` : "not logged in");
    lines.push(`  ${s.name.padEnd(nameWidth)}  ${state}`);
    if (s.state !== "valid") lines.push(`  ${"".padEnd(nameWidth)}  log in: org-bootstrap login --sso-session ${s.name}`);
  }
  return lines;
}

/** The stage accounts' GitHub deploy roles and whom they trust (`ci github`, docs/ci.md). */
function renderDeployRoles(report: StatusReport, out: Styler): string[] {
  const accounts = report.deployRoles ?? [];
  if (accounts.length === 0) return [];
  const lines = ["", out.style("bold", "CI deploy roles (GitHub Actions)")];
  // Accounts not read for the same reason (the root user, for every one of them) share one line.
  const notRead = new Map<string, string[]>();
  for (const a of accounts) if (a.error) notRead.set(a.error, [...(notRead.get(a.error) ?? []), `${a.stage} (${a.accountName})`]);
  for (const [error, names] of notRead) lines.push(...wrap(`${names.join(", ")}: not read: ${error}`, `  ${out.style("yellow", "!")} `, "    "));
  for (const a of accounts) {
    if (a.error) continue;
    if (a.roles.length === 0) {
      lines.push(`  ${a.stage} (${a.accountName}): none (org-bootstrap ci github --repo OWNER/NAME)`);
      continue;
    }
    for (const r of a.roles) {
      lines.push(`  ${a.stage} (${a.accountName}): ${r.name}${r.ours ? "" : " (not made by org-bootstrap)"}`);
      for (const repo of r.repositories) lines.push(...wrap(`${repo.repository}: ${repo.from.join("; ")}`, "      ", "        "));
    }
  }
  return lines;
}
