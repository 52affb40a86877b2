/**
 * `console` end to end (docs/console.md): the profile's role credentials → the emulated federation
 * endpoint's sign-in token → a login link that signs a browser in as that role. The link is a
 * credential: printed only with --print (with a warning), otherwise handed to the browser only.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { deviceLogin, ownStderr, runCli, unwrapped, useSeededLoginWorld } from "../helpers/loginCli.js";

const t = useSeededLoginWorld();
beforeEach(() => deviceLogin(t.sandbox.url, t.h.env, t.world.userName));

/** Follows a login link as a browser would: the redirect, then the landing page with the cookie it set. */
async function followLink(url: string) {
  const login = await fetch(url, { redirect: "manual" });
  if (login.status !== 302) return { status: login.status, html: await login.text() };
  const home = await fetch(new URL(login.headers.get("location")!, url), { headers: { cookie: login.headers.get("set-cookie")!.split(";")[0] } });
  return { status: home.status, html: await home.text() };
}

describe("console", () => {
  it("--print prints a link that signs in as the profile's role, and says it is a short-lived credential", async () => {
    const result = await runCli(["console", "--profile", "acme-production", "--print"], t.h.env);
    expect(result.code).toBe(0);
    expect(unwrapped(ownStderr(result.stderr))).toMatch(/signs anyone who has it in to the AWS console as this role, for 15 minutes/);
    const url = new URL(result.stdout.trim());
    expect(`${url.origin}${url.pathname}`).toBe(`${t.sandbox.url}/federation`);
    expect(url.searchParams.get("Action")).toBe("login");
    expect(url.searchParams.get("Destination")).toBe("https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1");
    const landed = await followLink(url.toString());
    expect(landed.status).toBe(200);
    expect(landed.html).toContain(`<code id="account">${t.world.prodAccountId}</code>`);
    expect(landed.html).toContain(`<code id="role">AdministratorAccess</code>`);
    // A made-up token signs no one in.
    url.searchParams.set("SigninToken", "forged");
    expect((await followLink(url.toString())).status).toBe(400);
  });

  it("without --print hands the link to the browser only: nothing secret on the terminal", async () => {
    const seen = path.join(t.h.home, "browser-saw");
    const browser = path.join(t.h.home, "browser.sh");
    await fs.writeFile(browser, `#!/bin/sh\nprintf %s "$1" > "${seen}"\n`, { mode: 0o700 });
    const result = await runCli(["console", "--profile", "acme-dev", "--destination", "https://console.aws.amazon.com/s3/home"], { ...t.h.env, BROWSER: browser });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Opened the AWS console in your browser, signed in with profile acme-dev/);
    await expect.poll(() => fs.readFile(seen, "utf8").catch(() => ""), { timeout: 5000 }).toMatch(/SigninToken=/);
    const url = new URL(await fs.readFile(seen, "utf8"));
    const token = url.searchParams.get("SigninToken")!;
    expect(result.stdout + result.stderr).not.toContain(token);
    expect(result.stdout + result.stderr).not.toMatch(/federation\?/);
    const landed = await followLink(url.toString());
    expect(landed.html).toContain(`<code id="account">${t.world.devAccountId}</code>`);
    expect(landed.html).toContain("https://console.aws.amazon.com/s3/home");
  });

  it("refuses bad input before any call (exit 2)", async () => {
    t.sandbox.state.calls = [];
    for (const args of [["--destination", "https://evil.example.com/", "--profile", "acme-dev"], ["--destination", "not a url", "--profile", "acme-dev"], ["--print"]]) {
      const result = await runCli(["console", ...args], t.h.env);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
    }
    expect(t.sandbox.state.calls).toEqual([]);
  });
});
