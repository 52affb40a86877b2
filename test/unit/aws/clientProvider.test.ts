/**
 * Clients per account (src/aws/clientProvider.ts) against the emulated AWS: a member account is
 * reached by assuming OrganizationAccountAccessRole with the management credentials, once per
 * account until the credentials are near their end, and each refusal AWS gives is one line with
 * the next thing to do. The emulator follows AssumeRole's rules (root may not, only the
 * management account is trusted, one hour at most for these roles).
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClientProvider } from "../../../src/aws/clientProvider.js";
import type { AwsContext } from "../../../src/aws/clientConfig.js";
import { openSts } from "../../../src/aws/sts.js";
import { OperationError, UserError } from "../../../src/errors.js";
import { applyScenario } from "../../../src/sandbox/scenario.js";
import { startSandbox, type Sandbox } from "../../../src/sandbox/server.js";
import { issueRoleCredentials } from "../../../src/sandbox/services/roleSessions.js";
import { clientConfig } from "../../helpers/sandbox.js";

const dummyKeys = async () => ({ accessKeyId: "AKIASANDBOXEXAMPLE01", secretAccessKey: "sandbox-secret-not-real" });

let sandbox: Sandbox;
let devId: string;
let management: AwsContext;
beforeEach(async () => {
  sandbox = await startSandbox({ callerKind: "iam-user" });
  applyScenario(sandbox.state, { organization: {}, accounts: [{ name: "acme-dev", email: "owner+acme-dev@example.com" }] });
  devId = [...sandbox.state.accounts.values()].find((a) => a.Name === "acme-dev")!.Id;
  management = { region: "us-east-1", endpoint: sandbox.url, credentials: dummyKeys };
});
afterEach(() => sandbox.close());

const assumeCalls = () => sandbox.state.calls.filter((c) => c.operation === "AssumeRole");

describe("a member account's clients", () => {
  it("act as OrganizationAccountAccessRole in that account; the call log shows who signed what", async () => {
    const provider = createClientProvider(management);
    const sts = await openSts(provider.account(devId));
    const caller = await sts.getCallerIdentity();
    expect(caller.accountId).toBe(devId);
    expect(caller.arn).toBe(`arn:aws:sts::${devId}:assumed-role/OrganizationAccountAccessRole/org-bootstrap`);
    const [assume] = assumeCalls();
    expect(assume.signedAs).toEqual({ accountId: "111111111111" });
    const identity = sandbox.state.calls.filter((c) => c.operation === "GetCallerIdentity").at(-1)!;
    expect(identity.signedAs).toEqual({ accountId: devId, roleName: "OrganizationAccountAccessRole" });
    // The management context is untouched: it is still the IAM user of the management account.
    expect((await (await openSts(provider.management())).getCallerIdentity()).arn).toBe("arn:aws:iam::111111111111:user/admin");
  });

  it("assume the role once per account for every client and call, and again only near the credentials' end", async () => {
    let clock = Date.now();
    const provider = createClientProvider(management, { now: () => clock });
    const [a, b] = await Promise.all([openSts(provider.account(devId)), openSts(provider.account(devId, "eu-west-1"))]);
    await Promise.all([a.getCallerIdentity(), b.getCallerIdentity(), a.getCallerIdentity()]);
    expect(assumeCalls()).toHaveLength(1);
    // The role allows one hour; with four minutes left the credentials are renewed first. (Each
    // SDK client also keeps what it got until five minutes before the end, by the real clock.)
    const credentials = provider.account(devId).credentials!;
    const first = await credentials();
    clock += 54 * 60_000;
    expect(await credentials()).toBe(first);
    clock += 2 * 60_000;
    const renewed = await credentials();
    expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
    expect(assumeCalls()).toHaveLength(2);
    expect(sandbox.state.calls.filter((c) => c.operation === "AssumeRole").every((c) => c.status === 200)).toBe(true);
  });

  it("chain from an SSO session of the management account, within the one-hour limit AWS puts on role chaining", async () => {
    const sso = issueRoleCredentials(sandbox.state, { accountId: "111111111111", roleName: "AdministratorAccess", userName: "ann@acme.com", expiresAt: Date.now() + 12 * 3600_000 });
    const provider = createClientProvider({ region: "us-east-1", endpoint: sandbox.url, credentials: async () => sso });
    expect((await (await openSts(provider.account(devId))).getCallerIdentity()).accountId).toBe(devId);
    const raw = new STSClient({ ...clientConfig(sandbox), credentials: sso, maxAttempts: 1 });
    await expect(
      raw.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${devId}:role/OrganizationAccountAccessRole`, RoleSessionName: "x1", DurationSeconds: 7200 })),
    ).rejects.toMatchObject({ name: "ValidationError", message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assuming other roles." });
  });
});

describe("refusals, in the user's terms", () => {
  it("root keys: AWS does not let the root user assume a role, so say to sign in through SSO", async () => {
    applyScenario(sandbox.state, { caller: "root" });
    const sts = await openSts(createClientProvider(management).account(devId));
    const err = await sts.getCallerIdentity().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`The root user cannot act inside member account ${devId}: AWS does not let the root user assume a role.`);
    expect((err as UserError).hint).toMatch(/org-bootstrap login/);
  });

  it("an invited account has no OrganizationAccountAccessRole: name the account, the role and how to add it", async () => {
    const invited = { ...sandbox.state.accounts.get(devId)!, Id: "444455556666", JoinedMethod: "INVITED" as const, accessRoleName: undefined };
    sandbox.state.accounts.set(invited.Id, invited);
    const err = await (await openSts(createClientProvider(management).account(invited.Id))).getCallerIdentity().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as Error).message).toBe("Cannot act inside account 444455556666: AWS did not let these credentials assume OrganizationAccountAccessRole there.");
    expect((err as OperationError).hint).toContain("orgs_manage_accounts_create-cross-account-role.html");
  });

  it("credentials of another account are not trusted by the role", async () => {
    applyScenario(sandbox.state, { caller: "member" });
    const err = await (await openSts(createClientProvider(management).account(devId))).getCallerIdentity().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect(assumeCalls().at(-1)?.errorCode).toBe("AccessDenied");
  });

  it("a closed account cannot be entered", async () => {
    sandbox.state.accounts.get(devId)!.State = "SUSPENDED";
    const err = await (await openSts(createClientProvider(management).account(devId))).getCallerIdentity().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
  });
});

describe("the command's choice of credentials", () => {
  it("signedWith keeps the endpoint and signs with the chosen profile or keys; a pinned provider keeps its own", async () => {
    const base = createClientProvider({ region: "us-east-1", endpoint: sandbox.url });
    const byProfile = base.signedWith({ profile: "acme-management" }).management("eu-west-1");
    expect(byProfile).toEqual({ region: "eu-west-1", endpoint: sandbox.url, profile: "acme-management" });
    const byKeys = base.signedWith({ credentials: dummyKeys }).management();
    expect(byKeys).toEqual({ region: "us-east-1", endpoint: sandbox.url, credentials: dummyKeys });
    // Member accounts follow the new choice: AssumeRole is signed with the chosen keys.
    expect((await (await openSts(base.signedWith({ credentials: dummyKeys }).account(devId))).getCallerIdentity()).accountId).toBe(devId);

    const pinned = createClientProvider(management, { pinned: true });
    expect(pinned.signedWith({ profile: "someone-else" }).management()).toEqual(management);
  });
});
