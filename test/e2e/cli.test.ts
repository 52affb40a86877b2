import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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

  it("refuses a bad --delays value with exit 2", () => {
    const res = run("sandbox", "--delays", "glacial");
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("--delays must be none, fast or aws");
  });
});
