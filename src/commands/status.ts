/**
 * `org-bootstrap status [--json]`: one screen about the organisation — its accounts, Identity
 * Center instance and start URL, permission sets, groups and users, who has what where — and the
 * local side: the session's profiles against the organisation (missing / stale) and each
 * sso-session's token expiry. Read-only. The start URL is the session's `sso_start_url` (no AWS
 * API reads a custom alias, docs/aws-facts.md, The access portal's start URL).
 */
import { openBudgets } from "../aws/budgets.js";
import { openIam } from "../aws/iam.js";
import { explainAwsError } from "../aws/errors.js";
import type { MemberAccount } from "../aws/organizations.js";
import type { GuardrailState } from "../plan/guardrails.js";
import { readGuardrailStates } from "../workflows/guardrails.js";
import { openOrganizationContext } from "../aws/organizationContext.js";
import { gatherOrganizationStatus, type StatusProgress } from "../workflows/organizationStatus.js";
import { loadOrgConfig } from "../local/orgConfig.js";
import { loadSsoConfig } from "../local/ssoSessions.js";
import { readCachedToken } from "../local/tokenCache.js";
import { accountsWithoutProfile, compareProfiles, sessionState, type StatusReport } from "../plan/statusReport.js";
import { renderStatus } from "../ui/statusView.js";
import { dayTwoFlags, type DayTwoOptions } from "./dayTwoFlags.js";
import { chooseManagementAccess } from "./managementAccess.js";
import { createClientProvider } from "../aws/clientProvider.js";
import type { AwsContext } from "../aws/clientConfig.js";
import type { OrgConfig } from "../local/orgConfig.js";
import type { StatusAccount } from "../plan/statusReport.js";
import { iamPerAccount, readDeployRoles } from "../workflows/ciGithub.js";
import type { CommandInput } from "./types.js";

export type StatusOptions = Pick<DayTwoOptions, "orgName" | "ssoSession" | "profile" | "configFile" | "home" | "env" | "cwd" | "out" | "signal" | "interactive" | "clients"> & { now?: number };

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** "Reading the organization: 40 accounts, 120 users, 35 assignments so far (7 of 40 assignment listings)". */
export function readingLine(p: StatusProgress): string {
  const listings = p.listings ? ` (${p.listings.done} of ${count(p.listings.total, "assignment listing")})` : "";
  return `Reading the organization: ${count(p.accounts, "account")}, ${count(p.users, "user")}, ${count(p.assignments, "assignment")} so far${listings}`;
}

/** The GitHub deploy roles in the config's active stage accounts (docs/ci.md), as OrganizationAccountAccessRole. */
async function readStageDeployRoles(ctx: AwsContext, config: OrgConfig, accounts: StatusAccount[], asRoot: boolean) {
  const stages = config.profiles.flatMap((p) => {
    const account = accounts.find((a) => a.id === p.accountId && a.state === "ACTIVE" && !a.management);
    return account ? [{ stage: p.stage, accountId: account.id, accountName: account.name }] : [];
  });
  // AWS refuses AssumeRole to the root user: say so once, rather than one refused call per account.
  if (asRoot) {
    const error = `the root user cannot assume a role in a member account (AWS's rule); run status with the management account's SSO profile to see them: org-bootstrap status --profile ${config.orgName}-management`;
    return stages.map((s) => ({ ...s, roles: [], error }));
  }
  return stages.length === 0 ? [] : readDeployRoles(iamPerAccount(createClientProvider(ctx)), stages);
}

export async function collectStatus(o: StatusOptions): Promise<StatusReport> {
  const now = o.now ?? Date.now();
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  const all = await loadSsoConfig(o.configFile);
  // Chosen (and signed in, if needed) before the spinner starts: a sign-in prints its URL.
  const access = await chooseManagementAccess({ ...o, config });
  if (access.note) o.out.line(o.out.style("dim", access.note));
  const spinner = o.out.json ? undefined : o.out.spinner("Reading the organization");
  let gathered;
  let org;
  let guardrails: GuardrailState[] | undefined;
  try {
    org = await openOrganizationContext(access.ctx, access.known);
    // On a terminal the line counts what has been read so far: a large organization takes many
    // pages and listings (docs/status.md). Elsewhere the spinner prints only its first and last line.
    gathered = await gatherOrganizationStatus(org, undefined, spinner ? (p) => spinner.update(readingLine(p)) : undefined);
    guardrails = await readGuardrailStates(
      { organizations: org.organizations, budgets: await openBudgets(access.ctx), rootAccess: await openIam(access.ctx), managementAccountId: org.organization.managementAccountId },
      {
        orgName: config.orgName,
        featureSet: org.organization.featureSet,
        managementAccountId: org.organization.managementAccountId,
        identityCenterRegion: org.instance.region,
        accounts: gathered.accounts.map((a) => ({ id: a.id, arn: "", name: a.name, email: a.email, state: a.state as MemberAccount["state"] })),
        stages: config.profiles.map((p) => ({ stage: p.stage, ...(p.accountId ? { accountId: p.accountId } : {}) })),
      },
      // Guardrails are part of the picture, not a reason for status to fail (a policy may deny these reads).
    ).catch(() => undefined);
    spinner?.stop(`Read ${count(gathered.accounts.length, "account")}, ${count(gathered.users.length, "user")}, ${count(gathered.groups.length, "group")}`);
  } catch (err) {
    spinner?.stop("Could not read the organization", false);
    throw explainAwsError(err, "Reading your organization");
  }
  const deployRoles = await readStageDeployRoles(access.ctx, config, gathered.accounts, org.caller.isRoot);
  const sessions = await Promise.all(
    [...all.sessions.values()].map(async (s) => {
      const token = await readCachedToken(o.home, s.name).catch(() => undefined);
      return { name: s.name, startUrl: s.startUrl, region: s.region, ...(token ? { expiresAt: token.expiresAt } : {}), state: sessionState(token?.expiresAt, now) };
    }),
  );
  return {
    organization: {
      id: org.organization.id,
      featureSet: org.organization.featureSet,
      managementAccountId: org.organization.managementAccountId,
      managementAccountEmail: org.organization.managementAccountEmail,
    },
    identityCenter: { instanceArn: org.instance.instanceArn, identityStoreId: org.instance.identityStoreId, region: org.instance.region, startUrl: config.session.startUrl },
    accounts: gathered.accounts,
    permissionSets: gathered.permissionSets,
    groups: gathered.groups,
    users: gathered.users,
    assignments: gathered.assignments,
    configFile: config.file,
    orgName: config.orgName,
    profiles: compareProfiles(config.sessionProfiles, gathered.accounts, gathered.permissionSets.map((p) => p.name)),
    accountsWithoutProfile: accountsWithoutProfile(config.orgName, gathered.accounts, config.sessionProfiles),
    sessions,
    assignmentListing: gathered.assignmentListing,
    ...(guardrails ? { guardrails } : {}),
    deployRoles,
  };
}

export async function run(input: CommandInput): Promise<number> {
  const report = await collectStatus(dayTwoFlags(input));
  if (input.out.json) input.out.printJson(report);
  else for (const line of renderStatus(report, input.out)) input.out.line(line);
  return 0;
}
