/**
 * `ci github` end to end: the built CLI against the emulated AWS after an unattended `init`.
 * Deploy roles in dev and production with the right trust policies, proven with GitHub-shaped
 * tokens minted here (the emulator evaluates trust policies; signatures are never checked):
 * main assumes dev, a feature branch is denied production, the production environment gets it,
 * another repository gets nothing. A re-run makes no mutating call; a second repository joins
 * the same role; --remove leaves nothing of ours. Bad input: exit 2 before any AWS call.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { beforeEach, describe, expect, it } from "vitest";
import { ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { githubToken } from "../helpers/githubToken.js";
import { callLog, control, scenario, worldState } from "../helpers/sandbox.js";
import { parseYamlSubset } from "../helpers/yamlSubset.js";
import { iamAccount } from "../../src/sandbox/services/iamState.js";

describe("ci github end to end", () => {
  // The day-two commands sign as an administrator of the management account: the root user may not assume roles.
  const setup = useDayTwoSetup({ afterInit: ({ sandbox }) => scenario(sandbox, { caller: "iam-user" }).then(() => undefined) });
  const ci = (args: string[]) => runCli(["ci", "github", ...args], setup.h.env, setup.h.project);
  let ids: { dev: string; production: string };
  beforeEach(async () => {
    const world = await worldState(setup.sandbox);
    const id = (name: string) => world.accounts.find((a) => a.Name === name)!.Id;
    ids = { dev: id("acme-dev"), production: id("acme-production") };
  });
  const roleArn = (stage: "dev" | "production") => `arn:aws:iam::${ids[stage]}:role/acme-github-deploy`;
  const sts = () => new STSClient({ endpoint: setup.sandbox.url, region: "us-east-1", credentials: { accessKeyId: "none", secretAccessKey: "none" }, maxAttempts: 1 });
  const assume = (stage: "dev" | "production", sub: string) =>
    sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn(stage), RoleSessionName: "gha", WebIdentityToken: githubToken(sub) }));
  const denied = { name: "AccessDenied", $metadata: { httpStatusCode: 403 } };
  const ours = (world: Awaited<ReturnType<typeof worldState>>, accountId: string) => {
    const iam = world.iam[accountId] ?? { roles: [], oidcProviders: [] };
    return { roles: iam.roles.filter((r) => r.RoleName !== "OrganizationAccountAccessRole").map((r) => r.RoleName), providers: iam.oidcProviders.map((p) => p.Url) };
  };

  it("gives the repository a deploy role per stage that only the right jobs can assume, writes the workflow, and a re-run changes nothing", async () => {
    const first = await ci(["--repo", "acme/app", "--yes", "--json"]);
    expect(first.code, ownStderr(first.stderr)).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.roles).toEqual([
      { stage: "dev", accountId: ids.dev, roleArn: roleArn("dev"), status: "create", trusts: ["repo:acme/app:*"] },
      { stage: "production", accountId: ids.production, roleArn: roleArn("production"), status: "create", trusts: ["repo:acme/app:environment:production"] },
    ]);

    const world = await worldState(setup.sandbox);
    for (const stage of ["dev", "production"] as const) {
      const iam = world.iam[ids[stage]];
      expect(iam.oidcProviders).toEqual([expect.objectContaining({ Url: "token.actions.githubusercontent.com", ClientIDList: ["sts.amazonaws.com"] })]);
      const role = iam.roles.find((r) => r.RoleName === "acme-github-deploy")!;
      expect(role).toMatchObject({ MaxSessionDuration: 3600, AttachedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
      expect(role.Tags).toEqual(expect.arrayContaining([{ Key: "org-bootstrap:managed-by", Value: "org-bootstrap" }]));
    }
    // Every IAM change was signed in its stage account, as OrganizationAccountAccessRole.
    const iamCalls = (await callLog(setup.sandbox)).filter((c) => c.service === "iam" && c.mutating);
    expect(iamCalls.map((c) => c.operation).sort()).toEqual(["AttachRolePolicy", "AttachRolePolicy", "CreateOpenIDConnectProvider", "CreateOpenIDConnectProvider", "CreateRole", "CreateRole"]);
    expect(iamCalls.every((c) => c.signedAs?.roleName === "OrganizationAccountAccessRole" && c.signedAs.accountId !== "111111111111")).toBe(true);

    // The trust policies, tested the way GitHub's jobs would meet them.
    expect((await assume("dev", "repo:acme/app:ref:refs/heads/main")).AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ids.dev}:assumed-role/acme-github-deploy/gha`);
    await expect(assume("production", "repo:acme/app:ref:refs/heads/feature")).rejects.toMatchObject(denied);
    await expect(assume("production", "repo:acme/app:ref:refs/heads/main")).rejects.toMatchObject(denied);
    expect((await assume("production", "repo:acme/app:environment:production")).Credentials?.AccessKeyId).toMatch(/^ASIA/);
    for (const stage of ["dev", "production"] as const) {
      await expect(assume(stage, "repo:other/app:ref:refs/heads/main")).rejects.toMatchObject(denied);
      await expect(assume(stage, "repo:other/app:environment:production")).rejects.toMatchObject(denied);
    }

    // The workflow: valid YAML (our subset), each stage's job naming its role.
    const file = path.join(setup.h.project, ".github/workflows/deploy.yml");
    const text = await fs.readFile(file, "utf8");
    const doc = parseYamlSubset(text) as { permissions: Record<string, string>; jobs: Record<string, { environment?: string; needs?: string[]; steps: Record<string, unknown>[] }> };
    expect(doc.permissions["id-token"]).toBe("write");
    expect(Object.keys(doc.jobs)).toEqual(["deploy-dev", "deploy-production"]);
    expect(doc.jobs["deploy-production"]).toMatchObject({ environment: "production", needs: ["deploy-dev"] });
    for (const stage of ["dev", "production"] as const) {
      const steps = doc.jobs[`deploy-${stage}`].steps;
      expect(steps.find((s) => s.uses === "aws-actions/configure-aws-credentials@v4")).toEqual({
        uses: "aws-actions/configure-aws-credentials@v4",
        with: { "role-to-assume": roleArn(stage), "aws-region": "us-east-1" },
      });
      expect(steps.at(-1)).toEqual({ run: `npx sst deploy --stage ${stage}` });
    }

    // A re-run: nothing to change in AWS or on disk.
    await control(setup.sandbox, "DELETE", "/calls");
    const again = await ci(["--repo", "acme/app", "--yes"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(again.stdout).toContain("Nothing to change in AWS.");
    expect((await callLog(setup.sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect(await fs.readFile(file, "utf8")).toBe(text);
  });

  it("adds a second repository to the same role, and --remove takes each out until nothing of ours is left", async () => {
    expect((await ci(["--repo", "acme/app", "--yes", "--no-workflow"])).code).toBe(0);
    const web = await ci(["--repo", "acme/web", "--production-from", "branch:main", "--yes", "--no-workflow"]);
    expect(web.code, ownStderr(web.stderr)).toBe(0);
    let world = await worldState(setup.sandbox);
    expect(ours(world, ids.production)).toEqual({ roles: ["acme-github-deploy"], providers: ["token.actions.githubusercontent.com"] });
    await expect(assume("production", "repo:acme/web:ref:refs/heads/main")).resolves.toBeDefined();
    await expect(assume("production", "repo:acme/app:environment:production")).resolves.toBeDefined();

    // status shows each stage's deploy role and whom it trusts, from where.
    const status = await runCli(["status", "--json"], setup.h.env, setup.h.project);
    expect(status.code, ownStderr(status.stderr)).toBe(0);
    const production = JSON.parse(status.stdout).deployRoles.find((d: { stage: string }) => d.stage === "production");
    expect(production.roles).toEqual([
      {
        name: "acme-github-deploy",
        arn: roleArn("production"),
        ours: true,
        repositories: [
          { repository: "acme/app", from: ["environment production"] },
          { repository: "acme/web", from: ["branch main"] },
        ],
      },
    ]);

    const dry = await ci(["--repo", "acme/app", "--remove", "--dry-run"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    expect(unwrapped(dry.stdout)).toMatch(/stop trusting repo:acme\/app:\*/);
    const removeApp = await ci(["--repo", "acme/app", "--remove", "--yes"]);
    expect(removeApp.code, ownStderr(removeApp.stderr)).toBe(0);
    await expect(assume("production", "repo:acme/app:environment:production")).rejects.toMatchObject(denied);
    await expect(assume("production", "repo:acme/web:ref:refs/heads/main")).resolves.toBeDefined();

    const removeWeb = await ci(["--repo", "acme/web", "--remove", "--yes", "--json"]);
    expect(removeWeb.code, ownStderr(removeWeb.stderr)).toBe(0);
    world = await worldState(setup.sandbox);
    for (const id of [ids.dev, ids.production]) expect(ours(world, id)).toEqual({ roles: [], providers: [] });
    // Removed already: nothing to do.
    await control(setup.sandbox, "DELETE", "/calls");
    expect((await ci(["--repo", "acme/web", "--remove", "--yes"])).code).toBe(0);
    expect((await callLog(setup.sandbox)).filter((c) => c.mutating)).toEqual([]);
  });

  it("a run stopped before the policy was attached, re-run without its --policy, attaches the policy it chose, not AdministratorAccess", async () => {
    const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    await control(setup.sandbox, "POST", "/faults", { errorsByOperation: { AttachRolePolicy: { name: "ServiceFailure", status: 500 } } });
    const stopped = await ci(["--repo", "acme/app", "--stages", "dev", "--policy", readOnly, "--no-workflow", "--yes"]);
    expect(stopped.code).toBe(1);
    await control(setup.sandbox, "POST", "/faults", { errorsByOperation: {} });
    const role = () => worldState(setup.sandbox).then((w) => w.iam[ids.dev].roles.find((r) => r.RoleName === "acme-github-deploy")!);
    expect((await role()).AttachedPolicyArns).toEqual([]);
    const resumed = await ci(["--repo", "acme/app", "--stages", "dev", "--no-workflow", "--yes"]);
    expect(resumed.code, ownStderr(resumed.stderr)).toBe(0);
    expect((await role()).AttachedPolicyArns).toEqual([readOnly]);
  });

  it("a customer-managed --policy: another account's is refused before any call, a missing one before any change, the account's own is attached", async () => {
    const deploy = `arn:aws:iam::${ids.dev}:policy/ci/deploy`;
    const elsewhere = await ci(["--repo", "acme/app", "--policy", deploy, "--no-workflow", "--yes"]);
    expect(elsewhere.code).toBe(2);
    expect(unwrapped(elsewhere.stderr)).toContain(`--policy ${deploy} is a policy of account ${ids.dev} (dev); the deploy role in production (${ids.production}) can only use an AWS managed policy or one of its own account; nothing was changed.`);
    expect((await callLog(setup.sandbox)).filter((c) => c.service === "iam")).toEqual([]);

    const missing = await ci(["--repo", "acme/app", "--stages", "dev", "--policy", deploy, "--no-workflow", "--yes"]);
    expect(missing.code).toBe(2);
    expect(unwrapped(missing.stderr)).toContain(`--policy ${deploy}: IAM has no such policy in dev (${ids.dev}); nothing was changed.`);
    expect((await callLog(setup.sandbox)).filter((c) => c.service === "iam" && c.mutating)).toEqual([]);
    expect(ours(await worldState(setup.sandbox), ids.dev).roles).toEqual([]);

    // The account's own policy, made there (as its administrator would, in the console or with the AWS CLI).
    const policy = { PolicyName: "deploy", PolicyId: "ANPAEXAMPLEEXAMPLEEX", Arn: deploy, Path: "/ci/", CreateDate: Date.now(), document: "{}", tags: [] };
    iamAccount(setup.sandbox.state, ids.dev).policies.set(deploy.toLowerCase(), policy);
    const made = await ci(["--repo", "acme/app", "--stages", "dev", "--policy", deploy, "--no-workflow", "--yes"]);
    expect(made.code, ownStderr(made.stderr)).toBe(0);
    const role = (await worldState(setup.sandbox)).iam[ids.dev].roles.find((r) => r.RoleName === "acme-github-deploy")!;
    expect(role.AttachedPolicyArns).toEqual([deploy]);
  });

  it("status run with the root user's keys says once why the deploy roles are not read, and asks nothing AWS would refuse", async () => {
    expect((await ci(["--repo", "acme/app", "--yes", "--no-workflow"])).code).toBe(0);
    await scenario(setup.sandbox, { caller: "root" });
    await control(setup.sandbox, "DELETE", "/calls");
    const status = await runCli(["status"], setup.h.env, setup.h.project);
    expect(status.code, ownStderr(status.stderr)).toBe(0);
    const section = status.stdout.split("CI deploy roles (GitHub Actions)\n")[1];
    expect(unwrapped(section.split("\n\n")[0]).trim()).toBe(
      "! dev (acme-dev), production (acme-production): not read: the root user cannot assume a role in a member account (AWS's rule); run status with the management account's SSO profile to see them: org-bootstrap status --profile acme-management",
    );
    expect((await callLog(setup.sandbox)).filter((c) => c.operation === "AssumeRole" || c.service === "iam")).toEqual([]);
  });

  it("refuses bad input with exit 2 before any AWS call", async () => {
    const cases: [string[], RegExp][] = [
      [["--repo", "acme"], /not a GitHub repository as OWNER\/NAME/],
      [["--repo", "acme/app/extra"], /not a GitHub repository/],
      [["--repo=-acme/app"], /not a GitHub repository/],
      [["--repo", "acme/app", "--stages", "dev,qa"], /Unknown stage qa/],
      [["--repo", "acme/app", "--policy", "AdministratorAccess"], /not an IAM managed policy ARN/],
      [["--repo", "acme/app", "--production-from", "main"], /environment:NAME or branch:NAME/],
      [["--repo", "acme/app", "--subject-format", "immutable"], /numeric ids/],
      [[], /needs the repository/],
    ];
    for (const [args, message] of cases) {
      const r = await ci([...args, "--yes"]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(ownStderr(r.stderr)).toMatch(message);
    }
    expect(await callLog(setup.sandbox)).toEqual([]);
  });
});
