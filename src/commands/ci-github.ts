/**
 * `org-bootstrap ci github --repo OWNER/NAME`: a GitHub Actions deploy role in every stage
 * account, trusted through GitHub's OIDC provider and scoped per stage (production only from its
 * environment or branch), and `.github/workflows/deploy.yml` when the repository has none — so
 * CI needs no access keys in repository secrets (docs/ci.md). Reads top to bottom: answers
 * (every input checked before any AWS call) → observe IAM in each stage account, as
 * OrganizationAccountAccessRole → plan → render → confirm → apply through the step executor →
 * the workflow file → summary. A re-run changes nothing; `--remove` takes the repository out.
 */
import path from "node:path";
import { createClientProvider } from "../aws/clientProvider.js";
import { explainAwsError } from "../aws/errors.js";
import { openOrganizationContext } from "../aws/organizationContext.js";
import { CancelledError, UserError } from "../errors.js";
import { planWorkflowChange, type FileChange } from "../local/fileChange.js";
import { loadOrgConfig, workloadRegionOf, type OrgConfig } from "../local/orgConfig.js";
import { detectPackageManager } from "../local/packageJson.js";
import {
  ciPlanChangesAws,
  defaultRoleName,
  isProductionStage,
  parseNumericId,
  parseProductionFrom,
  parseRepo,
  planCiGithub,
  subjectPrefixes,
  validatePolicyArn,
  validateRoleName,
  checkPolicyAccounts,
  type CiGithubPlan,
  type CiStage,
  type GithubRepo,
  type ProductionFrom,
  type SubjectFormat,
} from "../plan/ciGithubPlan.js";
import { renderCiPlan } from "../ui/ciPlan.js";
import { renderFileChange } from "../ui/diff.js";
import { createProgressBoard, stepProgress } from "../ui/progress.js";
import { applyCiPlan, iamPerAccount, observeCiAccounts } from "../workflows/ciGithub.js";
import { dayTwoFlags, projectDirFlag, stringFlag, type DayTwoOptions } from "./dayTwoFlags.js";
import { applyFiles } from "./init.js";
import { chooseManagementAccess } from "./managementAccess.js";
import type { CommandInput } from "./types.js";

export const DEFAULT_WORKFLOW = ".github/workflows/deploy.yml";

export interface CiGithubOptions extends DayTwoOptions {
  repo: string;
  /** `--stages a,b`; default: every stage of the config. */
  stages?: string[];
  productionFrom: string;
  policy?: string;
  roleName?: string;
  subjectFormat?: string;
  ownerId?: string;
  repoId?: string;
  /** Relative to the project directory; undefined with --no-workflow. */
  workflow?: string;
  projectDir: string;
  remove: boolean;
}

export interface CiGithubSummary {
  repository: string;
  removed: boolean;
  roles: { stage: string; accountId: string; roleArn: string; status: string; trusts: string[] }[];
  changes: number;
  workflow?: { path: string; status: string };
}

interface Answers {
  config: OrgConfig;
  repo: GithubRepo;
  subjectFormat: SubjectFormat;
  productionFrom: ProductionFrom;
  roleName: string;
  policyArn?: string;
  stages: { stage: string; accountId: string; profile: string }[];
  workflowFile?: string;
}

const SUBJECT_FORMATS = ["legacy", "immutable", "both"] as const;

/** Every flag checked, and the stages found in the config, before the first AWS call (exit 2). */
async function answers(o: CiGithubOptions): Promise<Answers> {
  if (!o.repo) throw new UserError("ci github needs the repository: --repo OWNER/NAME.", "For example: org-bootstrap ci github --repo acme/app");
  const repo = parseRepo(o.repo);
  if (o.ownerId !== undefined) repo.ownerId = parseNumericId(o.ownerId, "--owner-id");
  if (o.repoId !== undefined) repo.repoId = parseNumericId(o.repoId, "--repo-id");
  if (Boolean(repo.ownerId) !== Boolean(repo.repoId)) throw new UserError("--owner-id and --repo-id go together.", "Give both: gh api repos/OWNER/NAME --jq '.owner.id, .id'");
  const format = o.subjectFormat ?? (repo.repoId ? "both" : "legacy");
  if (!(SUBJECT_FORMATS as readonly string[]).includes(format)) throw new UserError(`--subject-format "${format}" is not one of legacy, immutable, both.`, "See docs/ci.md, \"Which subject does my repository send?\".");
  const subjectFormat = format as SubjectFormat;
  subjectPrefixes(repo, subjectFormat);
  const productionFrom = parseProductionFrom(o.productionFrom);
  const policyArn = o.policy === undefined ? undefined : validatePolicyArn(o.policy);
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  const roleName = validateRoleName(o.roleName ?? defaultRoleName(config.orgName));
  const known = config.profiles.filter((p) => p.accountId);
  const wanted = o.stages ?? known.map((p) => p.stage);
  const unknown = wanted.filter((s) => !known.some((p) => p.stage === s));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new UserError(
      unknown.length > 0 ? `Unknown stage${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}: ${o.configFile} has profiles for ${known.map((p) => p.stage).join(", ") || "no stage"}.` : `${o.configFile} has no stage profiles of ${config.orgName}.`,
      "Give --stages from those (comma-separated), or add the stage first: org-bootstrap add-account <stage>",
    );
  }
  const stages = [...new Set(wanted)].map((s) => {
    const p = known.find((k) => k.stage === s)!;
    return { stage: s, accountId: p.accountId!, profile: p.name };
  });
  let workflowFile: string | undefined;
  if (o.workflow !== undefined && !o.remove) {
    workflowFile = path.resolve(o.projectDir, o.workflow);
    if (!/\.ya?ml$/.test(workflowFile)) throw new UserError(`--workflow ${o.workflow} is not a .yml or .yaml file.`, `GitHub reads workflows from .github/workflows/*.yml; the default is ${DEFAULT_WORKFLOW}.`);
  }
  return { config, repo, subjectFormat, productionFrom, roleName, ...(policyArn ? { policyArn } : {}), stages, ...(workflowFile ? { workflowFile } : {}) };
}

async function planWorkflow(a: Answers, o: CiGithubOptions, plan: CiGithubPlan): Promise<FileChange | undefined> {
  if (!a.workflowFile) return undefined;
  const region = workloadRegionOf(a.config) ?? a.config.session.region;
  const label = path.relative(o.projectDir, a.workflowFile) || a.workflowFile;
  return planWorkflowChange({
    file: a.workflowFile,
    label,
    input: {
      region,
      productionFrom: a.productionFrom,
      packageManager: await detectPackageManager(o.projectDir),
      // Non-production stages first: production's job waits for them.
      stages: [...plan.accounts]
        .sort((x, y) => Number(x.production) - Number(y.production))
        .map((acc) => ({ stage: acc.stage, roleArn: acc.roleArn, production: acc.production })),
    },
  });
}

export async function ciGithub(o: CiGithubOptions): Promise<CiGithubSummary | undefined> {
  const { out } = o;
  const a = await answers(o);
  // Before any call: a customer-managed policy of one account cannot serve another's role.
  if (!o.remove) checkPolicyAccounts(a.policyArn, a.stages);

  const access = await chooseManagementAccess({ ...o, config: a.config });
  if (access.note) out.line(out.style("dim", access.note));
  const org = await openOrganizationContext(access.ctx, access.known);
  const env = iamPerAccount(createClientProvider(access.ctx));
  const spinner = out.json ? undefined : out.spinner(`Reading IAM in ${a.stages.length} stage account${a.stages.length === 1 ? "" : "s"}`);
  let plan: CiGithubPlan;
  try {
    const accounts = await org.organizations.listAccounts();
    const stages: CiStage[] = a.stages.map((s) => {
      const account = accounts.find((acc) => acc.id === s.accountId);
      if (!account || account.state !== "ACTIVE") {
        throw new UserError(
          `Stage ${s.stage}: account ${s.accountId} (profile ${s.profile}) is ${account ? account.state : "not in the organization"}.`,
          "Leave it out with --stages, or fix the profile: org-bootstrap status shows the accounts.",
        );
      }
      return { stage: s.stage, accountId: s.accountId, accountName: account.name };
    });
    const observed = await observeCiAccounts(env, stages, a.roleName, o.remove, a.policyArn);
    plan = planCiGithub({ repo: a.repo, subjectFormat: a.subjectFormat, productionFrom: a.productionFrom, roleName: a.roleName, ...(a.policyArn ? { policyArn: a.policyArn } : {}), remove: o.remove, stages }, observed);
    spinner?.stop(`Read IAM in ${stages.length} stage account${stages.length === 1 ? "" : "s"}`);
  } catch (err) {
    spinner?.stop("Could not read IAM in the stage accounts", false);
    throw explainAwsError(err, "Reading IAM in the stage accounts");
  }
  for (const line of renderCiPlan(plan, out)) out.line(line);
  const workflow = await planWorkflow(a, o, plan);

  if (o.dryRun) {
    if (workflow) for (const l of renderFileChange(workflow, out)) out.line(l);
    out.line("Dry run: nothing was changed.");
    if (out.json) out.printJson({ dryRun: true, plan });
    return undefined;
  }
  if (ciPlanChangesAws(plan) && !o.yes) {
    const flags = o.remove ? " --remove" : "";
    if (!o.interactive) throw new UserError("No terminal to confirm on.", `Add --yes to apply the plan unattended (or --dry-run to only see it): org-bootstrap ci github --repo ${a.repo.owner}/${a.repo.name}${flags} --yes`);
    const question = o.remove ? `Remove ${plan.repo}'s deploy access?` : `Give ${plan.repo} its deploy roles?`;
    if (!(await o.prompter.confirm({ message: question }))) throw new CancelledError("Nothing was changed.");
  }

  const board = createProgressBoard(out);
  try {
    await applyCiPlan(plan, env, { signal: o.signal, onEvent: stepProgress(board) });
  } catch (err) {
    throw explainAwsError(err, "Setting up the deploy roles");
  } finally {
    board.close();
  }
  if (!ciPlanChangesAws(plan)) out.success(`AWS: ${plan.repo}'s deploy roles were already ${o.remove ? "gone" : "in place"}; nothing changed.`);
  const files = workflow ? await applyFiles({ ...o, force: false }, [workflow], async () => [workflow]) : [];

  const summary: CiGithubSummary = {
    repository: plan.repo,
    removed: o.remove,
    roles: plan.accounts.map((acc) => ({
      stage: acc.stage,
      accountId: acc.accountId,
      roleArn: acc.roleArn,
      status: acc.role,
      trusts: acc.subjects,
    })),
    changes: plan.steps.length,
    ...(files[0] ? { workflow: { path: files[0].path, status: files[0].status } } : {}),
  };
  out.line("");
  if (o.remove) {
    out.success(`${plan.repo} can no longer assume ${a.roleName} in ${plan.accounts.map((acc) => acc.stage).join(", ")}.`);
    out.line(`  A workflow that used the roles is left as it is: delete its deploy jobs (${DEFAULT_WORKFLOW}).`);
  } else {
    out.success(`${plan.repo} deploys with ${a.roleName}, no access keys:`);
    for (const acc of plan.accounts) out.line(`  ${acc.stage.padEnd(12)} ${acc.roleArn}${isProductionStage(acc.stage) ? `  (only from ${a.productionFrom.kind} ${a.productionFrom.name})` : ""}`);
    out.line("  Next: push the workflow, check a deploy, then delete the old AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY repository secrets and the IAM user's keys (docs/ci.md).");
  }
  if (out.json) out.printJson(summary);
  return summary;
}

export async function run(input: CommandInput): Promise<number> {
  const stages = stringFlag(input, "stages");
  const noWorkflow = Boolean(input.options["no-workflow"]);
  if (noWorkflow && stringFlag(input, "workflow") !== undefined) throw new UserError("--workflow and --no-workflow exclude each other.", "Keep one of them.");
  await ciGithub({
    ...dayTwoFlags(input),
    projectDir: projectDirFlag(input),
    repo: stringFlag(input, "repo") ?? "",
    ...(stages !== undefined ? { stages: stages.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
    productionFrom: stringFlag(input, "production-from") ?? "environment:production",
    policy: stringFlag(input, "policy"),
    roleName: stringFlag(input, "role-name"),
    subjectFormat: stringFlag(input, "subject-format"),
    ownerId: stringFlag(input, "owner-id"),
    repoId: stringFlag(input, "repo-id"),
    workflow: noWorkflow ? undefined : (stringFlag(input, "workflow") ?? DEFAULT_WORKFLOW),
    remove: Boolean(input.options.remove),
  });
  return 0;
}
