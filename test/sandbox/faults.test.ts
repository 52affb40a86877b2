import { IdentitystoreClient, ListUsersCommand, paginateListUsers } from "@aws-sdk/client-identitystore";
import { CreateAccountCommand, ListAccountsCommand, OrganizationsClient, paginateListAccounts } from "@aws-sdk/client-organizations";
import { ListInstancesCommand, ListPermissionSetsCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { callLog, clientConfig, control, openSandbox, scenario } from "../helpers/sandbox.js";

/** Clients as production configures them: standard retries with backoff. */
const retrying = (sandbox: Sandbox, maxAttempts = 6) => ({ ...clientConfig(sandbox), retryMode: "standard", maxAttempts });

describe("faults and rate limits in the emulated control plane", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    await scenario(sandbox, { identityCenter: { enabled: true }, accounts: [{ name: "acme-dev", email: "dev@example.com" }] });
  });

  it("with 30% throttling, clients with standard retries still get every answer", async () => {
    const orgs = new OrganizationsClient(retrying(sandbox));
    const sso = new SSOAdminClient(retrying(sandbox));
    await control(sandbox, "POST", "/faults", { throttleRate: 0.3 });
    for (let i = 0; i < 5; i++) {
      expect((await orgs.send(new ListAccountsCommand({}))).Accounts).toHaveLength(2);
      expect((await sso.send(new ListInstancesCommand({}))).Instances).toHaveLength(1);
    }
    const codes = (await callLog(sandbox)).map((c) => c.errorCode).filter(Boolean);
    expect(codes).toContain("TooManyRequestsException");
    expect(codes).toContain("ThrottlingException");
  });

  it.each([
    ["organizations", "ServiceException", (s: Sandbox) => new OrganizationsClient(retrying(s, 3)).send(new ListAccountsCommand({}))],
    ["sso-admin", "InternalServerException", (s: Sandbox) => new SSOAdminClient(retrying(s, 3)).send(new ListInstancesCommand({}))],
    ["identitystore", "InternalServerException", (s: Sandbox) => new IdentitystoreClient(retrying(s, 3)).send(new ListUsersCommand({ IdentityStoreId: "d-0000000000" }))],
  ])("with every call failing, %s gives up with %s after its retries", async (service, name, call) => {
    await control(sandbox, "POST", "/faults", { serverErrorRate: 1 });
    const error = await call(sandbox).then(
      () => undefined,
      (e: unknown) => e as { name: string; $metadata: { httpStatusCode?: number; attempts?: number } },
    );
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: 500, attempts: 3 } });
    expect((await callLog(sandbox)).filter((c) => c.service === service)).toHaveLength(3);
  });

  it("spread faults fail exactly the given share of calls, both kinds, never the same call", async () => {
    const orgs = new OrganizationsClient(retrying(sandbox, 1));
    await control(sandbox, "POST", "/faults", { throttleRate: 0.1, serverErrorRate: 0.05, spread: true });
    const outcomes = [];
    for (let i = 0; i < 40; i++) outcomes.push(await orgs.send(new ListAccountsCommand({})).then(() => "ok", (e: Error) => e.name));
    expect(outcomes.filter((o) => o === "TooManyRequestsException")).toHaveLength(4);
    expect(outcomes.filter((o) => o === "ServiceException")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(34);
  });

  it("limits faults to the operations named", async () => {
    const orgs = new OrganizationsClient(retrying(sandbox, 1));
    await control(sandbox, "POST", "/faults", { serverErrorRate: 1, operations: ["CreateAccount"] });
    expect((await orgs.send(new ListAccountsCommand({}))).Accounts).toHaveLength(2);
    await expect(orgs.send(new CreateAccountCommand({ AccountName: "acme-prod", Email: "prod@example.com" }))).rejects.toMatchObject({
      name: "ServiceException",
    });
  });

  describe("with AWS's request rates enforced", () => {
    it("throttles CreateAccount past its burst of 3", async () => {
      const orgs = new OrganizationsClient(retrying(sandbox, 1));
      await control(sandbox, "POST", "/faults", { enforceRateLimits: true });
      for (const stage of ["a", "b", "c"]) await orgs.send(new CreateAccountCommand({ AccountName: `acme-${stage}`, Email: `${stage}@example.com` }));
      await expect(orgs.send(new CreateAccountCommand({ AccountName: "acme-d", Email: "d@example.com" }))).rejects.toMatchObject({
        name: "TooManyRequestsException",
      });
      // Other operations have buckets of their own.
      expect((await orgs.send(new ListAccountsCommand({}))).Accounts!.length).toBeGreaterThan(0);
    });

    it("throttles Identity Center calls past their shared burst", async () => {
      const sso = new SSOAdminClient(retrying(sandbox, 1));
      const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances![0].InstanceArn!;
      // A slowed refill keeps the burst the only budget, so the count is exact.
      await control(sandbox, "POST", "/faults", { enforceRateLimits: true, rateScale: 0.0001 });
      const outcomes = [];
      for (let i = 0; i < 21; i++) {
        outcomes.push(await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn })).then(() => "ok", (e: Error) => e.name));
      }
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(20);
      expect(outcomes.at(-1)).toBe("ThrottlingException");
    });
  });

  it("seeds a large organization that pages completely", async () => {
    sandbox.reset();
    await scenario(sandbox, { maxPageSize: 100, seed: { accounts: 500, users: 2000, groups: 20, permissionSets: 5, assignmentsPerAccount: 2 } });
    const orgs = new OrganizationsClient(clientConfig(sandbox));
    let accounts = 0;
    for await (const page of paginateListAccounts({ client: orgs }, {})) accounts += page.Accounts!.length;
    expect(accounts).toBe(501);
    const sso = new SSOAdminClient(clientConfig(sandbox));
    const storeId = (await sso.send(new ListInstancesCommand({}))).Instances![0].IdentityStoreId!;
    const ids = new IdentitystoreClient(clientConfig(sandbox));
    let users = 0;
    let pages = 0;
    for await (const page of paginateListUsers({ client: ids }, { IdentityStoreId: storeId })) {
      users += page.Users!.length;
      pages += 1;
    }
    expect(users).toBe(2000);
    expect(pages).toBe(20);
    expect(sandbox.state.assignments).toHaveLength(1000);
    expect(sandbox.state.memberships.size).toBe(2000);
  });
  it("drop: the chosen call is applied, the connection is reset unanswered, and the SDK's retry arrives as a second call", async () => {
    const orgs = new OrganizationsClient(retrying(sandbox));
    await control(sandbox, "POST", "/drop", { operation: "CreateAccount" });
    const out = await orgs.send(new CreateAccountCommand({ AccountName: "acme-qa", Email: "qa@example.com" }));
    expect(out.CreateAccountStatus?.State).toBe("IN_PROGRESS");
    expect(await control(sandbox, "GET", "/drop")).toMatchObject({ dropped: true });
    const creations = (await callLog(sandbox)).filter((c) => c.operation === "CreateAccount");
    expect(creations.map((c) => c.errorCode ?? c.status)).toEqual(["RESET", 200]);
    // Both were applied: AWS saw the same request twice.
    expect([...sandbox.state.createAccountStatuses.values()].filter((s) => s.AccountName === "acme-qa")).toHaveLength(2);

    // Without retries the caller sees the reset itself, as a network error.
    await control(sandbox, "POST", "/drop", { mutatingCall: 1 });
    const once = new OrganizationsClient(retrying(sandbox, 1));
    await expect(once.send(new CreateAccountCommand({ AccountName: "acme-uat", Email: "uat@example.com" }))).rejects.toMatchObject({ code: "ECONNRESET" });
    orgs.destroy();
    once.destroy();
  });

  it("barrier: calls of the operation wait until the given number has arrived, then are applied in arrival order", async () => {
    const orgs = new OrganizationsClient(retrying(sandbox));
    await control(sandbox, "POST", "/barrier", { operation: "CreateAccount", calls: 2 });
    const first = orgs.send(new CreateAccountCommand({ AccountName: "acme-one", Email: "one@example.com" }));
    const arrived = async () => (await callLog(sandbox)).filter((c) => c.operation === "CreateAccount");
    while ((await arrived()).length === 0) await new Promise((r) => setTimeout(r, 10));
    expect((await arrived())[0].status).toBeUndefined(); // held, not answered
    expect(sandbox.state.createAccountStatuses.size).toBe(0);
    const second = orgs.send(new CreateAccountCommand({ AccountName: "acme-two", Email: "two@example.com" }));
    await Promise.all([first, second]);
    expect([...sandbox.state.createAccountStatuses.values()].map((s) => s.AccountName)).toEqual(["acme-one", "acme-two"]);
    orgs.destroy();
  });
});
