/**
 * `org-bootstrap add-account <stage>`: one more member account `<org>-<stage>`, each group given
 * the permission sets it has in the other stage accounts (where they differ per stage, those of
 * the stage `--like` names, or that a terminal is asked for), the `[profile <org>-<stage>]`
 * block and the sst.config.ts selector extended. Names are checked before any AWS call; the plan
 * is shown first; a re-run finds everything in place and changes nothing (idempotent).
 * The organisation comes from the `[sso-session]` init wrote (`src/local/orgConfig.ts`).
 */
import { CancelledError, UserError } from "../errors.js";
import { explainAwsError } from "../aws/errors.js";
import { checkConfigWritableFirst, planAwsConfigChange, planSstConfigChange, type FileChange } from "../local/fileChange.js";
import { loadOrgConfig, workloadRegionOf, type OrgConfig } from "../local/orgConfig.js";
import { addAccountChangesAws, groupsNeedingLike, planAddAccount, requireSomeAccess, validateNewStage, type AddAccountPlan } from "../plan/addAccountPlan.js";
import { validateLike } from "../plan/newAccountAccess.js";
import { validateEmail, validateGroupName, validateWorkloadRegion } from "../plan/desired.js";
import { permissionSetPresets } from "../plan/presets.js";
import { renderAddAccountPlan } from "../ui/accountPlan.js";
import { renderFileChange } from "../ui/diff.js";
import { createProgressBoard, stepProgress } from "../ui/progress.js";
import { applyAddAccount, observeAddAccount } from "../workflows/addAccount.js";
import { applyFiles } from "./init.js";
import { dayTwoFlags, projectDirFlag, stringFlag, type DayTwoOptions } from "./dayTwoFlags.js";
import { openManagementContext } from "./managementAccess.js";
import type { CommandInput } from "./types.js";

export interface AddAccountOptions extends DayTwoOptions {
  stage: string;
  /** `--email`; default: the other stage accounts' pattern, else the management email plus-addressed. */
  email?: string;
  /** `--group`: only this group (default: every group with access in the stage accounts). */
  group?: string;
  /** `--like STAGE`: a group whose access differs per stage gets that stage's in the new account. */
  like?: string;
  /** `--region`: the new profile's region; default: the stage profiles' region, else Identity Center's. */
  region?: string;
  projectDir: string;
  home: string;
  force: boolean;
}

export interface AddAccountSummary {
  stage: string;
  account: { id: string; name: string; email: string; status: "created" | "found" };
  assignments: { permissionSet: string; group: string; status: "created" | "exists" }[];
  /** Per group with access in the stage accounts: the sets it has in the new account, and why. */
  access: { group: string; permissionSets: string[]; source: "every-stage" | "like" | "differs"; kept?: string[] }[];
  profile: string;
  files: { path: string; label: string; status: string; backup?: string }[];
}

type ReadyPlan = AddAccountPlan & { roleName: string };

async function planFiles(o: AddAccountOptions, config: OrgConfig, plan: ReadyPlan, accountId: string, force: boolean): Promise<FileChange[]> {
  // A chosen region is written (a differing one in an existing profile is a conflict); otherwise
  // an existing profile keeps its region and a new one gets the stage profiles' (docs/add-account.md).
  const region = o.region ?? workloadRegionOf(config) ?? config.session.region;
  const stages = [...new Set([...config.profiles.map((p) => p.stage), plan.stage])];
  const changes = await Promise.all([
    planAwsConfigChange({
      configFile: o.configFile,
      home: o.home,
      force,
      sections: [
        {
          kind: "profile",
          name: `${plan.orgName}-${plan.stage}`,
          values: { sso_session: config.session.name, sso_account_id: accountId, sso_role_name: plan.roleName, region },
          ...(o.region ? {} : { keep: ["region"] }),
        },
      ],
    }),
    planSstConfigChange({ projectDir: o.projectDir, org: plan.orgName, stages, force }),
  ]);
  // No sst.config.ts: init already showed the selector to paste; not again for every stage.
  return changes.filter((c) => !(c.status === "skipped" && c.before === null));
}

/**
 * Unattended, a value the run would have to replace is known before AWS changes anything: an
 * existing `[profile <org>-<stage>]` pointing at another account than the one found (or at any
 * account, when a new one is to be created), or a profile the person wrote in sst.config.ts.
 * Refuse then, rather than after creating the account (docs/add-account.md).
 */
async function checkFilesFirst(o: AddAccountOptions, config: OrgConfig, plan: ReadyPlan): Promise<void> {
  const changes = await planFiles(o, config, plan, plan.account.accountId ?? "000000000000", o.force);
  if (o.force || (o.interactive && !o.yes)) return;
  const idKey = `[profile ${plan.orgName}-${plan.stage}] sso_account_id`;
  const conflicts = changes.flatMap((c) =>
    c.conflicts.map((k) => `${c.label}: ${k.key} is "${k.old}", this run would write ${k.key === idKey && !plan.account.accountId ? `the id of the account it creates, ${plan.account.name}` : `"${k.new}"`}`),
  );
  if (conflicts.length > 0) {
    throw new UserError(
      `Some local files already have different values; nothing was changed in AWS or on disk.\n  ${conflicts.join("\n  ")}`,
      `Run again with --force to replace them (a backup is kept), or edit the files yourself: org-bootstrap add-account ${plan.stage} --force`,
    );
  }
}

export async function addAccount(o: AddAccountOptions): Promise<AddAccountSummary | undefined> {
  const { out } = o;
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  // Every name rule is checked before the first AWS call.
  const { stage, accountName } = validateNewStage(config.orgName, o.stage);
  if (o.email !== undefined) validateEmail(o.email, "--email");
  if (o.group !== undefined) validateGroupName(o.group, "--group");
  const stages = [...new Set(config.profiles.map((p) => p.stage))].filter((s) => s !== stage);
  if (o.like !== undefined) validateLike(o.like, stages, stage);
  if (o.region !== undefined) validateWorkloadRegion(o.region, "--region");
  // A stage without its profile yet: the config will be written whatever AWS says, so a config
  // it cannot be written to is refused before the first AWS call (docs/add-account.md).
  await checkConfigWritableFirst(o.configFile, [{ kind: "profile", name: `${config.orgName}-${stage}` }], o.home);

  const org = await openManagementContext({ ...o, config });
  const { email, heldBy, observed } = await observeAddAccount(org, config, stage, accountName, o.email).catch((err: unknown) => {
    throw explainAwsError(err, "Reading your organization");
  });
  const planWith = (like: string | undefined) =>
    planAddAccount({ orgName: config.orgName, stage, email, adminPermissionSet: permissionSetPresets.admin.name, ...(like ? { like } : {}), ...(o.group ? { onlyGroup: o.group } : {}) }, observed);
  let plan = planWith(o.like);
  const undecided = groupsNeedingLike(plan);
  if (undecided.length > 0 && o.interactive && !o.yes) plan = planWith(await askLike(o, plan, undecided));
  requireSomeAccess(plan, observed.stageAccounts.map((s) => s.stage));
  if (heldBy && plan.account.status === "create") {
    out.warn(`${heldBy.email} still belongs to account ${heldBy.name} (${heldBy.id}, ${heldBy.state}): a closed account keeps its email, so the new one gets ${email} (or give --email).`);
  }
  for (const line of renderAddAccountPlan(plan, out)) out.line(line);

  if (o.dryRun) {
    // A new account has no id yet: the diff shows where it goes (docs/add-account.md).
    const accountId = plan.account.accountId ?? `<id of ${plan.account.name}, once AWS creates it>`;
    for (const change of await planFiles(o, config, plan, accountId, o.force)) for (const l of renderFileChange(change, out)) out.line(l);
    out.line("Dry run: nothing was changed.");
    if (out.json) out.printJson({ dryRun: true, plan });
    return undefined;
  }
  if (addAccountChangesAws(plan) && !o.yes) {
    if (!o.interactive) throw new UserError("No terminal to confirm on.", `Add --yes to apply the plan unattended (or --dry-run to only see it): org-bootstrap add-account ${stage} --yes`);
    if (!(await o.prompter.confirm({ message: `Create ${accountName} and its access?` }))) throw new CancelledError("Nothing was changed.");
  }

  await checkFilesFirst(o, config, plan);
  const board = createProgressBoard(out);
  let accountId: string;
  try {
    accountId = await applyAddAccount(org, plan, { signal: o.signal, onEvent: stepProgress(board) });
  } finally {
    board.close();
  }
  if (!addAccountChangesAws(plan)) out.success(`AWS: ${accountName} and its access were already in place; nothing changed.`);
  const files = await applyFiles(o, await planFiles(o, config, plan, accountId, o.force), () => planFiles(o, config, plan, accountId, true));

  const summary: AddAccountSummary = {
    stage,
    account: { id: accountId, name: plan.account.name, email: plan.account.email, status: plan.account.status === "exists" ? "found" : "created" },
    assignments: plan.assignments.map((a) => ({ permissionSet: a.permissionSet, group: a.group, status: a.status === "exists" ? "exists" : "created" })),
    access: plan.access.map((g) => ({ group: g.group, permissionSets: g.permissionSets.map((p) => p.name), source: g.source, ...(g.kept.length ? { kept: g.kept } : {}) })),
    profile: `${config.orgName}-${stage}`,
    files,
  };
  out.line("");
  out.success(`Stage ${stage}: account ${accountName} (${accountId}), profile ${summary.profile}.`);
  out.line(`  Try it: org-bootstrap login --sso-session ${config.session.name} && aws sts get-caller-identity --profile ${summary.profile}`);
  if (out.json) out.printJson(summary);
  return summary;
}

/** A terminal is asked which stage the new one is like, when a group's access differs per stage. */
async function askLike(o: AddAccountOptions, plan: AddAccountPlan, groups: string[]): Promise<string | undefined> {
  const differing = plan.access.filter((g) => groups.includes(g.group));
  const stages = differing[0].perStage.map((s) => s.stage);
  const NONE = "-";
  const answer = await o.prompter.select({
    message: `${groups.join(", ")} ${groups.length === 1 ? "has" : "have"} different access per stage. Which stage is ${plan.stage} like?`,
    choices: [
      ...stages.map((stage) => ({
        value: stage,
        label: stage,
        hint: differing.map((g) => `${g.group}: ${g.perStage.find((s) => s.stage === stage)?.permissionSets.join("+") || "none"}`).join(", "),
      })),
      { value: NONE, label: "none of them", hint: `${groups.join(", ")} get${groups.length === 1 ? "s" : ""} no access in ${plan.account.name}` },
    ],
    initialValue: stages[0],
  });
  return answer === NONE ? undefined : answer;
}

export async function run(input: CommandInput): Promise<number> {
  await addAccount({
    ...dayTwoFlags(input),
    projectDir: projectDirFlag(input),
    stage: input.positionals[0],
    email: stringFlag(input, "email"),
    group: stringFlag(input, "group"),
    like: stringFlag(input, "like"),
    region: stringFlag(input, "region"),
    force: Boolean(input.options.force),
  });
  return 0;
}
