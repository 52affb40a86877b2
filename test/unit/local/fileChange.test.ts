import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OperationError, UserError } from "../../../src/errors.js";
import type { SectionSpec } from "../../../src/local/awsConfig.js";
import {
  applyFileChange,
  backupPathFor,
  planAwsConfigChange,
  planAwsConfigRemoval,
  planPackageJsonChange,
  planSstConfigChange,
  renderSstTemplate,
} from "../../../src/local/fileChange.js";
import { Output } from "../../../src/ui/output.js";
import { renderFileChange } from "../../../src/ui/diff.js";

const sections: SectionSpec[] = [
  { kind: "sso-session", name: "acme", values: { sso_start_url: "https://d-1234567890.awsapps.com/start", sso_region: "eu-west-1", sso_registration_scopes: "sso:account:access" } },
  { kind: "profile", name: "acme-dev", values: { sso_session: "acme", sso_account_id: "111111111111", sso_role_name: "AdministratorAccess", region: "eu-west-1" } },
  { kind: "profile", name: "acme-production", values: { sso_session: "acme", sso_account_id: "222222222222", sso_role_name: "AdministratorAccess", region: "eu-west-1" } },
];

let home: string;
let configFile: string;
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), "filechange-"));
  configFile = path.join(home, ".aws", "config");
});
afterEach(async () => {
  await fs.chmod(home, 0o700).catch(() => {});
  await fs.rm(home, { recursive: true, force: true });
});

/** Every file under `dir` with its bytes and mode, to prove that nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const st = await fs.lstat(full);
    out[path.relative(dir, full)] = entry.isFile() ? `${(st.mode & 0o777).toString(8)} ${await fs.readFile(full, "base64")}` : `${entry.isSymbolicLink() ? "link" : "dir"} ${(st.mode & 0o777).toString(8)}`;
  }
  return out;
}

describe("~/.aws/config: plan and apply", () => {
  it("creates ~/.aws 0700 and the file 0600, and the SDK loader reads every value", async () => {
    const change = await planAwsConfigChange({ configFile, sections, home });
    expect(change.status).toBe("created");
    expect(change.label).toBe("~/.aws/config");
    expect(change.diff).toContain("+[profile acme-production]");
    expect(await applyFileChange(change)).toEqual({ written: true, backup: undefined });
    expect((await fs.stat(path.join(home, ".aws"))).mode & 0o777).toBe(0o700);
    expect((await fs.stat(configFile)).mode & 0o777).toBe(0o600);
    const { configFile: seen } = await loadSharedConfigFiles({ configFilepath: configFile, filepath: path.join(home, "none"), ignoreCache: true });
    expect(seen["sso-session.acme"]).toEqual(sections[0].values);
    expect(seen["acme-dev"]).toEqual(sections[1].values);
    expect(seen["acme-production"]).toEqual(sections[2].values);
  });

  it("keeps the original mode, backs up once, and a second run writes nothing", async () => {
    await fs.mkdir(path.dirname(configFile), { recursive: true });
    const original = "# mine\r\n[default]\r\nregion = us-east-1";
    await fs.writeFile(configFile, original, { mode: 0o640 });
    await fs.chmod(configFile, 0o640);
    const first = await planAwsConfigChange({ configFile, sections, home });
    expect(first.status).toBe("updated");
    const applied = await applyFileChange(first);
    expect(applied.backup).toBe(path.join(home, ".aws", "config.org-bootstrap.bak"));
    expect(await fs.readFile(applied.backup!, "utf8")).toBe(original);
    expect((await fs.stat(configFile)).mode & 0o777).toBe(0o640);
    const written = await fs.readFile(configFile, "utf8");
    expect(written.startsWith("# mine\r\n[default]\r\nregion = us-east-1\r\n\r\n[sso-session acme]\r\n")).toBe(true);

    const before = await snapshot(home);
    const inode = (await fs.stat(configFile)).ino;
    const second = await planAwsConfigChange({ configFile, sections, home });
    expect(second.status).toBe("unchanged");
    expect(second.diff).toBe("");
    expect(await applyFileChange(second)).toEqual({ written: false });
    expect(await snapshot(home)).toEqual(before);
    expect((await fs.stat(configFile)).ino).toBe(inode);

    // A later change keeps the first backup (the pre-org-bootstrap original).
    const more = await planAwsConfigChange({ configFile, sections: [{ ...sections[1], name: "acme-staging" }], home });
    await applyFileChange(more);
    expect(await fs.readFile(backupPathFor(configFile), "utf8")).toBe(original);
  });

  it("a writer killed after linking the backup but before removing its temp file: the next write clears that leftover", async () => {
    await fs.mkdir(path.dirname(configFile), { recursive: true });
    const original = "[default]\nregion = us-east-1\n";
    await fs.writeFile(configFile, original, { mode: 0o600 });
    await fs.writeFile(backupPathFor(configFile), original, { mode: 0o600 });
    // The pid of a process that has exited, as a killed writer's temp file would carry.
    const deadPid = 2 ** 22 + 12345;
    const leftover = `.config.org-bootstrap.bak.${deadPid}.0123456789ab.tmp`;
    await fs.writeFile(path.join(home, ".aws", leftover), original, { mode: 0o600 });
    await applyFileChange(await planAwsConfigChange({ configFile, sections, home }));
    expect((await fs.readdir(path.join(home, ".aws"))).sort()).toEqual(["config", "config.org-bootstrap.bak"]);
    expect(await fs.readFile(backupPathFor(configFile), "utf8")).toBe(original);
  });

  it("follows a symlinked config file and keeps the link", async () => {
    const dotfiles = path.join(home, "dotfiles");
    await fs.mkdir(dotfiles);
    await fs.mkdir(path.join(home, ".aws"));
    await fs.writeFile(path.join(dotfiles, "aws-config"), "[default]\nregion = us-east-1\n");
    await fs.symlink(path.join(dotfiles, "aws-config"), configFile);
    await applyFileChange(await planAwsConfigChange({ configFile, sections, home }));
    expect((await fs.lstat(configFile)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(path.join(dotfiles, "aws-config"), "utf8")).toContain("[profile acme-dev]");
  });

  it("reports conflicts without writing; force replaces only the differing value", async () => {
    await fs.mkdir(path.dirname(configFile));
    const original = "[profile acme-dev]\nsso_session = acme\nsso_account_id = 999999999999\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n";
    await fs.writeFile(configFile, original);
    const change = await planAwsConfigChange({ configFile, sections: [sections[1]], home });
    expect(change.status).toBe("conflict");
    expect(change.conflicts).toEqual([{ key: "[profile acme-dev] sso_account_id", old: "999999999999", new: "111111111111" }]);
    expect(await applyFileChange(change)).toEqual({ written: false });
    expect(await fs.readFile(configFile, "utf8")).toBe(original);
    const rendered = renderFileChange(change, new Output({ color: false })).join("\n");
    expect(rendered).toContain("- 999999999999");
    expect(rendered).toContain("+ 111111111111");

    await applyFileChange(await planAwsConfigChange({ configFile, sections: [sections[1]], home, force: true }));
    expect(await fs.readFile(configFile, "utf8")).toBe(original.replace("999999999999", "111111111111"));
  });

  it("refuses to write when the file changed after planning", async () => {
    const change = await planAwsConfigChange({ configFile, sections, home });
    await fs.mkdir(path.dirname(configFile));
    await fs.writeFile(configFile, "[default]\n");
    await expect(applyFileChange(change)).rejects.toThrow(OperationError);
    expect(await fs.readFile(configFile, "utf8")).toBe("[default]\n");
  });

  it("removes a block on request", async () => {
    await applyFileChange(await planAwsConfigChange({ configFile, sections, home }));
    const removal = await planAwsConfigRemoval({ configFile, kind: "profile", name: "acme-production", home });
    expect(removal.status).toBe("updated");
    expect(removal.diff).toContain("-[profile acme-production]");
    await applyFileChange(removal);
    const { configFile: seen } = await loadSharedConfigFiles({ configFilepath: configFile, filepath: path.join(home, "none"), ignoreCache: true });
    expect(seen["acme-production"]).toBeUndefined();
    expect(seen["acme-dev"]).toEqual(sections[1].values);
  });
});

describe("bad input changes nothing", () => {
  const bad: [string, (file: string) => Promise<void>, RegExp][] = [
    ["a directory", async (f) => void (await fs.mkdir(f, { recursive: true })), /is a directory/],
    ["a symlink loop", async (f) => {
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.symlink(`${f}.b`, f);
      await fs.symlink(f, `${f}.b`);
    }, /symbolic link loop/],
    ["unreadable", async (f) => {
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.writeFile(f, "[default]\n", { mode: 0o000 });
    }, /permission denied/],
    ["unparsable", async (f) => {
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.writeFile(f, "[default]\nregion = x\n<<<<<<< HEAD\n");
    }, /line 3: not a \[section\]/],
    ["duplicated sections", async (f) => {
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.writeFile(f, "[profile acme-dev]\nregion = x\n[profile acme-dev]\nregion = y\n");
    }, /appears twice/],
    ["not UTF-8", async (f) => {
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.writeFile(f, Buffer.from([0x5b, 0xff, 0xfe, 0x5d, 0x0a]));
    }, /not UTF-8/],
  ];
  for (const [what, make, message] of bad) {
    // root reads files whatever their mode, so the mode-000 case only means something for others.
    it.skipIf(what === "unreadable" && process.getuid?.() === 0)(`~/.aws/config that is ${what}`, async () => {
      await make(configFile);
      const before = await snapshot(home);
      await expect(planAwsConfigChange({ configFile, sections, home })).rejects.toThrow(UserError);
      await expect(planAwsConfigChange({ configFile, sections, home })).rejects.toThrow(message);
      expect(await snapshot(home)).toEqual(before);
    });
  }

  it("~/.aws/config whose path runs through a plain file", async () => {
    await fs.writeFile(path.join(home, ".aws"), "not a directory");
    const before = await snapshot(home);
    await expect(planAwsConfigChange({ configFile, sections, home })).rejects.toThrow(/part of its path is not a directory/);
    expect(await snapshot(home)).toEqual(before);
  });

  it("an invalid profile name is refused before anything is written", async () => {
    await expect(planAwsConfigChange({ configFile, sections: [{ ...sections[1], name: "acme dev" }], home })).rejects.toThrow(UserError);
    expect(await snapshot(home)).toEqual({});
  });

  it("package.json that is not JSON", async () => {
    await fs.writeFile(path.join(home, "package.json"), '{ "name": "x", }');
    const before = await snapshot(home);
    await expect(planPackageJsonChange({ projectDir: home, script: { command: "org-bootstrap login --sso-session acme" } })).rejects.toThrow(/not valid JSON/);
    expect(await snapshot(home)).toEqual(before);
  });

  it("sst.config.ts with a syntax error is left alone, with the snippet to paste", async () => {
    const broken = "export default $config({\n  app(input) {\n    return { name: 'x' \n";
    await fs.writeFile(path.join(home, "sst.config.ts"), broken);
    const before = await snapshot(home);
    const change = await planSstConfigChange({ projectDir: home, org: "acme", stages: ["dev", "production"] });
    expect(change.status).toBe("skipped");
    expect(change.message).toMatch(/left untouched: it does not parse/);
    expect(change.snippet).toContain('profile: process.env.CI || process.env.GITHUB_ACTIONS ? undefined : input?.stage === "production" ? "acme-production" : "acme-dev"');
    expect(await applyFileChange(change)).toEqual({ written: false });
    expect(await snapshot(home)).toEqual(before);
  });
});

describe("sst.config.ts and package.json plans", () => {
  it("prints the selector and the template when sst.config.ts is absent", async () => {
    await fs.writeFile(path.join(home, "package.json"), JSON.stringify({ devDependencies: { sst: "^2.40.0" } }));
    const change = await planSstConfigChange({ projectDir: home, org: "acme", stages: ["dev", "production"] });
    expect(change.status).toBe("skipped");
    expect(change.snippet).toContain("config(input)");
    expect(change.snippet).toContain('"acme-production"');
    expect(change.snippet).not.toContain("__PROFILE_SELECTOR__");
  });

  it("only taking a stage out (close-account): no sst.config.ts means nothing to do and nothing to suggest", async () => {
    const change = await planSstConfigChange({ projectDir: home, org: "acme", stages: [], drop: ["staging"] });
    expect(change).toMatchObject({ status: "skipped", before: null });
    expect(change.snippet).toBeUndefined();
  });

  it("adds the sso script, names the right run command, and is idempotent", async () => {
    const original = '{\n\t"name": "app",\n\t"scripts": {\n\t\t"dev": "sst dev"\n\t}\n}\n';
    await fs.writeFile(path.join(home, "package.json"), original);
    await fs.writeFile(path.join(home, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");
    const script = { command: "org-bootstrap login --sso-session acme" };
    const change = await planPackageJsonChange({ projectDir: home, script });
    expect(change.runCommand).toBe("pnpm sso");
    await applyFileChange(change);
    expect(await fs.readFile(path.join(home, "package.json"), "utf8")).toBe(
      '{\n\t"name": "app",\n\t"scripts": {\n\t\t"dev": "sst dev",\n\t\t"sso": "org-bootstrap login --sso-session acme"\n\t}\n}\n',
    );
    expect((await planPackageJsonChange({ projectDir: home, script })).status).toBe("unchanged");
    const other = await planPackageJsonChange({ projectDir: home, script: { command: "aws sso login --sso-session=acme" } });
    expect(other.status).toBe("conflict");
    expect(other.conflicts).toEqual([{ key: "scripts.sso", old: "org-bootstrap login --sso-session acme", new: "aws sso login --sso-session=acme" }]);
  });
});

describe("the sst.config.ts templates", () => {
  it("SST v2's names the workload region (v3 and v4 take the profile's); both name SST v3 and v4 and SST_AWS_NO_PROFILE where it applies", async () => {
    const v2 = await renderSstTemplate({ org: "acme", stages: ["dev", "production"], version: 2, region: "eu-west-1" });
    expect(v2).toContain('region: "eu-west-1",');
    expect(v2).toContain("SST_AWS_NO_PROFILE, which makes SST v3 and v4 drop the");
    const v3 = await renderSstTemplate({ org: "acme", stages: ["dev", "production"], version: 3, region: "eu-west-1" });
    expect(v3).not.toContain("region:");
    expect(v3).toContain("// SST v3 and v4 (v4 keeps v3's config shape).");
    expect(v3).toMatch(/SST_AWS_NO_PROFILE\n?.*set to any value makes SST itself drop this profile/);
    expect(v3).toContain('profile: process.env.CI || process.env.GITHUB_ACTIONS ? undefined : input?.stage === "production" ? "acme-production" : "acme-dev",');
  });
});
