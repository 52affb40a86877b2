/**
 * `org-bootstrap guardrails`: the landing-zone baseline a small team can afford (docs/guardrails.md):
 * deny-leave (an SCP), centralized root access (IAM), a regions SCP, and a monthly cost budget per
 * stage. Answers → observe → plan → render → confirm → apply (through the step executor) →
 * summary. Every input is checked before the first AWS call; a re-run is a no-op; `--remove NAME`
 * detaches and deletes only what is ours (by name and tag). What someone else made is reported,
 * never touched.
 */
import { openBudgets } from "../aws/budgets.js";
import { openIam } from "../aws/iam.js";
import { explainAwsError } from "../aws/errors.js";
import { openOrganizationContext } from "../aws/organizationContext.js";
import type { AwsContext } from "../aws/clientConfig.js";
import { CancelledError, UserError } from "../errors.js";
import { loadOrgConfig, type OrgConfig } from "../local/orgConfig.js";
import {
  describeGuardrailStep,
  GUARDRAIL_NAMES,
  parseBudgetAmounts,
  parseGuardrailName,
  parseRegions,
  planGuardrailRemoval,
  planGuardrails,
  RECOMMENDED_GUARDRAILS,
  validateBudgetEmail,
  type GuardrailChoice,
  type GuardrailName,
  type GuardrailPlan,
  type GuardrailStep,
} from "../plan/guardrails.js";
import { GUARDRAIL_MEANINGS, renderGuardrailPlan } from "../ui/guardrailPlan.js";
import { createProgressBoard, stepProgress } from "../ui/progress.js";
import { wrap } from "../ui/text.js";
import { applyGuardrails, observeGuardrails, type GuardrailEnv, type RootAccessApi } from "../workflows/guardrails.js";
import { dayTwoFlags, stringFlag, type DayTwoOptions } from "./dayTwoFlags.js";
import { chooseManagementAccess } from "./managementAccess.js";
import type { CommandInput } from "./types.js";

/** The budget when none is given (`--yes`, `init --guardrails recommended`): USD per stage account and month. */
export const DEFAULT_BUDGET_USD = "100";

export interface GuardrailsOptions extends DayTwoOptions {
  denyLeave?: boolean;
  centralRoot?: boolean;
  /** `--regions LIST`, unparsed. */
  regions?: string;
  /** `--budget AMOUNT` or `STAGE=AMOUNT,...`, unparsed. */
  budget?: string;
  budgetEmail?: string;
  remove?: string;
  /** init's question answered "recommended": the recommended set with its defaults, no questions. */
  recommended?: boolean;
  /** Part of another command's run (init): that command prints the one JSON document. */
  embedded?: boolean;
  /** Opens IAM's organization root features for a context (default: the IAM adapter). */
  openRootAccess?: (ctx: AwsContext) => Promise<RootAccessApi>;
}

export interface GuardrailsSummary {
  removed?: GuardrailName;
  steps: { id: string; guardrail: GuardrailName; action: GuardrailStep["action"]; description: string }[];
  notes: string[];
  changed: boolean;
}

interface Selection {
  names: GuardrailName[];
  regions?: string[];
  budgetAmounts?: Record<string, string>;
  budgetEmail?: string;
}

const hasSelectionFlags = (o: GuardrailsOptions) => Boolean(o.denyLeave || o.centralRoot || o.regions !== undefined || o.budget !== undefined);

/** Every flag checked before any AWS call (exit 2 on bad input). */
function selectionFromFlags(o: GuardrailsOptions, stages: string[]): Selection {
  if (o.budgetEmail !== undefined && o.budget === undefined && !o.recommended && hasSelectionFlags(o)) {
    throw new UserError("--budget-email needs --budget.", "For example: --budget 100 --budget-email billing@acme.com");
  }
  const names: GuardrailName[] = [];
  if (o.denyLeave) names.push("deny-leave");
  if (o.centralRoot) names.push("central-root");
  const regions = o.regions !== undefined ? parseRegions(o.regions) : undefined;
  if (regions) names.push("regions");
  const budgetAmounts = o.budget !== undefined ? parseBudgetAmounts(o.budget, stages) : undefined;
  if (budgetAmounts) names.push("budget");
  const budgetEmail = o.budgetEmail !== undefined ? validateBudgetEmail(o.budgetEmail) : undefined;
  return { names, ...(regions ? { regions } : {}), ...(budgetAmounts ? { budgetAmounts } : {}), ...(budgetEmail ? { budgetEmail } : {}) };
}

/** No selection flags: a person picks (recommended preselected); unattended, the recommended set. */
async function askSelection(o: GuardrailsOptions, stages: string[], known: Selection): Promise<Selection> {
  if (o.recommended || !o.interactive || o.yes) {
    if (!o.recommended && !o.yes) {
      throw new UserError("No terminal to choose guardrails on.", `Name them (--deny-leave, --central-root, --regions LIST, --budget AMOUNT), or add --yes for the recommended set (${RECOMMENDED_GUARDRAILS.join(", ")}).`);
    }
    return { ...known, names: [...RECOMMENDED_GUARDRAILS], budgetAmounts: known.budgetAmounts ?? parseBudgetAmounts(DEFAULT_BUDGET_USD, stages) };
  }
  const names = await o.prompter.multiselect<GuardrailName>({
    message: "Which guardrails? (space to toggle)",
    choices: GUARDRAIL_NAMES.map((n) => ({ value: n, label: n, hint: GUARDRAIL_MEANINGS[n] })),
    initialValues: [...RECOMMENDED_GUARDRAILS],
  });
  const out: Selection = { ...known, names };
  if (names.includes("regions")) {
    const answer = await o.prompter.text({
      message: "Allowed regions (comma-separated; the Identity Center region is always allowed)",
      validate: (v) => {
        try {
          parseRegions(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    out.regions = parseRegions(answer);
  }
  if (names.includes("budget")) {
    const answer = await o.prompter.text({
      message: `Monthly budget in USD per stage account (one figure, or ${stages.map((s) => `${s}=…`).join(",") || "stage=amount"})`,
      initialValue: DEFAULT_BUDGET_USD,
      validate: (v) => {
        try {
          parseBudgetAmounts(v, stages);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    out.budgetAmounts = parseBudgetAmounts(answer, stages);
  }
  return out;
}

function changesAws(plan: GuardrailPlan): boolean {
  return plan.steps.some((s) => s.action === "create" || s.action === "update" || s.action === "remove");
}

function summaryOf(plan: GuardrailPlan, removed?: GuardrailName): GuardrailsSummary {
  return {
    ...(removed ? { removed } : {}),
    steps: plan.steps.map((s) => ({ id: s.id, guardrail: s.guardrail, action: s.action, description: describeGuardrailStep(s) })),
    notes: plan.notes,
    changed: changesAws(plan),
  };
}

export async function guardrails(o: GuardrailsOptions): Promise<GuardrailsSummary | undefined> {
  const { out } = o;
  const config: OrgConfig = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  const stages = config.profiles.map((p) => p.stage);
  // Answers first: every flag is checked before the first AWS call.
  const removal = o.remove !== undefined ? parseGuardrailName(o.remove) : undefined;
  if (removal && hasSelectionFlags(o)) throw new UserError("--remove takes no other guardrail flags.", `Run: org-bootstrap guardrails --remove ${removal}`);
  let selection = selectionFromFlags(o, stages);
  if (!removal && selection.names.length === 0) selection = await askSelection(o, stages, selection);
  if (!removal && selection.names.length === 0) throw new CancelledError("No guardrail chosen; nothing was changed.");

  const access = await chooseManagementAccess({ ...o, config });
  if (access.note) out.line(out.style("dim", access.note));
  const org = await openOrganizationContext(access.ctx, access.known);
  const wants = (n: GuardrailName) => removal === n || selection.names.includes(n);
  const env: GuardrailEnv = {
    organizations: org.organizations,
    budgets: await openBudgets(access.ctx),
    ...(wants("central-root") ? { rootAccess: await (o.openRootAccess ?? openIam)(access.ctx) } : {}),
    managementAccountId: org.organization.managementAccountId,
  };
  const spinner = out.json ? undefined : out.spinner("Reading the organization's guardrails");
  let observed;
  try {
    const accounts = await org.organizations.listAccounts();
    observed = await observeGuardrails(env, {
      orgName: config.orgName,
      featureSet: org.organization.featureSet,
      managementAccountId: org.organization.managementAccountId,
      identityCenterRegion: org.instance.region,
      accounts,
      stages: config.profiles.map((p) => ({ stage: p.stage, ...(p.accountId ? { accountId: p.accountId } : {}) })),
      read: { budgets: wants("budget"), centralRoot: wants("central-root") },
    });
    spinner?.stop("Read the organization's guardrails");
  } catch (err) {
    spinner?.stop("Could not read the organization's guardrails", false);
    throw explainAwsError(err, "Reading your organization's guardrails");
  }

  let choice: GuardrailChoice | undefined;
  if (!removal) {
    choice = {
      denyLeave: selection.names.includes("deny-leave"),
      centralRoot: selection.names.includes("central-root"),
      ...(selection.names.includes("regions") && selection.regions ? { regions: selection.regions } : {}),
      ...(selection.names.includes("budget")
        ? { budget: { amounts: selection.budgetAmounts ?? parseBudgetAmounts(DEFAULT_BUDGET_USD, stages), email: selection.budgetEmail ?? org.organization.managementAccountEmail } }
        : {}),
    };
  }
  const plan = removal ? planGuardrailRemoval(removal, observed) : planGuardrails(choice!, observed);
  for (const line of renderGuardrailPlan(plan, out)) out.line(line);

  const blocked = plan.steps.filter((s) => s.action === "blocked");
  if (blocked.length > 0) {
    throw new UserError(
      `${blocked.length === 1 ? "One step" : `${blocked.length} steps`} of this plan cannot be done; nothing was changed.\n  ${blocked.map((s) => `${describeGuardrailStep(s)}: ${s.why}`).join("\n  ")}`,
      "Fix what the plan says, then run again; or leave that guardrail out.",
    );
  }
  if (o.dryRun) {
    out.line("Dry run: nothing was changed.");
    if (out.json && !o.embedded) out.printJson({ dryRun: true, ...summaryOf(plan, removal) });
    return undefined;
  }
  if (!changesAws(plan)) {
    out.success(removal ? `Nothing of ${removal} to remove.` : "Every chosen guardrail is already in place; nothing changed.");
    const summary = summaryOf(plan, removal);
    if (out.json && !o.embedded) out.printJson(summary);
    return summary;
  }
  if (!o.yes) {
    if (!o.interactive) throw new UserError("No terminal to confirm on.", "Add --yes to apply the plan unattended (or --dry-run to only see it).");
    const question = removal ? `Remove the ${removal} guardrail?` : "Apply these guardrails?";
    if (!(await o.prompter.confirm({ message: question }))) throw new CancelledError("Nothing was changed.");
  }

  const board = createProgressBoard(out);
  try {
    await applyGuardrails(env, plan.steps, { signal: o.signal, onEvent: stepProgress(board) });
  } catch (err) {
    throw explainAwsError(err, removal ? `Removing the ${removal} guardrail` : "Applying the guardrails");
  } finally {
    board.close();
  }
  const summary = summaryOf(plan, removal);
  out.line("");
  out.success(removal ? `Removed what org-bootstrap had of ${removal}.` : "Guardrails in place. See them with org-bootstrap status; remove one with org-bootstrap guardrails --remove NAME.");
  if (out.json && !o.embedded) out.printJson(summary);
  return summary;
}

export function guardrailsFlags(input: CommandInput): Omit<GuardrailsOptions, keyof DayTwoOptions> {
  return {
    denyLeave: Boolean(input.options["deny-leave"]),
    centralRoot: Boolean(input.options["central-root"]),
    regions: stringFlag(input, "regions"),
    budget: stringFlag(input, "budget"),
    budgetEmail: stringFlag(input, "budget-email"),
    remove: stringFlag(input, "remove"),
  };
}

export async function run(input: CommandInput): Promise<number> {
  await guardrails({ ...dayTwoFlags(input), ...guardrailsFlags(input) });
  return 0;
}

// ---------- init's last question ----------

/** `init --guardrails recommended|none`, checked before init's first AWS call. */
export function parseGuardrailsFlag(value: string | undefined): "recommended" | "none" | undefined {
  if (value === undefined || value === "recommended" || value === "none") return value;
  throw new UserError(`--guardrails ${value} is not a choice.`, "Use --guardrails recommended or --guardrails none.");
}

export interface OfferGuardrailsOptions {
  choice?: "recommended" | "none";
  orgName: string;
  configFile: string;
  home: string;
  env: NodeJS.ProcessEnv;
  projectDir: string;
  out: DayTwoOptions["out"];
  signal: AbortSignal;
  yes: boolean;
  interactive: boolean;
  prompter: DayTwoOptions["prompter"];
  clients: DayTwoOptions["clients"];
}

/**
 * init's last question, "Add the recommended guardrails?": without the flag, a person is asked;
 * unattended (`--yes`, no terminal) the answer is none, so existing unattended runs do not change.
 * Yes applies the recommended set with its defaults (no second confirmation: that was the question).
 */
export async function offerGuardrails(o: OfferGuardrailsOptions): Promise<GuardrailsSummary | undefined> {
  let choice = o.choice;
  if (choice === undefined) {
    if (o.yes || !o.interactive) choice = "none";
    else {
      const yes = await o.prompter.confirm(
        { message: `Add the recommended guardrails? (member accounts cannot leave the organization, a ${DEFAULT_BUDGET_USD} USD monthly budget per stage; docs/guardrails.md)`, initialValue: false },
      );
      choice = yes ? "recommended" : "none";
    }
  }
  if (choice === "none") {
    o.out.line("");
    for (const line of wrap("Guardrails (deny-leave, central root access, regions, budgets) are one command away: org-bootstrap guardrails (docs/guardrails.md).", "  ", "  ")) o.out.line(line);
    return undefined;
  }
  o.out.line("");
  o.out.heading("Guardrails");
  const summary = await guardrails({
    orgName: o.orgName,
    configFile: o.configFile,
    home: o.home,
    env: o.env,
    cwd: o.projectDir,
    out: o.out,
    signal: o.signal,
    yes: true,
    dryRun: false,
    interactive: o.interactive,
    recommended: true,
    embedded: true,
    prompter: o.prompter,
    clients: o.clients,
  });
  return summary;
}
