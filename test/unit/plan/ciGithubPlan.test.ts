/**
 * The `ci github` planner (src/plan/ciGithubPlan.ts): data in, plan out. Providers found or
 * created, one role per account scoped per stage, a second repository added to the same role,
 * policy changes, and --remove taking only what is ours.
 */
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import {
  CI_TAGS,
  POLICY_TAG,
  checkPolicyAccounts,
  parseProductionFrom,
  parseRepo,
  planCiGithub,
  readTrustPolicy,
  stageSubjects,
  trustPolicyDocument,
  validatePolicyArn,
  type CiGithubRequest,
  type ObservedCiAccount,
} from "../../../src/plan/ciGithubPlan.js";

const DEV = "222222222222";
const PROD = "333333333333";
const request = (over: Partial<CiGithubRequest> = {}): CiGithubRequest => ({
  repo: { owner: "acme", name: "app" },
  subjectFormat: "legacy",
  productionFrom: { kind: "environment", name: "production" },
  roleName: "acme-github-deploy",
  remove: false,
  stages: [
    { stage: "dev", accountId: DEV, accountName: "acme-dev" },
    { stage: "production", accountId: PROD, accountName: "acme-production" },
  ],
  ...over,
});
const provider = (accountId: string, ours = true) => ({ arn: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`, clientIds: ["sts.amazonaws.com"], ours });
const role = (accountId: string, subjects: string[], attached = ["arn:aws:iam::aws:policy/AdministratorAccess"], tags: Record<string, string> = { ...CI_TAGS }) => ({
  arn: `arn:aws:iam::${accountId}:role/acme-github-deploy`,
  trustPolicy: trustPolicyDocument(provider(accountId).arn, subjects),
  tags,
  attached,
});
/** What a first run leaves behind. */
const done = (): ObservedCiAccount[] => [
  { accountId: DEV, provider: provider(DEV), role: role(DEV, ["repo:acme/app:*"]) },
  { accountId: PROD, provider: provider(PROD), role: role(PROD, ["repo:acme/app:environment:production"]) },
];

describe("planCiGithub", () => {
  it("creates the provider, then the role scoped per stage, then attaches AdministratorAccess, in every stage account", () => {
    const plan = planCiGithub(request(), [{ accountId: DEV }, { accountId: PROD }]);
    expect(plan.steps.map((s) => `${s.id} <- ${s.needs.join(",")}`)).toEqual([
      "dev:provider.create <- ",
      "dev:role.create <- dev:provider.create",
      "dev:role.attachPolicy:arn:aws:iam::aws:policy/AdministratorAccess <- dev:role.create",
      "production:provider.create <- ",
      "production:role.create <- production:provider.create",
      "production:role.attachPolicy:arn:aws:iam::aws:policy/AdministratorAccess <- production:role.create",
    ]);
    const create = plan.steps.find((s) => s.id === "production:role.create");
    expect(create).toMatchObject({ kind: "role.create", maxSessionDuration: 3600, tags: { ...CI_TAGS, [POLICY_TAG]: "arn:aws:iam::aws:policy/AdministratorAccess" } });
    const trust = JSON.parse((create as { trustPolicy: string }).trustPolicy);
    expect(trust.Statement).toEqual([
      {
        Sid: "GitHubActionsDeploy",
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/token.actions.githubusercontent.com` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
          StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/app:environment:production" },
        },
      },
    ]);
    expect(plan.accounts.map((a) => [a.stage, a.provider, a.role, a.subjects])).toEqual([
      ["dev", "create", "create", ["repo:acme/app:*"]],
      ["production", "create", "create", ["repo:acme/app:environment:production"]],
    ]);
  });

  it("plans nothing on a re-run, whatever the order or spacing AWS answers the trust policy in", () => {
    const observed = done();
    observed[0].role!.trustPolicy = JSON.stringify(JSON.parse(observed[0].role!.trustPolicy), null, 2);
    const plan = planCiGithub(request(), observed);
    expect(plan.steps).toEqual([]);
    expect(plan.accounts.map((a) => [a.provider, a.role, a.policies.map((p) => p.status)])).toEqual([
      ["exists", "exists", ["attached"]],
      ["exists", "exists", ["attached"]],
    ]);
  });

  it("adds a second repository's subject to the same role and keeps the first one's", () => {
    const plan = planCiGithub(request({ repo: { owner: "acme", name: "web" } }), done());
    expect(plan.steps.map((s) => s.kind)).toEqual(["role.updateTrust", "role.updateTrust"]);
    const dev = readTrustPolicy((plan.steps[0] as { trustPolicy: string }).trustPolicy);
    expect(dev.subjects).toEqual(["repo:acme/app:*", "repo:acme/web:*"]);
    expect(plan.accounts[1]).toMatchObject({ role: "update-trust", added: ["repo:acme/web:environment:production"], otherRepositories: ["acme/app"] });
  });

  it("moves production to a branch, replacing only this repository's subject", () => {
    const plan = planCiGithub(request({ productionFrom: { kind: "branch", name: "main" } }), done());
    expect(plan.steps.map((s) => s.id)).toEqual(["production:role.updateTrust"]);
    expect(plan.accounts[1]).toMatchObject({ added: ["repo:acme/app:ref:refs/heads/main"], removed: ["repo:acme/app:environment:production"] });
  });

  it("trusts the immutable subject form, or both, with the repository's ids", () => {
    const repo = { owner: "acme", name: "app", ownerId: "111", repoId: "222" };
    expect(stageSubjects(repo, "immutable", true, { kind: "environment", name: "production" })).toEqual(["repo:acme@111/app@222:environment:production"]);
    expect(stageSubjects(repo, "both", false, { kind: "environment", name: "production" })).toEqual(["repo:acme/app:*", "repo:acme@111/app@222:*"]);
    expect(() => stageSubjects({ owner: "acme", name: "app" }, "immutable", false, { kind: "branch", name: "main" })).toThrow(/numeric ids/);
    // Switching forms replaces the repository's old entries (they belong to it by name).
    const plan = planCiGithub(request({ repo, subjectFormat: "immutable" }), done());
    expect(plan.accounts[0]).toMatchObject({ added: ["repo:acme@111/app@222:*"], removed: ["repo:acme/app:*"] });
  });

  it("adds the client id to a provider that lacks it, and leaves a provider someone else made in place", () => {
    const plan = planCiGithub(request(), [{ accountId: DEV, provider: { ...provider(DEV, false), clientIds: [] } }, { accountId: PROD, provider: provider(PROD, false) }]);
    expect(plan.steps.map((s) => s.id)).toEqual([
      "dev:provider.addClientId",
      "dev:role.create",
      "dev:role.attachPolicy:arn:aws:iam::aws:policy/AdministratorAccess",
      "production:role.create",
      "production:role.attachPolicy:arn:aws:iam::aws:policy/AdministratorAccess",
    ]);
    expect(plan.steps[1].needs).toEqual(["dev:provider.addClientId"]);
    expect(plan.steps[3].needs).toEqual([]);
  });

  it("keeps an existing role's policies unless --policy is given; then attaches it before detaching the old one", () => {
    const devOnly = request().stages.slice(0, 1);
    expect(planCiGithub(request({ stages: devOnly }), [{ accountId: DEV, provider: provider(DEV), role: role(DEV, ["repo:acme/app:*"], ["arn:aws:iam::aws:policy/PowerUserAccess"]) }]).steps).toEqual([]);
    const plan = planCiGithub(request({ policyArn: "arn:aws:iam::aws:policy/PowerUserAccess", stages: devOnly }), done());
    expect(plan.steps.map((s) => `${s.id} <- ${s.needs.join(",")}`)).toEqual([
      "dev:role.attachPolicy:arn:aws:iam::aws:policy/PowerUserAccess <- ",
      "dev:role.detachPolicy:arn:aws:iam::aws:policy/AdministratorAccess <- dev:role.attachPolicy:arn:aws:iam::aws:policy/PowerUserAccess",
    ]);
  });

  it("gives a role a stopped run left without a policy the one it was created for, not AdministratorAccess", () => {
    const devOnly = request().stages.slice(0, 1);
    const readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    const first = planCiGithub(request({ policyArn: readOnly, stages: devOnly }), [{ accountId: DEV }]);
    const created = first.steps.find((s) => s.kind === "role.create") as { tags: Record<string, string> };
    expect(created.tags[POLICY_TAG]).toBe(readOnly);
    // The run stopped after CreateRole: the role is there, nothing attached; re-run without --policy.
    const stopped = [{ accountId: DEV, provider: provider(DEV), role: role(DEV, ["repo:acme/app:*"], [], created.tags) }];
    expect(planCiGithub(request({ stages: devOnly }), stopped).steps.map((s) => s.id)).toEqual([`dev:role.attachPolicy:${readOnly}`]);
    // A role made before the tag existed (or with an ARN too long for a tag value) gets the default.
    const untagged = [{ accountId: DEV, provider: provider(DEV), role: role(DEV, ["repo:acme/app:*"], []) }];
    expect(planCiGithub(request({ stages: devOnly }), untagged).steps.map((s) => s.id)).toEqual(["dev:role.attachPolicy:arn:aws:iam::aws:policy/AdministratorAccess"]);
    const longArn = `arn:aws:iam::${DEV}:policy/${"p/".repeat(120)}deploy`;
    const long = planCiGithub(request({ policyArn: longArn, stages: devOnly }), [{ accountId: DEV }]).steps.find((s) => s.kind === "role.create") as { tags: Record<string, string> };
    expect(long.tags).toEqual(CI_TAGS);
  });

  it("refuses a customer-managed policy of another account, and one IAM says the account lacks", () => {
    const devPolicy = `arn:aws:iam::${DEV}:policy/deploy`;
    expect(() => planCiGithub(request({ policyArn: devPolicy }), [])).toThrow(`--policy ${devPolicy} is a policy of account ${DEV} (dev); the deploy role in production (${PROD}) can only use`);
    expect(planCiGithub(request({ policyArn: devPolicy, stages: request().stages.slice(0, 1) }), []).steps.map((s) => s.kind)).toContain("role.attachPolicy");
    expect(() => checkPolicyAccounts("arn:aws:iam::aws:policy/PowerUserAccess", request().stages)).not.toThrow();
    expect(() => planCiGithub(request({ policyArn: "arn:aws:iam::aws:policy/Missing" }), [{ accountId: DEV, policyMissing: true }, { accountId: PROD }])).toThrow(
      `--policy arn:aws:iam::aws:policy/Missing: IAM has no such policy in dev (${DEV}); nothing was changed.`,
    );
  });

  it("refuses a role of that name that is not ours, before any change", () => {
    expect(() => planCiGithub(request(), [{ accountId: DEV, provider: provider(DEV), role: role(DEV, [], [], {}) }])).toThrow(UserError);
  });

  it("refuses a trust policy over IAM's 2,048 characters", () => {
    const many = Array.from({ length: 70 }, (_, i) => `repo:acme/service-${i}:*`);
    expect(() => planCiGithub(request(), [{ accountId: DEV, provider: provider(DEV), role: role(DEV, many) }])).toThrow(/2048/);
  });

  describe("--remove", () => {
    it("detaches, deletes the role, then the provider it made, when no other role uses it", () => {
      const observed = done().map((o) => ({ ...o, otherRolesUsingProvider: [] }));
      const plan = planCiGithub(request({ remove: true }), observed);
      expect(plan.steps.map((s) => `${s.id} <- ${s.needs.join(",")}`)).toEqual([
        "dev:role.detachPolicy:arn:aws:iam::aws:policy/AdministratorAccess <- ",
        "dev:role.delete <- dev:role.detachPolicy:arn:aws:iam::aws:policy/AdministratorAccess",
        "dev:provider.delete <- dev:role.delete",
        "production:role.detachPolicy:arn:aws:iam::aws:policy/AdministratorAccess <- ",
        "production:role.delete <- production:role.detachPolicy:arn:aws:iam::aws:policy/AdministratorAccess",
        "production:provider.delete <- production:role.delete",
      ]);
    });

    it("only takes this repository's subject out of a role others still use, and keeps a provider other roles or people use", () => {
      const observed = done();
      observed[0].role = role(DEV, ["repo:acme/app:*", "repo:acme/web:*"]);
      observed[1] = { ...observed[1], provider: provider(PROD, false), otherRolesUsingProvider: [] };
      const plan = planCiGithub(request({ remove: true }), observed);
      expect(plan.steps.map((s) => s.id)).toEqual(["dev:role.updateTrust", "production:role.detachPolicy:arn:aws:iam::aws:policy/AdministratorAccess", "production:role.delete"]);
      expect(readTrustPolicy((plan.steps[0] as { trustPolicy: string }).trustPolicy).subjects).toEqual(["repo:acme/web:*"]);
      expect(plan.accounts.map((a) => [a.role, a.provider, a.providerNote])).toEqual([
        ["update-trust", "keep", "the role still trusts acme/web"],
        ["delete", "keep", "it was there before org-bootstrap"],
      ]);
      const shared = planCiGithub(request({ remove: true }), [{ ...done()[1], otherRolesUsingProvider: ["terraform-ci"] }]);
      expect(shared.accounts[1]).toMatchObject({ provider: "keep", providerNote: "used by terraform-ci" });
    });

    it("plans nothing once removed", () => {
      expect(planCiGithub(request({ remove: true }), [{ accountId: DEV }, { accountId: PROD }]).steps).toEqual([]);
    });
  });
});

describe("input checks", () => {
  it.each(["acme/app", "a-b/c.d_e", "A1/x"])("takes the repository %j", (text) => expect(parseRepo(text).owner).toBeTruthy());
  it.each(["acme", "acme/", "/app", "acme/app/x", "-acme/app", "ac--me/app", "acme/ap p", "acme/..", `${"a".repeat(40)}/app`, "acme/app;rm"])("refuses the repository %j", (text) => {
    expect(() => parseRepo(text)).toThrow(UserError);
  });
  it("takes environment:NAME and branch:NAME, nothing else", () => {
    expect(parseProductionFrom("environment:production")).toEqual({ kind: "environment", name: "production" });
    expect(parseProductionFrom("branch:release/1.x")).toEqual({ kind: "branch", name: "release/1.x" });
    for (const bad of ["production", "tag:v1", "branch:", "branch:a*b", "branch:a..b", "environment:*"]) expect(() => parseProductionFrom(bad)).toThrow(UserError);
  });
  it("takes managed policy ARNs only", () => {
    expect(validatePolicyArn("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")).toBeTruthy();
    expect(validatePolicyArn("arn:aws:iam::123456789012:policy/deploy")).toBeTruthy();
    for (const bad of ["AdministratorAccess", "arn:aws:iam::aws:role/x", "arn:aws:s3:::bucket"]) expect(() => validatePolicyArn(bad)).toThrow(UserError);
  });
});
