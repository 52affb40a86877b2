import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DeleteGroupCommand,
  DeleteGroupMembershipCommand,
  DeleteUserCommand,
  DescribeGroupCommand,
  DescribeUserCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ListGroupMembershipsCommand,
  ListGroupMembershipsForMemberCommand,
  ListUsersCommand,
  paginateListGroups,
  paginateListUsers,
  type CreateUserCommandInput,
} from "@aws-sdk/client-identitystore";
import { ListInstancesCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { clientConfig, openSandbox, scenario, worldState } from "../helpers/sandbox.js";

describe("emulated Identity Store", () => {
  let sandbox: Sandbox;
  let ids: IdentitystoreClient;
  let store: string;
  beforeAll(async () => {
    sandbox = await openSandbox();
    ids = new IdentitystoreClient(clientConfig(sandbox));
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    await scenario(sandbox, { organization: {}, identityCenter: { enabled: true } });
    const admin = new SSOAdminClient(clientConfig(sandbox));
    store = (await admin.send(new ListInstancesCommand({}))).Instances![0].IdentityStoreId!;
  });

  const userInput = (userName: string, extra: Partial<CreateUserCommandInput> = {}): CreateUserCommandInput => ({
    IdentityStoreId: store,
    UserName: userName,
    DisplayName: "Ada Lovelace",
    Name: { GivenName: "Ada", FamilyName: "Lovelace" },
    Emails: [{ Value: userName.includes("@") ? userName : `${userName}@example.com`, Type: "work", Primary: true }],
    ...extra,
  });
  const createUser = (userName: string, extra: Partial<CreateUserCommandInput> = {}) =>
    ids.send(new CreateUserCommand(userInput(userName, extra))).then((r) => r.UserId!);
  const createGroup = (name: string) => ids.send(new CreateGroupCommand({ IdentityStoreId: store, DisplayName: name })).then((r) => r.GroupId!);

  describe("users", () => {
    it("creates a user that DescribeUser, ListUsers and GetUserId (by userName or email) find", async () => {
      const userId = await createUser("ada@example.com");
      expect(userId).toMatch(/^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const described = await ids.send(new DescribeUserCommand({ IdentityStoreId: store, UserId: userId }));
      expect(described).toMatchObject({ UserName: "ada@example.com", DisplayName: "Ada Lovelace", Name: { GivenName: "Ada", FamilyName: "Lovelace" } });
      expect(described.Emails).toEqual([{ Value: "ada@example.com", Type: "work", Primary: true }]);
      const byName = await ids.send(
        new GetUserIdCommand({ IdentityStoreId: store, AlternateIdentifier: { UniqueAttribute: { AttributePath: "userName", AttributeValue: "ada@example.com" } } }),
      );
      expect(byName.UserId).toBe(userId);
      const byEmail = await ids.send(
        new GetUserIdCommand({ IdentityStoreId: store, AlternateIdentifier: { UniqueAttribute: { AttributePath: "emails.value", AttributeValue: "ADA@example.com" } } }),
      );
      expect(byEmail.UserId).toBe(userId);
      await expect(
        ids.send(new GetUserIdCommand({ IdentityStoreId: store, AlternateIdentifier: { UniqueAttribute: { AttributePath: "userName", AttributeValue: "bob" } } })),
      ).rejects.toMatchObject({ name: "ResourceNotFoundException", ResourceType: "USER" });
    });

    it("refuses a duplicate user name with ConflictException UNIQUENESS_CONSTRAINT_VIOLATION", async () => {
      await createUser("ada@example.com");
      await expect(createUser("Ada@Example.com")).rejects.toMatchObject({ name: "ConflictException", Reason: "UNIQUENESS_CONSTRAINT_VIOLATION" });
      expect((await worldState(sandbox)).users).toHaveLength(1);
    });

    it.each([
      ["a reserved user name", userInput("Administrator")],
      ["a user name over 128 characters", userInput("u".repeat(129))],
      ["two emails", userInput("ada", { Emails: [{ Value: "a@example.com" }, { Value: "b@example.com" }] })],
      ["no DisplayName", userInput("ada", { DisplayName: undefined })],
      ["no family name", userInput("ada", { Name: { GivenName: "Ada" } })],
    ])("rejects %s with ValidationException", async (_what, input) => {
      await expect(ids.send(new CreateUserCommand(input))).rejects.toMatchObject({ name: "ValidationException" });
      expect((await worldState(sandbox)).users).toHaveLength(0);
    });

    it("refuses an identity store that does not exist", async () => {
      await expect(ids.send(new ListUsersCommand({ IdentityStoreId: "d-0000000000" }))).rejects.toMatchObject({
        name: "ResourceNotFoundException",
        ResourceType: "IDENTITY_STORE",
      });
    });

    it("pages ListUsers with NextToken", async () => {
      for (let i = 0; i < 7; i++) await createUser(`user${i}`);
      const first = await ids.send(new ListUsersCommand({ IdentityStoreId: store }));
      expect(first.Users).toHaveLength(3);
      expect(first.NextToken).toBeDefined();
      const names = [];
      for await (const page of paginateListUsers({ client: ids }, { IdentityStoreId: store })) names.push(...page.Users!.map((u) => u.UserName));
      expect(names).toEqual(Array.from({ length: 7 }, (_, i) => `user${i}`));
    });

    it("deletes a user together with its group memberships", async () => {
      const userId = await createUser("ada");
      const groupId = await createGroup("Administrators");
      await ids.send(new CreateGroupMembershipCommand({ IdentityStoreId: store, GroupId: groupId, MemberId: { UserId: userId } }));
      await ids.send(new DeleteUserCommand({ IdentityStoreId: store, UserId: userId }));
      const world = await worldState(sandbox);
      expect(world.users).toHaveLength(0);
      expect(world.memberships).toHaveLength(0);
      await expect(ids.send(new DescribeUserCommand({ IdentityStoreId: store, UserId: userId }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    });
  });

  describe("groups and memberships", () => {
    it("creates a group found by GetGroupId, refuses a duplicate, and pages ListGroups", async () => {
      const groupId = await createGroup("Administrators");
      expect((await ids.send(new DescribeGroupCommand({ IdentityStoreId: store, GroupId: groupId }))).DisplayName).toBe("Administrators");
      const found = await ids.send(
        new GetGroupIdCommand({ IdentityStoreId: store, AlternateIdentifier: { UniqueAttribute: { AttributePath: "displayName", AttributeValue: "Administrators" } } }),
      );
      expect(found.GroupId).toBe(groupId);
      await expect(createGroup("Administrators")).rejects.toMatchObject({ name: "ConflictException", Reason: "UNIQUENESS_CONSTRAINT_VIOLATION" });
      await expect(createGroup("AWSAdministrators")).rejects.toMatchObject({ name: "ValidationException" });
      for (const name of ["Developers", "ReadOnly", "Billing"]) await createGroup(name);
      const names = [];
      for await (const page of paginateListGroups({ client: ids }, { IdentityStoreId: store })) names.push(...page.Groups!.map((g) => g.DisplayName));
      expect(names).toEqual(["Administrators", "Developers", "ReadOnly", "Billing"]);
    });

    it("adds, finds, lists and removes memberships; a duplicate is a ConflictException", async () => {
      const ada = await createUser("ada");
      const bob = await createUser("bob");
      const admins = await createGroup("Administrators");
      const devs = await createGroup("Developers");
      const add = (groupId: string, userId: string) =>
        ids.send(new CreateGroupMembershipCommand({ IdentityStoreId: store, GroupId: groupId, MemberId: { UserId: userId } })).then((r) => r.MembershipId!);
      const m1 = await add(admins, ada);
      await add(admins, bob);
      await add(devs, ada);
      await expect(add(admins, ada)).rejects.toMatchObject({ name: "ConflictException" });
      const found = await ids.send(new GetGroupMembershipIdCommand({ IdentityStoreId: store, GroupId: admins, MemberId: { UserId: ada } }));
      expect(found.MembershipId).toBe(m1);
      const ofAdmins = await ids.send(new ListGroupMembershipsCommand({ IdentityStoreId: store, GroupId: admins }));
      expect(ofAdmins.GroupMemberships!.map((m) => m.MemberId)).toEqual([{ UserId: ada }, { UserId: bob }]);
      const ofAda = await ids.send(new ListGroupMembershipsForMemberCommand({ IdentityStoreId: store, MemberId: { UserId: ada } }));
      expect(ofAda.GroupMemberships!.map((m) => m.GroupId)).toEqual([admins, devs]);
      await ids.send(new DeleteGroupMembershipCommand({ IdentityStoreId: store, MembershipId: m1 }));
      await expect(
        ids.send(new GetGroupMembershipIdCommand({ IdentityStoreId: store, GroupId: admins, MemberId: { UserId: ada } })),
      ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
      await ids.send(new DeleteGroupCommand({ IdentityStoreId: store, GroupId: devs }));
      expect((await worldState(sandbox)).memberships).toHaveLength(1);
    });

    it("refuses a membership for an unknown user or group", async () => {
      const groupId = await createGroup("Administrators");
      const unknownUser = "0123456789-01234567-89ab-cdef-0123-456789abcdef";
      await expect(
        ids.send(new CreateGroupMembershipCommand({ IdentityStoreId: store, GroupId: groupId, MemberId: { UserId: unknownUser } })),
      ).rejects.toMatchObject({ name: "ResourceNotFoundException", ResourceType: "USER" });
    });
  });
});
