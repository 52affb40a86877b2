/**
 * `ci github` against moto's server, after `init` there: providers, roles and trust policies
 * checked with the AWS CLI in each stage account (as OrganizationAccountAccessRole, which moto
 * also makes in the accounts it creates), the workflow checked with PyYAML; a re-run makes no
 * change and --remove leaves nothing of ours.
 *
 * Where moto differs from AWS (so these are proven against our own emulator only, in
 * test/e2e/ciGithub.test.ts and test/sandbox/iam.test.ts):
 * - moto does not evaluate trust policies: AssumeRoleWithWebIdentity hands out credentials for
 *   any token, even for a role that does not exist; asserted below, so a moto that starts to
 *   evaluate them shows up here.
 * - moto does not apply IAM's secure-by-default rule (a GitHub-trusted role without a `:sub`
 *   condition is accepted).
 * - moto knows AWS's managed policies (AdministratorAccess) only when told to load them
 *   (MOTO_IAM_LOAD_MANAGED_POLICIES, moto's settings.py); AWS has them in every account.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ListAccountsCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, ownStderr } from "../helpers/loginCli.js";
import { githubToken } from "../helpers/githubToken.js";
import { unattended } from "../e2e/initHarness.js";
import { startMoto, type Moto } from "./motoServer.js";
import { makeMotoHome, motoCredentials as credentials } from "./motoHome.js";

const run = promisify(execFile);

describe("ci github against moto", () => {
  let moto: Moto;
  beforeAll(async () => {
    // Read by the moto server this file starts (its own worker's environment).
    process.env.MOTO_IAM_LOAD_MANAGED_POLICIES = "true";
    moto = await startMoto();
  });
  afterAll(() => moto?.close());

  it("creates the providers and roles the AWS CLI then reads back; a re-run changes nothing; --remove leaves nothing of ours", async () => {
    const { home, project, env } = await makeMotoHome(moto.url);
    const init = await runCli(unattended, env, project);
    expect(init.code, ownStderr(init.stderr)).toBe(0);

    const callsBefore = moto.calls.length;
    const first = await runCli(["ci", "github", "--repo", "acme/app", "--yes", "--json"], env, project);
    expect(first.code, ownStderr(first.stderr)).toBe(0);
    const firstCalls = moto.calls.slice(callsBefore);
    const summary = JSON.parse(first.stdout);
    const cfg = { endpoint: moto.url, region: "us-east-1", credentials };
    const accounts = (await new OrganizationsClient(cfg).send(new ListAccountsCommand({}))).Accounts ?? [];
    const idOf = (name: string) => accounts.find((a) => a.Name === name)!.Id!;

    // The AWS CLI, signed into each stage account as OrganizationAccountAccessRole.
    const cliIn = async (accountId: string, ...args: string[]) => {
      const { Credentials: c } = await new STSClient(cfg).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, RoleSessionName: "check" }));
      const out = await run("aws", ["--endpoint-url", moto.url, "--region", "us-east-1", "--output", "json", ...args], {
        env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: c!.AccessKeyId, AWS_SECRET_ACCESS_KEY: c!.SecretAccessKey, AWS_SESSION_TOKEN: c!.SessionToken },
      });
      return JSON.parse(out.stdout || "{}");
    };
    const expected = { dev: "repo:acme/app:*", production: "repo:acme/app:environment:production" } as const;
    for (const stage of ["dev", "production"] as const) {
      const id = idOf(`acme-${stage}`);
      expect(summary.roles.find((r: { stage: string }) => r.stage === stage).roleArn).toBe(`arn:aws:iam::${id}:role/acme-github-deploy`);
      const providers = await cliIn(id, "iam", "list-open-id-connect-providers");
      expect(providers.OpenIDConnectProviderList).toEqual([{ Arn: `arn:aws:iam::${id}:oidc-provider/token.actions.githubusercontent.com` }]);
      const { Role } = await cliIn(id, "iam", "get-role", "--role-name", "acme-github-deploy");
      expect(Role.MaxSessionDuration).toBe(3600);
      const statement = Role.AssumeRolePolicyDocument.Statement[0];
      expect(statement).toMatchObject({
        Effect: "Allow",
        Action: "sts:AssumeRoleWithWebIdentity",
        Principal: { Federated: `arn:aws:iam::${id}:oidc-provider/token.actions.githubusercontent.com` },
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": expected[stage] } },
      });
      const attached = await cliIn(id, "iam", "list-attached-role-policies", "--role-name", "acme-github-deploy");
      expect(attached.AttachedPolicies.map((p: { PolicyArn: string }) => p.PolicyArn)).toEqual(["arn:aws:iam::aws:policy/AdministratorAccess"]);
    }
    // moto lets a feature branch into the production role: it does not evaluate trust policies.
    const feature = await new STSClient(cfg).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${idOf("acme-production")}:role/acme-github-deploy`, RoleSessionName: "gha", WebIdentityToken: githubToken("repo:acme/app:ref:refs/heads/feature") }),
    );
    expect(feature.Credentials?.AccessKeyId).toBeTruthy();

    // The workflow parses with PyYAML (a YAML parser we did not write) and names each role.
    const workflow = path.join(project, ".github/workflows/deploy.yml");
    const parsed = await run("python3", ["-c", "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", workflow]);
    const doc = JSON.parse(parsed.stdout);
    for (const stage of ["dev", "production"] as const) {
      const step = doc.jobs[`deploy-${stage}`].steps.find((s: { uses?: string }) => s.uses?.startsWith("aws-actions/configure-aws-credentials"));
      expect(step.with["role-to-assume"]).toBe(`arn:aws:iam::${idOf(`acme-${stage}`)}:role/acme-github-deploy`);
    }
    expect(doc.permissions["id-token"]).toBe("write");

    const rerunFrom = moto.calls.length;
    const again = await runCli(["ci", "github", "--repo", "acme/app", "--yes"], env, project);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    const rerun = moto.calls.slice(rerunFrom);
    // The proxy counts every call that is not a Get/List/Describe as mutating, AssumeRole too.
    expect(rerun.filter((c) => c.mutating && !c.operation.startsWith("AssumeRole"))).toEqual([]);

    const removed = await runCli(["ci", "github", "--repo", "acme/app", "--remove", "--yes"], env, project);
    expect(removed.code, ownStderr(removed.stderr)).toBe(0);
    for (const stage of ["dev", "production"] as const) {
      const id = idOf(`acme-${stage}`);
      expect((await cliIn(id, "iam", "list-open-id-connect-providers")).OpenIDConnectProviderList).toEqual([]);
      expect((await cliIn(id, "iam", "list-roles")).Roles.map((r: { RoleName: string }) => r.RoleName)).not.toContain("acme-github-deploy");
    }
    // For the record (docs/ci.md lists them): the calls of a first run and of a re-run.
    console.log(`moto: ci github first run ${firstCalls.length} calls (${firstCalls.map((c) => c.operation).join(", ")}); re-run ${rerun.length}`);
  });
});
