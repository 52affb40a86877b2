/** doctor's checks: pure functions of the gathered facts; each fails on its problem and passes without it. */
import { describe, expect, it } from "vitest";
import { upsertSection } from "../../../src/local/awsConfig.js";
import { accountOfRoleArn, profileBlock, runDoctorChecks, type DoctorFacts } from "../../../src/plan/doctorChecks.js";

const now = Date.parse("2026-06-01T12:00:00Z");
const accounts = [
  { id: "000000000000", name: "mgmt", email: "m@acme.com", state: "ACTIVE", management: true },
  { id: "111111111111", name: "acme-dev", email: "aws+dev@acme.com", state: "ACTIVE", management: false },
  { id: "222222222222", name: "acme-production", email: "aws+production@acme.com", state: "ACTIVE", management: false },
];
const clean = (): DoctorFacts => ({
  now,
  nodeVersion: "v20.11.0",
  env: { accessKeyId: false, sessionToken: false },
  files: {
    configFile: "/h/.aws/config",
    credentialsFile: "/h/.aws/credentials",
    ssoSessions: { acme: { sso_start_url: "https://d-1.awsapps.com/start", sso_region: "us-east-1" } },
    configProfiles: {
      "acme-dev": { sso_session: "acme", sso_account_id: "111111111111", sso_role_name: "AdministratorAccess", region: "us-east-1" },
      "acme-production": { sso_session: "acme", sso_account_id: "222222222222", sso_role_name: "AdministratorAccess", region: "us-east-1" },
    },
    credentialProfiles: {},
  },
  session: { name: "acme", orgName: "acme", region: "us-east-1" },
  tokens: { acme: "2026-06-01T20:00:00Z" },
  organization: { ok: true, value: { accounts, permissionSetNames: ["AdministratorAccess"] } },
  caller: { ok: true, value: { arn: "arn:aws:iam::000000000000:user/ann", accountId: "000000000000", isRoot: false } },
  sst: { configFile: "/p/sst.config.ts" },
});
const statusOf = (f: DoctorFacts, id: string) => runDoctorChecks(f).checks.find((c) => c.id === id)!;

describe("doctor's profile check from the person's SSO access", () => {
  const withAccess = (access: { id: string; name: string; roles: string[] }[]): DoctorFacts => ({
    ...clean(),
    organization: { ok: false, reason: "no AWS credentials found" },
    access: { ok: true, value: access },
  });

  it("passes when every profile's account and role are the person's", () => {
    const check = statusOf(withAccess([{ id: "111111111111", name: "acme-dev", roles: ["AdministratorAccess"] }, { id: "222222222222", name: "acme-production", roles: ["AdministratorAccess"] }]), "profiles");
    expect(check.status).toBe("pass");
  });

  it("offers the block for an account the person can use that has no profile, with a role they have", () => {
    const check = statusOf(
      withAccess([
        { id: "111111111111", name: "acme-dev", roles: ["AdministratorAccess"] },
        { id: "222222222222", name: "acme-production", roles: ["AdministratorAccess"] },
        { id: "333333333333", name: "acme-staging", roles: ["ReadOnlyAccess"] },
      ]),
      "profiles",
    );
    expect(check.problems.map((p) => p.message)).toEqual(["Account acme-staging (333333333333) has no profile."]);
    expect(check.problems[0].fix.join("\n")).toContain("sso_role_name = ReadOnlyAccess");
  });

  it("is skipped, saying how to enable it, when neither the organization nor a login is there", () => {
    const f = withAccess([]);
    delete f.access;
    const check = statusOf(f, "profiles");
    expect(check.status).toBe("skip");
    expect(check.summary).toContain("log in with org-bootstrap login to check against your SSO access instead");
  });
});

describe("doctor checks", () => {
  it("all pass on a clean setup", () => {
    const report = runDoctorChecks(clean());
    expect(report.ok).toBe(true);
    expect(report.checks.every((c) => c.status === "pass")).toBe(true);
  });

  it("each fails on its own problem", () => {
    const f = clean();
    f.nodeVersion = "v18.19.0";
    f.files.configProfiles["acme-dev"].sso_account_id = "999999999999";
    f.tokens.acme = "2026-06-01T11:00:00Z";
    f.files.credentialProfiles.default = { aws_access_key_id: "AKIAEXAMPLE", aws_secret_access_key: "s" };
    f.files.configProfiles.old = { role_arn: "arn:aws:iam::222222222222:role/Admin", mfa_serial: "arn:aws:iam::000000000000:mfa/ann" };
    f.env = { accessKeyId: true, sessionToken: false };
    f.caller = { ok: true, value: { arn: "arn:aws:iam::000000000000:root", accountId: "000000000000", isRoot: true } };
    f.sst = { configFile: "/p/sst.config.ts", environmentProfile: "acme-dev", dotEnv: { file: "/p/.env", line: 2, value: "acme-production" } };
    const report = runDoctorChecks(f);
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status !== "fail").map((c) => c.id)).toEqual([]);
    // The dev account lost its profile: the missing block is the fix.
    expect(statusOf(f, "profiles").problems.map((p) => p.message)).toEqual([
      "[profile acme-dev]: account 999999999999 is not in the organization.",
      "Account acme-dev (111111111111) has no profile.",
    ]);
    // An SSO profile already reaches the role's account: said so, and the block is offered.
    expect(statusOf(f, "assume-role-profiles").problems[0].fix).toEqual([
      "[profile acme-production] already reaches account 222222222222 through SSO; or replace the block with:",
      "[profile old]",
      "sso_session = acme",
      "sso_account_id = 222222222222",
      "sso_role_name = AdministratorAccess",
      "region = us-east-1",
    ]);
    expect(JSON.stringify(report)).not.toContain("AKIAEXAMPLE");
    // Both places that would override sst.config.ts's per-stage profiles, each with its own fix.
    expect(statusOf(f, "aws-profile-override").problems.map((p) => p.fix[0])).toEqual([
      "unset AWS_PROFILE (and remove it from your shell's startup file), then run sst again.",
      "Remove line 2 from /p/.env; sst.config.ts already picks the profile per stage.",
    ]);
  });

  it("skips what it cannot know, and temporary keys in files are fine", () => {
    const f = clean();
    f.organization = { ok: false, reason: "no AWS credentials found" };
    f.caller = { ok: false, reason: "no AWS credentials found" };
    f.files.credentialProfiles.tmp = { aws_access_key_id: "ASIA", aws_secret_access_key: "s", aws_session_token: "t" };
    const report = runDoctorChecks(f);
    expect(report.ok).toBe(true);
    expect(statusOf(f, "profiles").status).toBe("skip");
    expect(statusOf(f, "root-user").summary).toMatch(/no AWS credentials found/);
    expect(statusOf(f, "long-lived-keys").status).toBe("pass");
  });

  it("reads the account out of a role ARN", () => {
    expect(accountOfRoleArn("arn:aws:iam::123456789012:role/path/Admin")).toBe("123456789012");
    expect(accountOfRoleArn("arn:aws-cn:iam::123456789012:role/Admin")).toBe("123456789012");
    expect(accountOfRoleArn("arn:aws:iam::123456789012:user/ann")).toBeUndefined();
  });
});

describe("the profile block doctor tells people to paste", () => {
  it("is the block the config editor writes into an empty file, line for line", () => {
    const values = { ssoSession: "acme", accountId: "111111111111", roleName: "AdministratorAccess", region: "eu-west-1" };
    const edited = upsertSection("", { kind: "profile", name: "data.lake-prod", values: { sso_session: "acme", sso_account_id: "111111111111", sso_role_name: "AdministratorAccess", region: "eu-west-1" } });
    expect(profileBlock("data.lake-prod", values)).toEqual(edited.text.trimEnd().split("\n"));
  });
});

describe("the Node.js check", () => {
  const nodeCheck = (version: string) => {
    const f = clean();
    f.nodeVersion = version;
    return runDoctorChecks(f).checks.find((c) => c.id === "node")!;
  };
  it("passes on 22 and 24, and on 20 says it is past its end of life", () => {
    expect(nodeCheck("v24.21.0")).toMatchObject({ status: "pass", summary: "Node.js v24.21.0; supported: 20, 22 and 24 (22 or later from January 2027, when the AWS SDK drops 20)" });
    expect(nodeCheck("v22.12.0").summary).not.toContain("end of life");
    expect(nodeCheck("v20.20.2")).toMatchObject({ status: "pass" });
    expect(nodeCheck("v20.20.2").summary).toContain("Node.js 20 is past its end of life: move to 24, the LTS, before January 2027");
  });
  it("fails below 20, with the LTS to install", () => {
    expect(nodeCheck("v18.19.0")).toMatchObject({ status: "fail", problems: [{ fix: ["Install Node.js 24 (LTS), e.g. with nvm: nvm install 24"] }] });
  });
});

describe("the profile block doctor offers", () => {
  // Workloads in eu-west-1, Identity Center in us-east-1 (init --region, docs/init.md Regions).
  const elsewhere = (): DoctorFacts => {
    const f = clean();
    f.files.configProfiles = {
      "acme-dev": { ...f.files.configProfiles["acme-dev"], region: "eu-west-1" },
      "acme-management": { sso_session: "acme", sso_account_id: "000000000000", sso_role_name: "AdministratorAccess", region: "us-east-1" },
    };
    return f;
  };

  it("uses the stage profiles' workload region, not Identity Center's nor the management profile's", () => {
    const fix = statusOf(elsewhere(), "profiles").problems.find((p) => p.message.startsWith("Account acme-production"))!.fix;
    expect(fix.slice(1)).toEqual(["[profile acme-production]", "sso_session = acme", "sso_account_id = 222222222222", "sso_role_name = AdministratorAccess", "region = eu-west-1"]);
  });

  it("uses it from the person's SSO access too, and Identity Center's region when no stage profile names one", () => {
    const f = { ...elsewhere(), organization: { ok: false as const, reason: "no AWS credentials found" }, access: { ok: true as const, value: [{ id: "333333333333", name: "acme-staging", roles: ["AdministratorAccess"] }] } };
    expect(statusOf(f, "profiles").problems.find((p) => p.message.startsWith("Account acme-staging"))!.fix).toContain("region = eu-west-1");
    const none = clean();
    for (const p of Object.values(none.files.configProfiles)) delete p.region;
    expect(statusOf(none, "profiles").problems).toEqual([]);
    none.files.configProfiles = { "acme-dev": none.files.configProfiles["acme-dev"]! };
    expect(statusOf(none, "profiles").problems.find((p) => p.message.startsWith("Account acme-production"))!.fix).toContain("region = us-east-1");
  });
});
