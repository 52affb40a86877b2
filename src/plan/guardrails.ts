/**
 * The guardrails planner (docs/guardrails.md): from the guardrails chosen and what AWS shows, the
 * steps to take, each create / exists / update, or blocked with the reason. Pure: no I/O.
 *
 * What is ours is known by name and tag: a policy or budget named as we name them AND tagged
 * `managed-by=org-bootstrap`. Anything else — another team's SCP on the root, a policy that only
 * shares our name — is reported, never changed. AWS behaviour relied on: docs/aws-facts.md,
 * "Guardrails: service control policies", "AWS Budgets" and "centralized root access".
 */
import { UserError } from "../errors.js";
import { emailProblem } from "./desired.js";

export const GUARDRAIL_NAMES = ["deny-leave", "central-root", "regions", "budget"] as const;
export type GuardrailName = (typeof GUARDRAIL_NAMES)[number];
/** The wizard's preselection and `init --guardrails recommended`. */
export const RECOMMENDED_GUARDRAILS: readonly GuardrailName[] = ["deny-leave", "central-root", "budget"];

export const OWNER_TAG = { key: "managed-by", value: "org-bootstrap" } as const;
export const DENY_LEAVE_POLICY = "org-bootstrap-deny-leave";
export const REGIONS_POLICY = "org-bootstrap-regions";
export const IAM_SERVICE_PRINCIPAL = "iam.amazonaws.com";
export const ROOT_FEATURES = ["RootCredentialsManagement", "RootSessions"] as const;
export type RootFeature = (typeof ROOT_FEATURES)[number];
/** At most 5 SCPs on a root, OU or account (Organizations quotas). */
export const MAX_SCPS_PER_TARGET = 5;
/** The alerts of every budget: 80 % of actual spend, 100 % of forecasted spend. */
export const BUDGET_ALERTS = [
  { kind: "ACTUAL", thresholdPercent: 80 },
  { kind: "FORECASTED", thresholdPercent: 100 },
] as const;

export const budgetNameFor = (stage: string) => `org-bootstrap-${stage}`;

/**
 * The actions the regions SCP never denies: the global services, whose endpoints are in
 * us-east-1 whatever region a team works in. The list of AWS's example "Deny access to AWS based
 * on the requested AWS Region" (Organizations user guide, general SCP examples; as published in
 * aws-samples/service-control-policy-examples, Region-controls/
 * Deny-access-to-AWS-based-on-the-requested-AWS-region.json), without its privileged-role exemption.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
 */
export const GLOBAL_SERVICE_ACTIONS = [
  "a4b:*", "acm:*", "aws-marketplace-management:*", "aws-marketplace:*", "aws-portal:*", "budgets:*", "ce:*",
  "chime:*", "cloudfront:*", "config:*", "cur:*", "directconnect:*", "ec2:DescribeRegions",
  "ec2:DescribeTransitGateways", "ec2:DescribeVpnGateways", "fms:*", "globalaccelerator:*", "health:*", "iam:*",
  "importexport:*", "kms:*", "mobileanalytics:*", "networkmanager:*", "organizations:*", "pricing:*", "route53:*",
  "route53domains:*", "route53-recovery-cluster:*", "route53-recovery-control-config:*",
  "route53-recovery-readiness:*", "s3:GetAccountPublic*", "s3:ListAllMyBuckets", "s3:ListMultiRegionAccessPoints",
  "s3:PutAccountPublic*", "shield:*", "sts:*", "support:*", "trustedadvisor:*", "waf-regional:*", "waf:*", "wafv2:*",
  "wellarchitected:*",
] as const;

/** The commercial partition's regions (botocore's endpoints.json, partition `aws`, botocore 1.43). */
export const AWS_REGIONS = [
  "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
  "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
  "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1",
  "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
  "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
] as const;

export function denyLeaveContent(): string {
  return JSON.stringify(
    { Version: "2012-10-17", Statement: [{ Sid: "DenyLeaveOrganization", Effect: "Deny", Action: ["organizations:LeaveOrganization"], Resource: "*" }] },
    null,
    2,
  );
}

export function regionsContent(regions: readonly string[]): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyOutsideAllowedRegions",
          Effect: "Deny",
          NotAction: GLOBAL_SERVICE_ACTIONS,
          Resource: "*",
          Condition: { StringNotEquals: { "aws:RequestedRegion": [...regions] } },
        },
      ],
    },
    null,
    2,
  );
}

const DESCRIPTIONS = {
  [DENY_LEAVE_POLICY]: "org-bootstrap: member accounts cannot leave the organization",
  [REGIONS_POLICY]: "org-bootstrap: no work outside the allowed regions (global services exempt)",
} as const;

// ---------- answers ----------

export interface BudgetChoice {
  /** Stage → monthly amount in USD, as decimal text ("50", "12.5"). */
  amounts: Record<string, string>;
  email: string;
}

export interface GuardrailChoice {
  denyLeave: boolean;
  centralRoot: boolean;
  /** Allowed regions (the Identity Center region is added by the planner). */
  regions?: string[];
  budget?: BudgetChoice;
}

/** `--regions eu-west-1,eu-central-1`: known regions of the commercial partition, no repeats. */
export function parseRegions(value: string): string[] {
  const list = [...new Set(value.split(",").map((r) => r.trim()).filter(Boolean))];
  if (list.length === 0) throw new UserError("--regions needs at least one region.", "For example: --regions eu-west-1,eu-central-1");
  const unknown = list.filter((r) => !(AWS_REGIONS as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new UserError(`Unknown AWS region${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}.`, `Use region codes such as eu-west-1 or us-east-2 (--regions). Known: ${AWS_REGIONS.join(", ")}.`);
  }
  return list;
}

const AMOUNT = /^(\d{1,9})(\.\d{1,2})?$/;

function parseAmount(text: string, what: string): string {
  const t = text.trim();
  if (!AMOUNT.test(t) || Number(t) <= 0) {
    throw new UserError(`${what} "${text}" is not a budget amount.`, "Give a positive number of US dollars a month, such as 50 or 12.50 (--budget 50, or --budget dev=50,production=500).");
  }
  // AWS keeps the amount as text; "50.00" and "50" are the same budget.
  return String(Number(t));
}

/** `--budget 100` (every stage) or `--budget dev=50,production=500` (those stages). */
export function parseBudgetAmounts(value: string, stages: readonly string[]): Record<string, string> {
  if (!value.includes("=")) {
    const amount = parseAmount(value, "The budget");
    return Object.fromEntries(stages.map((s) => [s, amount]));
  }
  const out: Record<string, string> = {};
  for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [stage, amount, ...rest] = part.split("=");
    if (rest.length > 0 || amount === undefined) throw new UserError(`"${part}" is not STAGE=AMOUNT.`, "For example: --budget dev=50,production=500");
    if (!stages.includes(stage)) {
      throw new UserError(`There is no stage "${stage}" in this organization.`, `Stages with an account: ${stages.join(", ") || "none"} (--budget).`);
    }
    out[stage] = parseAmount(amount, `The budget for ${stage}`);
  }
  return out;
}

export function validateBudgetEmail(value: string): string {
  const v = value.trim();
  const problem = emailProblem(v);
  if (problem) throw new UserError(`"${value}" is not a usable email address: ${problem}.`, "Give the address budget alerts go to, such as billing@acme.com (--budget-email).");
  return v;
}

/** `--remove NAME`: one of the guardrails. */
export function parseGuardrailName(value: string): GuardrailName {
  if (!(GUARDRAIL_NAMES as readonly string[]).includes(value)) {
    throw new UserError(`There is no guardrail "${value}".`, `Guardrails: ${GUARDRAIL_NAMES.join(", ")} (--remove).`);
  }
  return value as GuardrailName;
}

// ---------- what AWS shows ----------

export interface ObservedPolicy {
  id: string;
  name: string;
  content: string;
  description: string;
  tags: Record<string, string>;
  awsManaged: boolean;
  /** Roots and accounts it is attached to. */
  targets: string[];
}

export interface ObservedBudgetAlert {
  kind: "ACTUAL" | "FORECASTED";
  thresholdPercent: number;
  emails: string[];
}

export interface ObservedBudget {
  name: string;
  amount: string;
  linkedAccountId?: string;
  alerts: ObservedBudgetAlert[];
  tags: Record<string, string>;
}

export interface GuardrailObserved {
  featureSet: "ALL" | "CONSOLIDATED_BILLING";
  rootId: string;
  /** SERVICE_CONTROL_POLICY on the root; undefined when not enabled. */
  scpStatus?: "ENABLED" | "PENDING_ENABLE" | "PENDING_DISABLE";
  /** Every SCP of the organization, FullAWSAccess included. */
  policies: ObservedPolicy[];
  managementAccountId: string;
  identityCenterRegion: string;
  /** The stage accounts (`<org>-<stage>`) that exist and are active. */
  stages: { stage: string; accountId: string }[];
  /** The management account's budgets. */
  budgets: ObservedBudget[];
  /** Organizations' trusted access for IAM, and IAM's organization root features (undefined: not read). */
  centralRoot?: { trustedAccess: boolean; features: RootFeature[] };
}

// ---------- the plan ----------

export type StepAction = "create" | "exists" | "update" | "remove" | "blocked";

interface StepBase {
  /** Unique in a plan; dependencies name these. */
  id: string;
  guardrail: GuardrailName;
  action: StepAction;
  dependsOn: string[];
  /** Why it is blocked, or what an update changes. */
  why?: string;
}

export type GuardrailStep =
  | (StepBase & { kind: "enable-scps"; rootId: string })
  | (StepBase & { kind: "policy"; name: string; content: string; description: string; policyId?: string })
  | (StepBase & { kind: "attach"; name: string; rootId: string; policyId?: string })
  | (StepBase & { kind: "detach"; name: string; policyId: string; targetId: string })
  | (StepBase & { kind: "delete-policy"; name: string; policyId: string })
  | (StepBase & { kind: "trusted-access"; servicePrincipal: string })
  | (StepBase & { kind: "root-feature"; feature: RootFeature; enable: boolean })
  | (StepBase & { kind: "budget"; stage: string; name: string; accountId: string; amount: string; alerts: ObservedBudgetAlert[]; before?: ObservedBudget })
  | (StepBase & { kind: "delete-budget"; stage: string; name: string });

export interface GuardrailPlan {
  steps: GuardrailStep[];
  /** Things we saw and leave alone (another team's SCPs on the root), in the user's words. */
  notes: string[];
  /** The regions the regions SCP allows, when chosen (the Identity Center region included). */
  regions?: string[];
}

export const isOurs = (tags: Record<string, string>) => tags[OWNER_TAG.key] === OWNER_TAG.value;
const FULL_AWS_ACCESS = "p-FullAWSAccess";

/** Same JSON document, whatever its spacing. */
function sameDocument(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

function policyNames(observed: GuardrailObserved, ids: string[]): string {
  return ids.map((id) => observed.policies.find((p) => p.id === id)?.name ?? id).join(", ");
}

function planScp(observed: GuardrailObserved, guardrail: GuardrailName, name: typeof DENY_LEAVE_POLICY | typeof REGIONS_POLICY, content: string, slots: { free: number }): GuardrailStep[] {
  const description = DESCRIPTIONS[name];
  const existing = observed.policies.find((p) => p.name === name && !p.awsManaged);
  const policyStep = `policy:${name}`;
  if (existing && !isOurs(existing.tags)) {
    return [
      {
        id: policyStep,
        kind: "policy",
        guardrail,
        action: "blocked",
        dependsOn: [],
        name,
        content,
        description,
        policyId: existing.id,
        why: `a policy named ${name} (${existing.id}) exists without the ${OWNER_TAG.key}=${OWNER_TAG.value} tag, so it is not ours to change: rename it, or tag it ${OWNER_TAG.key}=${OWNER_TAG.value} if it is`,
      },
    ];
  }
  const steps: GuardrailStep[] = [];
  const scpStep = "enable-scps";
  if (!existing) steps.push({ id: policyStep, kind: "policy", guardrail, action: "create", dependsOn: [], name, content, description });
  else if (!sameDocument(existing.content, content) || existing.description !== description) {
    steps.push({ id: policyStep, kind: "policy", guardrail, action: "update", dependsOn: [], name, content, description, policyId: existing.id, why: "its content differs from what this run wants" });
  } else steps.push({ id: policyStep, kind: "policy", guardrail, action: "exists", dependsOn: [], name, content, description, policyId: existing.id });
  const attached = existing?.targets.includes(observed.rootId) ?? false;
  const attach: GuardrailStep = { id: `attach:${name}`, kind: "attach", guardrail, action: "exists", dependsOn: [scpStep, policyStep], name, rootId: observed.rootId, policyId: existing?.id };
  if (!attached) {
    if (slots.free <= 0) {
      const onRoot = observed.policies.filter((p) => p.targets.includes(observed.rootId)).map((p) => p.id);
      attach.action = "blocked";
      attach.why = `the root already has ${MAX_SCPS_PER_TARGET} service control policies, AWS's maximum (${policyNames(observed, onRoot)}): detach one you no longer need, or merge two into one, then run again (FullAWSAccess must stay)`;
    } else {
      attach.action = "create";
      slots.free -= 1;
    }
  }
  steps.push(attach);
  return steps;
}

function alertsFor(email: string): ObservedBudgetAlert[] {
  return BUDGET_ALERTS.map((a) => ({ ...a, emails: [email] }));
}

function sameAlerts(a: ObservedBudgetAlert[], b: ObservedBudgetAlert[]): boolean {
  const key = (x: ObservedBudgetAlert) => `${x.kind} ${x.thresholdPercent} ${[...x.emails].map((e) => e.toLowerCase()).sort().join(",")}`;
  return JSON.stringify(a.map(key).sort()) === JSON.stringify(b.map(key).sort());
}

function planBudgets(observed: GuardrailObserved, choice: BudgetChoice, notes: string[]): GuardrailStep[] {
  const steps: GuardrailStep[] = [];
  for (const [stage, amount] of Object.entries(choice.amounts)) {
    const account = observed.stages.find((s) => s.stage === stage);
    if (!account) {
      notes.push(`No budget for ${stage}: its account does not exist yet (org-bootstrap add-account ${stage}).`);
      continue;
    }
    const name = budgetNameFor(stage);
    const alerts = alertsFor(choice.email);
    const before = observed.budgets.find((b) => b.name === name);
    const base = { id: `budget:${stage}`, kind: "budget" as const, guardrail: "budget" as const, dependsOn: [], stage, name, accountId: account.accountId, amount, alerts };
    if (!before) {
      steps.push({ ...base, action: "create" });
      continue;
    }
    if (!isOurs(before.tags)) {
      steps.push({ ...base, action: "blocked", before, why: `a budget named ${name} exists without the ${OWNER_TAG.key}=${OWNER_TAG.value} tag, so it is not ours to change: rename it in the Billing console, or delete it` });
      continue;
    }
    const changes: string[] = [];
    if (Number(before.amount) !== Number(amount)) changes.push(`amount ${before.amount} → ${amount} USD`);
    if (before.linkedAccountId !== account.accountId) changes.push(`filtered to account ${account.accountId}`);
    if (!sameAlerts(before.alerts, alerts)) changes.push(`alerts to ${choice.email} at 80 % actual and 100 % forecast`);
    steps.push({ ...base, before, action: changes.length > 0 ? "update" : "exists", ...(changes.length > 0 ? { why: changes.join("; ") } : {}) });
  }
  return steps;
}

function planCentralRoot(observed: GuardrailObserved): GuardrailStep[] {
  const seen = observed.centralRoot ?? { trustedAccess: false, features: [] };
  const steps: GuardrailStep[] = [
    { id: "trusted-access:iam", kind: "trusted-access", guardrail: "central-root", action: seen.trustedAccess ? "exists" : "create", dependsOn: [], servicePrincipal: IAM_SERVICE_PRINCIPAL },
  ];
  for (const feature of ROOT_FEATURES) {
    steps.push({ id: `root-feature:${feature}`, kind: "root-feature", guardrail: "central-root", action: seen.features.includes(feature) ? "exists" : "create", dependsOn: ["trusted-access:iam"], feature, enable: true });
  }
  return steps;
}

/** Another team's SCPs on the root: reported, never touched. */
function foreignNotes(observed: GuardrailObserved): string[] {
  const ours = new Set([DENY_LEAVE_POLICY, REGIONS_POLICY]);
  return observed.policies
    .filter((p) => p.targets.includes(observed.rootId) && p.id !== FULL_AWS_ACCESS && !(ours.has(p.name) && isOurs(p.tags)))
    .map((p) => `The SCP ${p.name} (${p.id}) on the root is not org-bootstrap's: left as it is.`);
}

export function planGuardrails(choice: GuardrailChoice, observed: GuardrailObserved): GuardrailPlan {
  const notes = foreignNotes(observed);
  const steps: GuardrailStep[] = [];
  const wantsScps = choice.denyLeave || choice.regions !== undefined;
  if (wantsScps && observed.featureSet !== "ALL") {
    throw new UserError("Service control policies need an organization with all features; this one has consolidated billing only.", "Enable all features in the Organizations console (Settings), then run again.");
  }
  let regions: string[] | undefined;
  if (wantsScps) {
    const enabled = observed.scpStatus === "ENABLED" || observed.scpStatus === "PENDING_ENABLE";
    steps.push({ id: "enable-scps", kind: "enable-scps", guardrail: choice.denyLeave ? "deny-leave" : "regions", action: enabled ? "exists" : "create", dependsOn: [], rootId: observed.rootId });
    // Enabling SCPs puts FullAWSAccess on the root: it takes one of the five places.
    const onRoot = enabled ? observed.policies.filter((p) => p.targets.includes(observed.rootId)).length : 1;
    const slots = { free: MAX_SCPS_PER_TARGET - onRoot };
    if (choice.denyLeave) steps.push(...planScp(observed, "deny-leave", DENY_LEAVE_POLICY, denyLeaveContent(), slots));
    if (choice.regions) {
      regions = [...new Set([observed.identityCenterRegion, ...choice.regions])];
      steps.push(...planScp(observed, "regions", REGIONS_POLICY, regionsContent(regions), slots));
    }
  }
  if (choice.centralRoot) steps.push(...planCentralRoot(observed));
  if (choice.budget) steps.push(...planBudgets(observed, choice.budget, notes));
  return { steps, notes, ...(regions ? { regions } : {}) };
}

/** `--remove NAME`: detach and delete only what is ours (by name and tag). */
export function planGuardrailRemoval(name: GuardrailName, observed: GuardrailObserved): GuardrailPlan {
  const notes: string[] = [];
  const steps: GuardrailStep[] = [];
  if (name === "deny-leave" || name === "regions") {
    const policyName = name === "deny-leave" ? DENY_LEAVE_POLICY : REGIONS_POLICY;
    const policy = observed.policies.find((p) => p.name === policyName && !p.awsManaged);
    if (policy && !isOurs(policy.tags)) notes.push(`The policy ${policyName} (${policy.id}) is not org-bootstrap's (no ${OWNER_TAG.key}=${OWNER_TAG.value} tag): left as it is.`);
    else if (policy) {
      for (const target of policy.targets) {
        steps.push({ id: `detach:${policyName}:${target}`, kind: "detach", guardrail: name, action: "remove", dependsOn: [], name: policyName, policyId: policy.id, targetId: target });
      }
      steps.push({ id: `delete:${policyName}`, kind: "delete-policy", guardrail: name, action: "remove", dependsOn: policy.targets.map((t) => `detach:${policyName}:${t}`), name: policyName, policyId: policy.id });
    }
  } else if (name === "budget") {
    for (const b of observed.budgets) {
      if (!b.name.startsWith("org-bootstrap-")) continue;
      if (!isOurs(b.tags)) {
        notes.push(`The budget ${b.name} is not org-bootstrap's (no ${OWNER_TAG.key}=${OWNER_TAG.value} tag): left as it is.`);
        continue;
      }
      const stage = b.name.slice("org-bootstrap-".length);
      steps.push({ id: `delete-budget:${stage}`, kind: "delete-budget", guardrail: "budget", action: "remove", dependsOn: [], stage, name: b.name });
    }
  } else {
    // Root sessions first, then credentials management; trusted access for IAM stays (other IAM features may use it).
    const features = observed.centralRoot?.features ?? [];
    const order: RootFeature[] = ["RootSessions", "RootCredentialsManagement"];
    let previous: string | undefined;
    for (const feature of order.filter((f) => features.includes(f))) {
      const id = `disable:${feature}`;
      steps.push({ id, kind: "root-feature", guardrail: "central-root", action: "remove", dependsOn: previous ? [previous] : [], feature, enable: false });
      previous = id;
    }
    if (observed.centralRoot?.trustedAccess) notes.push("Trusted access for IAM stays enabled in Organizations; turn it off there if nothing else uses it.");
  }
  if (steps.length === 0) notes.push(`Nothing of org-bootstrap's ${name} guardrail is in place: nothing to remove.`);
  return { steps, notes };
}

/** What `status` says about each guardrail: in place, partly, or not set up. */
export interface GuardrailState {
  name: GuardrailName;
  state: "in place" | "partly" | "not set up";
  detail: string;
}

export function guardrailStates(observed: GuardrailObserved): GuardrailState[] {
  const scp = (name: GuardrailName, policyName: string): GuardrailState => {
    const policy = observed.policies.find((p) => p.name === policyName && isOurs(p.tags));
    if (!policy) return { name, state: "not set up", detail: "" };
    if (observed.scpStatus === "ENABLED" && policy.targets.includes(observed.rootId)) return { name, state: "in place", detail: `${policyName} on the root` };
    return { name, state: "partly", detail: `${policyName} exists but is not attached to the root` };
  };
  const root = observed.centralRoot;
  const features = root?.features ?? [];
  const central: GuardrailState =
    root === undefined
      ? { name: "central-root", state: "not set up", detail: "not read" }
      : features.length === ROOT_FEATURES.length
        ? { name: "central-root", state: "in place", detail: "root credentials management and root sessions" }
        : features.length > 0 || root.trustedAccess
          ? { name: "central-root", state: "partly", detail: features.length > 0 ? `only ${features.join(", ")}` : "trusted access for IAM only" }
          : { name: "central-root", state: "not set up", detail: "" };
  const budgets = observed.budgets.filter((b) => b.name.startsWith("org-bootstrap-") && isOurs(b.tags));
  const covered = observed.stages.filter((s) => budgets.some((b) => b.name === budgetNameFor(s.stage)));
  const budget: GuardrailState =
    budgets.length === 0
      ? { name: "budget", state: "not set up", detail: "" }
      : {
          name: "budget",
          state: covered.length === observed.stages.length ? "in place" : "partly",
          detail: budgets.map((b) => `${b.name.slice("org-bootstrap-".length)} ${b.amount} USD`).join(", "),
        };
  return [scp("deny-leave", DENY_LEAVE_POLICY), central, scp("regions", REGIONS_POLICY), budget];
}

const FEATURE_WORDS: Record<RootFeature, string> = {
  RootCredentialsManagement: "root credentials management (member accounts' root passwords and keys can be removed from the management account)",
  RootSessions: "root sessions (root-only tasks in a member account run from the management account)",
};

/** One line per step: the plan, the progress and the tests read the same words. */
export function describeGuardrailStep(s: GuardrailStep): string {
  switch (s.kind) {
    case "enable-scps":
      return `Service control policies enabled on the root (${s.rootId}); AWS attaches FullAWSAccess everywhere`;
    case "policy":
      return `SCP ${s.name}${s.policyId ? ` (${s.policyId})` : ""}`;
    case "attach":
      return `SCP ${s.name} attached to the root (${s.rootId})`;
    case "detach":
      return `SCP ${s.name} detached from ${s.targetId}`;
    case "delete-policy":
      return `SCP ${s.name} (${s.policyId}) deleted`;
    case "trusted-access":
      return `Trusted access for IAM in Organizations (${s.servicePrincipal})`;
    case "root-feature":
      return `${s.enable ? "" : "Disable "}${FEATURE_WORDS[s.feature]}`;
    case "budget":
      return `Budget ${s.name}: ${s.amount} USD a month for ${s.stage} (account ${s.accountId}), e-mail at 80 % actual and 100 % forecast to ${[...new Set(s.alerts.flatMap((a) => a.emails))].join(", ")}`;
    case "delete-budget":
      return `Budget ${s.name} deleted`;
  }
}

