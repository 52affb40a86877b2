/**
 * Applies an `init` plan to AWS. Independent work runs concurrently (docs/init.md, bench/README.md):
 * account creation (all CreateAccount calls started before any wait, one ListCreateAccountStatus
 * poll for all) runs alongside the Identity Center chain (instance → permission sets, group and
 * user at once → membership); the account assignments start when both are done, all at once
 * with at most 10 outstanding. Steps planned as "exists" make no call at all, so a re-run on a
 * finished setup changes nothing. Every create is find-or-create, so an interrupted run is
 * finished by running again with nothing created twice. Nothing here prints: progress goes to
 * the caller's `report`/`status` hooks.
 */
import { setMaxListeners } from "node:events";
import { OperationError } from "../errors.js";
import { MANAGEMENT_TARGET, resolvePendingEmails, stepsOf, type AccountStep, type InitPlan } from "../plan/initPlan.js";
import type { AwsContext } from "../aws/clientConfig.js";
import { explainAwsError, explainCreateAccountFailure } from "../aws/errors.js";
import { openIdentityStore } from "../aws/identityStore.js";
import type { AccountCreation, OrganizationsApi } from "../aws/organizations.js";
import { openSsoAdmin, type IdentityCenterInstance } from "../aws/ssoAdmin.js";
import { ABORT_LISTENERS, formatDuration, throwIfAborted } from "../aws/waiting.js";

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
  /** Something finished ("Created account acme-dev (123456789012)"); `ok: false` when it failed. */
  report(text: string, ok?: boolean): void;
  /** What is being waited on right now (undefined: nothing); a function is a live line, redrawn on a terminal. `slot` separates waits that run at once. */
  status(text: string | (() => string) | undefined, slot?: string): void;
  signal?: AbortSignal;
  /** Overrides for waits (tests and the sandbox use shorter ones). */
  accountTimeoutMs?: number;
  /** The clock for elapsed times (tests inject one). */
  now?: () => number;
}

/** Runs `tasks` together; the first failure stops the others (through `abort`) and is thrown. */
async function together<T extends unknown[]>(abort: AbortController, tasks: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  let first: unknown;
  const settled = await Promise.allSettled(
    tasks.map((t) =>
      t.catch((err: unknown) => {
        if (first === undefined) first = err;
        abort.abort(err);
        throw err;
      }),
    ),
  );
  if (first !== undefined) throw first;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as T;
}

function linkedController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  setMaxListeners(ABORT_LISTENERS, controller.signal);
  if (signal?.aborted) controller.abort(signal.reason);
  signal?.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller;
}

async function applyAccounts(plan: InitPlan, organizations: OrganizationsApi, hooks: ApplyHooks, signal: AbortSignal): Promise<SetupResult["accounts"]> {
  const steps = stepsOf(plan, "account");
  const byName = new Map(steps.map((s) => [s.name, s]));
  const result = new Map<AccountStep, SetupResult["accounts"][number]>();
  for (const s of steps) if (s.status === "exists" && s.accountId) result.set(s, { stage: s.stage, id: s.accountId, name: s.name, email: s.email, status: "found" });

  const toStart = steps.filter((s) => s.status === "create" && !s.pendingRequestId);
  const pending: AccountCreation[] = steps
    .filter((s) => s.status === "create" && s.pendingRequestId)
    .map((s) => ({ requestId: s.pendingRequestId as string, name: s.name, email: s.email, state: "IN_PROGRESS" as const }));
  if (toStart.length === 0 && pending.length === 0) return steps.map((s) => result.get(s)!);

  // Each account's time counts from when this run started it (or, for one an earlier run
  // started, from when this run began waiting for it): creation takes minutes on AWS, so the
  // live line and the finished line say how long (docs/init.md, What you see).
  const now = hooks.now ?? Date.now;
  const since = new Map<string, number>();
  const took = (name: string) => formatDuration(now() - (since.get(name) ?? now()));
  // Creations beyond AWS's burst start paced (src/aws/organizations.ts), so the live line starts
  // with the first one rather than after the last has started.
  const waiting = new Set<string>();
  // Accounts are created while Identity Center may still be waited for: a slot of their own.
  const showWaiting = () => {
    const names = [...waiting];
    hooks.status(names.length ? () => `Waiting for AWS to create ${names.map((n) => `${n} (${took(n)})`).join(", ")}` : undefined, "accounts");
  };
  for (const p of pending) {
    since.set(p.name, now());
    waiting.add(p.name);
    hooks.report(`Account ${p.name}: creation already started by an earlier run, waiting for it`);
  }
  showWaiting();
  let started: AccountCreation[];
  try {
    started = await organizations.createAccounts(
      toStart.map((s) => ({ name: s.name, email: s.email })),
      {
        signal,
        onStarted: (c) => {
          since.set(c.name, now());
          hooks.report(`Account ${c.name}: creation started (${c.email})`);
          waiting.add(c.name);
          showWaiting();
        },
      },
    );
  } catch (err) {
    throw explainAwsError(err, "Creating the member accounts");
  }
  const all = [...started, ...pending];
  waiting.clear();
  for (const c of all) if (c.state === "IN_PROGRESS") waiting.add(c.name);
  showWaiting();
  const final = await organizations.waitForAccounts(all, {
    signal,
    ...(hooks.accountTimeoutMs ? { timeoutMs: hooks.accountTimeoutMs } : {}),
    onProgress: (c) => {
      waiting.delete(c.name);
      if (c.state === "SUCCEEDED") hooks.report(`Account ${c.name}: created in ${took(c.name)} (${c.accountId})`);
      if (c.state === "FAILED") hooks.report(`Account ${c.name}: creation FAILED after ${took(c.name)} (${c.failureReason ?? "no reason given"})`, false);
      showWaiting();
    },
  });
  hooks.status(undefined, "accounts");
  const failed = final.filter((c) => c.state === "FAILED");
  if (failed.length > 0) {
    const c = failed[0];
    const step = byName.get(c.name);
    throw explainCreateAccountFailure(c.failureReason, `Creating account ${c.name}${step ? ` (${step.email})` : ""} failed`);
  }
  for (const c of final) {
    const step = byName.get(c.name);
    if (step && c.accountId) result.set(step, { stage: step.stage, id: c.accountId, name: step.name, email: step.email, status: "created" });
  }
  return steps.map((s) => {
    const r = result.get(s);
    if (!r) throw new OperationError(`AWS did not report an account id for ${s.name}.`, "Run the command again; it finds the account by name or email.");
    return r;
  });
}

async function applyIdentityCenter(ctx: AwsContext, plan: InitPlan, hooks: ApplyHooks, signal: AbortSignal) {
  const desired = plan.desired;
  const icStep = stepsOf(plan, "identity-center")[0];
  const instance: IdentityCenterInstance =
    icStep.status === "exists" && icStep.instanceArn && icStep.identityStoreId
      ? { instanceArn: icStep.instanceArn, identityStoreId: icStep.identityStoreId, status: "ACTIVE", region: icStep.region }
      : await hooks.waitForIdentityCenter(icStep.region, signal);
  if (icStep.status !== "exists") hooks.report(`IAM Identity Center: enabled in ${instance.region} (identity store ${instance.identityStoreId})`);
  const regional = { ...ctx, region: instance.region };
  const [ssoAdmin, identityStore] = await Promise.all([openSsoAdmin(regional), openIdentityStore(regional, instance.identityStoreId)]);

  const permissionSetsTask = Promise.all(
    stepsOf(plan, "permission-set").map(async (step) => {
      const desiredSet = { name: step.spec.name, description: step.spec.description, sessionDuration: step.spec.sessionDuration, managedPolicyArns: step.spec.managedPolicyArns };
      const base = { name: step.spec.name, sessionDuration: step.spec.sessionDuration };
      if (step.status === "exists" && step.arn) return { ...base, arn: step.arn, status: "exists" as const };
      const { permissionSet, status } = await ssoAdmin.ensurePermissionSet(instance.instanceArn, desiredSet);
      hooks.report(`Permission set ${step.spec.name}: ${status === "exists" ? "found" : status} (${step.spec.sessionDuration}, ${step.spec.managedPolicyArns.join(", ")})`);
      return { ...base, arn: permissionSet.arn, status };
    }),
  );
  const groupStep = stepsOf(plan, "group")[0];
  const groupTask = (async () => {
    if (groupStep.status === "exists" && groupStep.groupId) return { displayName: groupStep.displayName, groupId: groupStep.groupId, status: "exists" as const };
    const { groupId, status } = await identityStore.ensureGroup(desired.group.displayName, desired.group.description);
    hooks.report(`Group ${desired.group.displayName}: ${status === "created" ? "created" : "found"}`);
    return { displayName: desired.group.displayName, groupId, status };
  })();
  const userStep = stepsOf(plan, "user")[0];
  const userTask = (async () => {
    const base = { userName: desired.user.userName, email: desired.user.email };
    if (userStep.status === "exists" && userStep.userId) return { ...base, userId: userStep.userId, status: "exists" as const };
    const { userId, status } = await identityStore.ensureUser(desired.user);
    hooks.report(`User ${desired.user.userName}: ${status === "created" ? "created" : "found"}`);
    return { ...base, userId, status };
  })();
  const [permissionSets, group, user] = await Promise.all([permissionSetsTask, groupTask, userTask]);
  throwIfAborted(signal);
  const membershipStep = stepsOf(plan, "membership")[0];
  let membership: SetupResult["membership"] = { status: "exists" };
  if (membershipStep.status !== "exists") {
    membership = { status: (await identityStore.addMembership(group.groupId, user.userId)).status };
    hooks.report(`User ${user.userName} ${membership.status === "created" ? "added to" : "already in"} group ${group.displayName}`);
  }
  return { instance, ssoAdmin, permissionSets, group, user, membership };
}

export interface ApplyOptions {
  ctx: AwsContext;
  plan: InitPlan;
  organizations: OrganizationsApi;
  hooks: ApplyHooks;
}

export async function applyInitPlan({ ctx, plan: planned, organizations, hooks }: ApplyOptions): Promise<SetupResult> {
  let plan = planned;
  const abort = linkedController(hooks.signal);
  let organizationId = stepsOf(plan, "organization")[0].id;
  let managementAccountId = plan.managementAccountId;
  if (!organizationId) {
    try {
      const org = await organizations.createOrganization(plan.managementAccountId);
      organizationId = org.id;
      managementAccountId = org.managementAccountId || managementAccountId;
      plan = resolvePendingEmails(plan, org.managementAccountEmail);
    } catch (err) {
      throw explainAwsError(err, "Creating the organization");
    }
    hooks.report(`Organization ${organizationId}: created (all features)`);
  }

  const [accounts, ic] = await together<[SetupResult["accounts"], Awaited<ReturnType<typeof applyIdentityCenter>>]>(abort, [
    applyAccounts(plan, organizations, hooks, abort.signal),
    applyIdentityCenter(ctx, plan, hooks, abort.signal).catch((err: unknown) => {
      throw explainAwsError(err, "Setting up IAM Identity Center");
    }),
  ]);

  const admin = ic.permissionSets.find((p) => p.name === plan.desired.adminPermissionSet);
  if (!admin) throw new OperationError(`Permission set ${plan.desired.adminPermissionSet} is missing.`, "Run the command again.");
  const accountIdFor = (target: string) => (target === MANAGEMENT_TARGET ? managementAccountId : accounts.find((a) => a.stage === target)?.id ?? "");
  const assignmentSteps = stepsOf(plan, "assignment").map((s) => ({ step: s, accountId: s.accountId ?? accountIdFor(s.target) }));
  const toCreate = assignmentSteps.filter((a) => a.step.status !== "exists");
  if (toCreate.length > 0) {
    let outstanding = toCreate.length;
    const waitingText = () => `Waiting for ${outstanding} access assignment${outstanding === 1 ? "" : "s"} to finish`;
    hooks.status(waitingText());
    const results = await ic.ssoAdmin
      .assignAll(
        ic.instance.instanceArn,
        toCreate.map((a) => ({ accountId: a.accountId, permissionSetArn: admin.arn, principalType: "GROUP" as const, principalId: ic.group.groupId })),
        {
          signal: abort.signal,
          onDone: (r) => {
            outstanding -= 1;
            const target = toCreate.find((a) => a.accountId === r.accountId)?.step.accountName ?? r.accountId;
            hooks.report(`Access: group ${ic.group.displayName} → ${admin.name} in ${target}${r.status === "FAILED" ? ` FAILED (${r.failureReason ?? "no reason given"})` : ""}`, r.status !== "FAILED");
          },
        },
      )
      .catch((err: unknown) => {
        throw explainAwsError(err, "Assigning access");
      });
    hooks.status(undefined);
    const failed = results.find((r) => r.status === "FAILED");
    if (failed) {
      throw new OperationError(
        `Assigning ${admin.name} to group ${ic.group.displayName} in account ${failed.accountId} failed: ${failed.failureReason ?? "AWS gave no reason"}.`,
        "AWS provisions the role in the account asynchronously and reported the reason above. Check the account is ACTIVE " +
          "(org-bootstrap status) and the assignment in IAM Identity Center → AWS accounts, then run again; finished steps are kept.",
      );
    }
  }

  return {
    organizationId: organizationId ?? "",
    managementAccountId,
    instanceArn: ic.instance.instanceArn,
    identityStoreId: ic.instance.identityStoreId,
    ssoRegion: ic.instance.region,
    accounts,
    permissionSets: ic.permissionSets,
    group: ic.group,
    user: ic.user,
    membership: ic.membership,
    assignments: assignmentSteps.map((a) => ({
      target: a.step.target,
      accountId: a.accountId,
      permissionSet: admin.name,
      principalType: "GROUP" as const,
      principal: ic.group.displayName,
      status: a.step.status === "exists" ? ("exists" as const) : ("created" as const),
    })),
  };
}
