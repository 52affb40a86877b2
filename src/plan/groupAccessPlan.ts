/**
 * One group's access per stage (the role ladder: docs/add-user.md, Access per stage): the
 * permission sets a STAGE=SET matrix names, and the group's assignments in the stage accounts.
 * Pure (docs/architecture.md, Habits: plan, then apply), shared by every command that gives a
 * group access per stage (add-user --access today).
 */
import { UserError } from "../errors.js";
import { isPresetKey, permissionSetPresets } from "./presets.js";

export interface AccessEntry {
  stage: string;
  /** A preset key or a permission set's name, as given. */
  value: string;
}

/**
 * `dev=poweruser,production=readonly` → entries, checked before the first AWS call: each pair is
 * STAGE=SET, no stage twice, and every stage one of `stages` (the config's stage profiles).
 */
export function parseAccess(text: string, stages: string[]): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const raw of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\S.*)$/.exec(raw);
    if (!m) throw new UserError(`--access: "${raw}" is not STAGE=SET.`, "Example: --access dev=poweruser,production=readonly");
    const [, stage, value] = m;
    entries.push({ stage, value: value.trim() });
  }
  return checkAccess(entries, stages);
}

/** The checks every matrix passes, typed (--access) or answered (add-user's per-stage questions): no stage twice, every stage one of `stages`, not empty. */
export function checkAccess(entries: AccessEntry[], stages: string[]): AccessEntry[] {
  entries.forEach((e, i) => {
    if (entries.findIndex((x) => x.stage === e.stage) !== i) throw new UserError(`--access names stage ${e.stage} twice.`, "Give each stage one permission set.");
    if (!stages.includes(e.stage)) {
      throw new UserError(`--access: there is no stage ${e.stage}.`, stages.length ? `The stages of your config: ${stages.join(", ")}.` : "Your config has no stage profiles yet (org-bootstrap init, add-account).");
    }
  });
  if (entries.length === 0) throw new UserError("--access is empty.", "Example: --access dev=poweruser,production=readonly");
  return entries;
}

/** `poweruser` → `PowerUserAccess`; any other value is a permission set's own name. */
export function permissionSetNameFor(value: string): string {
  return isPresetKey(value) ? permissionSetPresets[value].name : value;
}

export const assignmentKey = (accountId: string, permissionSetArn: string) => `${accountId} ${permissionSetArn}`;

/** One permission set a plan uses. "update": a preset's set a stopped run created but never gave its policy (see planSet). */
export interface PlannedSet {
  name: string;
  status: "create" | "exists" | "update";
  arn?: string;
  presetKey?: string;
}

export interface ObservedSet {
  name: string;
  arn: string;
  managedPolicyArns: string[];
}

/** One permission set a plan uses: found, to create from its preset, or a preset's set to finish. */
export function planSet(value: string, found: ObservedSet | undefined, allNames: string[]): PlannedSet {
  const name = permissionSetNameFor(value);
  const preset = isPresetKey(value) ? value : Object.entries(permissionSetPresets).find(([, p]) => p.name === name)?.[0];
  if (!found && !preset) {
    throw new UserError(`There is no permission set ${name}.`, `Use one of ${[...allNames, "poweruser", "readonly", "viewonly"].join(", ")}.`);
  }
  // CreatePermissionSet and the policy attachment are two calls: a run stopped between them
  // leaves a preset's permission set with no policy, which gives nobody anything. The re-run
  // finishes it (attaching only the preset's policy); a set with any policy is left as it is.
  const unfinished = found && preset && found.managedPolicyArns.length === 0;
  return found
    ? { name: found.name, status: unfinished ? "update" : "exists", arn: found.arn, ...(unfinished ? { presetKey: preset } : {}) }
    : { name, status: "create", ...(preset ? { presetKey: preset } : {}) };
}

/** The permission sets a matrix names (`sets`) and every other one (`otherSets`, to name a group's current access). */
export function splitSets(permissionSets: ObservedSet[], access: AccessEntry[]): { sets: ObservedSet[]; otherSets: { name: string; arn: string }[] } {
  const named = new Set(access.map((e) => permissionSetNameFor(e.value)));
  return {
    sets: permissionSets.filter((p) => named.has(p.name)).map((p) => ({ name: p.name, arn: p.arn, managedPolicyArns: p.managedPolicyArns })),
    otherSets: permissionSets.filter((p) => !named.has(p.name)).map((p) => ({ name: p.name, arn: p.arn })),
  };
}

export interface StageAccount {
  stage: string;
  accountId: string;
  name: string;
}

export interface GroupAccessInput {
  group: string;
  access: AccessEntry[];
  /** Make an existing group's access in the stage accounts exactly the matrix (what else it holds there is deleted). */
  force?: boolean;
  /** The refusal's hint: what the caller's user can do instead (the command's own flags). */
  refusalHint?: string;
  /**
   * The refusal's words for what asked for the matrix and what was changed; add-user's by default
   * ("--access asks for", "Nothing was changed."). init's ladder runs after init's own changes.
   */
  refusalWords?: { asks: string; unchanged: string };
}

export interface GroupAccessObserved {
  /** Absent: the group does not exist yet (it holds nothing). */
  groupId?: string;
  /** What the group holds: assignmentKey(accountId, permissionSetArn). */
  held: string[];
  /** The permission sets the matrix names, where they exist. */
  sets: ObservedSet[];
  /** Every other permission set, to name what the group holds. */
  otherSets?: { name: string; arn: string }[];
  /** Every permission set's name, for the error when a named one is unknown. */
  permissionSetNames: string[];
  /** The stage accounts (never the management account). */
  stageAccounts: StageAccount[];
}

export interface GroupAccessPlan {
  /** One step per distinct set the matrix names. */
  sets: PlannedSet[];
  /** Per stage account, the set the matrix gives there (none: the stage was not named). */
  matrix: { stage: string; accountId: string; accountName: string; permissionSet?: string }[];
  /** "delete" only with --force: what the group holds in a stage account that the matrix does not give. */
  assignments: { group: string; permissionSet: string; stage: string; accountId: string; accountName: string; status: "create" | "exists" | "delete"; permissionSetArn?: string }[];
  /** An existing group's access before the run, per stage account (set names; an unknown set by its ARN). */
  current?: { stage: string; accountId: string; accountName: string; permissionSets: string[] }[];
  /** How many of the group's assignments are outside the stage accounts (kept: never touched). */
  keptOutside?: number;
}

export function planGroupAccess(input: GroupAccessInput, observed: GroupAccessObserved): GroupAccessPlan {
  const planned = new Map<string, PlannedSet>();
  for (const e of input.access) {
    const name = permissionSetNameFor(e.value);
    if (!planned.has(name)) planned.set(name, planSet(e.value, observed.sets.find((p) => p.name === name), observed.permissionSetNames));
  }
  const sets = [...planned.values()];
  const matrix = observed.stageAccounts.map((a) => {
    const e = input.access.find((x) => x.stage === a.stage);
    return { stage: a.stage, accountId: a.accountId, accountName: a.name, ...(e ? { permissionSet: permissionSetNameFor(e.value) } : {}) };
  });
  const arnOf = new Map(sets.map((p) => [p.name, p.arn]));
  const have = new Set(observed.held);
  const wanted = matrix.filter((m) => m.permissionSet);
  const nameOf = new Map([...observed.sets, ...(observed.otherSets ?? [])].map((p) => [p.arn, p.name]));
  const stageOf = new Map(observed.stageAccounts.map((a) => [a.accountId, a]));
  const wantedKeys = new Set(wanted.flatMap((m) => (arnOf.get(m.permissionSet!) ? [assignmentKey(m.accountId, arnOf.get(m.permissionSet!)!)] : [])));
  // What the group holds in a stage account that the matrix does not give. Access elsewhere (the
  // management account, an account no stage profile points at) is not the matrix's business.
  const extra = [...have].filter((k) => stageOf.has(k.split(" ")[0]) && !wantedKeys.has(k));
  const current = observed.groupId
    ? observed.stageAccounts.map((a) => ({
        stage: a.stage,
        accountId: a.accountId,
        accountName: a.name,
        permissionSets: [...have].filter((k) => k.startsWith(`${a.accountId} `)).map((k) => nameOf.get(k.split(" ")[1]) ?? k.split(" ")[1]),
      }))
    : undefined;
  // An existing group's access is not taken away without being asked: when it holds anything
  // in a stage account that the matrix does not give, nothing of its access changes unless
  // --force says to make it exactly the matrix. A group holding part of the matrix (a stopped
  // run's, or none yet) gets the rest either way.
  if (current && extra.length > 0 && !input.force) {
    const asked = matrix.map((m) => `${m.stage}=${m.permissionSet ?? "none"}`);
    const words = input.refusalWords ?? { asks: "--access asks for", unchanged: "Nothing was changed." };
    throw new UserError(
      `Group ${input.group} exists with other access: ${current.map((c) => `${c.stage}=${c.permissionSets.length ? c.permissionSets.join("+") : "none"}`).join(", ")}; ${words.asks} ${asked.join(", ")}. ${words.unchanged}`,
      input.refusalHint ?? "Its access is not changed without --force; use a new group name.",
    );
  }
  const assignments: GroupAccessPlan["assignments"] = wanted.map((m) => {
    const arn = arnOf.get(m.permissionSet!);
    const exists = Boolean(arn && have.has(assignmentKey(m.accountId, arn)));
    return { group: input.group, permissionSet: m.permissionSet!, stage: m.stage, accountId: m.accountId, accountName: m.accountName, status: exists ? "exists" : "create", ...(arn ? { permissionSetArn: arn } : {}) };
  });
  // --force: the rest goes, after the new access is in place (src/workflows/groupAccess.ts).
  for (const k of input.force ? extra : []) {
    const [accountId, arn] = k.split(" ");
    const a = stageOf.get(accountId)!;
    assignments.push({ group: input.group, permissionSet: nameOf.get(arn) ?? arn, stage: a.stage, accountId, accountName: a.name, status: "delete", permissionSetArn: arn });
  }
  const outside = [...have].filter((k) => !stageOf.has(k.split(" ")[0])).length;
  return { sets, matrix, assignments, ...(current ? { current } : {}), ...(outside ? { keptOutside: outside } : {}) };
}
