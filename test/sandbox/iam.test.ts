/**
 * Emulated IAM and STS's web-identity federation: what `ci github` relies on, through the real
 * SDK clients. Per account (the management account's keys act there, AssumeRole credentials in
 * the member account), with IAM's errors and quotas, and trust policies evaluated against the
 * token's claims (docs/aws-facts.md, IAM and GitHub's OIDC tokens).
 */
import {
  AddClientIDToOpenIDConnectProviderCommand,
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListRoleTags,
  paginateListRoles,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { githubToken } from "../helpers/githubToken.js";
import { clientConfig, openSandbox, scenario, worldState } from "../helpers/sandbox.js";

const GITHUB = "https://token.actions.githubusercontent.com";
const trust = (accountId: string, condition: Record<string, Record<string, string | string[]>>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: condition,
      },
    ],
  });
const aud = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };

describe("emulated IAM", () => {
  let sandbox: Sandbox;
  let devId: string;
  let iam: IAMClient;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    sandbox.reset();
    await scenario(sandbox, { caller: "iam-user", organization: {}, accounts: [{ name: "acme-dev", email: "dev@example.com" }] });
    devId = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!.Id;
    const sts = new STSClient(clientConfig(sandbox));
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${devId}:role/OrganizationAccountAccessRole`, RoleSessionName: "test" }))).Credentials!;
    iam = new IAMClient({ ...clientConfig(sandbox), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
  });
  const provider = () => iam.send(new CreateOpenIDConnectProviderCommand({ Url: GITHUB, ClientIDList: ["sts.amazonaws.com"] }));
  const providerArn = () => `arn:aws:iam::${devId}:oidc-provider/token.actions.githubusercontent.com`;

  it("shows the access role CreateAccount made in the member account, and not in the management account", async () => {
    const role = (await iam.send(new GetRoleCommand({ RoleName: "OrganizationAccountAccessRole" }))).Role!;
    expect(role.Arn).toBe(`arn:aws:iam::${devId}:role/OrganizationAccountAccessRole`);
    // IAM answers policies URL-encoded (RFC 3986).
    expect(role.AssumeRolePolicyDocument).toMatch(/^%7B/);
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal.AWS).toBe("arn:aws:iam::111111111111:root");
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "OrganizationAccountAccessRole" }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: "AdministratorAccess", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }]);
    const management = new IAMClient(clientConfig(sandbox));
    expect((await management.send(new ListRolesCommand({}))).Roles).toEqual([]);
  });

  it("creates one OIDC provider per URL, answers it without the scheme, adds client ids once and deletes it", async () => {
    expect((await provider()).OpenIDConnectProviderArn).toBe(providerArn());
    await expect(provider()).rejects.toMatchObject({ name: "EntityAlreadyExistsException", $metadata: { httpStatusCode: 409 } });
    await expect(iam.send(new CreateOpenIDConnectProviderCommand({ Url: "http://token.actions.githubusercontent.com" }))).rejects.toMatchObject({ name: "InvalidInputException" });
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn(), ClientID: "sts.amazonaws.com" }));
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn(), ClientID: "other" }));
    const got = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn() }));
    expect(got).toMatchObject({ Url: "token.actions.githubusercontent.com", ClientIDList: ["sts.amazonaws.com", "other"], ThumbprintList: [] });
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: providerArn() }]);
    await iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn() }));
    await expect(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn() }))).rejects.toMatchObject({ name: "NoSuchEntityException", $metadata: { httpStatusCode: 404 } });
  });

  it("refuses trust policies IAM refuses: no provider, no :sub condition, a :sub matching everything, invalid JSON", async () => {
    const create = (doc: string, RoleName = "deploy") => iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: doc }));
    const scoped = trust(devId, { StringEquals: aud, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/app:*" } });
    await expect(create(scoped)).rejects.toMatchObject({ name: "MalformedPolicyDocumentException", message: expect.stringMatching(/Invalid principal/) });
    await provider();
    await expect(create(trust(devId, { StringEquals: aud }))).rejects.toMatchObject({ name: "MalformedPolicyDocumentException", message: expect.stringMatching(/:sub/) });
    await expect(create(trust(devId, { StringEquals: aud, StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } }))).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    await expect(create("{not json")).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    const role = (await create(scoped)).Role!;
    expect(role).toMatchObject({ Arn: `arn:aws:iam::${devId}:role/deploy`, MaxSessionDuration: 3600, Path: "/" });
    expect(role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    await expect(create(scoped, "DEPLOY")).rejects.toMatchObject({ name: "EntityAlreadyExistsException" });
    await expect(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "deploy", PolicyDocument: trust(devId, { StringEquals: aud }) }))).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    await expect(iam.send(new CreateRoleCommand({ RoleName: "long", AssumeRolePolicyDocument: scoped, MaxSessionDuration: 600 }))).rejects.toMatchObject({ name: "ValidationError" });
    await expect(iam.send(new CreateRoleCommand({ RoleName: "bad name", AssumeRolePolicyDocument: scoped }))).rejects.toMatchObject({ name: "ValidationError" });
    const subs = Array.from({ length: 60 }, (_, i) => `repo:acme/app-${i}:ref:refs/heads/main`);
    await expect(create(trust(devId, { StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": subs } }), "big")).rejects.toMatchObject({
      name: "LimitExceededException",
      message: expect.stringMatching(/ACLSizePerRole: 2048/),
    });
  });

  it("attaches managed policies that exist, at most 10, and will not delete a role with policies attached", async () => {
    await provider();
    await iam.send(new CreateRoleCommand({ RoleName: "deploy", AssumeRolePolicyDocument: trust(devId, { StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" } }) }));
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: "deploy", PolicyArn: "arn:aws:iam::aws:policy/NoSuchPolicy" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    await iam.send(new AttachRolePolicyCommand({ RoleName: "deploy", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "deploy", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    // A customer-managed policy must exist in the role's account.
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: "deploy", PolicyArn: `arn:aws:iam::${devId}:policy/p0` }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });
    for (let i = 0; i < 10; i++) await iam.send(new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: document }));
    for (let i = 0; i < 9; i++) await iam.send(new AttachRolePolicyCommand({ RoleName: "deploy", PolicyArn: `arn:aws:iam::${devId}:policy/p${i}` }));
    await expect(iam.send(new AttachRolePolicyCommand({ RoleName: "deploy", PolicyArn: `arn:aws:iam::${devId}:policy/p9` }))).rejects.toMatchObject({ name: "LimitExceededException" });
    await expect(iam.send(new DeleteRoleCommand({ RoleName: "deploy" }))).rejects.toMatchObject({ name: "DeleteConflictException" });
    await iam.send(new DetachRolePolicyCommand({ RoleName: "deploy", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
    for (let i = 0; i < 9; i++) await iam.send(new DetachRolePolicyCommand({ RoleName: "deploy", PolicyArn: `arn:aws:iam::${devId}:policy/p${i}` }));
    await iam.send(new DeleteRoleCommand({ RoleName: "deploy" }));
    await expect(iam.send(new GetRoleCommand({ RoleName: "deploy" }))).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  it("creates customer-managed policies per account and answers GetPolicy for them and for AWS's; another account's or a missing one is NoSuchEntity", async () => {
    const document = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] });
    const made = await iam.send(new CreatePolicyCommand({ PolicyName: "deploy", Path: "/ci/", PolicyDocument: document, Description: "SST deploys" }));
    expect(made.Policy).toMatchObject({ PolicyName: "deploy", Arn: `arn:aws:iam::${devId}:policy/ci/deploy`, Path: "/ci/", DefaultVersionId: "v1", IsAttachable: true });
    expect(made.Policy?.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${devId}:policy/ci/deploy` }))).Policy?.Description).toBe("SST deploys");
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess" }))).Policy).toMatchObject({ PolicyName: "ViewOnlyAccess", Path: "/job-function/" });
    // Names are unique in the account whatever the path or case.
    await expect(iam.send(new CreatePolicyCommand({ PolicyName: "DEPLOY", PolicyDocument: document }))).rejects.toMatchObject({ name: "EntityAlreadyExistsException" });
    await expect(iam.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument: "{not json" }))).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    for (const arn of [`arn:aws:iam::${devId}:policy/ci/missing`, "arn:aws:iam::999999999999:policy/ci/deploy"]) {
      await expect(iam.send(new GetPolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({ name: "NoSuchEntityException", $metadata: { httpStatusCode: 404 } });
    }
  });

  it("pages ListRoles and ListRoleTags with Marker, and TagRole replaces a key's value", async () => {
    await provider();
    const doc = trust(devId, { StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main" } });
    for (const name of ["a", "b", "c", "d"]) await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: doc }));
    const first = await iam.send(new ListRolesCommand({}));
    expect(first.IsTruncated).toBe(true);
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: iam }, {})) names.push(...page.Roles!.map((r) => r.RoleName!));
    expect(names).toEqual(["OrganizationAccountAccessRole", "a", "b", "c", "d"]);
    await iam.send(new TagRoleCommand({ RoleName: "a", Tags: ["k1", "k2", "k3", "k4"].map((Key) => ({ Key, Value: "v" })) }));
    await iam.send(new TagRoleCommand({ RoleName: "a", Tags: [{ Key: "K1", Value: "new" }] }));
    const tags = [];
    for await (const page of paginateListRoleTags({ client: iam }, { RoleName: "a" })) tags.push(...page.Tags!);
    expect(tags).toEqual([{ Key: "k2", Value: "v" }, { Key: "k3", Value: "v" }, { Key: "k4", Value: "v" }, { Key: "K1", Value: "new" }]);
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: "a", MaxItems: 1 }))).Tags).toHaveLength(1);
  });

  describe("AssumeRoleWithWebIdentity", () => {
    const sts = () => new STSClient({ endpoint: sandbox.url, region: "us-east-1", credentials: { accessKeyId: "unused", secretAccessKey: "unused" } });
    const assume = (RoleName: string, token: string) =>
      sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${devId}:role/${RoleName}`, RoleSessionName: "gha", WebIdentityToken: token }));
    beforeEach(async () => {
      await provider();
      await iam.send(new CreateRoleCommand({ RoleName: "any-ref", AssumeRolePolicyDocument: trust(devId, { StringEquals: aud, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/app:*" } }) }));
      await iam.send(new CreateRoleCommand({ RoleName: "env-only", AssumeRolePolicyDocument: trust(devId, { StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": "repo:acme/app:environment:production" } }) }));
    });

    it("lets in exactly the subjects the trust policy names, and answers as the assumed role", async () => {
      const main = await assume("any-ref", githubToken("repo:acme/app:ref:refs/heads/main"));
      expect(main.SubjectFromWebIdentityToken).toBe("repo:acme/app:ref:refs/heads/main");
      expect(main.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${devId}:assumed-role/any-ref/gha`);
      const c = main.Credentials!;
      const asRole = new STSClient({ ...clientConfig(sandbox), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
      expect((await asRole.send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${devId}:assumed-role/any-ref/gha`);

      const denied = { name: "AccessDenied", $metadata: { httpStatusCode: 403 }, message: "Not authorized to perform sts:AssumeRoleWithWebIdentity" };
      await expect(assume("env-only", githubToken("repo:acme/app:ref:refs/heads/feature"))).rejects.toMatchObject(denied);
      await expect(assume("env-only", githubToken("repo:acme/app:environment:production"))).resolves.toBeDefined();
      await expect(assume("any-ref", githubToken("repo:other/app:ref:refs/heads/main"))).rejects.toMatchObject(denied);
      await expect(assume("any-ref", githubToken("repo:acme/app-fork:ref:refs/heads/main"))).rejects.toMatchObject(denied);
      await expect(assume("missing", githubToken("repo:acme/app:ref:refs/heads/main"))).rejects.toMatchObject(denied);
    });

    it("checks the token as AWS does: a JWT, a provider for its issuer, its audience, its expiry", async () => {
      await expect(assume("any-ref", "not-a-jwt")).rejects.toMatchObject({ name: "InvalidIdentityTokenException" });
      await expect(assume("any-ref", githubToken("repo:acme/app:ref:refs/heads/main", { aud: "someone-else" }))).rejects.toMatchObject({ name: "InvalidIdentityTokenException", message: "Incorrect token audience" });
      await expect(assume("any-ref", githubToken("repo:acme/app:ref:refs/heads/main", { iss: "https://gitlab.example.com" }))).rejects.toMatchObject({ name: "InvalidIdentityTokenException" });
      await expect(assume("any-ref", githubToken("repo:acme/app:ref:refs/heads/main", { expiresInSec: -10 }))).rejects.toMatchObject({ name: "ExpiredTokenException" });
      const state = await worldState(sandbox);
      expect(state.iam[devId].oidcProviders[0]).toMatchObject({ Url: "token.actions.githubusercontent.com", ClientIDList: ["sts.amazonaws.com"] });
    });
  });
});
