import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const cli = new URL("../../dist/cli.js", import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

describe("the command line entry", () => {
  it("lists every command in --help, each summary fitting 80 columns", () => {
    const res = run("--help");
    expect(res.status).toBe(0);
    for (const name of ["init", "add-account", "close-account", "status", "add-user", "remove-user", "doctor", "login", "logout", "env", "exec", "sandbox"]) {
      expect(res.stdout).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    }
    for (const line of res.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("prints the package version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const res = run("--version");
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe(pkg.version);
  });

  it("shows a command's own help with its flags", () => {
    const res = run("add-account", "--help");
    expect(res.status).toBe(0);
    expect(res.stdout).toContain("Usage: org-bootstrap add-account");
    expect(res.stdout).toContain("--dry-run");
  });

  it("refuses an unknown command with exit 2 and names the known ones", () => {
    const res = run("bootstrap-everything");
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('Unknown command "bootstrap-everything"');
    expect(res.stderr).toContain("init");
    expect(res.stdout).toBe("");
  });

  it("refuses an unknown flag and a missing argument with exit 2", () => {
    const flag = run("status", "--frobnicate");
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("--frobnicate");
    const missing = run("close-account");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("Missing <stage>");
  });

  it("stops quietly when the reader of its output goes away (org-bootstrap … | head)", async () => {
    const child = spawn(process.execPath, [cli, "--help"], { env: { ...process.env, NO_COLOR: "1" } });
    child.stdout.destroy(); // the pipe's reader is gone before the CLI writes a byte
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at /);
    expect(code).toBe(0);
  });

  it("with no arguments prints help and exits 2", () => {
    const res = run();
    expect(res.status).toBe(2);
    expect(res.stdout).toContain("Usage: org-bootstrap <command>");
  });
});

describe("org-bootstrap sandbox", () => {
  it("serves the emulated AWS, prints how to reach it, and stops on Ctrl-C", async () => {
    const child = spawn(process.execPath, [cli, "sandbox", "--delays", "none"], { env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
      child.stdout.on("data", () => {
        const m = out.match(/export AWS_ENDPOINT_URL=(\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const body = new URLSearchParams({ Action: "GetCallerIdentity", Version: "2011-06-15" });
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
    expect(await res.text()).toContain("<Account>111111111111</Account>");
    const page = await fetch(`${url}/_sandbox/console/singlesignon`);
    expect(await page.text()).toContain('id="enable"');
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exit).toBe(0);
    expect(out).toContain("Sandbox stopped.");
  });

  it("prints a complete environment to paste: following it literally writes only inside its temporary directory", async () => {
    const child = spawn(process.execPath, [cli, "sandbox", "--delays", "none", "--identity-center", "enabled"], { env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20_000);
      child.stdout.on("data", () => {
        if (/Enable IAM Identity Center/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    try {
      // The lines a person pastes: between "Paste this" and the first blank line.
      const pasted = out.split("Paste this")[1].split("\n\n")[0].split("\n").filter((l) => l.startsWith("  ")).map((l) => l.trim());
      const exports = Object.fromEntries(pasted.filter((l) => l.startsWith("export ")).map((l) => l.slice(7).split(/=(.*)/s).slice(0, 2)));
      expect(Object.keys(exports)).toEqual([
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SSO",
        "AWS_ENDPOINT_URL_SSO_OIDC",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION",
        "HOME",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
      ]);
      expect(pasted).toContain("unset AWS_PROFILE AWS_SESSION_TOKEN");
      const project = pasted.find((l) => l.startsWith("cd "))!.slice(3);
      const dir = path.dirname(exports.HOME);
      expect(path.dirname(project)).toBe(dir);
      expect(dir.startsWith(os.tmpdir())).toBe(true);
      expect(exports.AWS_CONFIG_FILE.startsWith(`${exports.HOME}/`)).toBe(true);
      expect(out).toContain(`Enable IAM Identity Center (the console page): ${exports.AWS_ENDPOINT_URL}/_sandbox/console/singlesignon`);

      // A shell with nothing else set, then the banner's environment: init writes only there.
      const env = { PATH: process.env.PATH, NO_COLOR: "1", ...exports };
      const init = spawnSync(
        process.execPath,
        [cli, "init", "--yes", "--org-name", "acme", "--sso-region", "us-east-1", "--user-email", "ann@acme.com", "--user-given-name", "Ann", "--user-family-name", "Lee", "--no-browser"],
        { encoding: "utf8", env, cwd: project },
      );
      expect(init.status, init.stderr).toBe(0);
      expect(readFileSync(exports.AWS_CONFIG_FILE, "utf8")).toContain("[profile acme-management]");
      expect(readFileSync(path.join(project, "package.json"), "utf8")).toContain('"sso"');
      expect(init.stdout).toContain(exports.AWS_CONFIG_FILE);
    } finally {
      child.kill("SIGINT");
    }
  });

  it("refuses a bad --delays value with exit 2", () => {
    const res = run("sandbox", "--delays", "glacial");
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("--delays must be none, fast or aws");
  });
});
