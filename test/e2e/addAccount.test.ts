/**
 * `add-account` end to end: the built CLI against the emulated AWS, after an unattended `init`
 * in a temporary HOME. Assertions on the emulator's state, the call log, the config file's bytes
 * and exit codes.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { ownStderr, runCli } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { runInit, SST_V3, type InitHome } from "./initHarness.js";

describe("add-account end to end", () => {
  const setup = useDayTwoSetup({ init: false });
  const addAccount = (args: string[]) => runCli(["add-account", ...args], setup.h.env, setup.h.project);
  let h: InitHome;
  let sandbox: Sandbox;
  beforeEach(async () => {
    ({ h, sandbox } = setup);
    // The project has an sst.config.ts before init, so init sets its profile selector.
    await fs.writeFile(path.join(h.project, "sst.config.ts"), SST_V3);
    const init = await runInit(h);
    expect(init.code, init.stderr).toBe(0);
    await control(sandbox, "DELETE", "/calls");
  });

  it("creates <org>-<stage> with the group's permission sets, its profile and SST stage; a re-run changes nothing", async () => {
    const first = await addAccount(["staging", "--yes", "--json"]);
    expect(first.code, ownStderr(first.stderr)).toBe(0);
    const summary = JSON.parse(first.stdout);

    const world = await worldState(sandbox);
    const staging = world.accounts.find((a) => a.Name === "acme-staging");
    // Same email pattern as the stage accounts init made (aws+{stage}@acme.com).
    expect(staging).toMatchObject({ Email: "aws+staging@acme.com", State: "ACTIVE" });
    const group = world.groups.find((g) => g.DisplayName === "Administrators");
    const admin = world.permissionSets.find((p) => p.Name === "AdministratorAccess");
    expect(world.assignments.filter((a) => a.AccountId === staging?.Id)).toEqual([
      expect.objectContaining({ PrincipalType: "GROUP", PrincipalId: group?.GroupId, PermissionSetArn: admin?.PermissionSetArn }),
    ]);
    expect(summary).toMatchObject({ stage: "staging", account: { id: staging?.Id, status: "created" }, profile: "acme-staging" });

    const config = await fs.readFile(h.configFile, "utf8");
    expect(config).toContain(`[profile acme-staging]\nsso_session = acme\nsso_account_id = ${staging?.Id}\nsso_role_name = AdministratorAccess\nregion = us-east-1\n`);
    const sst = await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8");
    expect(sst).toContain('["staging", "acme-staging"]');
    expect(sst).toContain('["production", "acme-production"]');

    await control(sandbox, "DELETE", "/calls");
    const again = await addAccount(["staging", "--yes"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(again.stdout).toMatch(/already in place; nothing changed/);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(config);
    expect(await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8")).toBe(sst);
  });

  it("uses --email and shows a dry run without changing anything", async () => {
    const configBefore = await fs.readFile(h.configFile, "utf8");
    const sstBefore = await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8");
    const dry = await addAccount(["qa", "--email", "qa-team@acme.com", "--dry-run"]);
    expect(dry.code, ownStderr(dry.stderr)).toBe(0);
    expect(dry.stdout).toMatch(/\+ create\s+Account acme-qa\b.*qa-team@acme\.com/);
    expect(dry.stdout).toMatch(/Dry run: nothing was changed/);
    // The file diffs, as for an existing account; the new account's id is a placeholder.
    expect(dry.stdout).toMatch(/^\+\s*\[profile acme-qa\]$/m);
    expect(dry.stdout).toMatch(/^\+\s*sso_account_id = <id of acme-qa, once AWS creates it>$/m);
    expect(dry.stdout).toMatch(/^\+.*\["qa", "acme-qa"\]/m);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(configBefore);
    expect(await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8")).toBe(sstBefore);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect((await worldState(sandbox)).accounts.some((a) => a.Name === "acme-qa")).toBe(false);
  });

  it("checks names before any AWS call", async () => {
    for (const [stage, pattern] of [
      ["Staging", /The stage "Staging" cannot be used\.\s+Use lowercase letters/],
      ["qa_1", /The stage "qa_1" cannot be used\.\s+Use lowercase letters/],
      ["a-very-long-stage-name-that-is-too-long-for-aws", /longer than 50|cannot be used/],
      ["has space", /cannot be used/],
    ] as const) {
      const r = await addAccount([stage, "--yes"]);
      expect(r.code, stage).toBe(2);
      expect(ownStderr(r.stderr)).toMatch(pattern);
    }
    const badEmail = await addAccount(["qa", "--email", "not-an-email", "--yes"]);
    expect(badEmail.code).toBe(2);
    expect(ownStderr(badEmail.stderr)).toMatch(/not a usable email/);
    expect(await callLog(sandbox)).toEqual([]);
  });

  it("refuses an email that belongs to another account, and unattended runs without --yes", async () => {
    const taken = await addAccount(["qa", "--email", "aws+dev@acme.com", "--yes"]);
    expect(taken.code).toBe(2);
    expect(ownStderr(taken.stderr)).toMatch(/already belongs to account acme-dev/);

    const noYes = await addAccount(["qa"]);
    expect(noYes.code).toBe(2);
    expect(ownStderr(noYes.stderr)).toMatch(/--yes/);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
  });

  it("says to run init when the config has no sso-session", async () => {
    await fs.rm(h.configFile);
    const r = await addAccount(["qa", "--yes"]);
    expect(r.code).toBe(2);
    expect(ownStderr(r.stderr)).toMatch(/Run org-bootstrap init first/);
  });
});
