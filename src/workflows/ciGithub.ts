/**
 * `ci github`'s observe and apply. Observe reads IAM in every stage account (as
 * OrganizationAccountAccessRole, through the client provider), all accounts at once; apply runs
 * the plan's steps through the step executor (docs/architecture.md, "The step executor"): one
 * step kind per IAM change, each finding its work already done on a retry and verifying after a
 * failed call, so a re-run or a run resumed after a crash converges.
 */
import type { ClientProvider } from "../aws/clientProvider.js";
import { openIam, type IamApi } from "../aws/iam.js";
import {
  deployRolesOf,
  GITHUB_OIDC_HOST,
  isOurs,
  providerArnIn,
  readTrustPolicy,
  type CiGithubPlan,
  type CiStage,
  type CiStep,
  type ObservedCiAccount,
} from "../plan/ciGithubPlan.js";
import type { StatusDeployRoles } from "../plan/statusReport.js";
import { runSteps, step, type StepEvent, type StepKind } from "./executor.js";

export interface CiEnv {
  iam(accountId: string): Promise<IamApi>;
}

/** One IAM client per account, opened on first use and shared by every step in that account. */
export function iamPerAccount(provider: ClientProvider): CiEnv {
  const open = new Map<string, Promise<IamApi>>();
  return {
    iam(accountId) {
      let api = open.get(accountId);
      if (!api) open.set(accountId, (api = openIam(provider.account(accountId))));
      return api;
    },
  };
}

/** Does this trust policy name the account's GitHub provider as a federated principal? */
function namesProvider(trustPolicy: string, providerArn: string): boolean {
  const { subjects, others } = readTrustPolicy(trustPolicy);
  if (subjects.length > 0) return true;
  return others.some((s) => JSON.stringify((s as { Principal?: unknown }).Principal ?? "").includes(providerArn));
}

/** IAM in each stage account: GitHub's provider, our role and its policies, and (for --remove) who else uses the provider. */
export async function observeCiAccounts(env: CiEnv, stages: CiStage[], roleName: string, remove: boolean, policyArn?: string): Promise<ObservedCiAccount[]> {
  return Promise.all(
    stages.map(async (s): Promise<ObservedCiAccount> => {
      const iam = await env.iam(s.accountId);
      const [providerArns, role] = await Promise.all([iam.listOpenIdConnectProviders(), iam.getRole(roleName)]);
      const providerArn = providerArns.find((arn) => arn.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`));
      const [provider, attached, roles, policyFound] = await Promise.all([
        providerArn ? iam.getOpenIdConnectProvider(providerArn) : undefined,
        role ? iam.listAttachedRolePolicies(roleName) : [],
        remove && providerArn ? iam.listRoles() : [],
        // Asked before any change, so a mistyped --policy stops the run before the role exists.
        policyArn && !remove ? iam.policyExists(policyArn) : true,
      ]);
      const arn = provider?.arn ?? providerArnIn(s.accountId);
      return {
        accountId: s.accountId,
        ...(provider ? { provider: { arn: provider.arn, clientIds: provider.clientIds, ours: isOurs(provider.tags) } } : {}),
        ...(role ? { role: { arn: role.arn, trustPolicy: role.trustPolicy, tags: role.tags ?? {}, attached } } : {}),
        ...(policyFound ? {} : { policyMissing: true }),
        ...(remove ? { otherRolesUsingProvider: roles.filter((r) => r.name.toLowerCase() !== roleName.toLowerCase() && namesProvider(r.trustPolicy, arn)).map((r) => r.name) } : {}),
      };
    }),
  );
}

type Of<K extends CiStep["kind"]> = Extract<CiStep, { kind: K }>;
const where = (s: CiStep) => `in ${s.stage} (${s.accountId})`;
/** IAM's control plane is one endpoint for every account: a few changes in flight at once. */
const IAM_POOL = { pool: "iam", concurrency: 4 } as const;

const providerCreate: StepKind<Of<"provider.create">, string, CiEnv> = {
  kind: "provider.create",
  ...IAM_POOL,
  describe: (s) => `GitHub's OIDC provider ${where(s)}`,
  async apply(s, ctx) {
    const arn = await (await ctx.env.iam(s.accountId)).createOpenIdConnectProvider({ url: s.url, clientIds: s.clientIds, tags: s.tags });
    ctx.report(`OIDC provider ${GITHUB_OIDC_HOST} ${where(s)}: created`);
    return arn;
  },
  async verify(s, ctx) {
    return (await (await ctx.env.iam(s.accountId)).listOpenIdConnectProviders()).find((arn) => arn.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`));
  },
};

const providerAddClientId: StepKind<Of<"provider.addClientId">, true, CiEnv> = {
  kind: "provider.addClientId",
  ...IAM_POOL,
  describe: (s) => `Audience ${s.clientId} on GitHub's OIDC provider ${where(s)}`,
  async apply(s, ctx) {
    await (await ctx.env.iam(s.accountId)).addClientIdToOpenIdConnectProvider(s.providerArn, s.clientId);
    ctx.report(`OIDC provider ${where(s)}: audience ${s.clientId} added`);
    return true;
  },
  async verify(s, ctx) {
    return (await (await ctx.env.iam(s.accountId)).getOpenIdConnectProvider(s.providerArn))?.clientIds.includes(s.clientId) ? true : undefined;
  },
};

const sameTrust = (a: string, b: string) => {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
};

const roleCreate: StepKind<Of<"role.create">, string, CiEnv> = {
  kind: "role.create",
  ...IAM_POOL,
  describe: (s) => `Role ${s.roleName} ${where(s)}`,
  async apply(s, ctx) {
    const role = await (await ctx.env.iam(s.accountId)).createRole({ name: s.roleName, trustPolicy: s.trustPolicy, description: s.description, maxSessionDuration: s.maxSessionDuration, tags: s.tags });
    // Found instead of created (the first call's answer was lost): it must be the one we meant.
    if (!sameTrust(role.trustPolicy, s.trustPolicy) || !isOurs(role.tags)) throw new Error(`Role ${s.roleName} ${where(s)} exists with another trust policy; run the command again to plan from what is there.`);
    ctx.report(`Role ${s.roleName} ${where(s)}: created`);
    return role.arn;
  },
  async verify(s, ctx) {
    const role = await (await ctx.env.iam(s.accountId)).getRole(s.roleName);
    return role && sameTrust(role.trustPolicy, s.trustPolicy) && isOurs(role.tags) ? role.arn : undefined;
  },
};

const roleUpdateTrust: StepKind<Of<"role.updateTrust">, true, CiEnv> = {
  kind: "role.updateTrust",
  ...IAM_POOL,
  describe: (s) => `Trust policy of ${s.roleName} ${where(s)}`,
  async apply(s, ctx) {
    await (await ctx.env.iam(s.accountId)).updateAssumeRolePolicy(s.roleName, s.trustPolicy);
    ctx.report(`Role ${s.roleName} ${where(s)}: trust policy updated`);
    return true;
  },
  async verify(s, ctx) {
    const role = await (await ctx.env.iam(s.accountId)).getRole(s.roleName);
    return role && sameTrust(role.trustPolicy, s.trustPolicy) ? true : undefined;
  },
};

const policyName = (arn: string) => arn.split("/").pop() ?? arn;

const roleAttachPolicy: StepKind<Of<"role.attachPolicy">, true, CiEnv> = {
  kind: "role.attachPolicy",
  ...IAM_POOL,
  describe: (s) => `${policyName(s.policyArn)} on ${s.roleName} ${where(s)}`,
  async apply(s, ctx) {
    await (await ctx.env.iam(s.accountId)).attachRolePolicy(s.roleName, s.policyArn);
    ctx.report(`Role ${s.roleName} ${where(s)}: ${policyName(s.policyArn)} attached`);
    return true;
  },
  async verify(s, ctx) {
    return (await (await ctx.env.iam(s.accountId)).listAttachedRolePolicies(s.roleName)).includes(s.policyArn) ? true : undefined;
  },
};

const roleDetachPolicy: StepKind<Of<"role.detachPolicy">, true, CiEnv> = {
  kind: "role.detachPolicy",
  ...IAM_POOL,
  describe: (s) => `${policyName(s.policyArn)} off ${s.roleName} ${where(s)}`,
  async apply(s, ctx) {
    await (await ctx.env.iam(s.accountId)).detachRolePolicy(s.roleName, s.policyArn);
    ctx.report(`Role ${s.roleName} ${where(s)}: ${policyName(s.policyArn)} detached`);
    return true;
  },
  async verify(s, ctx) {
    return (await (await ctx.env.iam(s.accountId)).listAttachedRolePolicies(s.roleName)).includes(s.policyArn) ? undefined : true;
  },
};

const roleDelete: StepKind<Of<"role.delete">, true, CiEnv> = {
  kind: "role.delete",
  ...IAM_POOL,
  describe: (s) => `Role ${s.roleName} ${where(s)}`,
  async apply(s, ctx) {
    await (await ctx.env.iam(s.accountId)).deleteRole(s.roleName);
    ctx.report(`Role ${s.roleName} ${where(s)}: deleted`);
    return true;
  },
  async verify(s, ctx) {
    return (await (await ctx.env.iam(s.accountId)).getRole(s.roleName)) ? undefined : true;
  },
};

const providerDelete: StepKind<Of<"provider.delete">, true, CiEnv> = {
  kind: "provider.delete",
  ...IAM_POOL,
  describe: (s) => `GitHub's OIDC provider ${where(s)}`,
  async apply(s, ctx) {
    await (await ctx.env.iam(s.accountId)).deleteOpenIdConnectProvider(s.providerArn);
    ctx.report(`OIDC provider ${GITHUB_OIDC_HOST} ${where(s)}: deleted`);
    return true;
  },
  async verify(s, ctx) {
    return (await (await ctx.env.iam(s.accountId)).getOpenIdConnectProvider(s.providerArn)) ? undefined : true;
  },
};

/** Every kind `ci github` uses: the registry the executor is given. */
export const ciStepKinds = [providerCreate, providerAddClientId, roleCreate, roleUpdateTrust, roleAttachPolicy, roleDetachPolicy, roleDelete, providerDelete] as const;
const kindOf = new Map<string, StepKind<any, unknown, CiEnv>>(ciStepKinds.map((k) => [k.kind, k]));

/** The one line a plan step is shown with (the same words as its progress). */
export function describeCiStep(s: CiStep): string {
  return kindOf.get(s.kind)!.describe(s);
}

export async function applyCiPlan(plan: CiGithubPlan, env: CiEnv, options: { signal?: AbortSignal; onEvent?(event: StepEvent): void } = {}): Promise<void> {
  if (plan.steps.length === 0) return;
  await runSteps({
    kinds: ciStepKinds,
    steps: plan.steps.map((s) => step(kindOf.get(s.kind)!, s.id, s, { needs: s.needs })),
    env,
    ...options,
  });
}

/**
 * For status: in each stage account, the roles GitHub's provider may assume and the repositories
 * they trust (one ListRoles, paged; ListRoles carries trust policies). An account that cannot be
 * read (the root user may not assume roles, an invited account has no access role) says why
 * instead of failing the whole status.
 */
export async function readDeployRoles(env: CiEnv, stages: CiStage[]): Promise<StatusDeployRoles[]> {
  return Promise.all(
    stages.map(async (s): Promise<StatusDeployRoles> => {
      try {
        const roles = await (await env.iam(s.accountId)).listRoles();
        return { ...s, roles: deployRolesOf(roles) };
      } catch (err) {
        return { ...s, roles: [], error: String((err as Error)?.message ?? err).split("\n")[0] };
      }
    }),
  );
}
