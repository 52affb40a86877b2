/**
 * The stage lifecycle end to end (docs/init.md "Running init again", docs/add-account.md,
 * docs/close-account.md): a re-run of `init` keeps every stage day two added, a profile the person
 * wrote in sst.config.ts is a conflict, and a closed stage can be added again. The built CLI
 * against the emulated AWS; assertions on the call log, the emulator's state and bytes on disk.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { ownStderr, unwrapped, runCli } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { runInit, snapshotFiles, SST_V3, type InitHome } from "./initHarness.js";

const mutatingCalls = async (sandbox: Sandbox) => (await callLog(sandbox)).filter((c) => c.mutating).map((c) => c.operation);

describe("stage lifecycle", () => {
  const setup = useDayTwoSetup({ init: false });
  const cli = (args: string[]) => runCli(args, setup.h.env, setup.h.project);
  let h: InitHome;
  let sandbox: Sandbox;
  const sstFile = () => path.join(h.project, "sst.config.ts");
  beforeEach(async () => {
    ({ h, sandbox } = setup);
    await fs.writeFile(sstFile(), SST_V3);
  });

  it("init → add-account qa → init again with the original flags: zero AWS changes, every file byte-identical, qa still selected", async () => {
    expect((await runInit(h)).code).toBe(0);
    const added = await cli(["add-account", "qa", "--yes"]);
    expect(added.code, ownStderr(added.stderr)).toBe(0);
    const sst = await fs.readFile(sstFile(), "utf8");
    expect(sst).toContain('["qa", "acme-qa"]');
    const before = await snapshotFiles(h.home);

    await control(sandbox, "DELETE", "/calls");
    const again = await runInit(h);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await mutatingCalls(sandbox)).toEqual([]);
    // The plan shows the day-two stage as one that exists.
    expect(again.stdout.replace(/\s+/g, " ")).toMatch(/= exists Account acme-qa \(\d{12}, aws\+qa@acme\.com\) for stage qa: a stage added after init, kept/);
    expect(await snapshotFiles(h.home)).toEqual(before);
    expect(await fs.readFile(sstFile(), "utf8")).toContain('["qa", "acme-qa"]');

    // The wizard's defaults (dev,production) are the same desired stages as the original flags.
    await control(sandbox, "DELETE", "/calls");
    const fewer = await runInit(h, ["--stages", "dev"]);
    expect(fewer.code, ownStderr(fewer.stderr)).toBe(0);
    expect(await mutatingCalls(sandbox)).toEqual([]);
    expect(await snapshotFiles(h.home)).toEqual(before);
  });

  it("a profile the person wrote in sst.config.ts is a conflict: shown and refused before any AWS change, replaced only with --force", async () => {
    const own = SST_V3.replace('home: "aws",', 'home: "aws",\n      providers: { aws: { profile: "something-else" } },');
    await fs.writeFile(sstFile(), own);
    const refused = await runInit(h);
    expect(refused.code).toBe(2);
    expect(unwrapped(ownStderr(refused.stderr))).toMatch(/sst\.config\.ts: providers\.aws\.profile is ""something-else"", this run would write "process\.env\.CI/);
    expect(await mutatingCalls(sandbox)).toEqual([]);
    expect(await fs.readFile(sstFile(), "utf8")).toBe(own);

    const forced = await runInit(h, ["--force"]);
    expect(forced.code, ownStderr(forced.stderr)).toBe(0);
    const sst = await fs.readFile(sstFile(), "utf8");
    expect(sst).not.toContain("something-else");
    expect(sst).toContain('profile: process.env.CI || process.env.GITHUB_ACTIONS ? undefined : input?.stage === "production" ? "acme-production" : "acme-dev"');
    expect(await fs.readFile(`${sstFile()}.org-bootstrap.bak`, "utf8")).toBe(own);
  });

  it("close-account staging, then add-account staging: a new account with a new email, its profile and SST stage back; re-runs change nothing", async () => {
    expect((await runInit(h, ["--stages", "dev,staging,production"])).code).toBe(0);
    const closed = await cli(["close-account", "staging", "--yes", "--confirm", "acme-staging"]);
    expect(closed.code, ownStderr(closed.stderr)).toBe(0);
    const oldId = (await worldState(sandbox)).accounts.find((a) => a.Name === "acme-staging")?.Id;
    expect(await fs.readFile(sstFile(), "utf8")).not.toContain("acme-staging");

    // init with the original flags does not bring the closed stage back by itself.
    await control(sandbox, "DELETE", "/calls");
    const rerun = await runInit(h, ["--stages", "dev,staging,production"]);
    expect(rerun.code, ownStderr(rerun.stderr)).toBe(0);
    expect(unwrapped(ownStderr(rerun.stderr) + rerun.stdout)).toMatch(/Stage staging: account acme-staging \(\d{12}\) is (PENDING_CLOSURE|SUSPENDED).*org-bootstrap add-account staging/);
    expect(await mutatingCalls(sandbox)).toEqual([]);

    await control(sandbox, "DELETE", "/calls");
    const readded = await cli(["add-account", "staging", "--yes", "--json"]);
    expect(readded.code, ownStderr(readded.stderr)).toBe(0);
    expect(unwrapped(ownStderr(readded.stderr))).toMatch(/aws\+staging@acme\.com still belongs to account acme-staging .*the new one gets aws\+staging-2@acme\.com \(or give --email\)/);
    const summary = JSON.parse(readded.stdout);
    const stagings = (await worldState(sandbox)).accounts.filter((a) => a.Name === "acme-staging");
    const fresh = stagings.find((a) => a.State === "ACTIVE");
    expect(stagings).toHaveLength(2);
    expect(fresh).toMatchObject({ Email: "aws+staging-2@acme.com" });
    expect(fresh?.Id).not.toBe(oldId);
    expect(summary).toMatchObject({ account: { id: fresh?.Id, status: "created", email: "aws+staging-2@acme.com" } });
    expect(await fs.readFile(h.configFile, "utf8")).toContain(`[profile acme-staging]\nsso_session = acme\nsso_account_id = ${fresh?.Id}\n`);
    expect(await fs.readFile(sstFile(), "utf8")).toContain('["staging", "acme-staging"]');
    const before = await snapshotFiles(h.home);

    await control(sandbox, "DELETE", "/calls");
    const again = await cli(["add-account", "staging", "--yes"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    const init = await runInit(h, ["--stages", "dev,staging,production"]);
    expect(init.code, ownStderr(init.stderr)).toBe(0);
    expect(await mutatingCalls(sandbox)).toEqual([]);
    expect(await snapshotFiles(h.home)).toEqual(before);

    // The email of a closed account, given explicitly, is refused with a flag add-account has.
    const taken = await cli(["add-account", "qa", "--email", "aws+staging@acme.com", "--yes"]);
    expect(taken.code).toBe(2);
    expect(unwrapped(ownStderr(taken.stderr))).toMatch(/belongs to account acme-staging \(\d{12}\), which is (PENDING_CLOSURE|SUSPENDED)/);
    expect(unwrapped(ownStderr(taken.stderr))).toMatch(/org-bootstrap add-account qa --email aws\+staging-3@acme\.com/);
    expect(await mutatingCalls(sandbox)).toEqual([]);
  });

  it("one stage-name rule and message: init --stages and add-account agree", async () => {
    const fromInit = await runInit(h, ["--stages", "Dev,qa_env"]);
    expect((await runInit(h)).code).toBe(0);
    await control(sandbox, "DELETE", "/calls");
    const fromAdd = await cli(["add-account", "QA", "--yes"]);
    for (const r of [fromInit, fromAdd]) {
      expect(r.code).toBe(2);
      expect(unwrapped(ownStderr(r.stderr))).toMatch(/The stage "(Dev|QA)" cannot be used\.\s+Use lowercase letters, digits and hyphens, starting with a letter, at most 40 characters/);
    }
    expect(await callLog(sandbox)).toEqual([]);
  });
});
