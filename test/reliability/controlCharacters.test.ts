/**
 * Names printed back to the terminal (docs/security.md): a given name, group name, email, an AWS
 * answer or a mistyped argument holding terminal control sequences is shown with them escaped as
 * `\uXXXX`, never obeyed — no window title set, no screen cleared, no text reordered. `--json`
 * still carries the exact value.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { callLog } from "../helpers/sandbox.js";
import { runCli } from "../helpers/loginCli.js";
import { makeInitHome, runInit, unattended, type InitHome } from "../e2e/initHarness.js";

/** Sets the terminal's title (OSC 0, ended by BEL), clears the screen (CSI 2J), turns text right to left (U+202E). */
const hostile = "Ann\u001b]0;PWNED\u0007\u001b[2J\u202eeil";
const shownAs = "Ann\\u001b]0;PWNED\\u0007\\u001b[2J\\u202eeil";
// eslint-disable-next-line no-control-regex -- what must never reach the terminal raw
const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectNoRawControl(text: string, what: string) {
  const at = text.search(raw);
  expect(at, `${what}: raw control character at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}`).toBe(-1);
}

describe("control characters in names are shown escaped, never obeyed", () => {
  let sandbox: Sandbox;
  let h: InitHome;
  beforeAll(async () => {
    sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
    h = await makeInitHome(sandbox);
  });
  afterAll(() => sandbox.close());

  it("init: a given name with escape sequences is refused before any AWS call (AWS's CreateUser would refuse it once the organization exists), and nothing of it is obeyed", async () => {
    const r = await runInit(h, [], unattended.map((a, i) => (unattended[i - 1] === "--user-given-name" ? hostile : a)));
    expect(r.code).toBe(2);
    expectNoRawControl(r.stdout + r.stderr, "init");
    expect(r.stderr).toContain("The given name contains a control character");
    expect(await callLog(sandbox)).toEqual([]);
  });

  it("status: a user's name from AWS appears escaped; --json keeps the exact value", async () => {
    expect((await runInit(h)).code).toBe(0);
    // AWS's API refuses such a DisplayName (as the emulator does), but what AWS sends is not ours
    // to trust: put it straight into the emulated identity store.
    const ann = [...sandbox.state.users.values()].find((u) => u.UserName === "ann@acme.com")!;
    ann.DisplayName = hostile;
    const human = await runCli(["status"], h.env, h.project);
    expect(human.code, human.stderr).toBe(0);
    expectNoRawControl(human.stdout + human.stderr, "status");
    expect(human.stdout).toContain(shownAs);

    const json = await runCli(["status", "--json"], h.env, h.project);
    expect(json.code, json.stderr).toBe(0);
    expectNoRawControl(json.stdout + json.stderr, "status --json");
    // The document means exactly what AWS holds: parsed, the name is the original.
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain(JSON.stringify(hostile).slice(1, -1));
  });

  it("add-user: a group name with escape sequences appears escaped, also in AWS's answer", async () => {
    const group = "Ops\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007";
    const r = await runCli(["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen", "--group", group], h.env, h.project);
    expectNoRawControl(r.stdout + r.stderr, "add-user");
    expect(r.stdout + r.stderr).toContain("Ops\\u001b]8;;https://evil.example\\u0007click");
  });

  it("a mistyped command or flag value is echoed escaped (UserError messages)", async () => {
    const command = await runCli(["\u001b]0;PWNED\u0007"], h.env, h.project);
    expect(command.code).toBe(2);
    expectNoRawControl(command.stderr, "unknown command");
    expect(command.stderr).toContain('Unknown command "\\u001b]0;PWNED\\u0007".');

    const org = await runInit(h, ["--org-name", "x\u001b[2Jy"]);
    expect(org.code).toBe(2);
    expectNoRawControl(org.stderr, "--org-name");
    expect(org.stderr).toContain("x\\u001b[2Jy");
  });

  it("with colour on, our own colours pass and the name's sequences still do not", async () => {
    const r = await runCli(["status"], { ...h.env, NO_COLOR: "", FORCE_COLOR: "1" }, h.project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("\u001b[1m"); // our bold headings
    expect(r.stdout).not.toContain("\u001b]0;");
    expect(r.stdout).not.toContain("\u001b[2J");
    expect(r.stdout).not.toContain("\u202e");
  });
});
