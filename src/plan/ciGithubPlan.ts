/**
 * `ci github`, planned: for each stage account, GitHub's IAM OIDC provider (found or created, one
 * per account, shared by every repository), one deploy role trusted through it and scoped per
 * stage, its managed policy, and — with `--remove` — taking the repository back out. Pure: the
 * command observes IAM in each account and hands the facts in; the plan says what exists, what
 * changes, and the steps that change it, each naming the steps it waits for
 * (docs/ci.md; docs/aws-facts.md, IAM and GitHub's OIDC tokens).
 *
 * Trust policy: one statement of ours (Sid `GitHubActionsDeploy`) allowing
 * sts:AssumeRoleWithWebIdentity from the provider with `aud = sts.amazonaws.com` and a `:sub`
 * StringLike list, one entry per repository and subject form: `repo:OWNER/NAME:*` (any ref) in
 * non-production stages; in production only `repo:OWNER/NAME:environment:NAME` or
 * `repo:OWNER/NAME:ref:refs/heads/BRANCH`. GitHub names cannot hold `*` or `?`, so an entry
 * without a wildcard matches exactly. Other repositories' entries and other statements are kept.
 */
import { UserError } from "../errors.js";

export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = "sts.amazonaws.com";
export const DEFAULT_DEPLOY_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";
export const DEPLOY_ROLE_MAX_SESSION_SECONDS = 3600;
export const TRUST_STATEMENT_SID = "GitHubActionsDeploy";
/** What marks a role (and a provider) as made by org-bootstrap: status and --remove look for it. */
export const CI_TAGS = { "org-bootstrap:managed-by": "org-bootstrap", "org-bootstrap:purpose": "github-deploy" } as const;
/**
 * The managed policy a deploy role was created for, as a tag on the role: a run that stopped
 * between CreateRole and AttachRolePolicy, re-run without its --policy, attaches this one and not
 * the default AdministratorAccess. IAM tag values are at most 256 characters of letters, digits,
 * spaces and `_.:/=+-@` (IAM User Guide, "Tagging IAM resources"): a longer ARN is not recorded.
 */
export const POLICY_TAG = "org-bootstrap:policy";
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
/** Stages whose role only the production environment (or branch) may assume. */
export const PRODUCTION_STAGES = ["production", "prod"];
/** IAM's default quota for a role's trust policy, whitespace not counted (docs/aws-facts.md, IAM). */
export const TRUST_POLICY_LIMIT = 2048;

export interface GithubRepo {
  owner: string;
  name: string;
  ownerId?: string;
  repoId?: string;
}

export type SubjectFormat = "legacy" | "immutable" | "both";
export interface ProductionFrom {
  kind: "environment" | "branch";
  name: string;
}

export interface CiStage {
  stage: string;
  accountId: string;
  accountName: string;
}

export interface CiGithubRequest {
  repo: GithubRepo;
  subjectFormat: SubjectFormat;
  productionFrom: ProductionFrom;
  roleName: string;
  /** `--policy`; undefined: a new role gets AdministratorAccess, an existing one keeps its policies. */
  policyArn?: string;
  remove: boolean;
  stages: CiStage[];
}

export interface ObservedCiAccount {
  accountId: string;
  /** GitHub's provider in the account, when there is one. */
  provider?: { arn: string; clientIds: string[]; ours: boolean };
  role?: { arn: string; trustPolicy: string; tags: Record<string, string>; attached: string[] };
  /** Other roles whose trust policy names GitHub's provider (read for --remove). */
  otherRolesUsingProvider?: string[];
  /** --policy names no policy this account can attach (IAM's GetPolicy answered NoSuchEntity). */
  policyMissing?: boolean;
}

interface StepBase {
  id: string;
  accountId: string;
  stage: string;
  needs: string[];
}
export type CiStep =
  | (StepBase & { kind: "provider.create"; url: string; clientIds: string[]; tags: Record<string, string> })
  | (StepBase & { kind: "provider.addClientId"; providerArn: string; clientId: string })
  | (StepBase & { kind: "role.create"; roleName: string; trustPolicy: string; tags: Record<string, string>; maxSessionDuration: number; description: string })
  | (StepBase & { kind: "role.updateTrust"; roleName: string; trustPolicy: string })
  | (StepBase & { kind: "role.attachPolicy"; roleName: string; policyArn: string })
  | (StepBase & { kind: "role.detachPolicy"; roleName: string; policyArn: string })
  | (StepBase & { kind: "role.delete"; roleName: string })
  | (StepBase & { kind: "provider.delete"; providerArn: string });
export type CiStepKind = CiStep["kind"];

export interface CiAccountPlan {
  stage: string;
  accountId: string;
  accountName: string;
  production: boolean;
  providerArn: string;
  provider: "create" | "exists" | "add-client-id" | "delete" | "keep" | "absent";
  /** Why a provider is kept on --remove. */
  providerNote?: string;
  roleArn: string;
  role: "create" | "update-trust" | "exists" | "delete" | "absent";
  /** This repository's subjects the role will trust (empty on --remove). */
  subjects: string[];
  added: string[];
  removed: string[];
  /** Other repositories the role trusts, kept as they are. */
  otherRepositories: string[];
  policies: { arn: string; status: "attach" | "attached" | "detach" }[];
}

export interface CiGithubPlan {
  repo: string;
  roleName: string;
  remove: boolean;
  accounts: CiAccountPlan[];
  steps: CiStep[];
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** `OWNER/NAME` with GitHub's allowed characters (owner: letters, digits, single inner hyphens, ≤ 39; name: letters, digits, `.`, `_`, `-`, ≤ 100). */
export function parseRepo(text: string, flag = "--repo"): GithubRepo {
  const [owner, name, ...extra] = text.split("/");
  if (extra.length > 0 || !owner || !name || !OWNER.test(owner) || !REPO_NAME.test(name) || name === "." || name === "..") {
    throw new UserError(
      `${flag} "${text}" is not a GitHub repository as OWNER/NAME.`,
      "Give it as GitHub shows it, e.g. --repo acme/app (owner: letters, digits and single hyphens, up to 39; name: letters, digits, '.', '_', '-', up to 100).",
    );
  }
  return { owner, name };
}

export function parseNumericId(text: string, flag: string): string {
  if (!/^[1-9]\d{0,19}$/.test(text)) throw new UserError(`${flag} "${text}" is not a GitHub numeric id.`, `Read it with: gh api repos/OWNER/NAME --jq '.owner.id, .id' (${flag}).`);
  return text;
}

/** `environment:NAME` or `branch:NAME`. */
export function parseProductionFrom(text: string): ProductionFrom {
  const m = /^(environment|branch):(.+)$/.exec(text);
  const name = m?.[2] ?? "";
  const badBranch = m?.[1] === "branch" && (/[\s~^:?*[\\]|\.\.|@\{|\/\/|^[-/]|\/$|\.lock$|\.$/.test(name) || name.length > 255);
  const badEnvironment = m?.[1] === "environment" && (/[*?,]/.test(name) || [...name].some((c) => c.charCodeAt(0) < 0x20) || name.length > 255 || name.trim() !== name);
  if (!m || badBranch || badEnvironment) {
    throw new UserError(
      `--production-from "${text}" is not environment:NAME or branch:NAME.`,
      "Use --production-from environment:production (jobs that name that GitHub environment) or --production-from branch:main.",
    );
  }
  return { kind: m[1] as ProductionFrom["kind"], name };
}

const POLICY_ARN = /^arn:aws[\w-]*:iam::(?:aws|\d{12}):policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

export function validatePolicyArn(text: string): string {
  if (!POLICY_ARN.test(text)) {
    throw new UserError(
      `--policy "${text}" is not an IAM managed policy ARN.`,
      "Give the policy's ARN, e.g. --policy arn:aws:iam::aws:policy/PowerUserAccess or arn:aws:iam::123456789012:policy/deploy.",
    );
  }
  return text;
}

export function validateRoleName(text: string): string {
  if (!/^[\w+=,.@-]{1,64}$/.test(text)) {
    throw new UserError(`--role-name "${text}" is not an IAM role name.`, "Use 1 to 64 letters, digits and + = , . @ _ - characters.");
  }
  return text;
}

export const defaultRoleName = (orgName: string) => `${orgName}-github-deploy`;
export const isProductionStage = (stage: string) => PRODUCTION_STAGES.includes(stage);
export const providerArnIn = (accountId: string) => `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
export const roleArnIn = (accountId: string, roleName: string) => `arn:aws:iam::${accountId}:role/${roleName}`;
export const isOurs = (tags: Record<string, string> | undefined) => tags?.["org-bootstrap:managed-by"] === CI_TAGS["org-bootstrap:managed-by"];

/** The `repo:…` prefixes a repository's tokens start with, in the forms asked for. */
export function subjectPrefixes(repo: GithubRepo, format: SubjectFormat): string[] {
  const legacy = `repo:${repo.owner}/${repo.name}`;
  if (format === "legacy") return [legacy];
  if (!repo.ownerId || !repo.repoId) throw new UserError(`--subject-format ${format} needs the repository's numeric ids.`, "Add --owner-id and --repo-id (gh api repos/OWNER/NAME --jq '.owner.id, .id').");
  const immutable = `repo:${repo.owner}@${repo.ownerId}/${repo.name}@${repo.repoId}`;
  return format === "immutable" ? [immutable] : [legacy, immutable];
}

/** What this repository's tokens must say to assume the stage's role. */
export function stageSubjects(repo: GithubRepo, format: SubjectFormat, production: boolean, from: ProductionFrom): string[] {
  const suffix = !production ? "*" : from.kind === "environment" ? `environment:${from.name}` : `ref:refs/heads/${from.name}`;
  return subjectPrefixes(repo, format).map((p) => `${p}:${suffix}`);
}

/** The repository a subject names (`acme/app`, ids dropped), or undefined for a subject not of that shape. */
export function repositoryOf(subject: string): string | undefined {
  const m = /^repo:([^/@:]+)(?:@\d+)?\/([^/@:]+)(?:@\d+)?:/.exec(subject);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Which jobs of the repository a subject lets in, in words: "any ref", "environment production", "branch main". */
export function describeSubject(subject: string): string {
  const rest = subject.replace(/^repo:[^:]+:/, "");
  if (rest === "*") return "any branch, tag, pull request or environment";
  if (rest.startsWith("environment:")) return `environment ${rest.slice("environment:".length)}`;
  if (rest.startsWith("ref:refs/heads/")) return `branch ${rest.slice("ref:refs/heads/".length)}`;
  if (rest.startsWith("ref:refs/tags/")) return `tag ${rest.slice("ref:refs/tags/".length)}`;
  return rest;
}

type Statement = Record<string, unknown> & { Sid?: string; Condition?: Record<string, Record<string, unknown>> };

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** Our statement's `:sub` entries and every other statement, from a role's trust policy. */
export function readTrustPolicy(text: string): { subjects: string[]; others: Statement[] } {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(text) as { Statement?: unknown };
  } catch {
    return { subjects: [], others: [] };
  }
  const raw = doc?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Statement[];
  const ours = statements.find((s) => s.Sid === TRUST_STATEMENT_SID);
  const subKey = `${GITHUB_OIDC_HOST}:sub`;
  const subjects = ours ? [...list(ours.Condition?.StringLike?.[subKey]), ...list(ours.Condition?.StringEquals?.[subKey])] : [];
  return { subjects, others: statements.filter((s) => s !== ours) };
}

/** The trust policy with our statement trusting `subjects` (sorted, so the same set gives the same bytes). */
export function trustPolicyDocument(providerArn: string, subjects: string[], others: Statement[] = []): string {
  const sorted = [...new Set(subjects)].sort();
  const ours = {
    Sid: TRUST_STATEMENT_SID,
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE },
      StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: sorted.length === 1 ? sorted[0] : sorted },
    },
  };
  return JSON.stringify({ Version: "2012-10-17", Statement: [ours, ...others] });
}

/** Two trust policies that say the same (whitespace and encoding aside). */
function sameDocument(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

function belongsTo(subject: string, repo: GithubRepo): boolean {
  const m = /^repo:([^/@:]+)(?:@(\d+))?\/([^/@:]+)(?:@(\d+))?:/.exec(subject);
  if (!m) return false;
  // GitHub's names are case-insensitive; an id, when both sides have one, must match.
  const sameName = m[1].toLowerCase() === repo.owner.toLowerCase() && m[3].toLowerCase() === repo.name.toLowerCase();
  const idsAgree = (!m[2] || !repo.ownerId || m[2] === repo.ownerId) && (!m[4] || !repo.repoId || m[4] === repo.repoId);
  return sameName && idsAgree;
}

/**
 * A customer-managed policy belongs to one account, and a role can only use its own account's
 * (or AWS's): `--policy arn:aws:iam::<dev>:policy/deploy` cannot serve production's role. Checked
 * before any call; the fix is one run per stage account, each with that account's policy.
 */
export function checkPolicyAccounts(policyArn: string | undefined, stages: { stage: string; accountId: string }[]): void {
  const owner = policyArn ? /^arn:aws[\w-]*:iam::(\d{12}):policy\//.exec(policyArn)?.[1] : undefined;
  const elsewhere = owner ? stages.filter((s) => s.accountId !== owner) : [];
  if (elsewhere.length === 0) return;
  const own = stages.find((s) => s.accountId === owner);
  throw new UserError(
    `--policy ${policyArn} is a policy of account ${owner}${own ? ` (${own.stage})` : ""}; the deploy role in ${elsewhere.map((s) => `${s.stage} (${s.accountId})`).join(", ")} can only use an AWS managed policy or one of its own account; nothing was changed.`,
    `Create the policy in each stage account, then run once per stage, e.g.: org-bootstrap ci github --repo OWNER/NAME --stages ${elsewhere[0].stage} --policy arn:aws:iam::${elsewhere[0].accountId}:policy/${policyArn!.split(":policy/")[1]}`,
  );
}

export function planCiGithub(request: CiGithubRequest, observed: ObservedCiAccount[]): CiGithubPlan {
  checkPolicyAccounts(request.remove ? undefined : request.policyArn, request.stages);
  const missing = request.remove ? [] : request.stages.filter((s) => observed.find((o) => o.accountId === s.accountId)?.policyMissing);
  if (missing.length > 0) {
    throw new UserError(
      `--policy ${request.policyArn}: IAM has no such policy in ${missing.map((s) => `${s.stage} (${s.accountId})`).join(", ")}; nothing was changed.`,
      "Check the ARN (aws iam get-policy --policy-arn ARN with that account's profile), or create the policy there first.",
    );
  }
  const repoText = `${request.repo.owner}/${request.repo.name}`;
  const steps: CiStep[] = [];
  const accounts = request.stages.map((s): CiAccountPlan => {
    const seen = observed.find((o) => o.accountId === s.accountId) ?? { accountId: s.accountId };
    const production = isProductionStage(s.stage);
    const providerArn = seen.provider?.arn ?? providerArnIn(s.accountId);
    const roleArn = seen.role?.arn ?? roleArnIn(s.accountId, request.roleName);
    const id = (what: string) => `${s.stage}:${what}`;
    const base = { accountId: s.accountId, stage: s.stage };
    if (seen.role && !isOurs(seen.role.tags)) {
      throw new UserError(
        `Account ${s.accountName} (${s.accountId}) already has a role ${request.roleName} that org-bootstrap did not make; nothing was changed.`,
        `Choose another name with --role-name, or remove that role yourself (docs/ci.md).`,
      );
    }
    const current = seen.role ? readTrustPolicy(seen.role.trustPolicy) : { subjects: [], others: [] };
    const mine = current.subjects.filter((sub) => belongsTo(sub, request.repo));
    const kept = current.subjects.filter((sub) => !belongsTo(sub, request.repo));
    const otherRepositories = [...new Set(kept.map((sub) => repositoryOf(sub) ?? sub))];
    const wanted = request.remove ? [] : stageSubjects(request.repo, request.subjectFormat, production, request.productionFrom);
    const added = wanted.filter((w) => !mine.includes(w));
    const removed = mine.filter((m) => !wanted.includes(m));
    const plan: CiAccountPlan = {
      stage: s.stage,
      accountId: s.accountId,
      accountName: s.accountName,
      production,
      providerArn,
      provider: seen.provider ? "exists" : "absent",
      roleArn,
      role: seen.role ? "exists" : "absent",
      subjects: wanted,
      added,
      removed,
      otherRepositories,
      policies: [],
    };

    if (request.remove) {
      if (!seen.role) {
        plan.provider = seen.provider ? "keep" : "absent";
        if (seen.provider) plan.providerNote = "no deploy role of ours here";
        return plan;
      }
      const attached = seen.role.attached;
      if (kept.length > 0) {
        // Other repositories still deploy with the role: only this repository's subjects go.
        if (removed.length > 0) {
          plan.role = "update-trust";
          steps.push({ ...base, id: id("role.updateTrust"), kind: "role.updateTrust", needs: [], roleName: request.roleName, trustPolicy: trustPolicyDocument(providerArn, kept, current.others) });
        }
        plan.policies = attached.map((arn) => ({ arn, status: "attached" as const }));
        plan.provider = seen.provider ? "keep" : "absent";
        if (seen.provider) plan.providerNote = `the role still trusts ${otherRepositories.join(", ")}`;
        return plan;
      }
      plan.role = "delete";
      plan.policies = attached.map((arn) => ({ arn, status: "detach" as const }));
      const detachIds = attached.map((arn) => {
        const stepId = id(`role.detachPolicy:${arn}`);
        steps.push({ ...base, id: stepId, kind: "role.detachPolicy", needs: [], roleName: request.roleName, policyArn: arn });
        return stepId;
      });
      steps.push({ ...base, id: id("role.delete"), kind: "role.delete", needs: detachIds, roleName: request.roleName });
      const users = seen.otherRolesUsingProvider ?? [];
      if (seen.provider && seen.provider.ours && users.length === 0) {
        plan.provider = "delete";
        steps.push({ ...base, id: id("provider.delete"), kind: "provider.delete", needs: [id("role.delete")], providerArn });
      } else if (seen.provider) {
        plan.provider = "keep";
        plan.providerNote = users.length > 0 ? `used by ${users.join(", ")}` : "it was there before org-bootstrap";
      }
      return plan;
    }

    const providerSteps: string[] = [];
    if (!seen.provider) {
      plan.provider = "create";
      steps.push({ ...base, id: id("provider.create"), kind: "provider.create", needs: [], url: GITHUB_OIDC_URL, clientIds: [STS_AUDIENCE], tags: { ...CI_TAGS } });
      providerSteps.push(id("provider.create"));
    } else if (!seen.provider.clientIds.includes(STS_AUDIENCE)) {
      plan.provider = "add-client-id";
      steps.push({ ...base, id: id("provider.addClientId"), kind: "provider.addClientId", needs: [], providerArn, clientId: STS_AUDIENCE });
      providerSteps.push(id("provider.addClientId"));
    }

    const trustPolicy = trustPolicyDocument(providerArn, [...kept, ...wanted], current.others);
    if (trustPolicy.replace(/\s/g, "").length > TRUST_POLICY_LIMIT) {
      throw new UserError(
        `The trust policy of ${request.roleName} in ${s.accountName} would be ${trustPolicy.length} characters, over IAM's default quota of ${TRUST_POLICY_LIMIT}; nothing was changed.`,
        "Raise the quota \"Role trust policy length\" in Service Quotas (IAM, up to 4,096), or give this repository its own role with --role-name.",
      );
    }
    const roleStep = id("role.create");
    if (!seen.role) {
      plan.role = "create";
      steps.push({
        ...base,
        id: roleStep,
        kind: "role.create",
        needs: providerSteps,
        roleName: request.roleName,
        trustPolicy,
        tags: { ...CI_TAGS, ...policyTag(request.policyArn ?? DEFAULT_DEPLOY_POLICY) },
        maxSessionDuration: DEPLOY_ROLE_MAX_SESSION_SECONDS,
        description: `GitHub Actions deploys to ${s.stage} (org-bootstrap ci github)`,
      });
    } else if (!sameDocument(trustPolicy, seen.role.trustPolicy)) {
      plan.role = "update-trust";
      steps.push({ ...base, id: id("role.updateTrust"), kind: "role.updateTrust", needs: providerSteps, roleName: request.roleName, trustPolicy });
    }

    const attached = seen.role?.attached ?? [];
    const desired = request.policyArn || attached.length === 0 ? [policyFor(request, seen.role?.tags)] : attached;
    const after = seen.role ? [] : [roleStep];
    for (const arn of desired) {
      if (attached.includes(arn)) {
        plan.policies.push({ arn, status: "attached" });
        continue;
      }
      plan.policies.push({ arn, status: "attach" });
      steps.push({ ...base, id: id(`role.attachPolicy:${arn}`), kind: "role.attachPolicy", needs: after, roleName: request.roleName, policyArn: arn });
    }
    for (const arn of attached.filter((a) => !desired.includes(a))) {
      plan.policies.push({ arn, status: "detach" });
      // The new policy first, so the role never has no rights mid-change.
      const attachIds = steps.filter((st) => st.stage === s.stage && st.kind === "role.attachPolicy").map((st) => st.id);
      steps.push({ ...base, id: id(`role.detachPolicy:${arn}`), kind: "role.detachPolicy", needs: attachIds, roleName: request.roleName, policyArn: arn });
    }
    return plan;
  });
  return { repo: repoText, roleName: request.roleName, remove: request.remove, accounts, steps };
}

/**
 * The policy a new role, or one with none attached, gets: --policy; else the one recorded when it
 * was created (a stopped run's role); else AdministratorAccess (docs/ci.md, "its managed policy").
 */
function policyFor(request: { policyArn?: string }, tags: Record<string, string> | undefined): string {
  if (request.policyArn) return request.policyArn;
  const recorded = tags?.[POLICY_TAG];
  return recorded && POLICY_ARN.test(recorded) ? recorded : DEFAULT_DEPLOY_POLICY;
}

const policyTag = (arn: string): Record<string, string> => (TAG_VALUE.test(arn) ? { [POLICY_TAG]: arn } : {});

export const ciPlanChangesAws = (plan: CiGithubPlan) => plan.steps.length > 0;

/** A deploy role `status` shows: a role whose trust policy names GitHub's provider, and the repositories it lets in. */
export interface DeployRoleView {
  name: string;
  arn: string;
  /** Made by `ci github` (its statement is in the trust policy). */
  ours: boolean;
  repositories: { repository: string; from: string[] }[];
}

/** The roles among `roles` that GitHub's provider may assume, with the repositories each trusts (status). */
export function deployRolesOf(roles: { name: string; arn: string; trustPolicy: string }[]): DeployRoleView[] {
  return roles.flatMap((r) => {
    const { subjects, others } = readTrustPolicy(r.trustPolicy);
    const subKey = `${GITHUB_OIDC_HOST}:sub`;
    const foreign = others.filter((s) => JSON.stringify(s.Principal ?? "").includes(`:oidc-provider/${GITHUB_OIDC_HOST}`));
    const all = [...subjects, ...foreign.flatMap((s) => Object.values(s.Condition ?? {}).flatMap((c) => list((c as Record<string, unknown>)[subKey])))];
    if (subjects.length === 0 && foreign.length === 0) return [];
    const byRepo = new Map<string, string[]>();
    for (const sub of all) {
      const repo = repositoryOf(sub) ?? sub;
      byRepo.set(repo, [...(byRepo.get(repo) ?? []), describeSubject(sub)]);
    }
    return [{ name: r.name, arn: r.arn, ours: subjects.length > 0, repositories: [...byRepo].map(([repository, from]) => ({ repository, from: [...new Set(from)] })) }];
  });
}
