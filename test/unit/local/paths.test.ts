/**
 * src/local/paths.ts against the AWS SDK's own loader (`@smithy/shared-ini-file-loader`): for each
 * way of naming the config and credentials files, the file we resolve is the one the SDK reads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expandHome, homeDir, resolveConfigFile, resolveCredentialsFile, ssoCacheDir } from "../../../src/local/paths.cjs";

const saved = { ...process.env };
let root: string;
let home: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "paths-"));
  home = path.join(root, "home");
  for (const key of ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "USERPROFILE", "HOMEPATH", "HOMEDRIVE"]) delete process.env[key];
  process.env.HOME = home;
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  rmSync(root, { recursive: true, force: true });
});

/** Writes `[profile <marker>]` (config) or `[<marker>]` (credentials) into `file`. */
function plant(file: string, kind: "config" | "credentials", marker: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, kind === "config" ? `[profile ${marker}]\nregion = eu-west-1\n` : `[${marker}]\naws_access_key_id = AKIAEXAMPLE\n`);
}

/** Which planted file the SDK read, by the profile it found. */
async function sdkReads(kind: "config" | "credentials"): Promise<string | undefined> {
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  const found = Object.keys(kind === "config" ? files.configFile : files.credentialsFile);
  return found.length === 1 ? found[0] : undefined;
}

const cases: [what: string, value: (dirs: { root: string; home: string }) => string | undefined][] = [
  ["unset", () => undefined],
  ["empty (the SDK treats it as unset)", () => ""],
  ["absolute", ({ root }) => path.join(root, "elsewhere", "file")],
  ["~/ (home-relative)", () => "~/custom/file"],
  ["relative to the current directory", ({ root }) => path.relative(process.cwd(), path.join(root, "rel", "file"))],
];

describe.each([
  ["config", "AWS_CONFIG_FILE", resolveConfigFile] as const,
  ["credentials", "AWS_SHARED_CREDENTIALS_FILE", resolveCredentialsFile] as const,
])("the %s file is the one the SDK reads", (kind, variable, resolve) => {
  it.each(cases)("AWS variable %s", async (_what, value) => {
    const chosen = value({ root, home });
    if (chosen !== undefined) process.env[variable] = chosen;
    const ours = resolve({ env: process.env, home, cwd: process.cwd() });
    // A decoy where a drifted resolver would look: the default file (for "~/", the unexpanded
    // ./~/custom/file is not planted: it would be inside the repository).
    plant(path.join(home, ".aws", kind), kind, "default-file");
    plant(ours, kind, "ours");
    expect(await sdkReads(kind)).toBe("ours");
  });

  it("the flag wins over the variable, and an empty flag counts as unset", () => {
    const env = { [variable]: "/from/env" };
    expect(resolve({ flag: "/from/flag", env, home: "/h", cwd: "/w" })).toBe("/from/flag");
    expect(resolve({ flag: "", env, home: "/h", cwd: "/w" })).toBe("/from/env");
    expect(resolve({ flag: "rel", env, home: "/h", cwd: "/w" })).toBe("/w/rel");
    expect(resolve({ flag: "~/x", env, home: "/h", cwd: "/w" })).toBe("/h/x");
  });

  it("a lone ~ is the home directory (as a shell and the AWS CLI read it), not ./~", () => {
    expect(resolve({ env: { [variable]: "~" }, home: "/h", cwd: "/w" })).toBe("/h");
    expect(resolve({ flag: "~", env: {}, home: "/h", cwd: "/w" })).toBe("/h");
  });
});

describe("the home directory, in the SDK's order", () => {
  it("HOME, then USERPROFILE, then HOMEDRIVE + HOMEPATH, then the OS", () => {
    expect(homeDir({ HOME: "/h", USERPROFILE: "C:\\Users\\u" })).toBe("/h");
    expect(homeDir({ HOME: "", USERPROFILE: "C:\\Users\\u" })).toBe("C:\\Users\\u");
    expect(homeDir({ HOMEDRIVE: "D:", HOMEPATH: "\\Users\\u" })).toBe("D:\\Users\\u");
    expect(homeDir({})).toBe(os.homedir());
  });

  it("expands only ~ and ~/, never a name starting with ~", () => {
    expect(expandHome("~", "/h")).toBe("/h");
    expect(expandHome("~/a", "/h")).toBe("/h/a");
    expect(expandHome("~bob/a", "/h")).toBe("~bob/a");
    expect(expandHome("/a/~/b", "/h")).toBe("/a/~/b");
  });

  it("the SSO token cache is where the SDK looks for it", async () => {
    const { getSSOTokenFilepath } = await import("@smithy/shared-ini-file-loader");
    expect(path.dirname(getSSOTokenFilepath("acme"))).toBe(ssoCacheDir(home));
  });
});
