/**
 * init's access preset (docs/init.md, Access preset): `admin-only` (the default, init as it always
 * was) or `ladder` — also group Developers, with no members, PowerUserAccess in every stage except
 * production and ReadOnlyAccess in production. Asked after the wizard's other questions and named
 * with init's plan; applied after the main apply (the stage accounts must exist), like the
 * guardrails step, with its own plan shown before its changes.
 */
import { UserError } from "../errors.js";
import type { AwsContext } from "../aws/clientConfig.js";
import { permissionSetNameFor, type AccessEntry } from "../plan/groupAccessPlan.js";
import type { Output } from "../ui/output.js";
import { planStepLines } from "../ui/plan.js";
import type { Prompter } from "../ui/prompts.js";
import { createProgressBoard, stepProgress } from "../ui/progress.js";
import { applyLadder, ladderChangesAws, planLadder, type LadderPlan, type LadderTarget } from "../workflows/accessPreset.js";

export type AccessPreset = "admin-only" | "ladder";
export const LADDER_GROUP = "Developers";

export function parseAccessPresetFlag(value: string | undefined): AccessPreset | undefined {
  if (value === undefined || value === "admin-only" || value === "ladder") return value;
  throw new UserError(`--access-preset "${value}" is not a preset.`, "Use --access-preset ladder (Developers: poweruser in dev, readonly in production) or --access-preset admin-only.");
}

/** The ladder's rule: production read-only, every other stage poweruser (its first stage, dev, included). */
export function ladderAccess(stages: readonly string[]): AccessEntry[] {
  return stages.map((stage) => ({ stage, value: stage === "production" ? "readonly" : "poweruser" }));
}

/** What the ladder gives, before the stage accounts exist (init's plan and --dry-run --json). */
export const plannedLadder = (stages: readonly string[]) => ({
  preset: "ladder" as const,
  group: LADDER_GROUP,
  access: ladderAccess(stages).map((e) => ({ stage: e.stage, permissionSet: permissionSetNameFor(e.value) })),
});

export const ladderSentence = (stages: readonly string[]) =>
  `group ${LADDER_GROUP} (no members): ${plannedLadder(stages).access.map((e) => `${e.permissionSet} in ${e.stage}`).join(", ")}`;

export interface AccessPresetSummary {
  preset: "ladder";
  group: { displayName: string; status: "created" | "exists" };
  access: { stage: string; accountId: string; permissionSet?: string }[];
  changed: boolean;
}

export function renderLadderPlan(plan: LadderPlan, out: Pick<Output, "style">): string[] {
  const steps = [
    { status: plan.group.status, text: `Group ${plan.group.displayName} (no members)` },
    ...plan.access.sets.map((s) => ({ status: s.status, text: `Permission set ${s.name}` })),
    ...plan.access.assignments.map((a) => ({ status: a.status === "delete" ? ("remove" as const) : a.status, text: `Access: group ${a.group} → ${a.permissionSet} in ${a.accountName} (${a.accountId})` })),
  ];
  return [out.style("bold", `Plan (AWS) for the ladder preset, group ${plan.group.displayName}:`), ...steps.flatMap((s) => planStepLines(s.status, s.text, out))];
}

/** The question when no flag answered it (unattended: admin-only, today's init). */
export async function chooseAccessPreset(o: { choice: AccessPreset | undefined; yes: boolean; interactive: boolean; prompter: Prompter; stages: readonly string[] }): Promise<AccessPreset> {
  if (o.choice) return o.choice;
  if (o.yes || !o.interactive) return "admin-only";
  return o.prompter.select<AccessPreset>({
    message: "Access for the stage accounts?",
    choices: [
      { value: "admin-only", label: "Administrators only", hint: "AdministratorAccess in every account" },
      { value: "ladder", label: "Also the role ladder", hint: ladderSentence(o.stages) },
    ],
    initialValue: "admin-only",
  });
}

/** Plans, shows and applies the ladder after init's main apply. */
export async function applyAccessPreset(o: { out: Output; signal: AbortSignal }, ctx: AwsContext, target: LadderTarget): Promise<AccessPresetSummary> {
  const { out } = o;
  out.line("");
  out.heading("Access preset: ladder");
  const plan = await planLadder(ctx, target, LADDER_GROUP, ladderAccess(target.accounts.map((a) => a.stage)));
  for (const line of renderLadderPlan(plan, out)) out.line(line);
  const changed = ladderChangesAws(plan);
  if (changed) {
    const board = createProgressBoard(out);
    try {
      await applyLadder(ctx, target, plan, { signal: o.signal, onEvent: stepProgress(board) });
    } finally {
      board.close();
    }
  } else out.success(`AWS: group ${LADDER_GROUP} and its access were already in place; nothing changed.`);
  return {
    preset: "ladder",
    group: { displayName: plan.group.displayName, status: plan.group.status === "exists" ? "exists" : "created" },
    access: plan.access.matrix.map((m) => ({ stage: m.stage, accountId: m.accountId, ...(m.permissionSet ? { permissionSet: m.permissionSet } : {}) })),
    changed,
  };
}
