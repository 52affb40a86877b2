/**
 * The GitHub Actions workflow `ci github` writes when the repository has none
 * (`.github/workflows/deploy.yml`), from `templates/github-deploy.yml` and its job template: a
 * job per stage that trades the job's OIDC token for the stage's deploy role
 * (`aws-actions/configure-aws-credentials`, `permissions: id-token: write`) and runs
 * `npx sst deploy --stage <stage>`; non-production stages deploy on push, production after them,
 * from the production environment (or only on the production branch). Pure string → string: the
 * templates come in as text. An existing workflow is never edited: `deployStepsSnippet` is what
 * to paste into it (docs/ci.md).
 */
import type { PackageManager } from "./packageJson.js";

export interface WorkflowStage {
  stage: string;
  roleArn: string;
  production: boolean;
}

export interface WorkflowInput {
  stages: WorkflowStage[];
  region: string;
  /** How production is reached: the GitHub environment its job names, or the only branch it deploys from. */
  productionFrom: { kind: "environment" | "branch"; name: string };
  packageManager: PackageManager;
}

export interface WorkflowTemplates {
  workflow: string;
  job: string;
}

export function installCommand(pm: PackageManager): string {
  switch (pm) {
    case "pnpm":
      return "corepack enable && pnpm install --frozen-lockfile";
    case "yarn":
      return "corepack enable && yarn install --frozen-lockfile";
    case "bun":
      return "npx bun install --frozen-lockfile";
    default:
      return "npm ci";
  }
}

/** The branch pushes deploy from: production's branch, else `main`. */
const pushBranch = (input: WorkflowInput) => (input.productionFrom.kind === "branch" ? input.productionFrom.name : "main");

/** YAML scalar: plain when it is safe to be, else double-quoted. */
function scalar(value: string): string {
  return /^[A-Za-z0-9_./@+-][A-Za-z0-9_./@+:-]*$/.test(value) && !/:\s|:$/.test(value) ? value : JSON.stringify(value);
}

export function renderDeployWorkflow(templates: WorkflowTemplates, input: WorkflowInput): string {
  const others = input.stages.filter((s) => !s.production);
  const jobs = input.stages.map((s) => {
    const needs = s.production && others.length > 0 ? `    needs: [${others.map((o) => `deploy-${o.stage}`).join(", ")}]` : "";
    const environment = s.production && input.productionFrom.kind === "environment" ? `    environment: ${scalar(input.productionFrom.name)}` : "";
    const condition = s.production && input.productionFrom.kind === "branch" ? `    if: github.ref == ${scalar(`refs/heads/${input.productionFrom.name}`)}` : "";
    return templates.job
      .replace("__NEEDS__\n", needs ? `${needs}\n` : "")
      .replace("__ENVIRONMENT__\n", environment ? `${environment}\n` : "")
      .replace("__CONDITION__\n", condition ? `${condition}\n` : "")
      .replaceAll("__STAGE__", s.stage)
      .replace("__ROLE_ARN__", s.roleArn)
      .replace("__REGION__", input.region)
      .replace("__INSTALL__", installCommand(input.packageManager))
      .trimEnd();
  });
  const production = input.stages.find((s) => s.production);
  const summary = [
    others.length > 0 ? `${others.map((s) => s.stage).join(", ")} from any branch of this repository` : "",
    production ? `${production.stage} only from ${input.productionFrom.kind === "environment" ? `the ${input.productionFrom.name} environment` : `branch ${input.productionFrom.name}`}` : "",
  ].filter(Boolean);
  return templates.workflow
    .replace("__TRUST_SUMMARY__", summary.join("; "))
    .replace("__BRANCH__", scalar(pushBranch(input)))
    .replace("__JOBS__\n", `${jobs.join("\n\n")}\n`);
}

/** What to paste into an existing workflow: the permission and, per stage, the credentials step. */
export function deployStepsSnippet(input: WorkflowInput): string {
  const lines = [
    "# At the top level (or the deploy job), so the job can ask GitHub for its OIDC token:",
    "permissions:",
    "  id-token: write",
    "  contents: read",
    "",
  ];
  for (const s of input.stages) {
    const where = s.production
      ? input.productionFrom.kind === "environment"
        ? `in the job with environment: ${input.productionFrom.name}`
        : `in a job that runs only on branch ${input.productionFrom.name}`
      : "in its deploy job";
    lines.push(
      `# Stage ${s.stage}, ${where}, before \`npx sst deploy --stage ${s.stage}\`:`,
      "- uses: aws-actions/configure-aws-credentials@v4",
      "  with:",
      `    role-to-assume: ${s.roleArn}`,
      `    aws-region: ${input.region}`,
      "",
    );
  }
  lines.push("# Then delete the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY repository secrets (docs/ci.md).");
  return lines.join("\n");
}
