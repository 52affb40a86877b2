/**
 * Identity Store adapter: users, groups, memberships of the Identity Center directory.
 * AWS facts it follows (docs/aws-facts.md, Identity Store; the identitystore API reference):
 * - `GetUserId` with the unique attribute `userName` (or `emails.value`) and `GetGroupId` with
 *   `displayName` find by name; "not found" is `ResourceNotFoundException`.
 * - A duplicate is `ConflictException` (`UNIQUENESS_CONSTRAINT_VIOLATION`): an interrupted run
 *   created it already, so we look it up instead of failing.
 * - Users created through the API have no password and get no invitation email.
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";
import { isAwsError, nameFailedOperations } from "./errors.js";
import { collectPages } from "./paging.js";

export interface NewUser {
  userName: string;
  givenName: string;
  familyName: string;
  email: string;
  displayName?: string;
}

export interface UserInfo {
  userId: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

export interface GroupInfo {
  groupId: string;
  displayName: string;
  description?: string;
}

export interface IdentityStoreApi {
  readonly identityStoreId: string;
  findUserId(userName: string): Promise<string | undefined>;
  findUserIdByEmail(email: string): Promise<string | undefined>;
  describeUser(userId: string): Promise<UserInfo>;
  createUser(user: NewUser): Promise<string>;
  ensureUser(user: NewUser): Promise<{ userId: string; status: "created" | "exists" }>;
  deleteUser(userId: string): Promise<void>;
  /** Every user, through every page; `onPage` hears the count so far (status's live line). */
  listUsers(onPage?: (soFar: number) => void): Promise<UserInfo[]>;
  findGroupId(displayName: string): Promise<string | undefined>;
  createGroup(displayName: string, description?: string): Promise<string>;
  ensureGroup(displayName: string, description?: string): Promise<{ groupId: string; status: "created" | "exists" }>;
  listGroups(): Promise<GroupInfo[]>;
  findMembershipId(groupId: string, userId: string): Promise<string | undefined>;
  addMembership(groupId: string, userId: string): Promise<{ membershipId: string; status: "created" | "exists" }>;
  removeMembership(membershipId: string): Promise<void>;
  /** Memberships of one user: `{ membershipId, groupId }`. */
  listMembershipsForUser(userId: string): Promise<{ membershipId: string; groupId: string }[]>;
  /** Members of one group: `{ membershipId, userId }` (one paged listing per group, not per user). */
  listGroupMembers(groupId: string): Promise<{ membershipId: string; userId: string }[]>;
}

export async function openIdentityStore(ctx: AwsContext, identityStoreId: string): Promise<IdentityStoreApi> {
  const sdk = await import("@aws-sdk/client-identitystore");
  const client = new sdk.IdentitystoreClient(clientConfig(ctx));
  nameFailedOperations(client);
  const IdentityStoreId = identityStoreId;

  const notFoundAsUndefined = async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      if (isAwsError(err, "ResourceNotFoundException")) return undefined;
      throw err;
    }
  };

  const getUserId = (path: "userName" | "emails.value", value: string) =>
    notFoundAsUndefined(async () => {
      const out = await client.send(
        new sdk.GetUserIdCommand({
          IdentityStoreId,
          AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: value } },
        }),
      );
      return out.UserId;
    });

  const api: IdentityStoreApi = {
    identityStoreId,

    findUserId: (userName) => getUserId("userName", userName),

    findUserIdByEmail: (email) => getUserId("emails.value", email),

    async describeUser(userId) {
      const u = await client.send(new sdk.DescribeUserCommand({ IdentityStoreId, UserId: userId }));
      const email = u.Emails?.find((e) => e.Primary)?.Value ?? u.Emails?.[0]?.Value;
      return {
        userId,
        userName: u.UserName ?? "",
        ...(u.DisplayName ? { displayName: u.DisplayName } : {}),
        ...(u.Name?.GivenName ? { givenName: u.Name.GivenName } : {}),
        ...(u.Name?.FamilyName ? { familyName: u.Name.FamilyName } : {}),
        ...(email ? { email } : {}),
      };
    },

    async createUser(user) {
      const out = await client.send(
        new sdk.CreateUserCommand({
          IdentityStoreId,
          UserName: user.userName,
          DisplayName: user.displayName ?? `${user.givenName} ${user.familyName}`,
          Name: { GivenName: user.givenName, FamilyName: user.familyName },
          // At most one email per user (docs/aws-facts.md, Identity Store).
          Emails: [{ Value: user.email, Type: "work", Primary: true }],
        }),
      );
      return out.UserId ?? "";
    },

    async ensureUser(user) {
      const existing = await api.findUserId(user.userName);
      if (existing) return { userId: existing, status: "exists" };
      try {
        return { userId: await api.createUser(user), status: "created" };
      } catch (err) {
        if (!isAwsError(err, "ConflictException")) throw err;
        const raced = await api.findUserId(user.userName);
        if (!raced) throw err;
        return { userId: raced, status: "exists" };
      }
    },

    async deleteUser(userId) {
      // Gone already is the end state we asked for: the SDK repeats our DeleteUser after a
      // dropped connection (the model marks it idempotent), or someone removed the user meanwhile.
      await notFoundAsUndefined(() => client.send(new sdk.DeleteUserCommand({ IdentityStoreId, UserId: userId })));
    },

    async listUsers(onPage) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListUsersCommand({ IdentityStoreId, NextToken: token }));
        return { items: out.Users, next: out.NextToken };
      }, onPage);
      return raw.map((u) => {
        const email = u.Emails?.find((e) => e.Primary)?.Value ?? u.Emails?.[0]?.Value;
        return {
          userId: u.UserId ?? "",
          userName: u.UserName ?? "",
          ...(u.DisplayName ? { displayName: u.DisplayName } : {}),
          ...(u.Name?.GivenName ? { givenName: u.Name.GivenName } : {}),
          ...(u.Name?.FamilyName ? { familyName: u.Name.FamilyName } : {}),
          ...(email ? { email } : {}),
        };
      });
    },

    findGroupId: (displayName) =>
      notFoundAsUndefined(async () => {
        const out = await client.send(
          new sdk.GetGroupIdCommand({
            IdentityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: "displayName", AttributeValue: displayName } },
          }),
        );
        return out.GroupId;
      }),

    async createGroup(displayName, description) {
      const out = await client.send(
        new sdk.CreateGroupCommand({ IdentityStoreId, DisplayName: displayName, ...(description ? { Description: description } : {}) }),
      );
      return out.GroupId ?? "";
    },

    async ensureGroup(displayName, description) {
      const existing = await api.findGroupId(displayName);
      if (existing) return { groupId: existing, status: "exists" };
      try {
        return { groupId: await api.createGroup(displayName, description), status: "created" };
      } catch (err) {
        if (!isAwsError(err, "ConflictException")) throw err;
        const raced = await api.findGroupId(displayName);
        if (!raced) throw err;
        return { groupId: raced, status: "exists" };
      }
    },

    async listGroups() {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListGroupsCommand({ IdentityStoreId, NextToken: token }));
        return { items: out.Groups, next: out.NextToken };
      });
      return raw.map((g) => ({ groupId: g.GroupId ?? "", displayName: g.DisplayName ?? "", ...(g.Description ? { description: g.Description } : {}) }));
    },

    // Listed from the user's side (a person is in few groups) rather than GetGroupMembershipId:
    // one call either way on AWS, and moto, the second emulator we test against, lacks the latter.
    async findMembershipId(groupId, userId) {
      const memberships = await api.listMembershipsForUser(userId);
      return memberships.find((m) => m.groupId === groupId)?.membershipId;
    },

    async addMembership(groupId, userId) {
      const existing = await api.findMembershipId(groupId, userId);
      if (existing) return { membershipId: existing, status: "exists" };
      try {
        const out = await client.send(new sdk.CreateGroupMembershipCommand({ IdentityStoreId, GroupId: groupId, MemberId: { UserId: userId } }));
        return { membershipId: out.MembershipId ?? "", status: "created" };
      } catch (err) {
        if (!isAwsError(err, "ConflictException")) throw err;
        const raced = await api.findMembershipId(groupId, userId);
        if (!raced) throw err;
        return { membershipId: raced, status: "exists" };
      }
    },

    async removeMembership(membershipId) {
      // As deleteUser: a membership that is gone already is success.
      await notFoundAsUndefined(() => client.send(new sdk.DeleteGroupMembershipCommand({ IdentityStoreId, MembershipId: membershipId })));
    },

    async listMembershipsForUser(userId) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListGroupMembershipsForMemberCommand({ IdentityStoreId, MemberId: { UserId: userId }, NextToken: token }));
        return { items: out.GroupMemberships, next: out.NextToken };
      });
      return raw.map((m) => ({ membershipId: m.MembershipId ?? "", groupId: m.GroupId ?? "" }));
    },

    async listGroupMembers(groupId) {
      const raw = await collectPages(async (token) => {
        const out = await client.send(new sdk.ListGroupMembershipsCommand({ IdentityStoreId, GroupId: groupId, NextToken: token }));
        return { items: out.GroupMemberships, next: out.NextToken };
      });
      // Members can also be other kinds of principal in the API's shape; only users are members here.
      return raw.filter((m) => m.MemberId && "UserId" in m.MemberId && m.MemberId.UserId).map((m) => ({ membershipId: m.MembershipId ?? "", userId: (m.MemberId as { UserId: string }).UserId }));
    },
  };
  return api;
}
