/**
 * The admin's first week on SSO alone (docs/init.md "After init: SSO only"), end to end with the
 * built CLI against the emulated AWS: init with the management account's keys → the keys are
 * removed from the environment → `login` → add-account, add-user, status, remove-user,
 * close-account, add-account again → init again. Every step after the first runs without a single access key in the
 * environment, and every call that needs the management account is signed with the SSO role
 * credentials of `[profile acme-management]` (the emulator's call log says who signed each call).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/sandbox/state.js";
import { ownStderr, runCli, startCli } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { answerDevicePage } from "../helpers/ssoSeed.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { runInit, snapshotFiles, SST_V3 } from "./initHarness.js";

const MANAGEMENT = "111111111111";

describe("the admin's first week on SSO alone", () => {
  const setup = useDayTwoSetup({ init: false });

  /** The environment once the root keys are gone: the sandbox endpoint and region, no credentials. */
  const ssoOnly = () => {
    const env = { ...setup.h.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_SESSION_TOKEN;
    return env;
  };

  /** Runs one step and returns its result and the calls it made (the log is cleared first). */
  const step = async (args: string[], env: NodeJS.ProcessEnv) => {
    await control(setup.sandbox, "DELETE", "/calls");
    const result = await runCli(args, env, setup.h.project);
    expect(result.code, `${args.join(" ")}\n${result.stdout}\n${ownStderr(result.stderr)}`).toBe(0);
    return { ...result, calls: await callLog(setup.sandbox) };
  };

  /**
   * Every signed call of a day-two step went out as the SSO role in the management account — but
   * those inside a stage account, as the OrganizationAccountAccessRole that role assumed there
   * (status reads the CI deploy roles so, docs/status.md).
   */
  const signedAsManagementRole = (calls: CallRecord[]) => {
    const signed = calls.filter((c) => c.signedAs && c.signedAs.roleName !== "OrganizationAccountAccessRole");
    expect(signed.length).toBeGreaterThan(0);
    expect(new Set(signed.map((c) => JSON.stringify(c.signedAs)))).toEqual(new Set([JSON.stringify({ accountId: MANAGEMENT, roleName: "AdministratorAccess" })]));
  };

  const login = async (env: NodeJS.ProcessEnv) => {
    const cli = startCli(["login", "--device-code", "--no-browser"], env, setup.h.project);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    // Ann approves in the browser (the emulator's device page).
    await answerDevicePage(setup.sandbox.url, code, "ann@acme.com");
    expect(await cli.exit, cli.stderr()).toBe(0);
  };

  it("init with the root keys, then login, add-account, add-user, status, remove-user, close-account, add-account again and init again on SSO alone", async () => {
    const { h } = setup;
    await fs.writeFile(path.join(h.project, "sst.config.ts"), SST_V3);

    // 1. init with the management account's (root) keys.
    const init = await runInit(h);
    expect(init.code, ownStderr(init.stderr)).toBe(0);
    expect(init.stdout).toMatch(/Delete the root access keys now/);
    expect(init.stdout).toMatch(/through profile acme-management \(SSO/);
    expect(init.stdout).toContain("(runs: npx --yes org-bootstrap@");
    const config = await fs.readFile(h.configFile, "utf8");
    expect(config).toContain(`[profile acme-management]\nsso_session = acme\nsso_account_id = ${MANAGEMENT}\nsso_role_name = AdministratorAccess\nregion = us-east-1\n`);

    // 2. The keys are deleted: nothing but SSO from here on.
    const env = ssoOnly();
    await login(env);

    // 3. add-account staging.
    const added = await step(["add-account", "staging", "--yes"], env);
    expect(added.stdout).toContain("No AWS credentials in the environment: using profile acme-management (SSO) for the management account.");
    signedAsManagementRole(added.calls);
    const staging = (await worldState(setup.sandbox)).accounts.find((a) => a.Name === "acme-staging");
    expect(staging?.State).toBe("ACTIVE");
    expect(await fs.readFile(h.configFile, "utf8")).toContain(`[profile acme-staging]\nsso_session = acme\nsso_account_id = ${staging?.Id}\n`);
    expect(await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8")).toMatch(/"?staging"?[:,] "acme-staging"/);

    // 4. add-user.
    const user = await step(["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen"], env);
    signedAsManagementRole(user.calls);
    expect((await worldState(setup.sandbox)).users.map((u) => u.UserName)).toContain("bo@acme.com");

    // 5. status: one JSON document on stdout, the note on stderr.
    const status = await step(["status", "--json"], env);
    signedAsManagementRole(status.calls);
    expect(status.stderr).toContain("using profile acme-management (SSO)");
    const report = JSON.parse(status.stdout);
    expect(report.accounts.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(["acme-dev", "acme-production", "acme-staging"]));
    expect(report.users.map((u: { userName: string }) => u.userName)).toEqual(expect.arrayContaining(["ann@acme.com", "bo@acme.com"]));
    expect(report.profiles.every((p: { state: string }) => p.state === "ok")).toBe(true);
    expect(status.calls.filter((c) => c.mutating)).toEqual([]);

    // 6. remove-user.
    const removed = await step(["remove-user", "bo@acme.com", "--yes"], env);
    signedAsManagementRole(removed.calls);
    expect((await worldState(setup.sandbox)).users.map((u) => u.UserName)).not.toContain("bo@acme.com");

    // 7. close-account staging.
    const closed = await step(["close-account", "staging", "--yes", "--confirm", "acme-staging"], env);
    signedAsManagementRole(closed.calls);
    expect((await worldState(setup.sandbox)).accounts.find((a) => a.Id === staging?.Id)?.State).toMatch(/SUSPENDED|PENDING_CLOSURE/);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(config);
    expect(await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8")).not.toContain("acme-staging");

    // 8. add-account staging again: a new account (the closed one keeps its name and email).
    const readded = await step(["add-account", "staging", "--yes"], env);
    signedAsManagementRole(readded.calls);
    const stagingAccounts = (await worldState(setup.sandbox)).accounts.filter((a) => a.Name === "acme-staging");
    const fresh = stagingAccounts.find((a) => a.State === "ACTIVE");
    expect(fresh?.Id).toBeDefined();
    expect(fresh?.Id).not.toBe(staging?.Id);
    expect(fresh?.Email).not.toBe(staging?.Email);
    expect(await fs.readFile(h.configFile, "utf8")).toContain(`[profile acme-staging]\nsso_session = acme\nsso_account_id = ${fresh?.Id}\n`);

    // 9. init again, same flags, SSO only: no AWS change, no byte changed, staging kept.
    const before = await snapshotFiles(h.home);
    await control(setup.sandbox, "DELETE", "/calls");
    const rerun = await runInit({ ...h, env });
    expect(rerun.code, ownStderr(rerun.stderr)).toBe(0);
    expect(rerun.stdout).toMatch(/everything was already in place; nothing changed/);
    const calls = await callLog(setup.sandbox);
    expect(calls.filter((c) => c.mutating)).toEqual([]);
    signedAsManagementRole(calls);
    expect(await snapshotFiles(h.home)).toEqual(before);
    expect(await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8")).toMatch(/"?staging"?[:,] "acme-staging"/);
  });

  it("an AWS_PROFILE of another account is never used for management calls: says whose it is and what is used instead", async () => {
    const { h } = setup;
    expect((await runInit(h)).code).toBe(0);
    const env = { ...ssoOnly(), AWS_PROFILE: "acme-dev" };
    await login(ssoOnly());
    const dev = (await worldState(setup.sandbox)).accounts.find((a) => a.Name === "acme-dev")!;
    const status = await step(["status"], env);
    expect(status.stdout).toContain(`AWS_PROFILE=acme-dev is account ${dev.Id}, not the management account ${MANAGEMENT}: using profile acme-management (SSO) for the management account instead.`);
    // Only the check of who AWS_PROFILE is went out as acme-dev; everything else as the management
    // role (or, inside acme-dev, as the OrganizationAccountAccessRole it assumed: status's ListRoles).
    const asDevProfile = status.calls.filter((c) => c.signedAs?.accountId === dev.Id && c.signedAs.roleName !== "OrganizationAccountAccessRole");
    expect(asDevProfile.map((c) => c.operation).sort()).toEqual(["DescribeOrganization", "GetCallerIdentity"]);
    signedAsManagementRole(status.calls.filter((c) => c.signedAs?.accountId !== dev.Id));
  });

  it("without a terminal and with no SSO token, fails with the one command to run", async () => {
    const { h } = setup;
    expect((await runInit(h)).code).toBe(0);
    await control(setup.sandbox, "DELETE", "/calls");
    const r = await runCli(["add-account", "staging", "--yes"], ssoOnly(), h.project);
    expect(r.code).toBe(2);
    expect(ownStderr(r.stderr)).toMatch(/The SSO session acme has expired or was never logged in\.[\s\S]*org-bootstrap login --sso-session acme/);
    expect((await callLog(setup.sandbox)).filter((c) => c.mutating)).toEqual([]);
  });

  it("a config written by an earlier init gains [profile <org>-management] on a re-run, no other byte changes", async () => {
    const { h } = setup;
    expect((await runInit(h)).code).toBe(0);
    const current = await fs.readFile(h.configFile, "utf8");
    const older = current.replace(/\n\[profile acme-management\][^[]*$/, "\n");
    expect(older).not.toContain("acme-management");
    await fs.writeFile(h.configFile, older);
    const rerun = await runInit(h);
    expect(rerun.code, ownStderr(rerun.stderr)).toBe(0);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(current);
    const before = await snapshotFiles(h.home);
    expect((await runInit(h)).code).toBe(0);
    expect(await snapshotFiles(h.home)).toEqual(before);
  });
});
