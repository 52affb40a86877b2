/**
 * The guardrails capability (docs/guardrails.md): observe what the organization has (its root's
 * policy types, its SCPs with their content, tags and targets, the management account's budgets,
 * IAM's organization root features) as plain data for the pure planner
 * (src/plan/guardrails.ts), and apply the plan's steps as step kinds run by the executor
 * (src/workflows/executor.ts): one AWS change per step, find-or-create inside `apply`, `verify`
 * after a failed apply (a dropped connection after AWS acted), so a re-run or a crash resumes.
 */
import type { BudgetsApi } from "../aws/budgets.js";
import { isAwsError } from "../aws/errors.js";
import type { MemberAccount, OrganizationsApi } from "../aws/organizations.js";
import { OperationError } from "../errors.js";
import {
  describeGuardrailStep,
  guardrailStates,
  isOurs,
  OWNER_TAG,
  type GuardrailObserved,
  type GuardrailState,
  type GuardrailStep,
  type ObservedBudget,
  type ObservedPolicy,
  type RootFeature,
} from "../plan/guardrails.js";
import { runSteps, step, type RunOutcome, type Step, type StepEvent, type StepKind } from "./executor.js";

/** IAM's organization root features (centralized root access), as the IAM adapter offers them. */
export interface RootAccessApi {
  listOrganizationsFeatures(): Promise<string[]>;
  enableOrganizationsFeature(feature: RootFeature): Promise<void>;
  disableOrganizationsFeature(feature: RootFeature): Promise<void>;
}

export interface GuardrailEnv {
  organizations: OrganizationsApi;
  budgets: BudgetsApi;
  /** Absent until the IAM adapter is available to the command. */
  rootAccess?: RootAccessApi;
  managementAccountId: string;
}

export interface ObserveGuardrailsInput {
  orgName: string;
  featureSet: "ALL" | "CONSOLIDATED_BILLING";
  managementAccountId: string;
  identityCenterRegion: string;
  accounts: MemberAccount[];
  /** The stages of the config (`[profile <org>-<stage>]`), with the account id the profile names. */
  stages: { stage: string; accountId?: string }[];
  /** What to read: budgets and IAM's features cost calls a run without them does not need. */
  read: { budgets: boolean; centralRoot: boolean };
}

const SCP = "SERVICE_CONTROL_POLICY" as const;

/** The stage accounts that exist and are active: by the profile's account id, else by name. */
export function stageAccounts(orgName: string, stages: ObserveGuardrailsInput["stages"], accounts: MemberAccount[]): { stage: string; accountId: string }[] {
  return stages.flatMap(({ stage, accountId }) => {
    const account =
      accounts.find((a) => a.id === accountId && a.state === "ACTIVE") ?? accounts.find((a) => a.name === `${orgName}-${stage}` && a.state === "ACTIVE");
    return account ? [{ stage, accountId: account.id }] : [];
  });
}

export async function observeGuardrails(env: GuardrailEnv, input: ObserveGuardrailsInput): Promise<GuardrailObserved> {
  const { organizations } = env;
  const rootTask = organizations.describeRoot();
  const policiesTask = organizations.listPolicies(SCP);
  const budgetsTask = input.read.budgets ? env.budgets.listCostBudgets(input.managementAccountId) : Promise.resolve([]);
  // IAM answers ListOrganizationsFeatures with ServiceAccessNotEnabledException until trusted
  // access for IAM is on: ask it only then (status reads this on every run).
  const rootAccess = env.rootAccess;
  const centralTask =
    input.read.centralRoot && rootAccess
      ? organizations.listServiceAccess().then(async (services) => [services, services.includes("iam.amazonaws.com") ? await rootAccess.listOrganizationsFeatures() : []] as const)
      : Promise.resolve(undefined);
  const root = await rootTask;
  const scp = root.policyTypes.find((t) => t.type === SCP);
  const [policies, onRoot] = await Promise.all([policiesTask, scp ? organizations.listPoliciesForTarget(root.id, SCP) : Promise.resolve([])]);
  const rootIds = new Set(onRoot.map((p) => p.id));
  // Our policies' every target (for --remove); the others only need to be known on the root.
  const observedPolicies: ObservedPolicy[] = await Promise.all(
    policies.map(async (p) => {
      const ours = p.name.startsWith("org-bootstrap-") && isOurs(p.tags);
      const targets = ours && scp ? (await organizations.listTargetsForPolicy(p.id)).map((t) => t.id) : rootIds.has(p.id) ? [root.id] : [];
      return { id: p.id, name: p.name, content: p.content, description: p.description, tags: p.tags, awsManaged: p.awsManaged, targets };
    }),
  );
  const [budgets, central] = await Promise.all([budgetsTask, centralTask]);
  return {
    featureSet: input.featureSet,
    rootId: root.id,
    ...(scp ? { scpStatus: scp.status } : {}),
    policies: observedPolicies,
    managementAccountId: input.managementAccountId,
    identityCenterRegion: input.identityCenterRegion,
    stages: stageAccounts(input.orgName, input.stages, input.accounts),
    budgets: budgets.map((b): ObservedBudget => ({ name: b.name, amount: b.amount, ...(b.linkedAccountId ? { linkedAccountId: b.linkedAccountId } : {}), alerts: b.alerts, tags: b.tags })),
    ...(central
      ? {
          centralRoot: {
            trustedAccess: central[0].includes("iam.amazonaws.com"),
            features: central[1].filter((f): f is RootFeature => f === "RootCredentialsManagement" || f === "RootSessions"),
          },
        }
      : {}),
  };
}

/** status: which guardrails are in place, read as the command reads them. */
export async function readGuardrailStates(env: GuardrailEnv, input: Omit<ObserveGuardrailsInput, "read">): Promise<GuardrailState[]> {
  return guardrailStates(await observeGuardrails(env, { ...input, read: { budgets: true, centralRoot: env.rootAccess !== undefined } }));
}

// ---------- step kinds ----------

type Of<K extends GuardrailStep["kind"]> = Extract<GuardrailStep, { kind: K }>;

const scpEnableKind: StepKind<Of<"enable-scps">, true, GuardrailEnv> = {
  kind: "enable-scps",
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    ctx.status("Enabling service control policies on the root");
    await ctx.env.organizations.enablePolicyType(s.rootId, SCP);
    await ctx.env.organizations.waitForPolicyType(s.rootId, SCP, { signal: ctx.signal });
    ctx.status(undefined);
    ctx.report("Service control policies: enabled on the root");
    return true;
  },
  async verify(s, ctx) {
    const root = await ctx.env.organizations.describeRoot();
    return root.policyTypes.some((t) => t.type === SCP && t.status === "ENABLED") ? true : undefined;
  },
};

/** Our policy of that name (name and tag), or undefined. */
async function findOurPolicy(env: GuardrailEnv, name: string): Promise<string | undefined> {
  const found = (await env.organizations.listPolicies(SCP)).find((p) => p.name === name && isOurs(p.tags));
  return found?.id;
}

const policyKind: StepKind<Of<"policy">, string, GuardrailEnv> = {
  kind: "policy",
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    if (s.action === "update" && s.policyId) {
      await ctx.env.organizations.updatePolicy(s.policyId, { content: s.content, description: s.description });
      ctx.report(`SCP ${s.name}: updated`);
      return s.policyId;
    }
    try {
      const created = await ctx.env.organizations.createPolicy({ name: s.name, description: s.description, content: s.content, type: SCP, tags: { [OWNER_TAG.key]: OWNER_TAG.value } });
      ctx.report(`SCP ${s.name}: created (${created.id})`);
      return created.id;
    } catch (err) {
      // Our own earlier call landed (a dropped connection, a run at the same time): adopt ours only.
      if (!isAwsError(err, "DuplicatePolicyException")) throw err;
      const id = await findOurPolicy(ctx.env, s.name);
      if (!id) throw err;
      ctx.report(`SCP ${s.name}: found (${id})`);
      return id;
    }
  },
  verify: (s, ctx) => findOurPolicy(ctx.env, s.name),
};

const attachKind: StepKind<Of<"attach">, true, GuardrailEnv> = {
  kind: "attach",
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    const policyId = s.policyId ?? ctx.result<string>(`policy:${s.name}`);
    // A root filled up since the plan: the errors table explains MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED.
    await ctx.env.organizations.attachPolicy(policyId, s.rootId);
    ctx.report(`SCP ${s.name}: attached to the root`);
    return true;
  },
  async verify(s, ctx) {
    const policyId = s.policyId ?? ctx.result<string>(`policy:${s.name}`);
    const attached = await ctx.env.organizations.listPoliciesForTarget(s.rootId, SCP);
    return attached.some((p) => p.id === policyId) ? true : undefined;
  },
};

const detachKind: StepKind<Of<"detach">, true, GuardrailEnv> = {
  kind: "detach",
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    await ctx.env.organizations.detachPolicy(s.policyId, s.targetId);
    ctx.report(`SCP ${s.name}: detached from ${s.targetId}`);
    return true;
  },
};

const deletePolicyKind: StepKind<Of<"delete-policy">, true, GuardrailEnv> = {
  kind: "delete-policy",
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    await ctx.env.organizations.deletePolicy(s.policyId);
    ctx.report(`SCP ${s.name}: deleted`);
    return true;
  },
};

const trustedAccessKind: StepKind<Of<"trusted-access">, true, GuardrailEnv> = {
  kind: "trusted-access",
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    await ctx.env.organizations.enableServiceAccess(s.servicePrincipal);
    ctx.report("Trusted access for IAM: enabled");
    return true;
  },
};

function rootAccessOf(env: GuardrailEnv): RootAccessApi {
  if (!env.rootAccess) throw new OperationError("Centralized root access needs IAM, which this build cannot reach.", "Report this with --verbose output.");
  return env.rootAccess;
}

const rootFeatureKind: StepKind<Of<"root-feature">, true, GuardrailEnv> = {
  kind: "root-feature",
  // IAM's organization features change one at a time.
  concurrency: 1,
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    const iam = rootAccessOf(ctx.env);
    if (s.enable) await iam.enableOrganizationsFeature(s.feature);
    else await iam.disableOrganizationsFeature(s.feature);
    ctx.report(`${s.feature}: ${s.enable ? "enabled" : "disabled"}`);
    return true;
  },
  async verify(s, ctx) {
    const features = await rootAccessOf(ctx.env).listOrganizationsFeatures();
    return features.includes(s.feature) === s.enable ? true : undefined;
  },
};

const budgetKind: StepKind<Of<"budget">, true, GuardrailEnv> = {
  kind: "budget",
  concurrency: 4,
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    const { budgets, managementAccountId } = ctx.env;
    const spec = { name: s.name, amount: s.amount, linkedAccountId: s.accountId, alerts: s.alerts, tags: { [OWNER_TAG.key]: OWNER_TAG.value } };
    if (s.action === "create" && (await budgets.createCostBudget(managementAccountId, spec))) {
      ctx.report(`Budget ${s.name}: created (${s.amount} USD a month)`);
      return true;
    }
    // An update, or a create that found the budget made already (our own call, retried): make it what we want.
    const before = s.before ?? (await budgets.listCostBudgets(managementAccountId)).find((b) => b.name === s.name);
    if (before && !isOurs(before.tags)) throw new OperationError(`A budget named ${s.name} appeared that org-bootstrap did not make; it was left alone.`, "Rename or delete it in the Billing console, then run again.");
    await budgets.updateCostBudget(managementAccountId, spec);
    await budgets.replaceAlerts(managementAccountId, s.name, before?.alerts ?? [], s.alerts);
    ctx.report(`Budget ${s.name}: ${s.action === "create" ? "found and" : ""} updated (${s.amount} USD a month)`);
    return true;
  },
};

const deleteBudgetKind: StepKind<Of<"delete-budget">, true, GuardrailEnv> = {
  kind: "delete-budget",
  describe: describeGuardrailStep,
  async apply(s, ctx) {
    await ctx.env.budgets.deleteBudget(ctx.env.managementAccountId, s.name);
    ctx.report(`Budget ${s.name}: deleted`);
    return true;
  },
};

export const guardrailKinds = [scpEnableKind, policyKind, attachKind, detachKind, deletePolicyKind, trustedAccessKind, rootFeatureKind, budgetKind, deleteBudgetKind] as const;

const KIND_OF: Record<GuardrailStep["kind"], StepKind<any, unknown, GuardrailEnv>> = Object.fromEntries(guardrailKinds.map((k) => [k.kind, k])) as never;

/** The plan's steps as executor steps: `exists` steps are found (no call), blocked ones are not run. */
export function guardrailExecutorSteps(steps: GuardrailStep[]): Step[] {
  const runnable = steps.filter((s) => s.action !== "blocked");
  const ids = new Set(runnable.map((s) => s.id));
  return runnable.map((s) => {
    const found = s.action === "exists" ? ("policyId" in s && s.policyId ? s.policyId : true) : undefined;
    return step(KIND_OF[s.kind], s.id, s, { needs: s.dependsOn.filter((d) => ids.has(d)), ...(found !== undefined ? { found } : {}) });
  });
}

export function applyGuardrails(env: GuardrailEnv, steps: GuardrailStep[], options: { signal?: AbortSignal; onEvent?: (e: StepEvent) => void }): Promise<RunOutcome> {
  return runSteps({ kinds: guardrailKinds, steps: guardrailExecutorSteps(steps), env, signal: options.signal, onEvent: options.onEvent });
}
