/**
 * Which groups get which permission sets in a new stage's account (docs/add-account.md, Access in
 * the new account). Pure: no I/O. A group with the same set(s) in every stage account gets them
 * there too. A group whose access differs per stage (the role ladder: PowerUserAccess in dev,
 * ReadOnlyAccess in production) gets what it has in the `--like` stage; without --like there is
 * no right answer to guess, so it gets nothing and the plan says how to choose.
 */
import { UserError } from "../errors.js";

export interface ObservedStageAccount {
  stage: string;
  accountId: string;
}

export interface ObservedGroupAccess {
  displayName: string;
  groupId: string;
  /** `accountId permissionSetArn` pairs the group has in the stage accounts and the new one. */
  assignments: { accountId: string; permissionSetArn: string }[];
}

export interface NamedSet {
  name: string;
  arn: string;
}

export interface NewAccountGroupAccess {
  group: string;
  groupId: string;
  /** every-stage: the same sets in every stage account; like: they differ, the --like stage's; differs: they differ, no --like. */
  source: "every-stage" | "like" | "differs";
  /** The sets it gets in the new account (found there or to assign). */
  permissionSets: NamedSet[];
  /** Per stage account, the set names it has there (for the plan and the message). */
  perStage: { stage: string; permissionSets: string[] }[];
  /** Sets it already has in the new account that this run would not give (kept as they are). */
  kept: string[];
}

/** "--like dev or --like production", "--like dev, --like qa or --like production". */
export function likeChoices(stages: string[]): string {
  const flags = stages.map((s) => `--like ${s}`);
  return flags.length <= 1 ? flags.join("") : `${flags.slice(0, -1).join(", ")} or ${flags[flags.length - 1]}`;
}

/** `--like STAGE` must be one of the other stages (the config's stage profiles); checked before any AWS call. */
export function validateLike(like: string, stages: string[], newStage: string): string {
  const others = stages.filter((s) => s !== newStage);
  if (like === newStage) throw new UserError(`--like ${like} names the new stage itself.`, others.length ? `Name a stage it is like: ${likeChoices(others)}.` : "Leave out --like.");
  if (!others.includes(like)) {
    throw new UserError(`--like: there is no stage ${like}.`, others.length ? `The stages of your config: ${others.join(", ")}.` : "Your config has no stage profiles yet (org-bootstrap init).");
  }
  return like;
}

const key = (names: string[]) => [...names].sort().join("+");

/** Groups with access in the stage accounts, and whether it is the same in each (pure; for the question). */
export function groupsByAccess(stages: ObservedStageAccount[], groups: ObservedGroupAccess[], setName: Map<string, string>): Omit<NewAccountGroupAccess, "source" | "permissionSets" | "kept">[] {
  const stageIds = new Set(stages.map((s) => s.accountId));
  return groups
    .filter((g) => g.assignments.some((a) => stageIds.has(a.accountId)))
    .map((g) => ({
      group: g.displayName,
      groupId: g.groupId,
      perStage: stages.map((s) => ({
        stage: s.stage,
        permissionSets: [...new Set(g.assignments.filter((a) => a.accountId === s.accountId).map((a) => setName.get(a.permissionSetArn) ?? a.permissionSetArn))].sort(),
      })),
    }));
}

export const differsPerStage = (g: Pick<NewAccountGroupAccess, "perStage">) => new Set(g.perStage.map((s) => key(s.permissionSets))).size > 1;

export function planNewAccountAccess(input: {
  stages: ObservedStageAccount[];
  groups: ObservedGroupAccess[];
  sets: NamedSet[];
  /** The new account's id, when it exists. */
  newAccountId?: string;
  like?: string;
  /** --group: only this group (default: every group with access in the stage accounts). */
  onlyGroup?: string;
}): NewAccountGroupAccess[] {
  const arnOf = new Map(input.sets.map((s) => [s.name, s.arn]));
  const setName = new Map(input.sets.map((s) => [s.arn, s.name]));
  if (input.onlyGroup && !input.groups.some((g) => g.displayName === input.onlyGroup)) {
    throw new UserError(`The group ${input.onlyGroup} was not found in IAM Identity Center.`, "Check --group, or leave it out to give every group with access in the stage accounts its access.");
  }
  const considered = groupsByAccess(input.stages, input.groups, setName).filter((g) => !input.onlyGroup || g.group === input.onlyGroup);
  if (considered.length === 0) {
    throw new UserError(
      `${input.onlyGroup ? `Group ${input.onlyGroup} has` : "No group has"} access in the other stage accounts, so there is nothing to copy.`,
      "Run org-bootstrap init to assign it (or check --group).",
    );
  }
  return considered.map((g) => {
    const differs = differsPerStage(g);
    const names = !differs ? g.perStage[0].permissionSets : input.like ? (g.perStage.find((s) => s.stage === input.like)?.permissionSets ?? []) : [];
    const have = input.groups.find((x) => x.groupId === g.groupId)!.assignments.filter((a) => a.accountId === input.newAccountId).map((a) => setName.get(a.permissionSetArn) ?? a.permissionSetArn);
    return {
      ...g,
      source: !differs ? "every-stage" : input.like ? "like" : "differs",
      permissionSets: names.map((name) => ({ name, arn: arnOf.get(name)! })),
      kept: [...new Set(have.filter((n) => !names.includes(n)))].sort(),
    };
  });
}
