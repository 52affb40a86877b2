/**
 * The profiles' workload region (docs/init.md, Regions; docs/add-account.md): `--region` sets
 * the stage profiles' `region`, which may differ from Identity Center's; a re-run without it
 * keeps what the config has, profile by profile; a re-run with another one is a conflict, refused
 * unattended before any AWS change and replaced only with --force; add-account follows the stage
 * profiles' region unless given its own.
 */
import { promises as fs } from "node:fs";
import { describe, expect, it } from "vitest";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { ownStderr, runCli, unwrapped } from "../helpers/loginCli.js";
import { callLog, control, worldState } from "../helpers/sandbox.js";
import { runInit } from "./initHarness.js";

/** `{ profile name: region }` for every profile of the config. */
async function regions(file: string): Promise<Record<string, string | undefined>> {
  const text = await fs.readFile(file, "utf8");
  const out: Record<string, string | undefined> = {};
  let current: string | undefined;
  for (const line of text.split("\n")) {
    const header = /^\[(?:profile|sso-session) (.+)\]$/.exec(line);
    if (header) current = line.startsWith("[sso-session") ? `sso-session ${header[1]}` : header[1];
    const region = /^(sso_region|region) = (.+)$/.exec(line);
    if (current && region) out[current] = region[2];
  }
  return out;
}

describe("the profiles' workload region", () => {
  const setup = useDayTwoSetup({ initArgs: ["--region", "eu-west-1"] });

  it("init --region writes it to the stage profiles; Identity Center and the management profile keep their region; a re-run keeps it", async () => {
    const { h, sandbox } = setup;
    expect(await regions(h.configFile)).toEqual({ "sso-session acme": "us-east-1", "acme-dev": "eu-west-1", "acme-production": "eu-west-1", "acme-management": "us-east-1" });
    const before = await fs.readFile(h.configFile, "utf8");

    // Again without --region, and again with the same one: nothing changes.
    for (const extra of [[], ["--region", "eu-west-1"]]) {
      const again = await runInit(h, extra);
      expect(again.code, ownStderr(again.stderr)).toBe(0);
      expect(await fs.readFile(h.configFile, "utf8")).toBe(before);
    }
    // --json names both regions: Identity Center's and the stage profiles'.
    const json = await runInit(h, ["--json"]);
    expect(json.code, ownStderr(json.stderr)).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ssoRegion: "us-east-1", region: "eu-west-1" });
    expect(await fs.readFile(h.configFile, "utf8")).toBe(before);
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
  });

  it("a region the person set in one profile stays when init runs again without --region", async () => {
    const { h } = setup;
    const edited = (await fs.readFile(h.configFile, "utf8")).replace(/(\[profile acme-production\][^[]*region = )eu-west-1/, "$1ap-southeast-2");
    await fs.writeFile(h.configFile, edited);
    const again = await runInit(h);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(edited);
  });

  it("another --region is a conflict: refused unattended before any AWS change, replaced with --force", async () => {
    const { h, sandbox } = setup;
    const before = await fs.readFile(h.configFile, "utf8");
    const refused = await runInit(h, ["--region", "eu-central-1", "--stages", "dev,qa,production"]);
    expect(refused.code).toBe(2);
    const message = unwrapped(refused.stderr);
    expect(message).toContain('[profile acme-dev] region is "eu-west-1", this run would write "eu-central-1"');
    expect(message).toContain('[profile acme-production] region is "eu-west-1", this run would write "eu-central-1"');
    expect(message).toContain("nothing was changed in AWS or on disk");
    // Refused before the qa account was asked for.
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect((await worldState(sandbox)).accounts.map((a) => a.Name)).not.toContain("acme-qa");
    expect(await fs.readFile(h.configFile, "utf8")).toBe(before);

    const forced = await runInit(h, ["--region", "eu-central-1", "--force"]);
    expect(forced.code, ownStderr(forced.stderr)).toBe(0);
    expect(await regions(h.configFile)).toEqual({ "sso-session acme": "us-east-1", "acme-dev": "eu-central-1", "acme-production": "eu-central-1", "acme-management": "us-east-1" });
    expect(await fs.readFile(`${h.configFile}.org-bootstrap.bak`, "utf8")).toBe(before);
  });

  it("add-account gives the new profile the stage profiles' region, or its own --region; another --region for an existing profile is a conflict", async () => {
    const { h, sandbox } = setup;
    const addAccount = (args: string[]) => runCli(["add-account", ...args], h.env, h.project);
    const staging = await addAccount(["staging", "--yes"]);
    expect(staging.code, ownStderr(staging.stderr)).toBe(0);
    const qa = await addAccount(["qa", "--yes", "--region", "ap-southeast-2"]);
    expect(qa.code, ownStderr(qa.stderr)).toBe(0);
    // Any AWS region, also one without Identity Center (which --sso-region refuses).
    const uat = await addAccount(["uat", "--yes", "--region", "us-isob-east-1"]);
    expect(uat.code, ownStderr(uat.stderr)).toBe(0);
    expect(await regions(h.configFile)).toMatchObject({ "acme-staging": "eu-west-1", "acme-qa": "ap-southeast-2", "acme-uat": "us-isob-east-1", "acme-dev": "eu-west-1" });

    // Run again: without --region the profile keeps its own; with another one it is a conflict.
    const before = await fs.readFile(h.configFile, "utf8");
    expect((await addAccount(["qa", "--yes"])).code).toBe(0);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(before);
    await control(sandbox, "DELETE", "/calls");
    const refused = await addAccount(["qa", "--yes", "--region", "us-west-2"]);
    expect(refused.code).toBe(2);
    expect(unwrapped(refused.stderr)).toContain('[profile acme-qa] region is "ap-southeast-2", this run would write "us-west-2"');
    expect((await callLog(sandbox)).filter((c) => c.mutating)).toEqual([]);
    expect(await fs.readFile(h.configFile, "utf8")).toBe(before);
  });
});
