/**
 * The wizard under a real pseudo-terminal (tmux), answered like a person types: each answer is
 * sent only once its question is on screen. Then the emulator's state is checked.
 */
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { CLI } from "../helpers/loginCli.js";
import { childEnv, control, openSandbox, worldState } from "../helpers/sandbox.js";

const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!hasTmux)("init in a terminal, answered by a person", () => {
  let sandbox: Sandbox;
  const session = `ob-init-${process.pid}`;
  beforeAll(async () => {
    sandbox = await openSandbox();
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: true });
  });
  afterAll(async () => {
    try {
      execFileSync("tmux", ["kill-session", "-t", session], { stdio: "ignore" });
    } catch {
      // already gone
    }
    await sandbox.close();
  });

  const screen = () => execFileSync("tmux", ["capture-pane", "-p", "-t", session, "-S", "-200"], { encoding: "utf8" });
  const keys = (...k: string[]) => execFileSync("tmux", ["send-keys", "-t", session, ...k]);
  async function waitForScreen(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (pattern.test(screen())) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never showed ${pattern}:\n${screen()}`);
  }
  async function answer(question: RegExp, ...typed: string[]) {
    await waitForScreen(question);
    // A moment for the prompt to take the terminal, as a person would take to read it.
    await new Promise((r) => setTimeout(r, 150));
    for (const k of typed) keys(k);
  }

  it("asks every question, shows the plan and the diffs, and sets everything up", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-tty-home-"));
    const project = path.join(home, "project");
    await fs.mkdir(project);
    await fs.writeFile(path.join(project, "package.json"), '{\n  "name": "app"\n}\n');
    const env = { ...childEnv(sandbox, { HOME: home, GIT_CONFIG_NOSYSTEM: "1", TERM: "xterm-256color" }) };
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(String(v))}`).join(" ");
    const command = `cd ${quote(project)} && env -i ${assignments} ${quote(process.execPath)} ${quote(CLI)} init --no-browser; echo "EXIT=$?"; sleep 60`;
    execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "160", "-y", "50", command]);

    await answer(/Short name of your company/, "acme", "Enter");
    await answer(/AWS region for IAM Identity Center/, "Enter");
    await answer(/Stages, one member account each/, "C-u", "dev,staging", "Enter");
    await answer(/Your email/, "ann@acme.com", "Enter");
    await answer(/Your given name/, "Ann", "Enter");
    await answer(/Your family name/, "Lee", "Enter");
    await answer(/Add more permission sets/, "Space", "Enter");
    await answer(/Apply this plan to your AWS organization/, "Enter");
    await answer(/Access portal start URL/, "Enter");
    await answer(/Write ~\/\.aws\/config\?/, "Enter");
    await answer(/Write package\.json\?/, "n");
    await waitForScreen(/EXIT=\d+/, 30_000);
    const final = screen();
    expect(final).toMatch(/EXIT=0/);
    expect(final).toMatch(/\+ create {2}Account acme-staging/);

    const world = await worldState(sandbox);
    expect(world.accounts.map((a) => a.Name).sort()).toEqual(["acme-dev", "acme-staging", "management"]);
    expect(world.permissionSets.map((p) => p.Name).sort()).toEqual(["AdministratorAccess", "PowerUserAccess"]);
    expect(world.users.map((u) => u.UserName)).toEqual(["ann@acme.com"]);
    expect(world.assignments).toHaveLength(3);
    expect(await fs.readFile(path.join(home, ".aws", "config"), "utf8")).toMatch(/\[profile acme-staging\]/);
    // The person declined the package.json change: its bytes are untouched.
    expect(await fs.readFile(path.join(project, "package.json"), "utf8")).toBe('{\n  "name": "app"\n}\n');
  });
});
