/**
 * Turns the bench's measurements into the console summary and bench/RESULTS.md: the machine,
 * every figure next to its target, the critical path and timeline of the 2-stage init run.
 * The hand-written notes below the NOTES marker of an existing RESULTS.md are kept.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { describeChain } from "./lib/criticalPath.mjs";
import { AWS_CLI } from "./startup.mjs";

const RESULTS = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const NOTES_MARKER = "<!-- notes: kept across runs -->";

const ms = (v) => `${Math.round(v)} ms`;
const s = (v) => `${(v / 1000).toFixed(2)} s`;
const x = (v) => `${v.toFixed(2)}×`;
const mark = (ok) => (ok === undefined ? "–" : ok ? "met" : "MISSED");

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return undefined;
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  return [
    `- CPU: ${cpus[0]?.model ?? "unknown"} × ${cpus.length}`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${os.type()} ${os.release()} (${os.arch()})`,
    `- Node: ${process.version}`,
    `- AWS CLI: ${existsSync(AWS_CLI) ? (run(AWS_CLI, ["--version"]) ?? "present, version unknown") : "not installed"}`,
    `- Commit: ${run("git", ["rev-parse", "--short", "HEAD"]) ?? "unknown"}`,
  ].join("\n");
}

/** Rows of [figure, measured, target, verdict]. */
function figureRows(r) {
  const rows = [];
  if (r.startup) {
    const aws = r.startup.awsCli;
    for (const name of ["org-bootstrap --help", "org-bootstrap --version"]) {
      const v = r.startup.medians[name];
      const rel = aws ? v / aws : undefined;
      rows.push([`1. start-up: ${name} (median of ${r.startup.runs})`, `${ms(v)}${rel === undefined ? "" : ` = ${x(rel)} aws`}`, "< 150 ms and < 0.3× aws", mark(v < 150 && (rel === undefined || rel < 0.3))]);
    }
    if (aws) rows.push([`1. start-up: aws --version (median of ${r.startup.runs})`, ms(aws), "(reference)", "–"]);
  }
  if (r.init) {
    for (const i of r.init.filter(Boolean)) {
      rows.push([`2. init, ${i.stages} stage accounts: wall / critical path`, `${s(i.wallMs)} / ${s(i.criticalPathMs)} = ${x(i.ratio)}`, "≤ 1.08×", mark(i.ratio <= 1.08)]);
    }
    const ratios = r.init.filter(Boolean).map((i) => i.ratio);
    if (ratios.length > 1) {
      const grows = ratios[ratios.length - 1] > ratios[0] + 0.02;
      rows.push(["2. init: ratio as accounts grow (2 → 10)", ratios.map(x).join(" → "), "does not grow", mark(!grows)]);
    }
  }
  if (r.awscli) {
    if (r.awscli.skipped) rows.push(["3. AWS CLI script / org-bootstrap init", `skipped: ${r.awscli.skipped}`, "≥ 5×", "–"]);
    else {
      const ratio = r.awscli.script.wallMs / r.awscli.orgBootstrap.wallMs;
      rows.push(["3. AWS CLI script / org-bootstrap init (2 stage accounts)", `${s(r.awscli.script.wallMs)} / ${s(r.awscli.orgBootstrap.wallMs)} = ${x(ratio)}`, "≥ 5×", mark(ratio >= 5)]);
    }
  }
  if (r.rerun) {
    rows.push(["4. re-run on a finished setup: mutating calls", String(r.rerun.mutating), "0", mark(r.rerun.mutating === 0)]);
    rows.push(["4. re-run: read calls, wall time", `${r.rerun.reads} reads, ${s(r.rerun.wallMs)}`, "(reported)", "–"]);
  }
  if (r.scale) {
    const sc = r.scale;
    if (sc.code !== 0) rows.push(["5. status --json at scale", `FAILED (exit ${sc.code}) after ${s(sc.wallMs)}: ${sc.error}`, "≤ 1.3× bound", "MISSED"]);
    else rows.push(["5. status --json at scale: wall / lower bound", `${s(sc.wallMs)} / ${s(sc.bound.boundMs)} = ${x(sc.ratio)}`, "≤ 1.3×", mark(sc.ratio <= 1.3)]);
    rows.push(["5. status: calls (bound's fewest calls; throttled answers)", `${sc.calls} (${sc.bound.totalCalls}; ${sc.throttled} throttled)`, "(reported)", "–"]);
    if (sc.peakRssMb !== undefined) rows.push(["5. status: peak memory (RSS)", `${sc.peakRssMb.toFixed(0)} MB`, "< 200 MB", mark(sc.peakRssMb < 200)]);
  }
  if (r.bigConfig) {
    const { edit, init } = r.bigConfig;
    const mb = (v) => `${v.toFixed(0)} MB`;
    const size = `${(edit.bytes / 1e6).toFixed(0)} MB, ${edit.profiles.toLocaleString("en-US")} profiles`;
    rows.push([`6. a ${size}: init's edit of it (plan + write), wall / CPU / peak RSS`, `${s(edit.wallMs)} / ${s(edit.cpuMs)} / ${mb(edit.peakRssMb)}`, "< 3 s and < 400 MB", mark(edit.wallMs < 3000 && edit.peakRssMb < 400)]);
    rows.push(["6. init --force with that config (no AWS delays): wall / CPU / peak RSS", `${s(init.big.wallMs)} / ${s(init.big.cpuMs)} / ${mb(init.big.peakRssMb)}`, "(reported)", "–"]);
    rows.push(["6. the same init with a one-block config", `${s(init.small.wallMs)} / ${s(init.small.cpuMs)} / ${mb(init.small.peakRssMb)}`, "(reference)", "–"]);
  }
  if (r.credentials) {
    const c = r.credentials;
    const m = c.medians;
    const floor = m["node -e 0"];
    const warm = m["env --format json, warm"];
    const of = `(median of ${c.runs})`;
    rows.push([`7. env --format json, warm (cached) ${of}`, `${ms(warm)} = ${x(warm / floor)} node -e 0; ${c.warmCalls} calls`, "≤ 1.3× node -e 0, 0 calls", mark(warm / floor <= 1.3 && c.warmCalls === 0)]);
    rows.push([`7. env --format json, cold (one GetRoleCredentials) ${of}`, ms(m["env --format json, cold"]), "(reported)", "–"]);
    rows.push([`7. node -e 0 ${of}`, ms(floor), "(reference)", "–"]);
    const cpu = c.cpuMedians ?? {};
    if (cpu["node -e 0"]) {
      const [n, w, k] = [cpu["node -e 0"], cpu["env --format json, warm"], cpu["env --format json, cold"]];
      rows.push([`7. CPU time (user + system): node -e 0 / warm / cold`, `${ms(n)} / ${ms(w)} (${x(w / n)}) / ${ms(k)}`, "(reported)", "–"]);
    }
    if (c.awsCli?.skipped) rows.push(["7. aws configure export-credentials", `skipped: ${c.awsCli.skipped}`, "(reference)", "–"]);
    else {
      rows.push([`7. aws configure export-credentials, cold ${of}`, ms(m["aws configure export-credentials, cold"]), "(reference)", "–"]);
      rows.push([`7. aws configure export-credentials, warm (its cache) ${of}`, ms(m["aws configure export-credentials, warm"]), "(reference)", "–"]);
    }
  }
  return rows;
}

function table(rows) {
  return ["| figure | measured | target | |", "|---|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function initDetails(r) {
  const two = r.init?.find((i) => i?.stages === 2) ?? r.awscli?.orgBootstrap;
  if (!two) return "";
  const t = two.timeline;
  const lines = [
    "## init, 2 stage accounts: critical path and timeline",
    "",
    `Where the wall time went: ${ms(t.beforeFirstCallMs)} before the first call (Node start-up, loading, planning), ` +
      `${s(t.firstToLastCallMs)} from first to last call, ${ms(t.afterLastCallMs)} after the last (files, exit). ` +
      `${t.calls} calls: ${t.mutating} mutating, ${t.reads} reads, ${t.throttled} throttled.`,
    "",
    "Critical path (the model in bench/README.md, with the emulator's delays):",
    "",
    "```",
    ...describeChain(two.chain),
    "```",
    "",
    "Timeline of every call (ms from the start of the process):",
    "",
    "```",
    ...two.calls.map((c) => `${String(Math.round(c.startMs)).padStart(6)} → ${String(Math.round(c.endMs)).padStart(6)}  ${c.operation}${c.errorCode ? ` (${c.errorCode})` : ""}`),
    "```",
  ];
  return lines.join("\n");
}

function scaleDetails(sc) {
  if (!sc) return "";
  const b = sc.bound;
  return [
    "## status at scale: the bound",
    "",
    `World: ${sc.world.accounts} member accounts, ${sc.world.users} users, ${sc.world.groups} groups, ${sc.world.permissionSets} permission sets, ` +
      `${sc.world.assignmentsPerAccount} group assignments per account; request rates × ${sc.rateScale}.`,
    `Fewest calls: ${b.totalCalls} (first round ${b.calls.first}, ListAccounts ${b.calls.organizations}, Identity Center ${b.calls.identityCenter}, ` +
      `assignments listed per ${b.assignmentListing}).`,
    `Floors: rate ${s(b.floors.rateMs)}, ListAccounts ${s(b.floors.listAccountsMs)}, paging ${s(b.floors.pagingMs)}: bound ${s(b.boundMs)} (${b.limitedBy}).`,
    sc.shown ? `status showed ${sc.shown.accounts} accounts, ${sc.shown.users} users, ${sc.shown.groups} groups, ${sc.shown.assignments} assignments.` : "",
  ].join("\n");
}

export function renderResults(r) {
  const rows = figureRows(r);
  const width = Math.max(...rows.map((row) => row[0].length));
  const summary = rows.map(([name, value, target, verdict]) => `${name.padEnd(width)}  ${value}   target ${target}   ${verdict}`).join("\n");
  const text = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` on ${r.startedAt} (the whole bench took ${s(r.durationMs)}). What each figure means and how it is measured: [README.md](README.md).`,
    "",
    "## Machine",
    "",
    describeMachine(),
    "",
    "## Figures",
    "",
    table(rows),
    "",
    initDetails(r),
    "",
    scaleDetails(r.scale),
    "",
  ].join("\n");
  return { text, summary };
}

export function writeResults(text) {
  let notes = `${NOTES_MARKER}\n## Notes\n\n(Why a target is missed and what would close it.)\n`;
  if (existsSync(RESULTS)) {
    const old = readFileSync(RESULTS, "utf8");
    const at = old.indexOf(NOTES_MARKER);
    if (at >= 0) notes = old.slice(at);
  }
  writeFileSync(RESULTS, `${text.trimEnd()}\n\n${notes.trimEnd()}\n`);
  return RESULTS;
}
