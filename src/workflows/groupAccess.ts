/**
 * The steps of a planned group access (src/plan/groupAccessPlan.ts): a step per permission set to
 * create (or a preset's set to finish), and a step per assignment to create or delete, given
 * where the group's id comes from (known, or from the step creating the group). Shared by the
 * commands that give a group access per stage, so each runs the same steps the same way.
 */
import type { GroupAccessPlan, PlannedSet } from "../plan/groupAccessPlan.js";
import { initDefaults, isPresetKey, permissionSetPresets } from "../plan/presets.js";
import { step, type Step } from "./executor.js";
import { assignmentKind, assignmentNeeds, type AssignmentInput } from "./steps/assignments.js";
import { fromStep, IDENTITY_CENTER, known, type Ref } from "./steps/common.js";
import { permissionSetKind, type PermissionSetOutcome } from "./steps/identityCenter.js";

/** Per permission set name: its ARN, known or read from the step that creates (or finishes) it. */
export type SetArns = Map<string, Ref<string>>;

/**
 * The step that creates (or finishes) `set` under `id`, if it needs one, recording its ARN in
 * `arns`. A set that exists is only recorded; a set that is not a preset and does not exist is
 * never planned (planSet refuses it).
 */
export function permissionSetStep(set: PlannedSet, id: string, arns: SetArns): Step[] {
  if (set.arn && set.status === "exists") {
    arns.set(set.name, known(set.arn));
    return [];
  }
  if (!set.presetKey || !isPresetKey(set.presetKey)) return [];
  const preset = permissionSetPresets[set.presetKey];
  arns.set(set.name, fromStep<PermissionSetOutcome, string>(id, (r) => r.arn));
  // A set a stopped run left without its policy keeps its own session length and description.
  return [
    step(
      permissionSetKind,
      id,
      { spec: { name: preset.name, description: preset.description, sessionDuration: initDefaults.sessionDuration, managedPolicyArns: [preset.managedPolicyArn] }, keepExistingSettings: set.status === "update" },
      { needs: [IDENTITY_CENTER] },
    ),
  ];
}

/** The id of a set's step in a group-access run. */
export const permissionSetStepId = (name: string) => `permission-set:${name}`;

/**
 * One step per assignment to create or delete (those that exist need none). Deletions wait for
 * every creation of their group, so the group's members never lose their access in a stage
 * before the new one is in place.
 */
export function assignmentSteps(
  assignments: GroupAccessPlan["assignments"],
  arns: SetArns,
  groupIdOf: (group: string) => Ref<string>,
  kind: ReturnType<typeof assignmentKind>,
): Step[] {
  const steps: Step[] = [];
  const created = new Map<string, string[]>();
  const input = (a: GroupAccessPlan["assignments"][number], change: AssignmentInput["change"], setArn: Ref<string>): AssignmentInput => ({
    change,
    accountId: known(a.accountId),
    permissionSetArn: setArn,
    principalType: "GROUP",
    principalId: groupIdOf(a.group),
    account: a.accountName,
    permissionSet: a.permissionSet,
    principal: `group ${a.group}`,
  });
  for (const a of assignments.filter((x) => x.status === "create")) {
    const setArn = arns.get(a.permissionSet);
    if (!setArn) continue;
    const id = `assignment:${a.group}:${a.accountId}:${a.permissionSet}`;
    const create = input(a, "create", setArn);
    steps.push(step(kind, id, create, { needs: assignmentNeeds(create) }));
    created.set(a.group, [...(created.get(a.group) ?? []), id]);
  }
  for (const a of assignments.filter((x) => x.status === "delete" && x.permissionSetArn)) {
    const remove = input(a, "delete", known(a.permissionSetArn!));
    steps.push(step(kind, `unassign:${a.group}:${a.accountId}:${a.permissionSet}`, remove, { needs: [...assignmentNeeds(remove), ...(created.get(a.group) ?? [])] }));
  }
  return steps;
}

/** Every step of one group's planned access (what a command giving one group a matrix runs). */
export function groupAccessSteps(plan: GroupAccessPlan, groupId: Ref<string>, kind: ReturnType<typeof assignmentKind>): Step[] {
  const arns: SetArns = new Map();
  const sets = plan.sets.flatMap((s) => permissionSetStep(s, permissionSetStepId(s.name), arns));
  return [...sets, ...assignmentSteps(plan.assignments, arns, () => groupId, kind)];
}
