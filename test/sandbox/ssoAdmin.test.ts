import { CreateGroupCommand, CreateUserCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreateInstanceCommand,
  CreatePermissionSetCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  ListAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentDeletionStatusCommand,
  ListAccountAssignmentsCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListInstancesCommand,
  ListManagedPoliciesInPermissionSetCommand,
  ListPermissionSetsCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  paginateListPermissionSets,
  ProvisionPermissionSetCommand,
  SSOAdminClient,
  UpdatePermissionSetCommand,
} from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { clientConfig, control, openSandbox, scenario, worldState } from "../helpers/sandbox.js";

describe("emulated SSO Admin", () => {
  let sandbox: Sandbox;
  let sso: SSOAdminClient;
  let instanceArn: string;
  let storeId: string;
  beforeAll(async () => {
    sandbox = await openSandbox();
    sso = new SSOAdminClient(clientConfig(sandbox));
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    await scenario(sandbox, {
      identityCenter: { enabled: true },
      accounts: [
        { name: "acme-dev", email: "dev@example.com" },
        { name: "acme-prod", email: "prod@example.com" },
      ],
    });
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances![0];
    instanceArn = instance.InstanceArn!;
    storeId = instance.IdentityStoreId!;
  });

  const accountId = (name: string) => [...sandbox.state.accounts.values()].find((a) => a.Name === name)!.Id;
  const createSet = (Name: string, SessionDuration = "PT12H") =>
    sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name, SessionDuration })).then((r) => r.PermissionSet!.PermissionSetArn!);
  const createGroup = async (DisplayName = "Administrators") =>
    (await new IdentitystoreClient(clientConfig(sandbox)).send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName }))).GroupId!;
  const settleNow = () => {
    for (const op of sandbox.state.assignmentOps.values()) op.settlesAt = 0;
  };

  describe("instances", () => {
    it("lists the instance only in its own region, with its status", async () => {
      const here = await sso.send(new ListInstancesCommand({}));
      expect(here.Instances).toHaveLength(1);
      expect(here.Instances![0]).toMatchObject({ Status: "ACTIVE", OwnerAccountId: "111111111111", IdentityStoreId: expect.stringMatching(/^d-\d{10}$/) });
      expect(here.Instances![0].CreatedDate).toBeInstanceOf(Date);
      const elsewhere = new SSOAdminClient(clientConfig(sandbox, "eu-west-1"));
      expect((await elsewhere.send(new ListInstancesCommand({}))).Instances).toEqual([]);
      await expect(elsewhere.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    });

    it("refuses CreateInstance in an organization's management account", async () => {
      sandbox.reset();
      await scenario(sandbox, { organization: {} });
      await expect(sso.send(new CreateInstanceCommand({ Name: "acme" }))).rejects.toMatchObject({
        name: "ValidationException",
        message: expect.stringContaining("Organization management account is not allowed"),
      });
      expect((await sso.send(new ListInstancesCommand({}))).Instances).toEqual([]);
    });

    it("creates an account instance for a standalone account, once", async () => {
      sandbox.reset();
      const created = await sso.send(new CreateInstanceCommand({ Name: "solo" }));
      expect(created.InstanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
      await expect(sso.send(new CreateInstanceCommand({}))).rejects.toMatchObject({ name: "ConflictException" });
    });
  });

  describe("permission sets", () => {
    it("creates, describes and lists permission sets across pages", async () => {
      const arn = await createSet("AdministratorAccess");
      const described = (await sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }))).PermissionSet!;
      expect(described).toMatchObject({ Name: "AdministratorAccess", SessionDuration: "PT12H" });
      expect(described.CreatedDate).toBeInstanceOf(Date);
      for (const name of ["PowerUserAccess", "ReadOnlyAccess", "ViewOnlyAccess"]) await createSet(name, "PT4H");
      const first = await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }));
      expect(first.PermissionSets).toHaveLength(3);
      const all = [];
      for await (const page of paginateListPermissionSets({ client: sso }, { InstanceArn: instanceArn })) all.push(...page.PermissionSets!);
      expect(all).toHaveLength(4);
      expect(all[0]).toBe(arn);
    });

    it("defaults the session duration to one hour", async () => {
      const arn = (await sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: "Short" }))).PermissionSet!.PermissionSetArn!;
      expect((await sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }))).PermissionSet!.SessionDuration).toBe("PT1H");
    });

    it.each([
      ["a name with a space", "Admin Access", "PT1H"],
      ["a name over 32 characters", "A".repeat(33), "PT1H"],
      ["a session shorter than an hour", "Admin", "PT30M"],
      ["a session longer than 12 hours", "Admin", "PT13H"],
      ["a session that is not ISO-8601", "Admin", "12 hours"],
    ])("rejects %s with ValidationException", async (_what, name, duration) => {
      await expect(createSet(name, duration)).rejects.toMatchObject({ name: "ValidationException" });
      expect((await worldState(sandbox)).permissionSets).toHaveLength(0);
    });

    it("refuses a duplicate name with ConflictException", async () => {
      await createSet("AdministratorAccess");
      await expect(createSet("AdministratorAccess")).rejects.toMatchObject({ name: "ConflictException" });
    });

    it("refuses an unknown instance or permission set", async () => {
      const other = "arn:aws:sso:::instance/ssoins-0000000000000000";
      await expect(sso.send(new ListPermissionSetsCommand({ InstanceArn: other }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
      await expect(sso.send(new ListPermissionSetsCommand({ InstanceArn: "not-an-arn" }))).rejects.toMatchObject({ name: "ValidationException" });
      const unknownSet = `arn:aws:sso:::permissionSet/${instanceArn.split("/")[1]}/ps-0000000000000000`;
      await expect(sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: unknownSet }))).rejects.toMatchObject({
        name: "ResourceNotFoundException",
      });
    });

    it("attaches a managed policy once and lists it", async () => {
      const arn = await createSet("AdministratorAccess");
      const attach = () =>
        sso.send(
          new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn, ManagedPolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
        );
      await attach();
      await expect(attach()).rejects.toMatchObject({ name: "ConflictException" });
      const listed = await sso.send(new ListManagedPoliciesInPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
      expect(listed.AttachedManagedPolicies).toEqual([{ Name: "AdministratorAccess", Arn: "arn:aws:iam::aws:policy/AdministratorAccess" }]);
    });
  });

  describe("assignments and provisioning", () => {
    it("creates an assignment asynchronously, provisions the set, and treats a repeat as success", async () => {
      await control(sandbox, "POST", "/timings", { assignmentMs: 3_600_000 });
      const setArn = await createSet("AdministratorAccess");
      const groupId = await createGroup();
      const dev = accountId("acme-dev");
      const assign = () =>
        sso.send(
          new CreateAccountAssignmentCommand({ InstanceArn: instanceArn, TargetId: dev, TargetType: "AWS_ACCOUNT", PermissionSetArn: setArn, PrincipalType: "GROUP", PrincipalId: groupId }),
        );
      const started = (await assign()).AccountAssignmentCreationStatus!;
      expect(started).toMatchObject({ Status: "IN_PROGRESS", TargetId: dev, PrincipalId: groupId });
      const describe = (id: string) =>
        sso.send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: id }));
      expect((await describe(started.RequestId!)).AccountAssignmentCreationStatus!.Status).toBe("IN_PROGRESS");
      expect((await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: dev, PermissionSetArn: setArn }))).AccountAssignments).toEqual([]);
      settleNow();
      expect((await describe(started.RequestId!)).AccountAssignmentCreationStatus!.Status).toBe("SUCCEEDED");
      const listed = await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: dev, PermissionSetArn: setArn }));
      expect(listed.AccountAssignments).toEqual([{ AccountId: dev, PermissionSetArn: setArn, PrincipalType: "GROUP", PrincipalId: groupId }]);
      const provisioned = await sso.send(new ListPermissionSetsProvisionedToAccountCommand({ InstanceArn: instanceArn, AccountId: dev }));
      expect(provisioned.PermissionSets).toEqual([setArn]);

      const again = (await assign()).AccountAssignmentCreationStatus!;
      settleNow();
      expect((await describe(again.RequestId!)).AccountAssignmentCreationStatus!.Status).toBe("SUCCEEDED");
      expect((await worldState(sandbox)).assignments).toHaveLength(1);
    });

    it("fails the assignment asynchronously for an account outside the organization", async () => {
      const setArn = await createSet("AdministratorAccess");
      const groupId = await createGroup();
      const started = await sso.send(
        new CreateAccountAssignmentCommand({ InstanceArn: instanceArn, TargetId: "999988887777", TargetType: "AWS_ACCOUNT", PermissionSetArn: setArn, PrincipalType: "GROUP", PrincipalId: groupId }),
      );
      const status = await sso.send(
        new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: started.AccountAssignmentCreationStatus!.RequestId }),
      );
      expect(status.AccountAssignmentCreationStatus).toMatchObject({ Status: "FAILED", FailureReason: expect.stringContaining("999988887777") });
    });

    it("refuses an unknown principal", async () => {
      const setArn = await createSet("AdministratorAccess");
      await expect(
        sso.send(
          new CreateAccountAssignmentCommand({
            InstanceArn: instanceArn,
            TargetId: accountId("acme-dev"),
            TargetType: "AWS_ACCOUNT",
            PermissionSetArn: setArn,
            PrincipalType: "USER",
            PrincipalId: "0123456789-01234567-89ab-cdef-0123-456789abcdef",
          }),
        ),
      ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    });

    it("throttles past 10 outstanding assignment operations", async () => {
      await control(sandbox, "POST", "/timings", { assignmentMs: 3_600_000 });
      const setArn = await createSet("AdministratorAccess");
      const groups = [];
      for (let i = 0; i < 11; i++) groups.push(await createGroup(`Group${i}`));
      const oneShot = new SSOAdminClient({ ...clientConfig(sandbox), maxAttempts: 1 });
      const assign = (groupId: string) =>
        oneShot.send(
          new CreateAccountAssignmentCommand({
            InstanceArn: instanceArn,
            TargetId: accountId("acme-dev"),
            TargetType: "AWS_ACCOUNT",
            PermissionSetArn: setArn,
            PrincipalType: "GROUP",
            PrincipalId: groupId,
          }),
        );
      for (const g of groups.slice(0, 10)) await assign(g);
      await expect(assign(groups[10])).rejects.toMatchObject({ name: "ThrottlingException" });
      settleNow();
      await assign(groups[10]);
    });

    it("lists assignment operations by status, paged, creations and deletions apart", async () => {
      await control(sandbox, "POST", "/timings", { assignmentMs: 3_600_000 });
      const setArn = await createSet("AdministratorAccess");
      const groups = [];
      for (let i = 0; i < 3; i++) groups.push(await createGroup(`Lister${i}`));
      const target = (PrincipalId: string) => ({ InstanceArn: instanceArn, TargetId: accountId("acme-dev"), TargetType: "AWS_ACCOUNT" as const, PermissionSetArn: setArn, PrincipalType: "GROUP" as const, PrincipalId });
      const ids = [];
      for (const g of groups) ids.push((await sso.send(new CreateAccountAssignmentCommand(target(g)))).AccountAssignmentCreationStatus!.RequestId!);
      const list = (input: { Status?: "IN_PROGRESS" | "SUCCEEDED" | "FAILED"; MaxResults?: number; NextToken?: string }) =>
        sso.send(new ListAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, ...(input.Status ? { Filter: { Status: input.Status } } : {}), MaxResults: input.MaxResults, NextToken: input.NextToken }));
      const first = await list({ Status: "IN_PROGRESS", MaxResults: 2 });
      expect(first.AccountAssignmentsCreationStatus).toHaveLength(2);
      expect(first.AccountAssignmentsCreationStatus![0]).toEqual({ Status: "IN_PROGRESS", RequestId: ids[0], CreatedDate: expect.any(Date) });
      const second = await list({ Status: "IN_PROGRESS", MaxResults: 2, NextToken: first.NextToken });
      expect([...first.AccountAssignmentsCreationStatus!, ...second.AccountAssignmentsCreationStatus!].map((o) => o.RequestId)).toEqual(ids);
      expect(second.NextToken).toBeUndefined();
      settleNow();
      expect((await list({ Status: "IN_PROGRESS" })).AccountAssignmentsCreationStatus).toEqual([]);
      expect((await list({ Status: "SUCCEEDED" })).AccountAssignmentsCreationStatus!.map((o) => o.RequestId)).toEqual(ids);
      await expect(list({ MaxResults: 101 })).rejects.toMatchObject({ name: "ValidationException" });
      // A deletion is listed by the other operation only.
      const deletion = (await sso.send(new DeleteAccountAssignmentCommand(target(groups[0])))).AccountAssignmentDeletionStatus!;
      const deletions = await sso.send(new ListAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, Filter: { Status: "IN_PROGRESS" } }));
      expect(deletions.AccountAssignmentsDeletionStatus!.map((o) => o.RequestId)).toEqual([deletion.RequestId]);
      expect((await list({})).AccountAssignmentsCreationStatus!.map((o) => o.RequestId)).toEqual(ids);
    });

    it("deletes an assignment asynchronously and lists assignments for a principal", async () => {
      const setArn = await createSet("AdministratorAccess");
      const groupId = await createGroup();
      const user = await new IdentitystoreClient(clientConfig(sandbox)).send(
        new CreateUserCommand({ IdentityStoreId: storeId, UserName: "ada", DisplayName: "Ada", Name: { GivenName: "Ada", FamilyName: "L" } }),
      );
      const target = (TargetId: string, PrincipalType: "USER" | "GROUP", PrincipalId: string) => ({
        InstanceArn: instanceArn,
        TargetId,
        TargetType: "AWS_ACCOUNT" as const,
        PermissionSetArn: setArn,
        PrincipalType,
        PrincipalId,
      });
      for (const name of ["acme-dev", "acme-prod"]) await sso.send(new CreateAccountAssignmentCommand(target(accountId(name), "GROUP", groupId)));
      await sso.send(new CreateAccountAssignmentCommand(target(accountId("acme-dev"), "USER", user.UserId!)));
      const forGroup = await sso.send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: groupId, PrincipalType: "GROUP" }));
      expect(forGroup.AccountAssignments!.map((a) => a.AccountId)).toEqual([accountId("acme-dev"), accountId("acme-prod")]);
      const filtered = await sso.send(
        new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalId: groupId, PrincipalType: "GROUP", Filter: { AccountId: accountId("acme-prod") } }),
      );
      expect(filtered.AccountAssignments).toHaveLength(1);

      const deletion = (await sso.send(new DeleteAccountAssignmentCommand(target(accountId("acme-dev"), "USER", user.UserId!)))).AccountAssignmentDeletionStatus!;
      const status = await sso.send(
        new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: deletion.RequestId }),
      );
      expect(status.AccountAssignmentDeletionStatus!.Status).toBe("SUCCEEDED");
      expect((await worldState(sandbox)).assignments.filter((a) => a.PrincipalType === "USER")).toEqual([]);
      await expect(sso.send(new DeleteAccountAssignmentCommand(target(accountId("acme-dev"), "USER", user.UserId!)))).rejects.toMatchObject({
        name: "ResourceNotFoundException",
      });
    });

    it("marks a changed permission set outdated until ProvisionPermissionSet", async () => {
      const setArn = await createSet("AdministratorAccess");
      const groupId = await createGroup();
      const dev = accountId("acme-dev");
      await sso.send(
        new CreateAccountAssignmentCommand({ InstanceArn: instanceArn, TargetId: dev, TargetType: "AWS_ACCOUNT", PermissionSetArn: setArn, PrincipalType: "GROUP", PrincipalId: groupId }),
      );
      const notProvisioned = () =>
        sso.send(new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: setArn, ProvisioningStatus: "LATEST_PERMISSION_SET_NOT_PROVISIONED" }));
      expect((await notProvisioned()).AccountIds).toEqual([]);
      await sso.send(new UpdatePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: setArn, SessionDuration: "PT8H" }));
      expect((await notProvisioned()).AccountIds).toEqual([dev]);
      expect((await worldState(sandbox)).permissionSets[0].outdated).toBe(true);

      await control(sandbox, "POST", "/timings", { assignmentMs: 3_600_000 });
      const started = (await sso.send(new ProvisionPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: setArn, TargetType: "ALL_PROVISIONED_ACCOUNTS" })))
        .PermissionSetProvisioningStatus!;
      expect(started.Status).toBe("IN_PROGRESS");
      const status = await sso.send(
        new DescribePermissionSetProvisioningStatusCommand({ InstanceArn: instanceArn, ProvisionPermissionSetRequestId: started.RequestId }),
      );
      expect(status.PermissionSetProvisioningStatus!.PermissionSetArn).toBe(setArn);
      expect((await notProvisioned()).AccountIds).toEqual([]);
      expect((await worldState(sandbox)).permissionSets[0].outdated).toBe(false);
    });
  });
});
