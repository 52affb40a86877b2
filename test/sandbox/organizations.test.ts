import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  EnableAWSServiceAccessCommand,
  ListAccountsCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListCreateAccountStatusCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListCreateAccountStatus,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { clientConfig, control, openSandbox, scenario, worldState } from "../helpers/sandbox.js";

describe("emulated Organizations", () => {
  let sandbox: Sandbox;
  let orgs: OrganizationsClient;
  beforeAll(async () => {
    sandbox = await openSandbox();
    orgs = new OrganizationsClient(clientConfig(sandbox));
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const createOrg = () => orgs.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const createAccount = (name: string, email = `${name}@example.com`) =>
    orgs.send(new CreateAccountCommand({ AccountName: name, Email: email })).then((r) => r.CreateAccountStatus!);
  /** Moves every pending creation or closure to its end, as if their time had passed. */
  const settleNow = () => {
    for (const s of sandbox.state.createAccountStatuses.values()) s.settlesAt = 0;
    for (const a of sandbox.state.accounts.values()) if (a.closesAt !== undefined) a.closesAt = 0;
  };

  describe("organization", () => {
    it("reports no organization, then creates one with all features, once", async () => {
      await expect(orgs.send(new DescribeOrganizationCommand({}))).rejects.toMatchObject({ name: "AWSOrganizationsNotInUseException" });
      const created = await orgs.send(new CreateOrganizationCommand({}));
      expect(created.Organization).toMatchObject({ FeatureSet: "ALL", MasterAccountId: "111111111111", MasterAccountEmail: "owner@example.com" });
      expect(created.Organization!.Id).toMatch(/^o-[a-z0-9]{10}$/);
      const described = await orgs.send(new DescribeOrganizationCommand({}));
      expect(described.Organization!.Id).toBe(created.Organization!.Id);
      await expect(createOrg()).rejects.toMatchObject({ name: "AlreadyInOrganizationException" });
      const roots = await orgs.send(new ListRootsCommand({}));
      expect(roots.Roots).toHaveLength(1);
      expect(roots.Roots![0]).toMatchObject({ Name: "Root", Id: expect.stringMatching(/^r-/) });
    });

    it("can create a consolidated-billing-only organization, which the caller must be able to detect", async () => {
      const created = await orgs.send(new CreateOrganizationCommand({ FeatureSet: "CONSOLIDATED_BILLING" }));
      expect(created.Organization!.FeatureSet).toBe("CONSOLIDATED_BILLING");
      await expect(orgs.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" }))).rejects.toMatchObject({
        name: "AccessDeniedException",
      });
    });

    it("shows a member account the organization it belongs to, and refuses it management calls", async () => {
      await scenario(sandbox, { caller: "member" });
      const described = await orgs.send(new DescribeOrganizationCommand({}));
      expect(described.Organization!.MasterAccountId).toBe("999999999999");
      await expect(createAccount("dev")).rejects.toMatchObject({ name: "AccessDeniedException" });
      await expect(orgs.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: "AccessDeniedException" });
      await expect(createOrg()).rejects.toMatchObject({ name: "AlreadyInOrganizationException" });
    });
  });

  describe("CreateAccount", () => {
    it("needs an organization", async () => {
      await expect(createAccount("dev")).rejects.toMatchObject({ name: "AWSOrganizationsNotInUseException" });
    });

    it.each([
      ["an email shorter than 6 characters", "a@b.c", "acme-dev", "MIN_LENGTH_EXCEEDED"],
      ["an email longer than 64 characters", `${"x".repeat(60)}@example.com`, "acme-dev", "MAX_LENGTH_EXCEEDED"],
      ["an email without @", "owner.example.com", "acme-dev", "INVALID_PATTERN"],
      ["an email with non-ASCII characters", "dévé@example.com", "acme-dev", "INVALID_PATTERN"],
      ["a name longer than 50 characters", "dev@example.com", "n".repeat(51), "MAX_LENGTH_EXCEEDED"],
    ])("rejects %s with InvalidInputException", async (_what, email, name, reason) => {
      await createOrg();
      await expect(createAccount(name, email)).rejects.toMatchObject({ name: "InvalidInputException", Reason: reason });
      expect(sandbox.state.createAccountStatuses.size).toBe(0);
    });

    it("answers IN_PROGRESS and settles to SUCCEEDED with a new ACTIVE account", async () => {
      await createOrg();
      await control(sandbox, "POST", "/timings", { createAccountMs: 3_600_000 });
      const started = await createAccount("acme-dev", "owner+dev@example.com");
      expect(started.State).toBe("IN_PROGRESS");
      expect(started.Id).toMatch(/^car-[a-z0-9]{8,32}$/);
      expect(started.RequestedTimestamp).toBeInstanceOf(Date);
      const still = await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started.Id }));
      expect(still.CreateAccountStatus!.State).toBe("IN_PROGRESS");
      settleNow();
      const done = (await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started.Id }))).CreateAccountStatus!;
      expect(done.State).toBe("SUCCEEDED");
      expect(done.AccountId).toMatch(/^\d{12}$/);
      expect(done.CompletedTimestamp).toBeInstanceOf(Date);
      const account = (await orgs.send(new DescribeAccountCommand({ AccountId: done.AccountId }))).Account!;
      expect(account).toMatchObject({ Name: "acme-dev", Email: "owner+dev@example.com", State: "ACTIVE", Status: "ACTIVE", JoinedMethod: "CREATED" });
    });

    it("fails with EMAIL_ALREADY_EXISTS when an account already uses the email", async () => {
      await createOrg();
      const started = await createAccount("acme-dev", "owner@example.com");
      const status = (await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: started.Id }))).CreateAccountStatus!;
      expect(status).toMatchObject({ State: "FAILED", FailureReason: "EMAIL_ALREADY_EXISTS" });
      expect(status.AccountId).toBeUndefined();
      expect((await worldState(sandbox)).accounts).toHaveLength(1);
    });

    it("fails a second creation of the same email that is still in progress", async () => {
      await createOrg();
      await control(sandbox, "POST", "/timings", { createAccountMs: 3_600_000 });
      await createAccount("acme-dev", "dev@example.com");
      const second = await createAccount("acme-dev-2", "dev@example.com");
      settleNow();
      const status = (await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: second.Id }))).CreateAccountStatus!;
      expect(status.FailureReason).toBe("CONCURRENT_ACCOUNT_MODIFICATION");
    });

    it("fails with the reason a scenario injects by email or by name", async () => {
      await scenario(sandbox, { organization: {}, createAccountFailures: { "acme-prod": "INVALID_ADDRESS", "dev@example.com": "INTERNAL_FAILURE" } });
      const prod = await createAccount("acme-prod", "prod@example.com");
      const dev = await createAccount("acme-dev", "dev@example.com");
      const reasons = await Promise.all(
        [prod, dev].map(async (s) => (await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: s.Id }))).CreateAccountStatus!.FailureReason),
      );
      expect(reasons).toEqual(["INVALID_ADDRESS", "INTERNAL_FAILURE"]);
    });

    it("refuses creations past the account quota, counting those in progress", async () => {
      await scenario(sandbox, { organization: {}, accountQuota: 3 });
      await control(sandbox, "POST", "/timings", { createAccountMs: 3_600_000 });
      await createAccount("acme-dev");
      await createAccount("acme-prod");
      await expect(createAccount("acme-test")).rejects.toMatchObject({ name: "ConstraintViolationException", Reason: "ACCOUNT_NUMBER_LIMIT_EXCEEDED" });
    });

    it("allows at most five creations in progress at once", async () => {
      await scenario(sandbox, { organization: {}, accountQuota: 100 });
      await control(sandbox, "POST", "/timings", { createAccountMs: 3_600_000 });
      for (const n of [1, 2, 3, 4, 5]) await createAccount(`acme-${n}`);
      await expect(createAccount("acme-6")).rejects.toMatchObject({ name: "ConstraintViolationException", Reason: "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED" });
      settleNow();
      expect((await createAccount("acme-6")).State).toBe("IN_PROGRESS");
    });

    it("answers FinalizingOrganizationException right after the organization is created", async () => {
      await control(sandbox, "POST", "/timings", { finalizingOrganizationMs: 3_600_000 });
      await createOrg();
      await expect(createAccount("acme-dev")).rejects.toMatchObject({ name: "FinalizingOrganizationException" });
      await control(sandbox, "POST", "/timings", { finalizingOrganizationMs: 0 });
      expect((await createAccount("acme-dev")).State).toBe("IN_PROGRESS");
    });

    it("reports an unknown request id with CreateAccountStatusNotFoundException", async () => {
      await createOrg();
      await expect(
        orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: "car-0123456789abcdef" })),
      ).rejects.toMatchObject({ name: "CreateAccountStatusNotFoundException" });
    });
  });

  describe("listing", () => {
    it("pages ListAccounts with NextToken and returns State with the legacy Status", async () => {
      await scenario(sandbox, {
        accounts: Array.from({ length: 7 }, (_, i) => ({ name: `acme-${i}`, email: `acme+${i}@example.com`, state: i === 6 ? "SUSPENDED" : "ACTIVE" })),
      });
      const sizes: number[] = [];
      let token: string | undefined;
      do {
        const page = await orgs.send(new ListAccountsCommand({ NextToken: token }));
        sizes.push(page.Accounts!.length);
        token = page.NextToken;
      } while (token);
      expect(sizes).toEqual([3, 3, 2]);
      const all = [];
      for await (const page of paginateListAccounts({ client: orgs }, {})) all.push(...page.Accounts!);
      expect(all.map((a) => a.Name)).toEqual(["management", ...Array.from({ length: 7 }, (_, i) => `acme-${i}`)]);
      expect(all.at(-1)).toMatchObject({ State: "SUSPENDED", Status: "SUSPENDED" });
      expect(all[0].JoinedTimestamp).toBeInstanceOf(Date);
    });

    it("never pages past AWS's 20 accounts even when asked for more, and rejects a forged NextToken", async () => {
      await scenario(sandbox, { maxPageSize: 1000, accounts: Array.from({ length: 25 }, (_, i) => ({ name: `a${i}`, email: `a+${i}@example.com` })) });
      expect((await orgs.send(new ListAccountsCommand({}))).Accounts).toHaveLength(20);
      await expect(orgs.send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toMatchObject({ name: "InvalidInputException" });
      await expect(orgs.send(new ListAccountsCommand({ NextToken: "not-a-token" }))).rejects.toMatchObject({
        name: "InvalidInputException",
        Reason: "INVALID_NEXT_TOKEN",
      });
    });

    it("filters ListCreateAccountStatus by state, across pages", async () => {
      await scenario(sandbox, { organization: {}, accountQuota: 100, createAccountFailures: { "acme-bad": "INVALID_EMAIL" } });
      await control(sandbox, "POST", "/timings", { createAccountMs: 3_600_000 });
      await createAccount("acme-bad");
      settleNow();
      for (const n of [1, 2, 3, 4]) await createAccount(`acme-${n}`);
      const inProgress = [];
      for await (const page of paginateListCreateAccountStatus({ client: orgs }, { States: ["IN_PROGRESS"] })) inProgress.push(...page.CreateAccountStatuses!);
      expect(inProgress.map((s) => s.AccountName)).toEqual(["acme-1", "acme-2", "acme-3", "acme-4"]);
      const failed = await orgs.send(new ListCreateAccountStatusCommand({ States: ["FAILED"] }));
      expect(failed.CreateAccountStatuses).toMatchObject([{ AccountName: "acme-bad", FailureReason: "INVALID_EMAIL" }]);
    });

    it("reports an unknown account with AccountNotFoundException", async () => {
      await createOrg();
      await expect(orgs.send(new DescribeAccountCommand({ AccountId: "123456789012" }))).rejects.toMatchObject({ name: "AccountNotFoundException" });
    });
  });

  describe("CloseAccount", () => {
    it("moves a member account to PENDING_CLOSURE, then SUSPENDED, and refuses to close it twice", async () => {
      await scenario(sandbox, { accounts: [{ name: "acme-dev", email: "dev@example.com" }] });
      await control(sandbox, "POST", "/timings", { closeAccountMs: 3_600_000 });
      const id = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!.Id;
      await orgs.send(new CloseAccountCommand({ AccountId: id }));
      expect((await orgs.send(new DescribeAccountCommand({ AccountId: id }))).Account).toMatchObject({ State: "PENDING_CLOSURE", Status: "PENDING_CLOSURE" });
      settleNow();
      expect((await orgs.send(new DescribeAccountCommand({ AccountId: id }))).Account!.State).toBe("SUSPENDED");
      await expect(orgs.send(new CloseAccountCommand({ AccountId: id }))).rejects.toMatchObject({ name: "AccountAlreadyClosedException" });
    });

    it("refuses the management account and unknown accounts", async () => {
      await createOrg();
      await expect(orgs.send(new CloseAccountCommand({ AccountId: "111111111111" }))).rejects.toMatchObject({
        name: "ConstraintViolationException",
        Reason: "CANNOT_CLOSE_MANAGEMENT_ACCOUNT",
      });
      await expect(orgs.send(new CloseAccountCommand({ AccountId: "123456789012" }))).rejects.toMatchObject({ name: "AccountNotFoundException" });
    });

    it("enforces the rolling 30-day closure quota of max(250, 20% of members)", async () => {
      await scenario(sandbox, { accounts: [{ name: "acme-dev", email: "dev@example.com" }] });
      const id = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!.Id;
      const now = Date.now();
      sandbox.state.accountClosures = Array.from({ length: 250 }, () => now - 1000);
      await expect(orgs.send(new CloseAccountCommand({ AccountId: id }))).rejects.toMatchObject({
        name: "ConstraintViolationException",
        Reason: "CLOSE_ACCOUNT_QUOTA_EXCEEDED",
      });
      // Closures older than 30 days no longer count.
      sandbox.state.accountClosures = Array.from({ length: 250 }, () => now - 31 * 24 * 3600 * 1000);
      await orgs.send(new CloseAccountCommand({ AccountId: id }));
      expect(sandbox.state.accounts.get(id)!.State).not.toBe("ACTIVE");
    });
  });

  it("enables trusted service access and lists it", async () => {
    await createOrg();
    await orgs.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" }));
    await orgs.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" }));
    const listed = await orgs.send(new ListAWSServiceAccessForOrganizationCommand({}));
    expect(listed.EnabledServicePrincipals).toHaveLength(1);
    expect(listed.EnabledServicePrincipals![0]).toMatchObject({ ServicePrincipal: "sso.amazonaws.com", DateEnabled: expect.any(Date) });
  });
});
