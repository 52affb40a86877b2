/**
 * The role ladder as a developer meets it (docs/add-user.md, Access per stage): after init and
 * `add-user --access dev=poweruser,production=readonly`, Di — in Developers only — signs in
 * through the access portal from an empty HOME with `profiles`. What the emulator's portal
 * answers her (ListAccounts, ListAccountRoles, GetRoleCredentials with her own token) is
 * PowerUserAccess in dev only, ReadOnlyAccess in production only, nothing in the management
 * account; `profiles` writes exactly those two profiles, and each works as its role.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand, SSOClient } from "@aws-sdk/client-sso";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { useDayTwoSetup } from "../helpers/dayTwoSetup.js";
import { ownStderr, runCli, startCli } from "../helpers/loginCli.js";
import { childEnv, worldState } from "../helpers/sandbox.js";
import { answerDevicePage } from "../helpers/ssoSeed.js";

const di = ["add-user", "--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers", "--access", "dev=poweruser,production=readonly"];

describe("the role ladder through the access portal", () => {
  const setup = useDayTwoSetup({
    afterInit: async ({ h }) => {
      const r = await runCli(di, h.env, h.project);
      expect(r.code, r.stderr).toBe(0);
    },
  });

  it("a Developer sees PowerUserAccess in dev, ReadOnlyAccess in production, nothing in management; profiles writes exactly those", async () => {
    const { sandbox } = setup;
    const world = await worldState(sandbox);
    const id = (name: string) => world.accounts.find((a) => a.Name === name)!.Id;
    const [dev, prod, management] = [id("acme-dev"), id("acme-production"), world.accounts.find((a) => a.Email !== "aws+dev@acme.com" && a.Email !== "aws+production@acme.com")!.Id];
    const startUrl = /sso_start_url = (\S+)/.exec(await fs.readFile(setup.h.configFile, "utf8"))![1];

    // Di's machine: an empty HOME and no AWS keys, only the portal's URL.
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "ladder-portal-"));
    const env = childEnv(sandbox, { HOME: home });
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const cli = startCli(["profiles", "--start-url", startUrl, "--sso-region", "us-east-1", "--sso-session", "acme", "--device-code", "--no-browser", "--yes"], env);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    expect((await answerDevicePage(sandbox.url, code, "di@acme.com")).html).toContain("Request approved");
    expect(await cli.exit, ownStderr(cli.stderr())).toBe(0);

    // The portal's own answers to Di's token (the one profiles cached).
    const cacheFile = path.join(home, ".aws", "sso", "cache", `${createHash("sha1").update("acme").digest("hex")}.json`);
    const { accessToken } = JSON.parse(await fs.readFile(cacheFile, "utf8")) as { accessToken: string };
    const portal = new SSOClient({ endpoint: sandbox.url, region: "us-east-1", maxAttempts: 1 });
    try {
      const accounts = await portal.send(new ListAccountsCommand({ accessToken }));
      expect(accounts.accountList?.map((a) => a.accountName).sort()).toEqual(["acme-dev", "acme-production"]);
      const roles = async (accountId: string) => (await portal.send(new ListAccountRolesCommand({ accessToken, accountId }))).roleList?.map((r) => r.roleName) ?? [];
      expect(await roles(dev)).toEqual(["PowerUserAccess"]);
      expect(await roles(prod)).toEqual(["ReadOnlyAccess"]);
      expect(await roles(management)).toEqual([]);
      // And the portal refuses the rungs she does not have.
      for (const [accountId, roleName] of [
        [dev, "ReadOnlyAccess"],
        [prod, "PowerUserAccess"],
        [management, "AdministratorAccess"],
      ]) {
        await expect(portal.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName })), `${accountId} ${roleName}`).rejects.toMatchObject({ name: "ForbiddenException" });
      }
    } finally {
      portal.destroy();
    }

    // profiles writes the accounts in account-id order (src/plan/profilesPlan.ts), one block each.
    const block = (name: string, accountId: string, role: string) =>
      `\n[profile ${name}]\nsso_session = acme\nsso_account_id = ${accountId}\nsso_role_name = ${role}\nregion = us-east-1\norg_bootstrap_generated_by = profiles\n`;
    const blocks = [
      { accountId: dev, text: block("acme-dev", dev, "PowerUserAccess") },
      { accountId: prod, text: block("acme-production", prod, "ReadOnlyAccess") },
    ].sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
    expect(await fs.readFile(path.join(home, ".aws", "config"), "utf8")).toBe(
      `[sso-session acme]\nsso_start_url = ${startUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n${blocks.map((b) => b.text).join("")}`,
    );

    // Each profile signs in as its rung: the SSO role of that permission set, in that account.
    for (const [profile, accountId, role] of [
      ["acme-dev", dev, "PowerUserAccess"],
      ["acme-production", prod, "ReadOnlyAccess"],
    ]) {
      const creds = await runCli(["env", "--profile", profile, "--format", "json"], env);
      expect(creds.code, ownStderr(creds.stderr)).toBe(0);
      // The credential_process document (Version 1) the AWS CLI would read.
      const c = JSON.parse(creds.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
      const sts = new STSClient({ endpoint: sandbox.url, region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken } });
      try {
        const me = await sts.send(new GetCallerIdentityCommand({}));
        expect(me.Account).toBe(accountId);
        expect(me.Arn).toMatch(new RegExp(`:assumed-role/AWSReservedSSO_${role}_[0-9a-z]+/di@acme\\.com$`));
      } finally {
        sts.destroy();
      }
    }
  });
});
