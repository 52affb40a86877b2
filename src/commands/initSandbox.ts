/**
 * `org-bootstrap init --sandbox`: the real wizard against an in-process emulated AWS, with
 * AWS-like (shortened) delays, writing into a throw-away directory it names — never the user's
 * own ~/.aws/config unless `--config-file` / `--project-dir` say so. The production code is
 * unchanged: init's clients (CommandInput.clients) are a provider pinned to the emulator's endpoint
 * and dummy keys, by configuration; process.env is never edited.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClientProvider } from "../aws/clientProvider.js";
import { resolveConfigFile } from "../local/paths.cjs";
import { CONSOLE_ENABLE_PATH } from "../sandbox/pages/console.js";
import { sandboxEnvironment } from "../sandbox/environment.js";
import { startSandbox } from "../sandbox/server.js";
import { enableIdentityCenter, timingPresets } from "../sandbox/state.js";
import type { InitOptions } from "./init.js";

export interface WalkthroughOptions extends Omit<InitOptions, "configFile" | "projectDir" | "consoleUrl" | "autoEnableIdentityCenter"> {
  cwd: string;
  configFileFlag?: string;
  projectDirFlag?: string;
}

/** Delays shaped like AWS's (accounts take longest, assignments a moment), shortened for a demo. */
export const walkthroughTimings = { ...timingPresets.fast, createAccountMs: 4_000, assignmentMs: 800, callLatencyMs: 30 };

/** How long the unattended walkthrough lets the "press Enable in the console" step be seen. */
const AUTO_ENABLE_AFTER_MS = 2_500;

const demoPackageJson = `{
  "name": "demo-app",
  "private": true,
  "scripts": {
    "dev": "sst dev"
  },
  "devDependencies": {
    "sst": "^3.0.0"
  }
}
`;

const demoSstConfig = `/// <reference path="./.sst/platform/config.d.ts" />

export default $config({
  app(input) {
    return {
      name: "demo-app",
      removal: input?.stage === "production" ? "retain" : "remove",
      home: "aws",
    };
  },
  async run() {},
});
`;

/** `runInit` is passed in by init itself, so this module and init.ts do not import each other. */
export async function runSandboxWalkthrough(options: WalkthroughOptions, runInit: (options: InitOptions) => Promise<unknown>): Promise<void> {
  const { out } = options;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "org-bootstrap-sandbox-"));
  // Only the flag: $AWS_CONFIG_FILE names the user's real config, which the demo must not touch.
  const configFile = options.configFileFlag ? resolveConfigFile({ flag: options.configFileFlag, env: {}, home: options.home, cwd: options.cwd }) : path.join(dir, ".aws", "config");
  const projectDir = options.projectDirFlag ? path.resolve(options.cwd, options.projectDirFlag) : path.join(dir, "demo-app");
  if (!options.projectDirFlag) {
    await fs.mkdir(projectDir, { recursive: true });
    await fs.writeFile(path.join(projectDir, "package.json"), demoPackageJson);
    await fs.writeFile(path.join(projectDir, "sst.config.ts"), demoSstConfig);
  }

  const sandbox = await startSandbox({ timings: walkthroughTimings, identityCenterEnabled: false, callerKind: "iam-user", managementEmail: "owner@example.com" });
  const dummy = sandboxEnvironment(sandbox.url, "us-east-1");

  out.heading("Sandbox walkthrough: the real init wizard, against an emulated AWS.");
  out.line(`  Emulated AWS: ${sandbox.url} (in memory, nothing real)`);
  out.line(`  Files go to:  ${configFile}`);
  out.line(`                ${projectDir}${options.projectDirFlag ? "" : " (a demo project)"}`);
  out.line("");
  try {
    await runInit({
      ...options,
      env: { ...options.env, ...dummy },
      // Every client goes to the emulator with its dummy keys, whatever the environment says
      // (a real AWS_PROFILE or endpoint never reaches the demo), and process.env is left alone.
      clients: createClientProvider(
        { region: "us-east-1", endpoint: sandbox.url, credentials: async () => ({ accessKeyId: dummy.AWS_ACCESS_KEY_ID, secretAccessKey: dummy.AWS_SECRET_ACCESS_KEY }) },
        { pinned: true },
      ),
      configFile,
      projectDir,
      answerDefaults: {
        orgName: "acme",
        ssoRegion: "us-east-1",
        userEmail: "ann@example.com",
        userGivenName: "Ann",
        userFamilyName: "Lee",
        ...definedDefaults(options.answerDefaults),
      },
      consoleUrl: (region) => `${sandbox.url}${CONSOLE_ENABLE_PATH}?region=${encodeURIComponent(region)}`,
      consoleFallback: (region) => `No browser here? Press it from another terminal:\n  curl -d region=${region} ${sandbox.url}${CONSOLE_ENABLE_PATH}/enable`,
      // Unattended (--yes) there is no one to click: press the button after a visible pause.
      ...(options.yes
        ? {
            // Through `note`, so the line prints above the live status line, never on it.
            autoEnableIdentityCenter: async (region: string, note: (text: string) => void) => {
              await new Promise((resolve) => setTimeout(resolve, AUTO_ENABLE_AFTER_MS));
              note(out.style("dim", `    (sandbox, --yes: pressing "Enable" on the console page for you)`));
              enableIdentityCenter(sandbox.state, region);
            },
          }
        : {}),
    });
    out.line("");
    out.heading("What the walkthrough wrote:");
    for (const file of [configFile, path.join(projectDir, "sst.config.ts"), path.join(projectDir, "package.json")]) {
      const text = await fs.readFile(file, "utf8").catch(() => undefined);
      if (text === undefined) continue;
      out.line(out.style("bold", `── ${file}`));
      for (const line of text.replace(/\n$/, "").split("\n")) out.line(`  ${line}`);
    }
    out.line("");
    out.line(`The emulated AWS made ${sandbox.state.calls.length} API calls (${sandbox.state.calls.filter((c) => c.mutating).length} changes).`);
    out.line(`Delete the demo files with: rm -r ${dir}`);
  } finally {
    await sandbox.close();
  }
}

function definedDefaults<T extends object | undefined>(value: T): Partial<NonNullable<T>> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<NonNullable<T>>;
}
