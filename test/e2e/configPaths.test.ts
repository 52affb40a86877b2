/**
 * Every command finds the AWS config where the SDK does (src/local/paths.ts): with
 * AWS_CONFIG_FILE set but empty, the day-two commands read ~/.aws/config, not the current
 * directory; a relative AWS_CONFIG_FILE is relative to the current directory; `~/` is home.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ownStderr, runCli } from "../helpers/loginCli.js";

const config = `[sso-session acme]
sso_start_url = https://d-1111111111.awsapps.com/start
sso_region = us-east-1

[profile acme-dev]
sso_session = acme
sso_account_id = 111111111111
sso_role_name = AdministratorAccess
region = us-east-1
`;

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function machine(configAt: (home: string, work: string) => string) {
  const root = mkdtempSync(path.join(os.tmpdir(), "config-paths-"));
  roots.push(root);
  const home = path.join(root, "home");
  const work = path.join(root, "work");
  mkdirSync(work, { recursive: true });
  const file = configAt(home, work);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, config);
  const env = (value: string) => ({ PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: value, NO_COLOR: "1" });
  return { home, work, env };
}

describe("the config file, as the AWS SDK finds it", () => {
  it.each([
    ["logout", ["logout"]],
    ["env", ["env", "--profile", "acme-dev"]],
    ["exec", ["exec", "--profile", "acme-dev", "--", "true"]],
  ])("%s with AWS_CONFIG_FILE empty reads ~/.aws/config", async (_name, args) => {
    const m = machine((home) => path.join(home, ".aws", "config"));
    const { stderr, stdout } = await runCli(args, m.env(""), m.work);
    // It found the session in ~/.aws/config: logged out, so "nothing to do" / "log in first".
    expect(ownStderr(stderr) + stdout).toMatch(/acme/);
    expect(ownStderr(stderr)).not.toContain("is a directory");
  });

  it("a relative AWS_CONFIG_FILE is relative to the current directory, ~/ to home", async () => {
    const rel = machine((_home, work) => path.join(work, "cfg", "config"));
    const first = await runCli(["logout"], rel.env("cfg/config"), rel.work);
    expect(first.code).toBe(0);
    expect(first.stdout + first.stderr).toContain("Not logged in to acme");
    const tilde = machine((home) => path.join(home, "elsewhere", "config"));
    const second = await runCli(["logout"], tilde.env("~/elsewhere/config"), tilde.work);
    expect(second.code).toBe(0);
    expect(second.stdout + second.stderr).toContain("Not logged in to acme");
  });

  it("a lone ~ is the home directory, refused as a directory (not a file named ./~)", async () => {
    const m = machine((home) => path.join(home, ".aws", "config"));
    const { code, stderr } = await runCli(["logout"], m.env("~"), m.work);
    expect(code).toBe(2);
    expect(ownStderr(stderr)).toContain(`Cannot read ${m.home}: it is a directory`);
  });
});
