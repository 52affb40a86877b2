/**
 * `doctor` end to end: the built CLI on fixture config and credentials files
 * (`test/fixtures/doctor/`), an expired token in the cache and the emulated AWS. Every check is
 * seen failing with its fix, and passing; exit codes 1 and 0; no key from the fixtures printed.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { writeCachedToken } from "../../src/local/tokenCache.js";
import { ownStderr, runCli, startCli } from "../helpers/loginCli.js";
import { answerDevicePage } from "../helpers/ssoSeed.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { scenario, worldState } from "../helpers/sandbox.js";
import { runInit } from "./initHarness.js";

const fixtures = fileURLToPath(new URL("../fixtures/doctor/", import.meta.url));
const fixture = (name: string) => path.join(fixtures, name);

interface Report {
  ok: boolean;
  checks: { id: string; status: "pass" | "fail" | "skip"; summary: string; problems: { message: string; fix: string[] }[] }[];
}
const statuses = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe("doctor end to end", () => {
  const setup = useDayTwoSetup({ init: false });

  /** init, then `login` as Ann, then the environment without the management account's keys: SSO only. */
  async function signedInWithoutKeys() {
    expect((await runInit(setup.h)).code).toBe(0);
    const login = startCli(["login", "--device-code", "--no-browser"], setup.h.env, setup.h.project);
    const [, code] = await login.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(setup.sandbox.url, code, "ann@acme.com");
    expect(await login.exit).toBe(0);
    const env = { ...setup.h.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    return env;
  }
  const doctor = (args: string[], env = setup.h.env) => runCli(["doctor", ...args], env, setup.h.project);

  it("on the legacy fixtures every check fails, each with its fix, and no key is printed", async () => {
    expect((await runInit(setup.h)).code).toBe(0);
    await fs.appendFile(setup.h.configFile, await fs.readFile(fixture("legacy-config.ini"), "utf8"));
    await scenario(setup.sandbox, { accounts: [{ name: "acme-staging", email: "aws+staging@acme.com" }] });
    const staging = (await worldState(setup.sandbox)).accounts.find((a) => a.Name === "acme-staging")!;
    const world = await worldState(setup.sandbox);
    await writeCachedToken(setup.h.home, "acme", {
      startUrl: `https://${world.instances[0].IdentityStoreId}.awsapps.com/start`,
      region: "us-east-1",
      accessToken: "expired-access-token",
      expiresAt: "2020-01-01T00:00:00Z",
    });
    const args = ["--credentials-file", fixture("legacy-credentials.ini")];

    const json = await doctor([...args, "--json"]);
    expect(json.code, ownStderr(json.stderr)).toBe(1);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.ok).toBe(false);
    expect(statuses(report)).toEqual({
      node: "pass",
      profiles: "fail",
      tokens: "fail",
      "long-lived-keys": "fail",
      "assume-role-profiles": "fail",
      "environment-keys": "fail",
      "aws-profile-override": "skip",
      "root-user": "fail",
    });

    const r = await doctor(args);
    expect(r.code).toBe(1);
    const text = r.stdout;
    // Profiles vs the organization: one pointing nowhere, one account without a profile (block shown).
    expect(text).toContain("[profile acme-ghost]: account 999999999999 is not in the organization.");
    expect(text).toContain(`Account acme-staging (${staging.Id}) has no profile.`);
    expect(text).toMatch(new RegExp(`\\[profile acme-staging\\]\\n\\s+sso_session = acme\\n\\s+sso_account_id = ${staging.Id}\\n\\s+sso_role_name = AdministratorAccess`));
    expect(text).toContain("org-bootstrap login --sso-session acme");
    const keyProblems = report.checks.find((c) => c.id === "long-lived-keys")!.problems.map((p) => p.message);
    expect(keyProblems).toEqual([expect.stringMatching(/^\[default\] in .*legacy-credentials\.ini holds a long-lived access key/)]);
    // Wrapped at the terminal width: the path may start the next line.
    expect(text.replace(/\n +/g, " ")).toMatch(/- \[default\] in /);
    // The role_arn + mfa_serial profile, and the SSO block that replaces it (same name, its region).
    expect(text).toMatch(/\[profile old-admin\]\n\s+sso_session = acme\n\s+sso_account_id = 123456789012\n\s+sso_role_name = AdministratorAccess\n\s+region = eu-central-1/);
    expect(text).toContain("unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN");
    expect(text).toMatch(/root user/);
    expect(text).toMatch(/supported: 20, 22 and 24/);

    const secrets = ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "ASIAIOSFODNN7EXAMPLE", "je7MtGbClwBF", "FwoGZXIvYXdz", "expired-access-token", setup.h.env.AWS_ACCESS_KEY_ID as string, setup.h.env.AWS_SECRET_ACCESS_KEY as string];
    for (const s of secrets) expect(`${json.stdout}${json.stderr}${r.stdout}${r.stderr}`).not.toContain(s);
  });

  it("after init as an IAM user, the organization and caller checks pass", async () => {
    await scenario(setup.sandbox, { caller: "iam-user" });
    expect((await runInit(setup.h)).code).toBe(0);
    const r = await doctor(["--json"]);
    const report = JSON.parse(r.stdout) as Report;
    expect(statuses(report)).toMatchObject({ profiles: "pass", "root-user": "pass", tokens: "pass", "long-lived-keys": "pass", "assume-role-profiles": "pass" });
    // The sandbox's own keys are in the environment: the one failure, so exit 1.
    expect(statuses(report)["environment-keys"]).toBe("fail");
    expect(r.code).toBe(1);
  });

  it("without credentials that can read the organization, checks the profiles against the person's SSO access", async () => {
    // A teammate's machine: SSO only, no keys for the management account, and no profile of it
    // (the onboarding message gives the stage profiles only).
    const env = await signedInWithoutKeys();
    const withManagement = await fs.readFile(setup.h.configFile, "utf8");
    await fs.writeFile(setup.h.configFile, withManagement.replace(/\n\[profile acme-management\][^[]*$/, "\n"));
    const byAccess = (r: { stdout: string }) => (JSON.parse(r.stdout) as Report).checks.find((c) => c.id === "profiles")!;

    const clean = byAccess(await doctor(["--json"], env));
    expect(clean.status).toBe("pass");
    expect(clean.summary).toBe("2 profiles of sso-session acme against the 3 accounts your SSO sign-in can use");

    const config = await fs.readFile(setup.h.configFile, "utf8");
    await fs.writeFile(
      setup.h.configFile,
      config.replace(/(\[profile acme-dev\][^[]*sso_role_name = )AdministratorAccess/, "$1ReadOnlyAccess") +
        "\n[profile acme-ghost]\nsso_session = acme\nsso_account_id = 999999999999\nsso_role_name = AdministratorAccess\n",
    );
    const r = await doctor(["--json"], env);
    expect(r.code).toBe(1);
    const dev = (await worldState(setup.sandbox)).accounts.find((a) => a.Name === "acme-dev")!;
    expect(byAccess(r).problems.map((p) => p.message)).toEqual([
      `[profile acme-dev]: you have no role ReadOnlyAccess in acme-dev (${dev.Id}).`,
      "[profile acme-ghost]: your SSO sign-in has no access to account 999999999999 (closed, or your access was removed).",
    ]);
  });

  it("on the admin's SSO-only machine, reads the organization through <org>-management and says so", async () => {
    const env = await signedInWithoutKeys();

    const r = await doctor([], env);
    expect(r.stdout).toContain("No AWS credentials in the environment: using profile acme-management (SSO) to read the organization.");
    const json = JSON.parse((await doctor(["--json"], env)).stdout) as Report;
    const profiles = json.checks.find((c) => c.id === "profiles")!;
    expect(profiles).toMatchObject({ status: "pass", summary: "3 profiles of sso-session acme against 3 accounts" });
    expect(r.code, ownStderr(r.stderr)).toBe(0);
  });

  it("flags an AWS_PROFILE in the environment or the project's .env that SST would use instead of sst.config.ts", async () => {
    expect((await runInit(setup.h)).code).toBe(0);
    const check = async (env: NodeJS.ProcessEnv) => (JSON.parse((await doctor(["--json", "--offline"], env)).stdout) as Report).checks.find((c) => c.id === "aws-profile-override")!;
    expect((await check({ ...setup.h.env, AWS_PROFILE: "acme-dev" })).status).toBe("skip");

    await fs.writeFile(path.join(setup.h.project, "sst.config.ts"), 'export default $config({ app() { return { name: "app", home: "aws" }; } });\n');
    expect((await check(setup.h.env)).status).toBe("pass");
    const fromEnv = await check({ ...setup.h.env, AWS_PROFILE: "acme-dev" });
    expect(fromEnv.status).toBe("fail");
    expect(fromEnv.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^AWS_PROFILE=acme-dev is set in the environment: SST uses it instead of the per-stage profile selector in .*sst\.config\.ts/)]);

    await fs.writeFile(path.join(setup.h.project, ".env"), "# local settings\nSTRIPE_KEY=test\nexport AWS_PROFILE='acme-production' # mine\n");
    const fromFile = await check(setup.h.env);
    expect(fromFile.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^AWS_PROFILE=acme-production is set in .*\.env \(line 3\)/)]);
    expect(fromFile.problems[0].fix).toEqual([expect.stringMatching(/^Remove line 3 from .*\.env/)]);
  });

  it("on a clean config without keys in the environment, everything passes: exit 0", async () => {
    const configFile = path.join(setup.h.home, "clean-config");
    await fs.copyFile(fixture("clean-config.ini"), configFile);
    const env = { ...setup.h.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_SESSION_TOKEN;
    const r = await doctor(["--offline", "--config-file", configFile], env);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).toContain("All checks passed.");
    expect(r.stdout).toMatch(/never logged in here: acme/);
    expect(r.stdout).not.toMatch(/✖/);
  });
});
