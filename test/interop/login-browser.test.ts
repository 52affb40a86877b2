/**
 * The login as a person does it, in a real browser: Debian's Chromium, headless, driven by
 * playwright-core, clicks through the emulator's sign-in pages for both flows. The last test is the
 * issue's "done when": the project's `sso` script (as `init` writes it) logs in, and
 * `org-bootstrap exec --profile acme-dev -- node -e ...` sees working credentials.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ssoScriptCommand } from "../../src/local/packageJson.js";
import { tokenCachePath } from "../../src/local/tokenCache.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { CLI, makeLoginHome, runCli, startCli, startProcess, type LoginHome, type Running } from "../helpers/loginCli.js";
import { openSandbox } from "../helpers/sandbox.js";
import { seedSsoWorld, type SeededWorld } from "../helpers/ssoSeed.js";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = path.resolve(__dirname, "../..");

let sandbox: Sandbox;
let world: SeededWorld;
let h: LoginHome;
let browser: BrowserContext;
let profileDir: string;

beforeAll(async () => {
  await fs.access(CHROMIUM).catch(() => {
    throw new Error(`These tests need Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
  });
  sandbox = await openSandbox();
  profileDir = await fs.mkdtemp(path.join(os.tmpdir(), "chromium-profile-"));
  browser = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
  if (profileDir) await fs.rm(profileDir, { recursive: true, force: true });
});
beforeEach(async () => {
  sandbox.reset();
  world = seedSsoWorld(sandbox.state);
  h = await makeLoginHome(sandbox, world.startUrl, { dev: world.devAccountId, prod: world.prodAccountId });
});

/** What a person does on the device page: check the code, pick who they are, click the button. */
async function approveDevice(page: Page, url: string, userCode: string, button: "#approve" | "#deny" = "#approve") {
  await page.goto(url);
  await expect.poll(() => page.inputValue("#user_code")).toBe(userCode);
  await page.selectOption("#username", world.userName);
  await page.click(button);
  return page.textContent("#result");
}

/** The authorize page: pick the user, click Allow; the browser follows the redirect to 127.0.0.1. */
async function approveAuthorize(page: Page, url: string) {
  await page.goto(url);
  await page.selectOption("#username", world.userName);
  await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/), page.click("#approve")]);
  return page.textContent("#result");
}

/** Answers whichever flow the CLI chose, from what it printed. */
async function approveWhatIsShown(cli: Running, page: Page) {
  const [shown] = await cli.waitFor(/code [A-Z]{4}-[A-Z]{4}|http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
  if (shown.startsWith("code ")) {
    const [complete] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/device\?user_code=\S+/);
    return approveDevice(page, complete.replace(/,$/, ""), shown.slice(5));
  }
  return approveAuthorize(page, shown);
}

describe("login in a real browser", () => {
  it("device code flow: the person opens the page, checks the code and approves", async () => {
    const cli = startCli(["login", "--device-code", "--no-browser"], h.env);
    const [, userCode] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    const [verification] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/device(?=\s)/);
    const page = await browser.newPage();
    // Typing the code by hand, as from another device.
    await page.goto(verification);
    await page.fill("#user_code", userCode);
    await page.selectOption("#username", world.userName);
    await page.click("#approve");
    expect(await page.textContent("#result")).toContain("close this window");
    expect(await cli.exit).toBe(0);
    expect(cli.stdout()).toContain("Logged in to acme");
    await page.close();
  });

  it("device code flow: Deny ends the login with an error", async () => {
    const cli = startCli(["login", "--device-code", "--no-browser"], h.env);
    const [, userCode] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    const [complete] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/device\?user_code=[A-Z-]+/);
    const page = await browser.newPage();
    expect(await approveDevice(page, complete, userCode, "#deny")).toContain("denied");
    expect(await cli.exit).toBe(1);
    await page.close();
  });

  it("browser flow: PKCE authorize page, Allow, redirect to the CLI's loopback", async () => {
    const cli = startCli(["login", "--pkce", "--no-browser"], h.env);
    const [url] = await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+/);
    const page = await browser.newPage();
    expect(await approveAuthorize(page, url)).toContain("Login approved");
    expect(await cli.exit).toBe(0);
    expect(JSON.parse(await fs.readFile(tokenCachePath(h.home, "acme"), "utf8")).startUrl).toBe(world.startUrl);
    await page.close();
  });

  it("the project's sso script logs in, then exec gives a command working credentials", async () => {
    const project = await fs.mkdtemp(path.join(os.tmpdir(), "app-"));
    const pkg = { name: "app", private: true, devDependencies: { "org-bootstrap": "*" } };
    const script = ssoScriptCommand({ session: "acme", version: "0.0.0", packageJson: JSON.stringify(pkg) });
    expect(script).toBe("org-bootstrap login --sso-session acme");
    await fs.writeFile(path.join(project, "package.json"), JSON.stringify({ ...pkg, scripts: { sso: script } }, null, 2));
    await fs.mkdir(path.join(project, "node_modules", ".bin"), { recursive: true });
    await fs.symlink(CLI, path.join(project, "node_modules", ".bin", "org-bootstrap"));

    const cli = startProcess("npm", ["run", "--silent", "sso", "--", "--no-browser"], h.env, project);
    const page = await browser.newPage();
    expect(await approveWhatIsShown(cli, page)).toMatch(/close this window/);
    expect(await cli.exit).toBe(0);
    await page.close();

    const check = `
      const { STSClient, GetCallerIdentityCommand } = require("@aws-sdk/client-sts");
      const c = new STSClient({});
      Promise.all([c.config.credentials(), c.send(new GetCallerIdentityCommand({}))]).then(([k, id]) => {
        console.log(k.accessKeyId.slice(0, 4), k.sessionToken ? "session" : "static", id.Account);
      });
    `;
    const result = await runCli(["exec", "--profile", "acme-dev", "--", process.execPath, "-e", check], h.env, ROOT);
    expect(result.code).toBe(0);
    // Signed in as the SSO role in acme-dev (seeded as 222233334444), not as the management caller.
    expect(result.stdout.trim()).toBe("ASIA session 222233334444");
  });
});
