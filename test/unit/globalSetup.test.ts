/** test/globalSetup.ts rebuilds dist/ when the sources are newer, so `npx vitest` never runs stale code. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { distIsStale } from "../globalSetup.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A repo-shaped folder whose every file and directory has mtime `at` (seconds). */
function project(at: number): { root: string; touch(file: string, seconds: number): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), "globalsetup-"));
  dirs.push(root);
  const files = ["src/cli.ts", "src/aws/sts.ts", "dist/cli.js", "dist/aws/sts.js", "tsconfig.json", "tsconfig.build.json"];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), "");
  }
  const touch = (f: string, seconds: number) => utimesSync(path.join(root, f), seconds, seconds);
  for (const f of [...files, "src/aws", "dist/aws", "src", "dist"]) touch(f, at);
  return { root, touch };
}

describe("dist/ is rebuilt when", () => {
  it("is not: dist/ is as new as every source", () => {
    expect(distIsStale(project(1_000).root)).toBe(false);
  });
  it("a source file is newer than everything in dist/", () => {
    const p = project(1_000);
    p.touch("src/aws/sts.ts", 2_000);
    expect(distIsStale(p.root)).toBe(true);
  });
  it("a source file was added or deleted (its directory is newer)", () => {
    const p = project(1_000);
    p.touch("src/aws", 2_000);
    expect(distIsStale(p.root)).toBe(true);
  });
  it("the build config changed", () => {
    const p = project(1_000);
    p.touch("tsconfig.build.json", 2_000);
    expect(distIsStale(p.root)).toBe(true);
  });
  it("dist/cli.js is missing", () => {
    const p = project(1_000);
    rmSync(path.join(p.root, "dist/cli.js"));
    expect(distIsStale(p.root)).toBe(true);
  });
});
