/**
 * The wizard under a real pseudo-terminal (tmux), answered like a person types: each answer is
 * sent only once its question is on screen. Then the emulator's state is checked.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { CLI } from "../helpers/loginCli.js";
import { callLog, childEnv, control, openSandbox, worldState } from "../helpers/sandbox.js";
import { cliCommandLine, hasTmux, openTerminal } from "../helpers/terminal.js";

describe.skipIf(!hasTmux)("init in a terminal, answered by a person", () => {
  let sandbox: Sandbox;
  const terminal = openTerminal(`ob-init-${process.pid}`);
  const { screen, waitForScreen, answer } = terminal;
  beforeAll(async () => {
    sandbox = await openSandbox();
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: true });
  });
  afterAll(async () => {
    terminal.close();
    await sandbox.close();
  });

  it("asks every question, shows the plan and the diffs, and sets everything up", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-tty-home-"));
    const project = path.join(home, "project");
    await fs.mkdir(project);
    await fs.writeFile(path.join(project, "package.json"), '{\n  "name": "app"\n}\n');
    const env = { ...childEnv(sandbox, { HOME: home, GIT_CONFIG_NOSYSTEM: "1", TERM: "xterm-256color" }) };
    terminal.start(cliCommandLine(project, env, CLI, ["init", "--no-browser"]));

    await answer(/Short name of your company/, "acme", "Enter");
    await answer(/AWS region for IAM Identity Center/, "Enter");
    // Workloads elsewhere: the stage profiles' region, not Identity Center's (docs/init.md, Regions).
    await answer(/AWS region for your workloads/, "C-u", "eu-west-1", "Enter");
    await answer(/Stages, one member account each/, "C-u", "dev,staging", "Enter");
    await answer(/Your email/, "ann@acme.com", "Enter");
    await answer(/Your given name/, "Ann", "Enter");
    await answer(/Your family name/, "Lee", "Enter");
    await answer(/Add more permission sets/, "Space", "Enter");
    // The access preset: the default, Administrators only (init as it always was).
    await answer(/Access for the stage accounts\?/, "Enter");
    await answer(/Apply this plan to your AWS organization/, "Enter");
    await answer(/Access portal start URL/, "Enter");
    await answer(/Write ~\/\.aws\/config\?/, "Enter");
    await answer(/Write package\.json\?/, "n");
    await answer(/Add the recommended guardrails\?/, "Enter");
    await waitForScreen(/EXIT=\d+/, 30_000);
    const final = screen();
    expect(final).toMatch(/EXIT=0/);
    expect(final).toMatch(/\+ create {2}Account acme-staging/);

    const world = await worldState(sandbox);
    expect(world.accounts.map((a) => a.Name).sort()).toEqual(["acme-dev", "acme-staging", "management"]);
    expect(world.permissionSets.map((p) => p.Name).sort()).toEqual(["AdministratorAccess", "PowerUserAccess"]);
    expect(world.users.map((u) => u.UserName)).toEqual(["ann@acme.com"]);
    expect(world.assignments).toHaveLength(3);
    const config = await fs.readFile(path.join(home, ".aws", "config"), "utf8");
    expect(config).toMatch(/\[profile acme-staging\]\nsso_session = acme\nsso_account_id = \d{12}\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n/);
    expect(config).toMatch(/\[profile acme-management\]\n(?:.+\n){3}region = us-east-1\n/);
    expect(config).toMatch(/\[sso-session acme\]\n.+\nsso_region = us-east-1\n/);
    // The person declined the package.json change: its bytes are untouched.
    expect(await fs.readFile(path.join(project, "package.json"), "utf8")).toBe('{\n  "name": "app"\n}\n');
  });

  it("a flag with a bad value stops the wizard before its first question, with no AWS call", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-tty-home-"));
    const project = path.join(home, "project");
    await fs.mkdir(project);
    const env = { ...childEnv(sandbox, { HOME: home, GIT_CONFIG_NOSYSTEM: "1", TERM: "xterm-256color" }) };
    await control(sandbox, "DELETE", "/calls");
    const own = openTerminal(`ob-init-bad-flag-${process.pid}`);
    let final: string;
    try {
      own.start(cliCommandLine(project, env, CLI, ["init", "--no-browser", "--sso-region", "eu-west-9"]));
      await own.waitForScreen(/EXIT=\d+/, 30_000);
      final = own.screen();
    } finally {
      own.close();
    }
    expect(final).toMatch(/EXIT=2/);
    expect(final).toContain('IAM Identity Center is not available in "eu-west-9".');
    expect(final).not.toMatch(/Short name of your company/);
    expect(await callLog(sandbox)).toEqual([]);
  });
});
