/**
 * `console --print` as a person uses it: Debian's Chromium, headless (playwright-core), opens the
 * printed link, follows the emulated federation endpoint's sign-in and lands on the console page
 * showing the profile's account and role.
 */
import { promises as fs } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { deviceLogin, makeLoginHome, runCli } from "../helpers/loginCli.js";
import { openSandbox } from "../helpers/sandbox.js";
import { seedSsoWorld } from "../helpers/ssoSeed.js";

const CHROMIUM = "/usr/bin/chromium";
let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  await fs.access(CHROMIUM).catch(() => {
    throw new Error(`These tests need Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium`);
  });
  sandbox = await openSandbox();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

describe("console in a real browser", () => {
  it("the printed link signs the browser in as the profile's role", async () => {
    const world = seedSsoWorld(sandbox.state);
    const h = await makeLoginHome(sandbox, world.startUrl, { dev: world.devAccountId, prod: world.prodAccountId });
    await deviceLogin(sandbox.url, h.env, world.userName);

    const printed = await runCli(["console", "--profile", "acme-dev", "--print"], h.env);
    expect(printed.code).toBe(0);
    const page = await browser.newPage();
    await page.goto(printed.stdout.trim());
    expect(new URL(page.url()).pathname).toBe("/_sandbox/console/home");
    expect(await page.textContent("#account")).toBe(world.devAccountId);
    expect(await page.textContent("#role")).toBe("AdministratorAccess");
    await page.close();
    await fs.rm(h.home, { recursive: true, force: true });
  });
});
