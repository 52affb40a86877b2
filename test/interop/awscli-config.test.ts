/**
 * The config we write, read by a parser we did not write: Debian's AWS CLI v2 (/usr/bin/aws,
 * installed by `.ci/run` with apt). Runs in a temporary HOME with a pre-existing config holding
 * comments, CRLF line endings, an unrelated profile with a nested `s3 =` sub-section and a
 * dotted profile name.
 */
import { execFile } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SectionSpec } from "../../src/local/awsConfig.js";
import { applyFileChange, planAwsConfigChange } from "../../src/local/fileChange.js";

const AWS = "/usr/bin/aws";

const sections: SectionSpec[] = [
  { kind: "sso-session", name: "acme", values: { sso_start_url: "https://d-1234567890.awsapps.com/start", sso_region: "eu-west-1", sso_registration_scopes: "sso:account:access" } },
  { kind: "profile", name: "acme-dev", values: { sso_session: "acme", sso_account_id: "111111111111", sso_role_name: "AdministratorAccess", region: "eu-west-1" } },
  { kind: "profile", name: "data.lake-prod", values: { sso_session: "acme", sso_account_id: "222222222222", sso_role_name: "ReadOnlyAccess", region: "us-east-2" } },
];

const existing = [
  "# company settings",
  "[default]",
  "region = us-east-1",
  "output = json",
  "",
  "; legacy profile, kept",
  "[profile legacy]",
  "region = eu-central-1",
  "s3 =",
  "  max_concurrent_requests = 20",
  "  addressing_style = path",
  "",
].join("\r\n");

let home: string;
let configFile: string;

async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(AWS, args, {
    env: { PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: path.join(home, "none"), AWS_PAGER: "" },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" }),
  );
}

beforeAll(async () => {
  if (!existsSync(AWS)) throw new Error(`${AWS} is missing: install Debian's AWS CLI (apt-get install -y awscli) to run the interop suite.`);
  home = await fs.mkdtemp(path.join(os.tmpdir(), "awscli-config-"));
  configFile = path.join(home, ".aws", "config");
  await fs.mkdir(path.dirname(configFile), { mode: 0o700 });
  await fs.writeFile(configFile, existing);
  await applyFileChange(await planAwsConfigChange({ configFile, sections, home }));
});
afterAll(async () => {
  if (home) await fs.rm(home, { recursive: true, force: true });
});

describe("AWS CLI v2 reads the config we wrote", () => {
  it("lists our profiles next to the user's own", async () => {
    const r = await aws("configure", "list-profiles");
    expect(r.stderr).toBe("");
    expect(r.stdout.split(/\r?\n/).filter(Boolean).sort()).toEqual(["acme-dev", "data.lake-prod", "default", "legacy"]);
  });

  it("reads every value of every profile we wrote", async () => {
    for (const spec of sections.filter((s) => s.kind === "profile")) {
      for (const [key, value] of Object.entries(spec.values)) {
        const r = await aws("configure", "get", key, "--profile", spec.name);
        expect(r, `${spec.name} ${key}`).toMatchObject({ code: 0, stdout: `${value}\n` });
      }
    }
  });

  it("still reads the user's own values, including the nested s3 settings", async () => {
    expect((await aws("configure", "get", "region", "--profile", "legacy")).stdout).toBe("eu-central-1\n");
    expect((await aws("configure", "get", "s3.addressing_style", "--profile", "legacy")).stdout).toBe("path\n");
    expect((await aws("configure", "get", "output")).stdout).toBe("json\n");
  });

  it("resolves the sso-session block: it looks for that session's token, not for a missing session", async () => {
    const r = await aws("sts", "get-caller-identity", "--profile", "acme-dev");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Token for acme does not exist");
    expect(r.stderr).not.toContain("configuration does not exist");
  });

  it("the CLI refuses a file with a duplicated section, which is why we refuse to edit one", async () => {
    const copy = await fs.readFile(configFile, "utf8");
    await fs.writeFile(configFile, `${copy}\r\n[profile legacy]\r\nregion = us-west-1\r\n`);
    try {
      const r = await aws("configure", "list-profiles");
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("Unable to parse config file");
      await expect(planAwsConfigChange({ configFile, sections, home })).rejects.toThrow(/appears twice/);
    } finally {
      await fs.writeFile(configFile, copy);
    }
  });
});
