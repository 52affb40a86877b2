import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { UserError } from "../errors.js";
import { startSandbox } from "../sandbox/server.js";
import { CONSOLE_ENABLE_PATH } from "../sandbox/pages/console.js";
import { timingPresets, type CallerKind } from "../sandbox/state.js";
import { sandboxShellEnvironment } from "../sandbox/environment.js";
import type { CommandInput } from "./types.js";

export interface SandboxCommandOptions {
  port: number;
  delays: keyof typeof timingPresets;
  identityCenterEnabled: boolean;
  caller: CallerKind;
}

export function parseSandboxOptions(options: CommandInput["options"]): SandboxCommandOptions {
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a number from 0 to 65535, got "${options.port}".`);
  const delays = (options.delays ?? "fast") as string;
  if (!(delays in timingPresets)) throw new UserError(`--delays must be none, fast or aws, got "${delays}".`);
  const ic = (options["identity-center"] ?? "disabled") as string;
  if (ic !== "enabled" && ic !== "disabled") throw new UserError(`--identity-center must be enabled or disabled, got "${ic}".`);
  const caller = (options.caller ?? "root") as string;
  if (!["root", "iam-user", "member"].includes(caller)) throw new UserError(`--caller must be root, iam-user or member, got "${caller}".`);
  return { port, delays: delays as SandboxCommandOptions["delays"], identityCenterEnabled: ic === "enabled", caller: caller as CallerKind };
}

export async function run({ options, out, signal }: CommandInput): Promise<number> {
  const opts = parseSandboxOptions(options);
  const sandbox = await startSandbox({
    port: opts.port,
    timings: timingPresets[opts.delays],
    identityCenterEnabled: opts.identityCenterEnabled,
    callerKind: opts.caller,
  });
  // A throwaway HOME and project, so pasting the banner never touches the real ~/.aws or a real project.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "org-bootstrap-sandbox-"));
  const project = path.join(dir, "project");
  await fs.mkdir(path.join(dir, "home", ".aws"), { recursive: true, mode: 0o700 });
  await fs.mkdir(project);
  await fs.writeFile(path.join(project, "package.json"), '{\n  "name": "sandbox-demo",\n  "private": true\n}\n');
  const consolePage = `${sandbox.url}${CONSOLE_ENABLE_PATH}`;
  out.heading(`Emulated AWS listening on ${sandbox.url}`);
  out.line("Nothing here is real AWS: state lives in memory until you stop it (Ctrl-C).");
  out.line("");
  out.line("Paste this into another terminal. HOME and the AWS config files point into a temporary");
  out.line(`directory (${dir}), so your real ~/.aws is never read or written:`);
  for (const [k, v] of sandboxShellEnvironment(sandbox.url, dir)) out.line(`  export ${k}=${v}`);
  out.line("  unset AWS_PROFILE AWS_SESSION_TOKEN");
  out.line(`  cd ${project}`);
  out.line("");
  out.line("Then try the first week (docs/sandbox.md):");
  out.line(`  org-bootstrap init                 ${opts.identityCenterEnabled ? "" : "# press Enable on the console page below when asked"}`.trimEnd());
  out.line("  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY   # the root keys are gone: SSO only");
  out.line("  org-bootstrap login --device-code  # approve on the sandbox's page as your init user");
  out.line("  org-bootstrap add-account staging");
  out.line("  org-bootstrap status");
  out.line("");
  out.line(`Enable IAM Identity Center (the console page): ${consolePage}`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await sandbox.close();
  out.line("Sandbox stopped.");
  return 0;
}
