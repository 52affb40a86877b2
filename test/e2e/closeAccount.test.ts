/**
 * `close-account` end to end: after an unattended `init`, the typed confirmation (unattended:
 * `--yes --confirm NAME`), CloseAccount in the emulator, the profile block and SST stage removed,
 * and an idempotent re-run.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { ownStderr, runCli } from "../helpers/loginCli.js";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { runInit, type InitHome } from "./initHarness.js";

const SST_V3 = `export default $config({
  app(input) {
    return { name: "app", home: "aws" };
  },
  async run() {},
});
`;

describe("close-account end to end", () => {
  const setup = useDayTwoSetup({ init: false });
  const closeAccount = (args: string[]) => runCli(["close-account", ...args], setup.h.env, setup.h.project);
  const profiles = async () => Object.keys((await loadSharedConfigFiles({ configFilepath: setup.h.configFile, filepath: `${setup.h.configFile}.none`, ignoreCache: true })).configFile);
  let h: InitHome;
  let sandbox: Sandbox;
  beforeEach(async () => {
    ({ h, sandbox } = setup);
    // The project has an sst.config.ts before init, so init sets its profile selector.
    await fs.writeFile(path.join(h.project, "sst.config.ts"), SST_V3);
    const init = await runInit(h, ["--stages", "dev,staging,production"]);
    expect(init.code, init.stderr).toBe(0);
    await control(sandbox, "DELETE", "/calls");
  });

  it("closes the account after --yes --confirm, explains the 90 days, removes its profile and SST stage; a re-run only confirms", async () => {
    const before = await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8");
    expect(before).toContain('["staging", "acme-staging"]');

    const r = await closeAccount(["staging", "--yes", "--confirm", "acme-staging"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/90 days/);
    expect(r.stdout).toMatch(/30 days/);
    const staging = (await worldState(sandbox)).accounts.find((a) => a.Name === "acme-staging");
    expect(["PENDING_CLOSURE", "SUSPENDED"]).toContain(staging?.State);
    expect((await callLog(sandbox)).filter((c) => c.mutating).map((c) => c.operation)).toEqual(["CloseAccount"]);

    expect(await profiles()).toEqual(expect.arrayContaining(["acme-dev", "acme-production"]));
    expect(await profiles()).not.toContain("acme-staging");
    const sst = await fs.readFile(path.join(h.project, "sst.config.ts"), "utf8");
    expect(sst).not.toContain("acme-staging");
    expect(sst).toContain('"acme-production"');
    const config = await fs.readFile(h.configFile, "utf8");

    await control(sandbox, "DELETE", "/calls");
    const again = await closeAccount(["staging", "--yes", "--confirm", "acme-staging", "--json"]);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ accountName: "acme-staging", aws: "already-closing" });
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(config);
  });

  it("a CloseAccount whose answer was lost (the SDK's retry meets AccountAlreadyClosed) is reported as this run's closure", async () => {
    await control(sandbox, "POST", "/drop", { operation: "CloseAccount", occurrence: 1 });
    const r = await closeAccount(["staging", "--yes", "--confirm", "acme-staging", "--json"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect((await control<{ dropped: boolean }>(sandbox, "GET", "/drop")).dropped).toBe(true);
    expect((await callLog(sandbox)).filter((c) => c.operation === "CloseAccount")).toHaveLength(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ accountName: "acme-staging", aws: "closed" });
  });

  it("refuses without the typed name, with a wrong name, and for an unknown stage; nothing is closed", async () => {
    const noConfirm = await closeAccount(["staging", "--yes"]);
    expect(noConfirm.code).toBe(2);
    expect(ownStderr(noConfirm.stderr)).toMatch(/--confirm acme-staging/);

    const wrong = await closeAccount(["staging", "--yes", "--confirm", "acme-dev"]);
    expect(wrong.code).toBe(2);
    expect(ownStderr(wrong.stderr)).toMatch(/does not match/);

    const unknown = await closeAccount(["nope", "--yes", "--confirm", "acme-nope"]);
    expect(unknown.code).toBe(2);
    expect(ownStderr(unknown.stderr)).toMatch(/no account acme-nope/);

    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect((await worldState(sandbox)).accounts.every((a) => a.State === "ACTIVE")).toBe(true);
    expect(await profiles()).toContain("acme-staging");
  });

  it("--dry-run shows the closure and the file changes without making them", async () => {
    const config = await fs.readFile(h.configFile, "utf8");
    const r = await closeAccount(["dev", "--dry-run"]);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    expect(r.stdout).toMatch(/- close\s+Account acme-dev/);
    expect(r.stdout).toMatch(/-\[profile acme-dev\]/);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(config);
  });
});
