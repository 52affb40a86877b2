/**
 * The Identity Center steps: the instance itself (init waits for a person to enable it), then
 * permission sets, groups, users and memberships, and their removal. Each reads the instance and
 * its adapters from the identity-center step (`IdentityCenter`), and each apply is a
 * find-or-create (or a delete where gone is success), so a repeated call makes nothing twice.
 */
import type { NewUser } from "../../aws/identityStore.js";
import { permissionSetMatches, type DesiredPermissionSet, type IdentityCenterInstance, type PermissionSetInfo } from "../../aws/ssoAdmin.js";
import type { StepContext, StepKind } from "../executor.js";
import { IDENTITY_CENTER, resolve, type IdentityCenter, type Ref } from "./common.js";

const ic = (ctx: Pick<StepContext<unknown>, "result">) => ctx.result<IdentityCenter>(IDENTITY_CENTER);

export interface IdentityCenterInput {
  region: string;
  /** Known when it is enabled already; otherwise the step waits for it. */
  instance?: IdentityCenterInstance;
}

export interface IdentityCenterKindOptions {
  /** The instance is not enabled yet: have the person enable it, resolve when it is ACTIVE. */
  waitForIdentityCenter(region: string, signal: AbortSignal): Promise<IdentityCenterInstance>;
  /** The adapters for the instance's region and identity store. */
  open(instance: IdentityCenterInstance): Promise<Omit<IdentityCenter, "instance">>;
}

export function identityCenterKind(options: IdentityCenterKindOptions): StepKind<IdentityCenterInput, IdentityCenter, unknown> {
  return {
    kind: "identity-center",
    // The wait is a person's: another step failing ends it.
    cancelOnFailure: true,
    describe: (s) => `IAM Identity Center in ${s.region}`,
    async apply(s, ctx) {
      const instance = s.instance ?? (await options.waitForIdentityCenter(s.region, ctx.signal));
      if (!s.instance) ctx.report(`IAM Identity Center: enabled in ${instance.region} (identity store ${instance.identityStoreId})`);
      return { instance, ...(await options.open(instance)) };
    },
  };
}

export interface PermissionSetInput {
  spec: DesiredPermissionSet;
  /** An existing set keeps its own session duration and description; only missing policies are added. */
  keepExistingSettings?: boolean;
}

export interface PermissionSetOutcome {
  name: string;
  sessionDuration: string;
  arn: string;
  status: "created" | "exists" | "updated";
}

const adjusted = (s: PermissionSetInput) =>
  s.keepExistingSettings
    ? (existing: PermissionSetInfo): DesiredPermissionSet => ({
        ...s.spec,
        description: existing.description ?? s.spec.description,
        sessionDuration: existing.sessionDuration ?? s.spec.sessionDuration,
      })
    : undefined;

export const permissionSetKind: StepKind<PermissionSetInput, PermissionSetOutcome, unknown> = {
  kind: "permission-set",
  describe: (s) => `Permission set ${s.spec.name}`,
  async apply(s, ctx) {
    const { instance, ssoAdmin } = ic(ctx);
    const { permissionSet, status } = await ssoAdmin.ensurePermissionSet(instance.instanceArn, s.spec, adjusted(s));
    const duration = permissionSet.sessionDuration ?? s.spec.sessionDuration;
    ctx.report(`Permission set ${s.spec.name}: ${status === "exists" ? "found" : status} (${duration}, ${s.spec.managedPolicyArns.join(", ")})`);
    return { name: s.spec.name, sessionDuration: duration, arn: permissionSet.arn, status };
  },
  async verify(s, ctx) {
    const { instance, ssoAdmin } = ic(ctx);
    const existing = await ssoAdmin.findPermissionSetByName(instance.instanceArn, s.spec.name);
    const wanted = existing && (adjusted(s)?.(existing) ?? s.spec);
    return existing && wanted && permissionSetMatches(existing, wanted)
      ? { name: s.spec.name, sessionDuration: existing.sessionDuration ?? s.spec.sessionDuration, arn: existing.arn, status: "updated" }
      : undefined;
  },
};

export interface GroupInput {
  displayName: string;
  description?: string;
}

export interface GroupOutcome {
  displayName: string;
  groupId: string;
  status: "created" | "exists";
}

export const groupKind: StepKind<GroupInput, GroupOutcome, unknown> = {
  kind: "group",
  describe: (g) => `Group ${g.displayName}`,
  async apply(g, ctx) {
    const { groupId, status } = await ic(ctx).identityStore.ensureGroup(g.displayName, g.description);
    ctx.report(`Group ${g.displayName}: ${status === "created" ? "created" : "found"}`);
    return { displayName: g.displayName, groupId, status };
  },
  async verify(g, ctx) {
    const groupId = await ic(ctx).identityStore.findGroupId(g.displayName);
    return groupId ? { displayName: g.displayName, groupId, status: "created" } : undefined;
  },
};

export interface UserOutcome {
  userName: string;
  email: string;
  userId: string;
  status: "created" | "exists";
}

export const userKind: StepKind<NewUser, UserOutcome, unknown> = {
  kind: "user",
  describe: (u) => `User ${u.userName}`,
  async apply(u, ctx) {
    const { userId, status } = await ic(ctx).identityStore.ensureUser(u);
    ctx.report(`User ${u.userName}: ${status === "created" ? "created" : "found"}`);
    return { userName: u.userName, email: u.email, userId, status };
  },
  async verify(u, ctx) {
    const userId = await ic(ctx).identityStore.findUserId(u.userName);
    return userId ? { userName: u.userName, email: u.email, userId, status: "created" } : undefined;
  },
};

export interface MembershipInput {
  userName: string;
  group: string;
  userId: Ref<string>;
  groupId: Ref<string>;
}

export const membershipKind: StepKind<MembershipInput, { status: "created" | "exists" }, unknown> = {
  kind: "membership",
  describe: (m) => `${m.userName} in group ${m.group}`,
  async apply(m, ctx) {
    const { status } = await ic(ctx).identityStore.addMembership(resolve(m.groupId, ctx), resolve(m.userId, ctx));
    ctx.report(`User ${m.userName} ${status === "created" ? "added to" : "already in"} group ${m.group}`);
    return { status };
  },
  async verify(m, ctx) {
    return (await ic(ctx).identityStore.findMembershipId(resolve(m.groupId, ctx), resolve(m.userId, ctx))) ? { status: "created" } : undefined;
  },
};

export interface MembershipRemovalInput {
  membershipId: string;
  userName: string;
  group: string;
}

/** Leaving a group; one already gone is success (the adapter's delete). */
export const membershipRemovalKind: StepKind<MembershipRemovalInput, void, unknown> = {
  kind: "membership-removal",
  describe: (m) => `${m.userName} in group ${m.group}`,
  async apply(m, ctx) {
    await ic(ctx).identityStore.removeMembership(m.membershipId);
    ctx.report(`${m.userName} in group ${m.group}: removed`);
  },
};

export interface UserDeletionInput {
  userId: string;
  userName: string;
}

/** Deleting a user; one already gone is success (the adapter's delete). */
export const userDeletionKind: StepKind<UserDeletionInput, void, unknown> = {
  kind: "user-deletion",
  describe: (u) => `User ${u.userName}`,
  async apply(u, ctx) {
    await ic(ctx).identityStore.deleteUser(u.userId);
    ctx.report(`User ${u.userName}: deleted`);
  },
};
