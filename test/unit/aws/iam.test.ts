/**
 * The IAM adapter (src/aws/iam.ts) against the emulated IAM, in a member account reached through
 * the client provider: paging folded in, trust policies decoded, and calls that find their work
 * done (a retried create, a delete of what is gone) answering as done.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClientProvider } from "../../../src/aws/clientProvider.js";
import { openIam, type IamApi } from "../../../src/aws/iam.js";
import { applyScenario } from "../../../src/sandbox/scenario.js";
import { startSandbox, type Sandbox } from "../../../src/sandbox/server.js";

let sandbox: Sandbox;
let devId: string;
let iam: IamApi;
beforeAll(async () => {
  sandbox = await startSandbox({ callerKind: "iam-user" });
  applyScenario(sandbox.state, { organization: {}, accounts: [{ name: "acme-dev", email: "owner+acme-dev@example.com" }] });
  devId = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!.Id;
  const provider = createClientProvider({ region: "eu-west-1", endpoint: sandbox.url, credentials: async () => ({ accessKeyId: "AKIASANDBOXEXAMPLE01", secretAccessKey: "x" }) });
  iam = await openIam(provider.account(devId));
});
afterAll(() => sandbox.close());

const trust = (accountId: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/app:*" } },
      },
    ],
  });

describe("the IAM adapter", () => {
  it("acts in the member account, signs for us-east-1, and finds a provider that a retried create already made", async () => {
    const arn = await iam.createOpenIdConnectProvider({ url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"], tags: { "org-bootstrap:managed-by": "org-bootstrap" } });
    expect(arn).toBe(`arn:aws:iam::${devId}:oidc-provider/token.actions.githubusercontent.com`);
    expect(await iam.createOpenIdConnectProvider({ url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"] })).toBe(arn);
    expect(await iam.listOpenIdConnectProviders()).toEqual([arn]);
    expect(await iam.getOpenIdConnectProvider(arn)).toEqual({ arn, url: "token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"], tags: { "org-bootstrap:managed-by": "org-bootstrap" } });
    expect(await iam.getOpenIdConnectProvider(`arn:aws:iam::${devId}:oidc-provider/example.com`)).toBeUndefined();
    const create = sandbox.state.calls.find((c) => c.operation === "CreateOpenIDConnectProvider")!;
    expect(create).toMatchObject({ service: "iam", region: "us-east-1", signedAs: { accountId: devId, roleName: "OrganizationAccountAccessRole" } });
  });

  it("reads roles with their trust policy decoded and their tags, through every page", async () => {
    const made = await iam.createRole({ name: "acme-github-deploy", trustPolicy: trust(devId), maxSessionDuration: 3600, tags: { "org-bootstrap:purpose": "github-deploy" } });
    expect(made.arn).toBe(`arn:aws:iam::${devId}:role/acme-github-deploy`);
    // A create that finds the role (the first call was applied, its answer lost) returns it.
    expect((await iam.createRole({ name: "acme-github-deploy", trustPolicy: trust(devId) })).arn).toBe(made.arn);
    const role = (await iam.getRole("acme-github-deploy"))!;
    expect(JSON.parse(role.trustPolicy)).toEqual(JSON.parse(trust(devId)));
    expect(role.tags).toEqual({ "org-bootstrap:purpose": "github-deploy" });
    for (const n of ["r1", "r2", "r3"]) await iam.createRole({ name: n, trustPolicy: trust(devId) });
    expect((await iam.listRoles()).map((r) => r.name)).toEqual(["OrganizationAccountAccessRole", "acme-github-deploy", "r1", "r2", "r3"]);
    expect(await iam.getRole("nobody")).toBeUndefined();
  });

  it("attaches, lists, detaches and deletes, treating what is already gone as done", async () => {
    const policies = ["AdministratorAccess", "ReadOnlyAccess", "ViewOnlyAccess", "PowerUserAccess"].map((p) => `arn:aws:iam::aws:policy/${p}`);
    for (const p of policies) await iam.attachRolePolicy("r1", p);
    expect(await iam.listAttachedRolePolicies("r1")).toEqual(policies);
    for (const p of policies) await iam.detachRolePolicy("r1", p);
    await iam.detachRolePolicy("r1", policies[0]);
    await iam.deleteRole("r1");
    await iam.deleteRole("r1");
    expect(await iam.getRole("r1")).toBeUndefined();
    await iam.tagRole("r2", { a: "1", b: "2", c: "3", d: "4" });
    expect(await iam.listRoleTags("r2")).toEqual({ a: "1", b: "2", c: "3", d: "4" });
    const arn = `arn:aws:iam::${devId}:oidc-provider/token.actions.githubusercontent.com`;
    await iam.deleteOpenIdConnectProvider(arn);
    await iam.deleteOpenIdConnectProvider(arn);
    expect(await iam.listOpenIdConnectProviders()).toEqual([]);
  });
});
