import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { authorizeUrl, codeChallenge, newCodeVerifier, reasonForDeviceFlow } from "../../src/workflows/ssoLogin.js";
import { chooseFlow } from "../../src/commands/login.js";
import { formatCredentials, parseFormat, type ProfileCredentials } from "../../src/commands/env.js";
import { childEnvironment } from "../../src/commands/exec.js";
import { browserCommand } from "../../src/ui/browser.js";
import { describeExpiry } from "../../src/ui/loginPrompts.js";

const run = promisify(execFile);

const creds: ProfileCredentials = {
  profile: "acme-dev",
  region: "eu-west-1",
  credentials: { accessKeyId: "ASIAEXAMPLEEXAMPLE01", secretAccessKey: "se/cr+et'quote", sessionToken: "tok==", expiration: Date.UTC(2030, 0, 1, 12) },
};

describe("PKCE pieces", () => {
  it("computes the S256 challenge of RFC 7636 Appendix B", () => {
    expect(codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("makes 64-character verifiers from the unreserved set, different each time", () => {
    const a = newCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9._~-]{64}$/);
    expect(newCodeVerifier()).not.toBe(a);
  });

  it("builds the authorize URL with `scopes` (plural, space-separated) on the OIDC endpoint", () => {
    const url = new URL(
      authorizeUrl("https://oidc.eu-west-1.amazonaws.com/", { clientId: "c", redirectUri: "http://127.0.0.1:5/oauth/callback", state: "s", scopes: ["a:b", "c:d"], challenge: "x" }),
    );
    expect(`${url.origin}${url.pathname}`).toBe("https://oidc.eu-west-1.amazonaws.com/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: "c",
      redirect_uri: "http://127.0.0.1:5/oauth/callback",
      state: "s",
      code_challenge_method: "S256",
      scopes: "a:b c:d",
      code_challenge: "x",
    });
    expect(url.search).toContain("scopes=a%3Ab%20c%3Ad");
  });
});

describe("choosing the flow", () => {
  const probe = (env: NodeJS.ProcessEnv, inContainer = false, inWsl = false) => ({ env, inContainer, inWsl });
  it("uses the browser flow on a plain desktop, the device flow over SSH, in containers and WSL", () => {
    expect(chooseFlow("auto", probe({}))).toEqual({ flow: "authorization_code" });
    expect(chooseFlow("auto", probe({ SSH_TTY: "/dev/pts/1" })).reason).toMatch(/SSH session/);
    expect(chooseFlow("auto", probe({}, true))).toMatchObject({ flow: "device_code", reason: expect.stringMatching(/container/) });
    expect(reasonForDeviceFlow(probe({}, false, true))).toMatch(/WSL/);
  });
  it("lets the flags decide", () => {
    expect(chooseFlow("authorization_code", probe({ SSH_CONNECTION: "x" }))).toEqual({ flow: "authorization_code" });
    expect(chooseFlow("device_code", probe({}))).toEqual({ flow: "device_code" });
  });
});

describe("env output", () => {
  it("prints sh exports a shell evaluates back to the same values", async () => {
    const text = formatCredentials(creds, "sh");
    const { stdout } = await run("sh", ["-c", `${text}\nprintf '%s|%s|%s' "$AWS_SECRET_ACCESS_KEY" "$AWS_CREDENTIAL_EXPIRATION" "$AWS_REGION"`]);
    expect(stdout).toBe("se/cr+et'quote|2030-01-01T12:00:00.000Z|eu-west-1");
    expect(text).toContain("unset AWS_PROFILE");
  });

  it("prints fish and PowerShell assignments with their own quoting", () => {
    expect(formatCredentials(creds, "fish")).toContain("set -gx AWS_SECRET_ACCESS_KEY 'se/cr+et\\'quote';");
    expect(formatCredentials(creds, "powershell")).toContain("$Env:AWS_SECRET_ACCESS_KEY = 'se/cr+et''quote'");
  });

  it("unsets AWS_PROFILE in fish and PowerShell too, after the keys, as sh does", () => {
    const fish = formatCredentials(creds, "fish").trimEnd().split("\n");
    expect(fish.at(-1)).toBe("set -e AWS_PROFILE;");
    const powershell = formatCredentials(creds, "powershell").trimEnd().split("\n");
    // Without -ErrorAction a shell where AWS_PROFILE is not set would print an error.
    expect(powershell.at(-1)).toBe("Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue");
  });

  it("prints the credential_process document", () => {
    expect(JSON.parse(formatCredentials(creds, "json"))).toEqual({
      Version: 1,
      AccessKeyId: "ASIAEXAMPLEEXAMPLE01",
      SecretAccessKey: "se/cr+et'quote",
      SessionToken: "tok==",
      Expiration: "2030-01-01T12:00:00.000Z",
    });
    expect(() => parseFormat("csh")).toThrow(/--format must be one of sh, fish, powershell, json/);
  });

  it("gives exec's child the credentials and drops a competing AWS_PROFILE", () => {
    const env = childEnvironment({ PATH: "/bin", AWS_PROFILE: "old", AWS_ACCESS_KEY_ID: "AKIAOLD" }, { AWS_ACCESS_KEY_ID: "ASIANEW" });
    expect(env).toEqual({ PATH: "/bin", AWS_ACCESS_KEY_ID: "ASIANEW" });
  });
});

describe("small UI pieces", () => {
  it("opens the browser with $BROWSER first, then the platform's opener", () => {
    expect(browserCommand("http://x", { BROWSER: "firefox:chromium" }, "linux")).toEqual(["firefox", ["http://x"]]);
    expect(browserCommand("http://x", {}, "linux")).toEqual(["xdg-open", ["http://x"]]);
    expect(browserCommand("http://x", {}, "darwin")).toEqual(["open", ["http://x"]]);
    expect(browserCommand("http://x?a=1&b=2", {}, "win32")[1]).toEqual(["/c", "start", '""', "http://x?a=1^&b=2"]);
  });
  it("says until when a token is valid", () => {
    expect(describeExpiry("2030-01-01T16:40:00Z", Date.UTC(2030, 0, 1, 8, 41))).toBe("until 16:40 UTC on 2030-01-01 (7 h 59 min from now)");
  });
});
