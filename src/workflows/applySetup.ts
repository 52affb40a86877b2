/**
 * Applies an `init` plan to AWS through the step executor (docs/architecture.md, "The step
 * executor"). The steps and what they need:
 *
 *   organization ─┬─ account:<stage> (paced, ≤ 5 in progress) ───────────────┬─ assignment:<target>
 *                 └─ identity-center ─┬─ permission-set:<name> ───────────────┤  (≤ 10 outstanding)
 *                                     ├─ group ─┬─ membership                 │
 *                                     └─ user ──┘                             │
 *                                        group ───────────────────────────────┘
 *
 * so account creation runs alongside the Identity Center chain, and each account's assignment
 * starts as soon as that account exists (the management account's once the group and the set
 * do). Steps planned as "exists" are found, making no call, so a re-run on a finished setup
 * changes nothing and an interrupted run is finished by running again with nothing created twice.
 * Nothing here prints: progress goes to the caller's `onEvent`.
 */
import { OperationError } from "../errors.js";
import { MANAGEMENT_TARGET, resolvePendingEmails, stepsOf, type InitPlan } from "../plan/initPlan.js";
import { isPendingEmail } from "../plan/desired.js";
import type { AwsContext } from "../aws/clientConfig.js";
import { explainAwsError } from "../aws/errors.js";
import { openIdentityStore } from "../aws/identityStore.js";
import type { OrganizationInfo, OrganizationsApi } from "../aws/organizations.js";
import { openSsoAdmin, type IdentityCenterInstance } from "../aws/ssoAdmin.js";
import { runSteps, step, type Step, type StepEvent } from "./executor.js";
import { accountKind, type AccountOutcome } from "./steps/accounts.js";
import { assignmentKind, assignmentNeeds, type AssignmentInput } from "./steps/assignments.js";
import { fromStep, IDENTITY_CENTER, known, type IdentityCenter } from "./steps/common.js";
import {
  groupKind,
  identityCenterKind,
  membershipKind,
  permissionSetKind,
  userKind,
  type GroupOutcome,
  type PermissionSetOutcome,
  type UserOutcome,
} from "./steps/identityCenter.js";
import { organizationKind } from "./steps/organization.js";

export type Found = "created" | "found";

export interface SetupResult {
  organizationId: string;
  managementAccountId: string;
  instanceArn: string;
  identityStoreId: string;
  ssoRegion: string;
  accounts: { stage: string; id: string; name: string; email: string; status: Found }[];
  permissionSets: { name: string; arn: string; sessionDuration: string; status: "created" | "exists" | "updated" }[];
  group: { displayName: string; groupId: string; status: "created" | "exists" };
  user: { userName: string; userId: string; email: string; status: "created" | "exists" };
  membership: { status: "created" | "exists" };
  assignments: { target: string; accountId: string; permissionSet: string; principalType: "GROUP"; principal: string; status: "created" | "exists" }[];
}

export interface ApplyHooks {
  /** The instance is not enabled yet: have the person enable it, resolve when it is ACTIVE. */
  waitForIdentityCenter(region: string, signal: AbortSignal): Promise<IdentityCenterInstance>;
  /** Progress: the executor's events (the command passes `stepProgress(board)`). */
  onEvent(event: StepEvent): void;
  signal?: AbortSignal;
  /** Overrides for waits (tests and the sandbox use shorter ones). */
  accountTimeoutMs?: number;
  /** The clock for elapsed times (tests inject one). */
  now?: () => number;
}

export interface ApplyOptions {
  ctx: AwsContext;
  plan: InitPlan;
  organizations: OrganizationsApi;
  hooks: ApplyHooks;
}

const ORGANIZATION = "organization";
const GROUP = "group";
const USER = "user";
const accountId = (stage: string) => `account:${stage}`;
const permissionSetId = (name: string) => `permission-set:${name}`;

export async function applyInitPlan({ ctx, plan, organizations, hooks }: ApplyOptions): Promise<SetupResult> {
  const desired = plan.desired;
  const orgStep = stepsOf(plan, "organization")[0];
  const icStep = stepsOf(plan, "identity-center")[0];
  const groupStep = stepsOf(plan, "group")[0];
  const userStep = stepsOf(plan, "user")[0];
  const membershipStep = stepsOf(plan, "membership")[0];
  const accounts = accountKind({ explainAs: "Creating the member accounts", ...(hooks.now ? { now: hooks.now } : {}), ...(hooks.accountTimeoutMs ? { timeoutMs: hooks.accountTimeoutMs } : {}) });
  const assignments = assignmentKind();
  const identityCenter = identityCenterKind({
    waitForIdentityCenter: hooks.waitForIdentityCenter,
    open: async (instance) => {
      const regional = { ...ctx, region: instance.region };
      const [ssoAdmin, identityStore] = await Promise.all([openSsoAdmin(regional), openIdentityStore(regional, instance.identityStoreId)]);
      return { ssoAdmin, identityStore };
    },
  });

  const orgFound = orgStep.status === "exists" ? { found: { id: orgStep.id, managementAccountId: plan.managementAccountId } } : {};
  const afterOrg = { needs: [ORGANIZATION] };
  // Emails that waited for the management account's (AWS tells it once the organization exists).
  const emailOf = (stage: string, email: string) =>
    isPendingEmail(email)
      ? fromStep<OrganizationInfo, string>(ORGANIZATION, (org) => stepsOf(resolvePendingEmails(plan, org.managementAccountEmail), "account").find((a) => a.stage === stage)!.email)
      : known(email);
  const steps: Step[] = [
    step(organizationKind, ORGANIZATION, { managementAccountId: plan.managementAccountId }, orgFound),
    ...stepsOf(plan, "account").map((a) =>
      step(
        accounts,
        accountId(a.stage),
        { stage: a.stage, name: a.name, email: emailOf(a.stage, a.email), ...(a.pendingRequestId ? { pendingRequestId: a.pendingRequestId } : {}) },
        a.status === "exists" && a.accountId ? { ...afterOrg, found: { stage: a.stage, id: a.accountId, name: a.name, email: a.email, status: "found" } satisfies AccountOutcome } : afterOrg,
      ),
    ),
    step(
      identityCenter,
      IDENTITY_CENTER,
      {
        region: icStep.region,
        ...(icStep.status === "exists" && icStep.instanceArn && icStep.identityStoreId
          ? { instance: { instanceArn: icStep.instanceArn, identityStoreId: icStep.identityStoreId, status: "ACTIVE" as const, region: icStep.region } }
          : {}),
      },
      afterOrg,
    ),
    ...stepsOf(plan, "permission-set").map((p) =>
      step(
        permissionSetKind,
        permissionSetId(p.spec.name),
        { spec: { name: p.spec.name, description: p.spec.description, sessionDuration: p.spec.sessionDuration, managedPolicyArns: p.spec.managedPolicyArns } },
        {
          needs: [IDENTITY_CENTER],
          ...(p.status === "exists" && p.arn ? { found: { name: p.spec.name, sessionDuration: p.spec.sessionDuration, arn: p.arn, status: "exists" } satisfies PermissionSetOutcome } : {}),
        },
      ),
    ),
    step(
      groupKind,
      GROUP,
      { displayName: desired.group.displayName, description: desired.group.description },
      { needs: [IDENTITY_CENTER], ...(groupStep.status === "exists" && groupStep.groupId ? { found: { displayName: groupStep.displayName, groupId: groupStep.groupId, status: "exists" } satisfies GroupOutcome } : {}) },
    ),
    step(userKind, USER, desired.user, {
      needs: [IDENTITY_CENTER],
      ...(userStep.status === "exists" && userStep.userId ? { found: { userName: desired.user.userName, email: desired.user.email, userId: userStep.userId, status: "exists" } satisfies UserOutcome } : {}),
    }),
    step(
      membershipKind,
      "membership",
      { userName: desired.user.userName, group: desired.group.displayName, userId: fromStep<UserOutcome, string>(USER, (u) => u.userId), groupId: fromStep<GroupOutcome, string>(GROUP, (g) => g.groupId) },
      { needs: [IDENTITY_CENTER, USER, GROUP], ...(membershipStep.status === "exists" ? { found: { status: "exists" } } : {}) },
    ),
  ];

  const admin = desired.adminPermissionSet;
  if (!stepsOf(plan, "permission-set").some((p) => p.spec.name === admin)) throw new OperationError(`Permission set ${admin} is missing.`, "Run the command again.");
  const assignmentSteps = stepsOf(plan, "assignment");
  for (const a of assignmentSteps) {
    const target =
      a.accountId !== undefined
        ? known(a.accountId)
        : a.target === MANAGEMENT_TARGET
          ? fromStep<OrganizationInfo, string>(ORGANIZATION, (org) => org.managementAccountId || plan.managementAccountId)
          : fromStep<AccountOutcome, string>(accountId(a.target), (acc) => acc.id);
    const input: AssignmentInput = {
      change: "create",
      accountId: target,
      permissionSetArn: fromStep<PermissionSetOutcome, string>(permissionSetId(admin), (p) => p.arn),
      principalType: "GROUP",
      principalId: fromStep<GroupOutcome, string>(GROUP, (g) => g.groupId),
      account: a.accountName,
      permissionSet: admin,
      principal: `group ${a.group}`,
    };
    steps.push(step(assignments, `assignment:${a.target}`, input, { needs: assignmentNeeds(input), ...(a.status === "exists" ? { found: { status: "SUCCEEDED" } } : {}) }));
  }

  const outcome = await runSteps({
    kinds: [organizationKind, accounts, identityCenter, permissionSetKind, groupKind, userKind, membershipKind, assignments],
    steps,
    env: { organizations },
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onEvent: hooks.onEvent,
  }).catch((err: unknown) => {
    // Accounts, assignments and the organization say what they were doing; the rest is Identity Center's.
    throw explainAwsError(err, "Setting up IAM Identity Center");
  });

  const org = outcome.get<Pick<OrganizationInfo, "id" | "managementAccountId">>(ORGANIZATION);
  const managementAccountId = org.managementAccountId || plan.managementAccountId;
  const ic = outcome.get<IdentityCenter>(IDENTITY_CENTER);
  const group = outcome.get<GroupOutcome>(GROUP);
  const user = outcome.get<UserOutcome>(USER);
  const accountsDone = stepsOf(plan, "account").map((a) => outcome.get<AccountOutcome>(accountId(a.stage)));
  const accountIdFor = (target: string) => (target === MANAGEMENT_TARGET ? managementAccountId : (accountsDone.find((a) => a.stage === target)?.id ?? ""));
  return {
    organizationId: org.id ?? "",
    managementAccountId,
    instanceArn: ic.instance.instanceArn,
    identityStoreId: ic.instance.identityStoreId,
    ssoRegion: ic.instance.region,
    accounts: accountsDone,
    permissionSets: stepsOf(plan, "permission-set").map((p) => outcome.get<PermissionSetOutcome>(permissionSetId(p.spec.name))),
    group,
    user: { userName: user.userName, email: user.email, userId: user.userId, status: user.status },
    membership: outcome.get<{ status: "created" | "exists" }>("membership"),
    assignments: assignmentSteps.map((a) => ({
      target: a.target,
      accountId: a.accountId ?? accountIdFor(a.target),
      permissionSet: admin,
      principalType: "GROUP" as const,
      principal: group.displayName,
      status: a.status === "exists" ? ("exists" as const) : ("created" as const),
    })),
  };
}
