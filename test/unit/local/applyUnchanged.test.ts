/**
 * applyFileChange writes only onto the text the change was planned on (docs/local-files.md,
 * "Safety on every write"): it compares the file's bytes with the planned text piece by piece
 * (a big file is not decoded twice), and only when they differ decodes them to tell a changed
 * file from an unreadable one.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OperationError, UserError } from "../../../src/errors.js";
import { applyFileChange, backupPathFor, planAwsConfigChange } from "../../../src/local/fileChange.js";

const profile = { kind: "profile" as const, name: "acme-dev", values: { sso_session: "acme", sso_account_id: "111111111111", region: "eu-west-1" } };
let dir: string;
let configFile: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "apply-unchanged-"));
  configFile = path.join(dir, "config");
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe("applyFileChange: the file is still the one planned on", () => {
  it("a file changed after planning is not written (one byte, the same length), with or without a byte order mark", async () => {
    for (const bom of ["", "\uFEFF"]) {
      await fs.writeFile(configFile, `${bom}[default]\nregion = eu-west-1\n`);
      const planned = await planAwsConfigChange({ configFile, sections: [profile], home: dir });
      await fs.writeFile(configFile, `${bom}[default]\nregion = eu-west-2\n`);
      await expect(applyFileChange(planned)).rejects.toThrow(OperationError);
      expect(await fs.readFile(configFile, "utf8")).toBe(`${bom}[default]\nregion = eu-west-2\n`);
    }
  });

  it("a file that became unreadable after planning says so (not UTF-8), and nothing is written", async () => {
    await fs.writeFile(configFile, "[default]\nregion = eu-west-1\n");
    const planned = await planAwsConfigChange({ configFile, sections: [profile], home: dir });
    await fs.writeFile(configFile, Buffer.from([0x5b, 0xff, 0x5d, 0x0a]));
    await expect(applyFileChange(planned)).rejects.toThrow(UserError);
    await expect(applyFileChange(planned)).rejects.toThrow(/not UTF-8/);
  });

  it("an unchanged file is written, and its backup is its exact bytes, also when a character of four bytes sits where the comparison cuts its pieces", async () => {
    // A comment long enough that the emoji (two UTF-16 units) spans the 1 MiB boundary of the pieces.
    const original = `\uFEFF# ${"x".repeat((1 << 20) - 4)}😀 é\n[default]\nregion = eu-west-1\n`;
    await fs.writeFile(configFile, original);
    const planned = await planAwsConfigChange({ configFile, sections: [profile], home: dir });
    expect(await applyFileChange(planned)).toMatchObject({ written: true });
    expect(await fs.readFile(backupPathFor(configFile), "utf8")).toBe(original);
    expect(await fs.readFile(configFile, "utf8")).toBe(`${original}\n[profile acme-dev]\nsso_session = acme\nsso_account_id = 111111111111\nregion = eu-west-1\n`);
  });
});
