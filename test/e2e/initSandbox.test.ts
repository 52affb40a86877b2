/**
 * `init --sandbox`: the walkthrough runs the real wizard against an in-process emulated AWS and
 * writes only into the throw-away directory it names, never the user's ~/.aws/config.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, ownStderr } from "../helpers/loginCli.js";

describe("init --sandbox", () => {
  it("runs the whole flow unattended, writes into a named temp directory and shows what it wrote", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-sandbox-home-"));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", AWS_PROFILE: "must-not-be-used" };
    const result = await runCli(["init", "--sandbox", "--yes", "--no-browser"], env, home);
    expect(ownStderr(result.stderr)).not.toMatch(/✖/);
    expect(result.code).toBe(0);
    const named = /Files go to: {2}(\S+)/.exec(result.stdout)?.[1];
    expect(named).toBeDefined();
    expect(named!.startsWith(os.tmpdir())).toBe(true);
    const config = await fs.readFile(named!, "utf8");
    expect(config).toMatch(/\[sso-session acme\]/);
    expect(config).toMatch(/\[profile acme-production\]\nsso_session = acme\nsso_account_id = \d{12}\n/);
    // It showed the file it wrote, and the real home was not touched.
    expect(result.stdout).toContain(`── ${named}`);
    expect(result.stdout).toMatch(/Press "Enable" on that page/);
    await expect(fs.access(path.join(home, ".aws"))).rejects.toThrow();
  });

  it("a real environment's endpoints, keys and profile never reach the emulated AWS of the demo", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-sandbox-home-"));
    // A closed port: a call that went by the environment would fail to connect.
    const elsewhere = "http://127.0.0.1:9";
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      NO_COLOR: "1",
      AWS_PROFILE: "must-not-be-used",
      AWS_ENDPOINT_URL: elsewhere,
      AWS_ENDPOINT_URL_ORGANIZATIONS: elsewhere,
      AWS_ENDPOINT_URL_SSO_ADMIN: elsewhere,
      AWS_ENDPOINT_URL_STS: elsewhere,
      AWS_ACCESS_KEY_ID: "AKIAREALKEYNOTFORDEMO",
      AWS_SECRET_ACCESS_KEY: "real-secret-not-for-the-demo",
      AWS_SESSION_TOKEN: "real-session-token",
    };
    const result = await runCli(["init", "--sandbox", "--yes", "--no-browser"], env, home);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/The emulated AWS made \d+ API calls/);
    await expect(fs.access(path.join(home, ".aws"))).rejects.toThrow();
  });

  it("writes to an explicit --config-file and --project-dir instead", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ob-sandbox-explicit-"));
    await fs.writeFile(path.join(dir, "package.json"), '{ "name": "x" }\n');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1" };
    const result = await runCli(["init", "--sandbox", "--yes", "--config-file", "cfg/config", "--project-dir", ".", "--org-name", "zeta"], env, dir);
    expect(result.code).toBe(0);
    expect(await fs.readFile(path.join(dir, "cfg", "config"), "utf8")).toMatch(/\[profile zeta-dev\]/);
    expect(JSON.parse(await fs.readFile(path.join(dir, "package.json"), "utf8")).scripts.sso).toMatch(/--sso-session zeta$/);
  });
});
