/**
 * The login flows in-process against the emulator, through the real SDK clients (pointed at it with
 * AWS_ENDPOINT_URL, as production is). The person's side is played by submitting the emulator's
 * sign-in pages; `sleep` is injected so polling intervals are checked without waiting.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openSsoOidc, type DeviceAuthorization, type SsoOidcApi } from "../../src/aws/ssoOidc.js";
import { ensureToken, type LoginContext, type LoginPrompts } from "../../src/workflows/ssoLogin.js";
import { readCachedToken, readRegistration, writeCachedToken, writeRegistration, formatTimestamp } from "../../src/local/tokenCache.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { scriptDeviceSlowDowns } from "../../src/sandbox/services/ssoOidc.js";
import { openSandbox } from "../helpers/sandbox.js";
import { answerAuthorizePage, answerDevicePage, seedSsoWorld, type SeededWorld } from "../helpers/ssoSeed.js";

let sandbox: Sandbox;
let world: SeededWorld;
let oidc: SsoOidcApi;
let home: string;

beforeAll(async () => {
  sandbox = await openSandbox();
  process.env.AWS_ENDPOINT_URL = sandbox.url;
  oidc = await openSsoOidc("us-east-1");
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  await sandbox.close();
});
beforeEach(async () => {
  sandbox.reset();
  world = seedSsoWorld(sandbox.state);
  home = await fs.mkdtemp(path.join(os.tmpdir(), "sso-login-"));
});

const session = () => ({ name: "acme", startUrl: world.startUrl, region: "us-east-1", registrationScopes: ["sso:account:access"] });

function context(sleeps: number[], onSleep: (n: number) => Promise<void> = async () => {}): LoginContext {
  return {
    oidc,
    home,
    session: session(),
    cacheKey: "acme",
    signal: new AbortController().signal,
    sleep: async (ms) => {
      sleeps.push(ms);
      // Time passes for the emulator too: the last poll moves `ms` into the past.
      for (const a of sandbox.state.deviceAuthorizations.values()) if (a.lastPollAt !== undefined) a.lastPollAt -= ms;
      await onSleep(sleeps.length);
    },
  };
}

function devicePrompts(): LoginPrompts & { shown: DeviceAuthorization[]; urls: string[] } {
  const shown: DeviceAuthorization[] = [];
  const urls: string[] = [];
  return { shown, urls, showDeviceCode: (a) => void shown.push(a), showAuthorizeUrl: (u) => void urls.push(u) };
}

describe("device code login", () => {
  it("polls while pending, adds 5 s after slow_down, and caches the token once approved", async () => {
    const prompts = devicePrompts();
    scriptDeviceSlowDowns(sandbox.state, 1);
    const sleeps: number[] = [];
    const result = await ensureToken(
      context(sleeps, async (n) => {
        // The person approves during the third wait.
        if (n === 3) await answerDevicePage(sandbox.url, prompts.shown[0].userCode, world.userName);
      }),
      prompts,
      { flow: "device_code" },
    );
    // First poll: slow_down (interval 1 → 6 s); second: pending; third: approved.
    expect(sleeps).toEqual([1000, 6000, 6000]);
    expect(result?.source).toBe("login");
    const cached = await readCachedToken(home, "acme");
    expect(cached).toMatchObject({ startUrl: world.startUrl, region: "us-east-1", accessToken: result!.token.accessToken });
    expect(cached?.refreshToken).toBeTruthy();
    expect(Date.parse(cached!.expiresAt)).toBeGreaterThan(Date.now() + 7 * 3600_000);
  });

  it("fails clearly when the code expires or the person denies", async () => {
    const expire = devicePrompts();
    const expired = ensureToken(
      context([], async () => {
        for (const a of sandbox.state.deviceAuthorizations.values()) a.expiresAt = Date.now() - 1;
      }),
      expire,
      { flow: "device_code" },
    );
    await expect(expired).rejects.toThrow(/expired before it was approved/);

    const deny = devicePrompts();
    const denied = ensureToken(
      context([], async () => void (await answerDevicePage(sandbox.url, deny.shown[0].userCode, world.userName, "deny"))),
      deny,
      { flow: "device_code" },
    );
    await expect(denied).rejects.toThrow(/denied in the browser/);
    expect(await readCachedToken(home, "acme")).toBeUndefined();
  });

  it("uses a cached token with time left without any call, and refreshes an expiring one silently", async () => {
    const prompts = devicePrompts();
    await ensureToken(context([], async () => void (await answerDevicePage(sandbox.url, prompts.shown[0].userCode, world.userName))), prompts, {
      flow: "device_code",
    });
    const first = (await readCachedToken(home, "acme"))!;
    sandbox.state.calls = [];
    expect((await ensureToken(context([]), prompts, { flow: "device_code" }))?.source).toBe("cache");
    expect(sandbox.state.calls).toEqual([]);

    await writeCachedToken(home, "acme", { ...first, expiresAt: formatTimestamp(Date.now() + 5 * 60_000) });
    const refreshed = await ensureToken(context([]), prompts, { flow: "device_code" });
    expect(refreshed?.source).toBe("refresh");
    expect(sandbox.state.calls.map((c) => c.operation)).toEqual(["CreateToken"]);
    const second = (await readCachedToken(home, "acme"))!;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(prompts.shown).toHaveLength(1);
  });

  it("registers a new client when the cached registration has expired, and reuses a live one", async () => {
    const prompts = devicePrompts();
    const approve = () => context([], async () => void (await answerDevicePage(sandbox.url, prompts.shown.at(-1)!.userCode, world.userName)));
    await ensureToken(approve(), prompts, { flow: "device_code", force: true });
    const key = { startUrl: world.startUrl, region: "us-east-1", scopes: ["sso:account:access"], sessionName: "acme" };
    const registration = (await readRegistration(home, key))!;
    await ensureToken(approve(), prompts, { flow: "device_code", force: true });
    expect((await readRegistration(home, key))?.clientId).toBe(registration.clientId);
    expect(sandbox.state.oidcClients.size).toBe(1);

    await writeRegistration(home, key, { ...registration, expiresAt: formatTimestamp(Date.now() - 1000) });
    await ensureToken(approve(), prompts, { flow: "device_code", force: true });
    expect((await readRegistration(home, key))?.clientId).not.toBe(registration.clientId);
    expect(sandbox.state.oidcClients.size).toBe(2);
  });

  it("registers again when the service refuses a registration the cache still trusts", async () => {
    const prompts = devicePrompts();
    const approve = () => context([], async () => void (await answerDevicePage(sandbox.url, prompts.shown.at(-1)!.userCode, world.userName)));
    await ensureToken(approve(), prompts, { flow: "device_code" });
    for (const c of sandbox.state.oidcClients.values()) c.expiresAt = Date.now() - 1;
    // The refresh fails (client expired on the service side), so a full login with a new client follows.
    const cached = (await readCachedToken(home, "acme"))!;
    await writeCachedToken(home, "acme", { ...cached, expiresAt: formatTimestamp(Date.now() - 1000) });
    expect((await ensureToken(approve(), prompts, { flow: "device_code" }))?.source).toBe("login");
    expect(sandbox.state.oidcClients.size).toBe(2);
  });
});

describe("authorization code login with PKCE", () => {
  /** Plays the browser: opens the authorize URL, answers the page, follows the redirect to the loopback. */
  function browser(decision: "approve" | "deny", tamper?: (u: URL) => void): LoginPrompts & { urls: string[] } {
    const urls: string[] = [];
    return {
      urls,
      showDeviceCode: () => {
        throw new Error("device flow not expected");
      },
      showAuthorizeUrl: async (url) => {
        urls.push(url);
        const answer = await answerAuthorizePage(url, world.userName, decision);
        const back = new URL(answer.location);
        tamper?.(back);
        await fetch(back);
      },
    };
  }

  it("builds the AWS CLI's authorize URL, receives the code on 127.0.0.1 and caches the token", async () => {
    const prompts = browser("approve");
    const result = await ensureToken(context([]), prompts, { flow: "authorization_code" });
    expect(result?.source).toBe("login");
    const url = new URL(prompts.urls[0]);
    expect(`${url.origin}${url.pathname}`).toBe(`${sandbox.url}/authorize`);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scopes")).toBe("sso:account:access");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const client = [...sandbox.state.oidcClients.values()][0];
    expect(client).toMatchObject({ grantTypes: ["authorization_code", "refresh_token"], redirectUris: ["http://127.0.0.1/oauth/callback"], issuerUrl: world.startUrl });
    expect((await readCachedToken(home, "acme"))?.accessToken).toBe(result?.token.accessToken);
  });

  it("refuses a redirect whose state is not ours, and reports a denial", async () => {
    await expect(ensureToken(context([]), browser("approve", (u) => u.searchParams.set("state", "forged")), { flow: "authorization_code" })).rejects.toThrow(
      /state mismatch/,
    );
    await expect(ensureToken(context([]), browser("deny"), { flow: "authorization_code" })).rejects.toThrow(/denied in the browser/);
    expect(await readCachedToken(home, "acme")).toBeUndefined();
  });
});
