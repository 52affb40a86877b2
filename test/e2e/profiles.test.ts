/**
 * `profiles` end to end (docs/profiles.md): a teammate in Developers only (no management access)
 * runs it from an empty HOME; the config it writes is read by the AWS CLI's parser and the JS SDK;
 * a role taken away in Identity Center + `--prune` removes only that block. The built CLI as a
 * child process, the emulator seeded in-process, the device page approved as a person would.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { childEnv, openSandbox } from "../helpers/sandbox.js";
import { ownStderr, runCli, startCli, unwrapped } from "../helpers/loginCli.js";
import { answerDevicePage, seedSsoWorld, type SeededWorld } from "../helpers/ssoSeed.js";

const run = promisify(execFile);
let sandbox: Sandbox;
let world: SeededWorld;

/** Dan is in Developers: PowerUserAccess and ReadOnlyAccess in acme-dev, ReadOnlyAccess in acme-production. */
function seedDeveloper(state: Sandbox["state"]) {
  const instance = [...state.instances.values()][0];
  const storeId = instance.IdentityStoreId;
  state.users.set("u-dan", { UserId: "u-dan", IdentityStoreId: storeId, UserName: "dan@example.com" });
  state.groups.set("g-devs", { GroupId: "g-devs", IdentityStoreId: storeId, DisplayName: "Developers" });
  state.memberships.set("m-dan", { MembershipId: "m-dan", IdentityStoreId: storeId, GroupId: "g-devs", MemberId: { UserId: "u-dan" } });
  const set = (name: string, n: number) => {
    const arn = `${instance.InstanceArn.replace(":instance/", ":permissionSet/")}/ps-dev000000000${n}`;
    state.permissionSets.set(arn, {
      PermissionSetArn: arn,
      Name: name,
      SessionDuration: "PT8H",
      CreatedDate: Date.now(),
      instanceArn: instance.InstanceArn,
      managedPolicies: [],
      provisionedTo: new Set([world.devAccountId, world.prodAccountId]),
      outdated: false,
    });
    return arn;
  };
  const power = set("PowerUserAccess", 1);
  const read = set("ReadOnlyAccess", 2);
  for (const [accountId, arn] of [
    [world.devAccountId, read],
    [world.devAccountId, power],
    [world.prodAccountId, read],
  ]) {
    state.assignments.push({ AccountId: accountId, PermissionSetArn: arn, PrincipalType: "GROUP", PrincipalId: "g-devs", instanceArn: instance.InstanceArn });
  }
  return { read };
}

const BOTOCORE = String.raw`
import sys, json
from botocore.configloader import raw_config_parse, build_profile_map
m = build_profile_map(raw_config_parse(sys.argv[1]))
print(json.dumps({"profiles": m["profiles"], "sessions": m["sso_sessions"]}))
`;

beforeAll(async () => {
  sandbox = await openSandbox();
  world = seedSsoWorld(sandbox.state);
});
afterAll(() => sandbox.close());

describe("profiles", () => {
  it("from an empty HOME writes the session and exactly the accounts and roles a developer has; the AWS CLI and the SDK read them; --prune removes only a role taken away", async () => {
    const { read } = seedDeveloper(sandbox.state);
    sandbox.state.maxPageSize = 1; // every portal listing takes several pages
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "profiles-home-"));
    const env = childEnv(sandbox, { HOME: home });
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const config = path.join(home, ".aws", "config");

    const cli = startCli(["profiles", "--start-url", world.startUrl, "--sso-region", "us-east-1", "--sso-session", "acme", "--device-code", "--no-browser", "--yes", "--json"], env);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(sandbox.url, code, "dan@example.com");
    expect(await cli.exit).toBe(0);
    const summary = JSON.parse(cli.stdout());
    expect(summary).toMatchObject({ session: "acme", sessionBlock: "created", written: true, removed: [] });
    const listings = sandbox.state.calls.filter((c) => c.operation === "ListAccounts" || c.operation === "ListAccountRoles");
    expect(listings.filter((c) => c.operation === "ListAccounts").length).toBeGreaterThan(1);

    const expected = `[sso-session acme]
sso_start_url = ${world.startUrl}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile acme-dev]
sso_session = acme
sso_account_id = ${world.devAccountId}
sso_role_name = PowerUserAccess
region = us-east-1
org_bootstrap_generated_by = profiles

[profile acme-dev-readonly]
sso_session = acme
sso_account_id = ${world.devAccountId}
sso_role_name = ReadOnlyAccess
region = us-east-1
org_bootstrap_generated_by = profiles

[profile acme-production]
sso_session = acme
sso_account_id = ${world.prodAccountId}
sso_role_name = ReadOnlyAccess
region = us-east-1
org_bootstrap_generated_by = profiles
`;
    expect(await fs.readFile(config, "utf8")).toBe(expected);
    expect((await fs.stat(config)).mode & 0o777).toBe(0o600);

    // The AWS CLI's parser and the JS SDK's loader read every profile and value.
    const { stdout } = await run("python3", ["-c", BOTOCORE, config]);
    const boto = JSON.parse(stdout);
    expect(Object.keys(boto.profiles)).toEqual(["acme-dev", "acme-dev-readonly", "acme-production"]);
    expect(boto.profiles["acme-dev-readonly"]).toMatchObject({ sso_session: "acme", sso_account_id: world.devAccountId, sso_role_name: "ReadOnlyAccess", region: "us-east-1" });
    expect(boto.sessions.acme).toMatchObject({ sso_start_url: world.startUrl, sso_region: "us-east-1" });
    const sdk = await loadSharedConfigFiles({ configFilepath: config, filepath: path.join(home, "none"), ignoreCache: true });
    expect(sdk.configFile["acme-production"]).toMatchObject({ sso_session: "acme", sso_account_id: world.prodAccountId, sso_role_name: "ReadOnlyAccess" });
    // And the profiles work: env gets credentials through the cached session.
    const creds = await runCli(["env", "--profile", "acme-dev-readonly", "--format", "json"], env);
    expect(creds.code).toBe(0);

    // A block of the user's own for a role Dan is about to lose: reported, never removed.
    const own = `\n# mine\n[profile dan-prod]\nsso_session = acme\nsso_account_id = ${world.prodAccountId}\nsso_role_name = ReadOnlyAccess\n`;
    await fs.appendFile(config, own);
    const again = await runCli(["profiles", "--yes"], env);
    expect(again.code).toBe(0);
    expect(unwrapped(again.stdout)).toMatch(/up to date/);
    expect(await fs.readFile(config, "utf8")).toBe(expected + own);

    // Identity Center takes ReadOnlyAccess in production away.
    sandbox.state.assignments = sandbox.state.assignments.filter((a) => !(a.AccountId === world.prodAccountId && a.PermissionSetArn === read));
    const dry = await runCli(["profiles"], env);
    expect(dry.code).toBe(0);
    expect(unwrapped(dry.stdout)).toMatch(/acme-production .*no longer yours; --prune removes it/);
    expect(unwrapped(dry.stdout)).toMatch(/dan-prod .*not written by profiles, left alone/);
    const pruned = await runCli(["profiles", "--prune", "--yes", "--json"], env);
    expect(ownStderr(pruned.stderr)).not.toMatch(/✖/);
    expect(pruned.code).toBe(0);
    expect(JSON.parse(pruned.stdout)).toMatchObject({ removed: ["acme-production"], leftAlone: ["dan-prod"] });
    const after = await fs.readFile(config, "utf8");
    expect(after).toBe(expected.slice(0, expected.indexOf("\n[profile acme-production]")) + own);
  });

  it("refuses bad input before any call (exit 2)", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "profiles-bad-"));
    const env = childEnv(sandbox, { HOME: home });
    sandbox.state.calls = [];
    for (const args of [
      ["--start-url", "http://example.com/start", "--sso-region", "us-east-1"],
      ["--start-url", world.startUrl, "--sso-region", "moon-1"],
      ["--start-url", world.startUrl, "--sso-region", "us-east-1", "--sso-session", "a b"],
      ["--start-url", world.startUrl, "--sso-region", "us-east-1", "--management-account", "12"],
      [],
    ]) {
      const result = await runCli(["profiles", ...args], env);
      expect(result.code, args.join(" ")).toBe(2);
    }
    expect(sandbox.state.calls).toEqual([]);
  });
});
