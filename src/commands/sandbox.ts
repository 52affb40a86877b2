import { UserError } from "../errors.js";
import { startSandbox } from "../sandbox/server.js";
import { CONSOLE_ENABLE_PATH } from "../sandbox/pages/console.js";
import { timingPresets, type CallerKind } from "../sandbox/state.js";
import { sandboxEnvironment } from "../sandbox/environment.js";
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
  const env = sandboxEnvironment(sandbox.url);
  out.heading(`Emulated AWS listening on ${sandbox.url}`);
  out.line("Nothing here is real AWS: state lives in memory until you stop it (Ctrl-C).");
  out.line("");
  out.line("Point AWS tools at it from another terminal:");
  for (const [k, v] of Object.entries(env)) out.line(`  export ${k}=${v}`);
  out.line("");
  out.line("Then, for example:");
  out.line("  aws sts get-caller-identity");
  out.line("  org-bootstrap init");
  out.line("");
  out.line(`Enable IAM Identity Center (the console page): ${sandbox.url}${CONSOLE_ENABLE_PATH}`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await sandbox.close();
  out.line("Sandbox stopped.");
  return 0;
}
