/**
 * Progress never goes quiet (docs/init.md, What you see while it runs; docs/add-account.md):
 * account creation shows each account's elapsed time, redrawn on a terminal and on the finished
 * line; the Identity Center wait keeps its live line while accounts finish; in a log (no
 * terminal, --yes) every line is its own, with no redraws. The terminal runs are a real
 * pseudo-terminal (util-linux `script`), read raw, redraws included. Accounts take 2.5 s here, so
 * a live line shows at least 0s and 1s and the finished line at least 2s.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { ownStderr, runCli } from "../helpers/loginCli.js";
import { control, openSandbox, worldState } from "../helpers/sandbox.js";
import { hasScript, startCliInPty, visibleLines } from "../helpers/terminal.js";
import { makeInitHome, runInit, unattended } from "./initHarness.js";

const CREATE_ACCOUNT_MS = 2500;
/** What a terminal redraw starts with: carriage return, erase the line. */
const REDRAW = "\r\u001b[2K";
const redrawn = (text: string) => text.includes("\r") || text.includes("\u001b");

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition never held");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("progress lines", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: true });
    await control(sandbox, "POST", "/timings", { createAccountMs: CREATE_ACCOUNT_MS });
  });

  it("in a log, each account's wait and its finished line give the elapsed time, one line each", async () => {
    const h = await makeInitHome(sandbox);
    const r = await runInit(h);
    expect(r.code, ownStderr(r.stderr)).toBe(0);
    const ids = Object.fromEntries((await worldState(sandbox)).accounts.map((a) => [a.Name, a.Id]));
    expect(r.stdout).toMatch(/^… Waiting for AWS to create acme-dev \(0s\)/m);
    expect(r.stdout).toMatch(/^… Waiting for AWS to create acme-dev \(0s\), acme-production \(0s\)$/m);
    for (const name of ["acme-dev", "acme-production"]) {
      expect(r.stdout).toMatch(new RegExp(`^✔ Account ${name}: created in ([2-9]|\\d\\d)s \\(${ids[name]}\\)$`, "m"));
    }
    // No spinner: nothing is redrawn, so no note can end up on a spinner's line.
    expect(redrawn(r.stdout + r.stderr)).toBe(false);
  });

  it.skipIf(!hasScript)("on a terminal the accounts' line is redrawn with the time, next to the Identity Center wait, which stays once they are done", async () => {
    await control(sandbox, "POST", "/reset", { identityCenterEnabled: false });
    await control(sandbox, "POST", "/timings", { createAccountMs: CREATE_ACCOUNT_MS });
    const h = await makeInitHome(sandbox);
    const running = startCliInPty(unattended, h.env, h.project);
    // Both waits on the one live line while the accounts are created.
    await running.waitFor(/Waiting for IAM Identity Center to be enabled in us-east-1: 0:0\d \(Ctrl-C stops; running init again resumes\) · Waiting for AWS to create acme-dev \(\d+s\)/);
    await running.waitFor(/Account acme-dev: created in \d+s/);
    await running.waitFor(/Account acme-production: created in \d+s/);
    const afterAccounts = running.stdout().length;
    // The accounts are done; the Identity Center wait is still redrawn, on its own.
    const drawnAlone = () =>
      running
        .stdout()
        .slice(afterAccounts)
        .split(REDRAW)
        .some((frame) => /^. Waiting for IAM Identity Center to be enabled in us-east-1: 0:0\d \(Ctrl-C stops; running init again resumes\)$/.test(frame));
    await until(drawnAlone);
    const pressed = await fetch(`${sandbox.url}/_sandbox/console/singlesignon/enable`, { method: "POST", body: new URLSearchParams({ region: "us-east-1" }), redirect: "manual" });
    expect(pressed.status).toBe(303);
    expect(await running.exit, running.stdout()).toBe(0);

    const raw = running.stdout();
    // The live line counted the seconds: redrawn with 0s, then 1s.
    expect(raw).toMatch(/Waiting for AWS to create acme-dev \(0s\)/);
    expect(raw).toMatch(/Waiting for AWS to create acme-dev \(1s\)/);
    const screen = visibleLines(raw);
    for (const name of ["acme-dev", "acme-production"]) expect(screen).toContainEqual(expect.stringMatching(new RegExp(`^✔ Account ${name}: created in ([2-9]|\\d\\d)s \\(\\d{12}\\)$`)));
    // Every finished line and note starts a line of its own: none is printed onto the live line.
    for (const line of screen) expect(line, line).not.toMatch(/Waiting for .*✔|✔.*Waiting for/);
  });

  it.skipIf(!hasScript)("add-account on a terminal redraws the wait with the time, and the finished line says how long", async () => {
    await control(sandbox, "POST", "/timings", { createAccountMs: 0 });
    const h = await makeInitHome(sandbox);
    expect((await runInit(h)).code).toBe(0);
    await control(sandbox, "POST", "/timings", { createAccountMs: CREATE_ACCOUNT_MS });
    const running = startCliInPty(["add-account", "staging", "--yes"], h.env, h.project);
    expect(await running.exit, running.stdout()).toBe(0);
    const raw = running.stdout();
    expect(raw).toMatch(/Waiting for AWS to create acme-staging \(0s; Ctrl-C stops, running add-account again resumes\)/);
    expect(raw).toMatch(/Waiting for AWS to create acme-staging \(1s; Ctrl-C stops/);
    const id = (await worldState(sandbox)).accounts.find((a) => a.Name === "acme-staging")?.Id;
    expect(visibleLines(raw)).toContainEqual(expect.stringMatching(new RegExp(`^✔ Account acme-staging: created in ([2-9]|\\d\\d)s \\(${id}\\)$`)));
    // In a log: the same lines, printed once.
    const again = await runCli(["add-account", "qa", "--yes"], h.env, h.project);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(again.stdout).toMatch(/^… Waiting for AWS to create acme-qa \(0s; Ctrl-C stops, running add-account again resumes\)$/m);
    expect(again.stdout).toMatch(/^✔ Account acme-qa: created in ([2-9]|\d\d)s \(\d{12}\)$/m);
    expect(redrawn(again.stdout)).toBe(false);
  });
});
