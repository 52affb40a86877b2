/**
 * init's wizard run in-process (docs/architecture.md, "How a command runs"): the command gets its
 * prompter and its AWS clients from its input, so a test answers the questions from a script and
 * points the clients at the emulator by configuration — no terminal, no child process, and
 * nothing in process.env (the input's env holds HOME alone). Then the emulator's state and the
 * bytes of every file written are checked, as a person would find them.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/commands/init.js";
import { CancelledError } from "../../src/errors.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { packageVersion } from "../../src/version.js";
import { capturedOutput, sandboxClients } from "../helpers/inProcess.js";
import { scriptedPrompter } from "../helpers/scriptedPrompter.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none, callerKind: "iam-user" });
});
afterAll(() => sandbox.close());

const packageJson = '{\n  "name": "app",\n  "private": true\n}\n';

async function project() {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-inprocess-"));
  const dir = path.join(home, "app");
  await fs.mkdir(dir);
  await fs.writeFile(path.join(dir, "package.json"), packageJson);
  return { home, dir };
}

/** The command's input as the entry builds it, with the emulator and the script in place of AWS and the terminal. */
function inputFor(home: string, cwd: string, prompter: ReturnType<typeof scriptedPrompter>, aws: Sandbox = sandbox) {
  const { out, printed } = capturedOutput();
  const input = { options: { "no-browser": true }, positionals: [], rest: [], env: { HOME: home, GIT_CONFIG_NOSYSTEM: "1" }, cwd, out, prompter, clients: sandboxClients(aws.url), signal: new AbortController().signal };
  return { input, printed };
}

describe("init's wizard in-process, answered from a script", () => {
  it("asks every question in order, sets up the emulated organization and writes the files byte for byte", async () => {
    const { home, dir } = await project();
    const prompter = scriptedPrompter([
      [/^Short name of your company or project/, "acme"],
      [/^AWS region for IAM Identity Center$/, undefined],
      [/^AWS region for your workloads/, "eu-west-1"],
      [/^Stages, one member account each/, "dev,production"],
      [/^Your email/, "ann@acme.com"],
      [/^Your given name$/, "Ann"],
      [/^Your family name$/, "Lee"],
      [/^AdministratorAccess is always created/, ["readonly"]],
      [/^Access for the stage accounts\?$/, "admin-only"],
      [/^Apply this plan to your AWS organization\?$/, true],
      [/^Access portal start URL/, undefined],
      [/^Write ~\/\.aws\/config\?$/, true],
      [/^Write package\.json\?$/, true],
      [/^Add the recommended guardrails\?/, false],
    ]);
    const { input, printed } = inputFor(home, dir, prompter);
    expect(await run(input)).toBe(0);
    expect(prompter.left(), printed()).toBe(0);

    const state = sandbox.state;
    const accounts = [...state.accounts.values()];
    const id = (name: string) => accounts.find((a) => a.Name === name)!.Id;
    expect(accounts.map((a) => a.Name).sort()).toEqual(["acme-dev", "acme-production", "management"]);
    expect([...state.permissionSets.values()].map((p) => p.Name).sort()).toEqual(["AdministratorAccess", "ReadOnlyAccess"]);
    expect([...state.users.values()].map((u) => [u.UserName, u.Name?.GivenName, u.Name?.FamilyName])).toEqual([["ann@acme.com", "Ann", "Lee"]]);
    const setName = new Map([...state.permissionSets.values()].map((p) => [p.PermissionSetArn, p.Name]));
    const groupName = new Map([...state.groups.values()].map((g) => [g.GroupId, g.DisplayName]));
    const accountName = new Map(accounts.map((a) => [a.Id, a.Name]));
    const userName = new Map([...state.users.values()].map((u) => [u.UserId, u.UserName]));
    expect([...state.memberships.values()].map((m) => [userName.get(m.MemberId.UserId), groupName.get(m.GroupId)])).toEqual([["ann@acme.com", "Administrators"]]);
    // The group holds the person and has AdministratorAccess everywhere; ReadOnlyAccess exists to be assigned later.
    expect(state.assignments.map((a) => [accountName.get(a.AccountId), setName.get(a.PermissionSetArn), a.PrincipalType, groupName.get(a.PrincipalId)]).sort()).toEqual([
      ["acme-dev", "AdministratorAccess", "GROUP", "Administrators"],
      ["acme-production", "AdministratorAccess", "GROUP", "Administrators"],
      ["management", "AdministratorAccess", "GROUP", "Administrators"],
    ]);

    const instance = [...state.instances.values()][0]!;
    const management = state.managementAccount.Id;
    expect(await fs.readFile(path.join(home, ".aws", "config"), "utf8")).toBe(
      `[sso-session acme]
sso_start_url = https://${instance.IdentityStoreId}.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile acme-dev]
sso_session = acme
sso_account_id = ${id("acme-dev")}
sso_role_name = AdministratorAccess
region = eu-west-1

[profile acme-production]
sso_session = acme
sso_account_id = ${id("acme-production")}
sso_role_name = AdministratorAccess
region = eu-west-1

[profile acme-management]
sso_session = acme
sso_account_id = ${management}
sso_role_name = AdministratorAccess
region = us-east-1
`,
    );
    expect((await fs.stat(path.join(home, ".aws", "config"))).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(path.join(dir, "package.json"), "utf8")).toBe(
      `{\n  "name": "app",\n  "private": true,\n  "scripts": {\n    "sso": "npx --yes org-bootstrap@${packageVersion()} login --sso-session acme"\n  }\n}\n`,
    );
    // What a person reads at the end: the summary, on the command's own output.
    expect(printed()).toMatch(/npm run sso/);
  });

  it("a cancelled question stops before any AWS call, with CancelledError, and writes nothing", async () => {
    const { home, dir } = await project();
    const before = sandbox.state.calls.length;
    const prompter = scriptedPrompter([
      [/^Short name of your company or project/, "beta"],
      [/^AWS region for IAM Identity Center$/, "cancel"],
    ]);
    const { input } = inputFor(home, dir, prompter);
    await expect(run(input)).rejects.toBeInstanceOf(CancelledError);
    expect(sandbox.state.calls.length).toBe(before);
    expect(await fs.readdir(home)).toEqual(["app"]);
    expect(await fs.readFile(path.join(dir, "package.json"), "utf8")).toBe(packageJson);
  });

  it("answered 'ladder', the access question also gives a Developers group (no members) PowerUserAccess in dev and ReadOnlyAccess in production", async () => {
    const own = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none, callerKind: "iam-user" });
    try {
      const { home, dir } = await project();
      const prompter = scriptedPrompter([
        [/^Short name of your company or project/, "acme"],
        [/^AWS region for IAM Identity Center$/, undefined],
        [/^AWS region for your workloads/, undefined],
        [/^Stages, one member account each/, "dev,production"],
        [/^Your email/, "ann@acme.com"],
        [/^Your given name$/, "Ann"],
        [/^Your family name$/, "Lee"],
        [/^AdministratorAccess is always created/, []],
        [/^Access for the stage accounts\?$/, "ladder"],
        [/^Apply this plan to your AWS organization\?$/, true],
        [/^Access portal start URL/, undefined],
        [/^Write ~\/\.aws\/config\?$/, true],
        [/^Write package\.json\?$/, true],
        [/^Add the recommended guardrails\?/, false],
      ]);
      const { input, printed } = inputFor(home, dir, prompter, own);
      expect(await run(input), printed()).toBe(0);
      expect(prompter.left(), printed()).toBe(0);
      const state = own.state;
      const setName = new Map([...state.permissionSets.values()].map((p) => [p.PermissionSetArn, p.Name]));
      const groupName = new Map([...state.groups.values()].map((g) => [g.GroupId, g.DisplayName]));
      const accountName = new Map([...state.accounts.values()].map((a) => [a.Id, a.Name]));
      expect(state.assignments.map((a) => [groupName.get(a.PrincipalId), accountName.get(a.AccountId), setName.get(a.PermissionSetArn)]).sort()).toEqual([
        ["Administrators", "acme-dev", "AdministratorAccess"],
        ["Administrators", "acme-production", "AdministratorAccess"],
        ["Administrators", "management", "AdministratorAccess"],
        ["Developers", "acme-dev", "PowerUserAccess"],
        ["Developers", "acme-production", "ReadOnlyAccess"],
      ]);
      // Developers has no members: people join it with add-user --group Developers.
      expect([...state.memberships.values()].map((m) => groupName.get(m.GroupId))).toEqual(["Administrators"]);
    } finally {
      await own.close();
    }
  });
});
