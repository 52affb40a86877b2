/**
 * Emulated Identity Store (JSON 1.1, target prefix `AWSIdentityStore`): users, groups and group
 * memberships of an IAM Identity Center instance. Behaviour follows the Identity Store API
 * reference (docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/) and docs/aws-facts.md, Identity Store.
 */
import { randomUUID } from "node:crypto";
import type { GroupMembership, IdentityStoreGroup, IdentityStoreUser, SandboxState } from "../state.js";
import { newId } from "../state.js";
import { AwsError, type CallContext, type ServiceOperations } from "../types.js";
import { optionalString, pageOf, requireString, validationInvalid as invalid } from "./validate.js";

/** ListUsers, ListGroups, ListGroupMemberships(ForMember): MaxResults 1–100. */
const IDENTITY_STORE_MAX_PAGE = 100;
const STORE_ID = { min: 1, max: 36, pattern: /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/ };
const RESOURCE_ID = { min: 1, max: 47, pattern: /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/ };
const TEXT = { min: 1, max: 1024, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r\u00a0\u2000-\u200a\u3000 ]+$/u };
/** "Administrator and AWSAdministrators are reserved names and can't be used for users or groups." */
const RESERVED_NAMES = ["administrator", "awsadministrators"];
/** User attributes CreateUser accepts and DescribeUser returns. */
const USER_ATTRIBUTES = ["NickName", "ProfileUrl", "Addresses", "PhoneNumbers", "UserType", "Title", "PreferredLanguage", "Locale", "Timezone"];

type ResourceType = "IDENTITY_STORE" | "USER" | "GROUP" | "GROUP_MEMBERSHIP";

const notFound = (type: ResourceType, id: string) =>
  new AwsError("ResourceNotFoundException", `${type} not found: ${id}`, 400, { ResourceType: type, ResourceId: id });

/** Duplicates are ConflictException with Reason UNIQUENESS_CONSTRAINT_VIOLATION (ConflictException, API reference). */
const duplicate = (message: string) => new AwsError("ConflictException", message, 400, { Reason: "UNIQUENESS_CONSTRAINT_VIOLATION" });

/** The store named by IdentityStoreId: it must belong to the caller's instance in this region. */
function storeId(input: Record<string, unknown>, ctx: CallContext): string {
  const id = requireString(input, "IdentityStoreId", STORE_ID, invalid);
  const instance = ctx.state.instances.get(ctx.region);
  if (!instance || instance.IdentityStoreId !== id || ctx.state.caller.kind === "member") throw notFound("IDENTITY_STORE", id);
  return id;
}

function inStore<T extends { IdentityStoreId: string }>(items: Iterable<T>, store: string): T[] {
  return [...items].filter((i) => i.IdentityStoreId === store);
}

function userFor(input: Record<string, unknown>, field: string, store: string, state: SandboxState): IdentityStoreUser {
  const id = requireString(input, field, RESOURCE_ID, invalid);
  const user = state.users.get(id);
  if (!user || user.IdentityStoreId !== store) throw notFound("USER", id);
  return user;
}

function groupFor(input: Record<string, unknown>, store: string, state: SandboxState): IdentityStoreGroup {
  const id = requireString(input, "GroupId", RESOURCE_ID, invalid);
  const group = state.groups.get(id);
  if (!group || group.IdentityStoreId !== store) throw notFound("GROUP", id);
  return group;
}

function memberUserId(input: Record<string, unknown>): string {
  const member = input.MemberId;
  if (!member || typeof member !== "object") throw invalid("MemberId must contain a UserId.", "INPUT_REQUIRED");
  return requireString(member as Record<string, unknown>, "UserId", RESOURCE_ID, invalid);
}

/** Ids look like AWS's: ten hex digits, a dash, then a UUID. */
export const resourceId = () => `${newId("", 10, "0123456789abcdef")}-${randomUUID()}`;

function notReserved(name: string, field: string): void {
  if (RESERVED_NAMES.includes(name.toLowerCase())) throw invalid(`${field} '${name}' is a reserved name and can't be used for users or groups.`, "INVALID_INPUT");
}

function createUser(input: Record<string, unknown>, ctx: CallContext) {
  const userName = requireString(input, "UserName", { min: 1, max: 128, pattern: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u }, invalid);
  notReserved(userName, "UserName");
  // DisplayName and Name: "When used in IAM Identity Center, this parameter is required" (CreateUser).
  const displayName = requireString(input, "DisplayName", TEXT, invalid);
  const name = input.Name as Record<string, unknown> | undefined;
  if (!name || typeof name !== "object") throw invalid("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null", "INPUT_REQUIRED");
  const givenName = requireString(name, "GivenName", TEXT, invalid);
  const familyName = requireString(name, "FamilyName", TEXT, invalid);
  const formatted = optionalString(name, "Formatted", TEXT, invalid);
  const emails = input.Emails;
  // Emails: "Array Members: Fixed number of 1 item" — at most one email per user.
  if (emails !== undefined && (!Array.isArray(emails) || emails.length !== 1)) {
    throw invalid("1 validation error detected: Value at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1", "INVALID_INPUT");
  }
  if (Array.isArray(emails)) optionalString(emails[0] as Record<string, unknown>, "Value", TEXT, invalid);
  const store = storeId(input, ctx);
  const lower = userName.toLowerCase();
  if (inStore(ctx.state.users.values(), store).some((u) => u.UserName.toLowerCase() === lower)) {
    throw duplicate(`Duplicate UserName: ${userName}`);
  }
  const user: IdentityStoreUser = {
    UserId: resourceId(),
    IdentityStoreId: store,
    UserName: userName,
    DisplayName: displayName,
    Name: { GivenName: givenName, FamilyName: familyName, ...(formatted ? { Formatted: formatted } : {}) },
    ...(Array.isArray(emails) ? { Emails: emails as IdentityStoreUser["Emails"] } : {}),
  };
  for (const key of USER_ATTRIBUTES) if (input[key] !== undefined) user[key] = input[key];
  ctx.state.users.set(user.UserId, user);
  return { UserId: user.UserId, IdentityStoreId: store };
}

function createGroup(input: Record<string, unknown>, ctx: CallContext) {
  const displayName = requireString(input, "DisplayName", TEXT, invalid);
  notReserved(displayName, "DisplayName");
  const description = optionalString(input, "Description", TEXT, invalid);
  const store = storeId(input, ctx);
  const lower = displayName.toLowerCase();
  if (inStore(ctx.state.groups.values(), store).some((g) => g.DisplayName.toLowerCase() === lower)) {
    throw duplicate(`Duplicate GroupDisplayName: ${displayName}`);
  }
  const group: IdentityStoreGroup = { GroupId: resourceId(), IdentityStoreId: store, DisplayName: displayName, ...(description ? { Description: description } : {}) };
  ctx.state.groups.set(group.GroupId, group);
  return { GroupId: group.GroupId, IdentityStoreId: store };
}

/** `AlternateIdentifier.UniqueAttribute` of GetUserId/GetGroupId: the path and the value to match. */
function uniqueAttribute(input: Record<string, unknown>, paths: string[]): { path: string; value: string } {
  const alternate = input.AlternateIdentifier as Record<string, unknown> | undefined;
  const unique = alternate?.UniqueAttribute as Record<string, unknown> | undefined;
  if (!unique) throw invalid("AlternateIdentifier must contain a UniqueAttribute.", "INPUT_REQUIRED");
  const path = requireString(unique, "AttributePath", { min: 1, max: 255 }, invalid);
  if (!paths.includes(path.toLowerCase())) throw invalid(`AttributePath '${path}' is not supported. Use one of: ${paths.join(", ")}.`, "INVALID_INPUT");
  const value = unique.AttributeValue;
  if (typeof value !== "string" || value === "") throw invalid("AttributeValue must be a non-empty string.", "INVALID_INPUT");
  return { path: path.toLowerCase(), value };
}

/** The deprecated `Filters` of ListUsers/ListGroups: exact match on UserName / DisplayName. */
function filterBy<T>(items: T[], input: Record<string, unknown>, path: string, get: (item: T) => string): T[] {
  const filters = input.Filters;
  if (!Array.isArray(filters) || filters.length === 0) return items;
  const filter = filters[0] as { AttributePath?: string; AttributeValue?: string };
  if (filter.AttributePath !== path) throw invalid(`Filter AttributePath must be ${path}.`, "INVALID_INPUT");
  return items.filter((i) => get(i) === filter.AttributeValue);
}

function removeMemberships(state: SandboxState, matches: (m: GroupMembership) => boolean): void {
  for (const [id, m] of state.memberships) if (matches(m)) state.memberships.delete(id);
}

function membershipOut(m: GroupMembership) {
  return { IdentityStoreId: m.IdentityStoreId, MembershipId: m.MembershipId, GroupId: m.GroupId, MemberId: m.MemberId };
}

function listed<T, U>(items: T[], input: Record<string, unknown>, state: SandboxState, out: (item: T) => U) {
  const { page, nextToken } = pageOf(items, input, IDENTITY_STORE_MAX_PAGE, state, invalid);
  return { items: page.map(out), NextToken: nextToken };
}

export const identityStoreOperations: ServiceOperations = {
  CreateUser: { mutating: true, handle: createUser },
  DescribeUser: {
    mutating: false,
    handle: (input, ctx) => ({ ...userFor(input, "UserId", storeId(input, ctx), ctx.state) }),
  },
  ListUsers: {
    mutating: false,
    handle: (input, ctx) => {
      const users = filterBy(inStore(ctx.state.users.values(), storeId(input, ctx)), input, "UserName", (u) => u.UserName);
      const { items, NextToken } = listed(users, input, ctx.state, (u) => ({ ...u }));
      return { Users: items, NextToken };
    },
  },
  DeleteUser: {
    mutating: true,
    handle: (input, ctx) => {
      const user = userFor(input, "UserId", storeId(input, ctx), ctx.state);
      ctx.state.users.delete(user.UserId);
      // Deleting a user also removes it from its groups.
      removeMemberships(ctx.state, (m) => m.MemberId.UserId === user.UserId);
      return {};
    },
  },
  GetUserId: {
    mutating: false,
    handle: (input, ctx) => {
      const store = storeId(input, ctx);
      const { path, value } = uniqueAttribute(input, ["username", "emails.value"]);
      const lower = value.toLowerCase();
      const user = inStore(ctx.state.users.values(), store).find((u) =>
        path === "username" ? u.UserName.toLowerCase() === lower : (u.Emails ?? []).some((e) => e.Value.toLowerCase() === lower),
      );
      if (!user) throw notFound("USER", value);
      return { UserId: user.UserId, IdentityStoreId: store };
    },
  },
  CreateGroup: { mutating: true, handle: createGroup },
  DescribeGroup: {
    mutating: false,
    handle: (input, ctx) => ({ ...groupFor(input, storeId(input, ctx), ctx.state) }),
  },
  ListGroups: {
    mutating: false,
    handle: (input, ctx) => {
      const groups = filterBy(inStore(ctx.state.groups.values(), storeId(input, ctx)), input, "DisplayName", (g) => g.DisplayName);
      const { items, NextToken } = listed(groups, input, ctx.state, (g) => ({ ...g }));
      return { Groups: items, NextToken };
    },
  },
  DeleteGroup: {
    mutating: true,
    handle: (input, ctx) => {
      const group = groupFor(input, storeId(input, ctx), ctx.state);
      ctx.state.groups.delete(group.GroupId);
      removeMemberships(ctx.state, (m) => m.GroupId === group.GroupId);
      return {};
    },
  },
  GetGroupId: {
    mutating: false,
    handle: (input, ctx) => {
      const store = storeId(input, ctx);
      const { value } = uniqueAttribute(input, ["displayname"]);
      const lower = value.toLowerCase();
      const group = inStore(ctx.state.groups.values(), store).find((g) => g.DisplayName.toLowerCase() === lower);
      if (!group) throw notFound("GROUP", value);
      return { GroupId: group.GroupId, IdentityStoreId: store };
    },
  },
  CreateGroupMembership: {
    mutating: true,
    handle: (input, ctx) => {
      const userId = memberUserId(input);
      const store = storeId(input, ctx);
      const group = groupFor(input, store, ctx.state);
      const user = userFor({ UserId: userId }, "UserId", store, ctx.state);
      const exists = [...ctx.state.memberships.values()].some((m) => m.GroupId === group.GroupId && m.MemberId.UserId === user.UserId);
      if (exists) throw duplicate(`User ${user.UserId} is already a member of group ${group.GroupId}.`);
      const membership: GroupMembership = { MembershipId: resourceId(), IdentityStoreId: store, GroupId: group.GroupId, MemberId: { UserId: user.UserId } };
      ctx.state.memberships.set(membership.MembershipId, membership);
      return { MembershipId: membership.MembershipId, IdentityStoreId: store };
    },
  },
  DescribeGroupMembership: {
    mutating: false,
    handle: (input, ctx) => {
      const store = storeId(input, ctx);
      const id = requireString(input, "MembershipId", RESOURCE_ID, invalid);
      const membership = ctx.state.memberships.get(id);
      if (!membership || membership.IdentityStoreId !== store) throw notFound("GROUP_MEMBERSHIP", id);
      return membershipOut(membership);
    },
  },
  DeleteGroupMembership: {
    mutating: true,
    handle: (input, ctx) => {
      const store = storeId(input, ctx);
      const id = requireString(input, "MembershipId", RESOURCE_ID, invalid);
      const membership = ctx.state.memberships.get(id);
      if (!membership || membership.IdentityStoreId !== store) throw notFound("GROUP_MEMBERSHIP", id);
      ctx.state.memberships.delete(id);
      return {};
    },
  },
  ListGroupMemberships: {
    mutating: false,
    handle: (input, ctx) => {
      const group = groupFor(input, storeId(input, ctx), ctx.state);
      const members = [...ctx.state.memberships.values()].filter((m) => m.GroupId === group.GroupId);
      const { items, NextToken } = listed(members, input, ctx.state, membershipOut);
      return { GroupMemberships: items, NextToken };
    },
  },
  ListGroupMembershipsForMember: {
    mutating: false,
    handle: (input, ctx) => {
      const userId = memberUserId(input);
      const store = storeId(input, ctx);
      const memberships = inStore(ctx.state.memberships.values(), store).filter((m) => m.MemberId.UserId === userId);
      const { items, NextToken } = listed(memberships, input, ctx.state, membershipOut);
      return { GroupMemberships: items, NextToken };
    },
  },
  GetGroupMembershipId: {
    mutating: false,
    handle: (input, ctx) => {
      const userId = memberUserId(input);
      const store = storeId(input, ctx);
      const group = groupFor(input, store, ctx.state);
      const membership = [...ctx.state.memberships.values()].find((m) => m.GroupId === group.GroupId && m.MemberId.UserId === userId);
      if (!membership) throw notFound("GROUP_MEMBERSHIP", `${group.GroupId}/${userId}`);
      return { MembershipId: membership.MembershipId, IdentityStoreId: store };
    },
  },
};
