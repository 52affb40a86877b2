/** Shared set-up for the init end-to-end tests: a temp HOME + project, the unattended flags, file bytes. */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { childEnv } from "../helpers/sandbox.js";
import { runCli, startCli } from "../helpers/loginCli.js";

export interface InitHome {
  home: string;
  project: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

export async function makeInitHome(sandbox: { url: string }, extraEnv: Record<string, string> = {}): Promise<InitHome> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-init-home-"));
  const project = path.join(home, "project");
  await fs.mkdir(project);
  await fs.writeFile(path.join(project, "package.json"), '{\n  "name": "app",\n  "scripts": {\n    "dev": "sst dev"\n  }\n}\n');
  return { home, project, configFile: path.join(home, ".aws", "config"), env: childEnv(sandbox, { HOME: home, ...extraEnv }) };
}

export const unattended = [
  "init",
  "--yes",
  "--org-name",
  "acme",
  "--sso-region",
  "us-east-1",
  "--account-email",
  "aws+{stage}@acme.com",
  "--user-email",
  "ann@acme.com",
  "--user-given-name",
  "Ann",
  "--user-family-name",
  "Lee",
  "--no-browser",
];

export function runInit(h: InitHome, extra: string[] = [], base = unattended) {
  return runCli([...base, ...extra], h.env, h.project);
}

export function startInit(h: InitHome, extra: string[] = [], base = unattended) {
  return startCli([...base, ...extra], h.env, h.project);
}

/** Every file under HOME (path → bytes), to prove a re-run rewrites nothing. */
export async function snapshotFiles(root: string): Promise<Map<string, { bytes: string; mtimeMs: number }>> {
  const files = new Map<string, { bytes: string; mtimeMs: number }>();
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const stat = await fs.stat(full);
        files.set(full, { bytes: await fs.readFile(full, "utf8"), mtimeMs: stat.mtimeMs });
      }
    }
  };
  await walk(root);
  return files;
}

/** A fresh SST v3 project's sst.config.ts (`sst init`), for the tests that add a stage to it. */
export const SST_V3 = `/// <reference path="./.sst/platform/config.d.ts" />
export default $config({
  app(input) {
    return {
      name: "app",
      home: "aws",
    };
  },
  async run() {},
});
`;
