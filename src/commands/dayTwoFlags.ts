/**
 * How every day-two command maps its shared flags (docs/architecture.md, Habits: flags → one typed options
 * object): which organisation (`--org-name`, `--sso-session`), which AWS config file, and the
 * confirmation context (`--yes`, `--dry-run`, a terminal to ask on). One mapping, so the commands
 * cannot drift apart.
 */
import path from "node:path";
import { homeDir, resolveConfigFile } from "../local/paths.cjs";
import type { ClientProvider } from "../aws/clientProvider.js";
import type { Output } from "../ui/output.js";
import type { Prompter } from "../ui/prompts.js";
import type { CommandInput } from "./types.js";

/** The options every day-two command takes besides its own. */
export interface DayTwoOptions {
  orgName?: string;
  ssoSession?: string;
  /** `--profile`: the management account's credentials (default: see src/commands/managementAccess.ts). */
  profile?: string;
  configFile: string;
  home: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: Output;
  /** The command's questions (CommandInput.prompter). */
  prompter: Prompter;
  /** AWS clients (CommandInput.clients). */
  clients: ClientProvider;
  signal: AbortSignal;
  yes: boolean;
  dryRun: boolean;
  /** A person can answer prompts (stdin and the human stream are terminals). */
  interactive: boolean;
}

export function stringFlag(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === "string" ? value : undefined;
}

export function dayTwoFlags(input: CommandInput): DayTwoOptions {
  const home = homeDir(input.env);
  return {
    home,
    env: input.env,
    cwd: input.cwd,
    orgName: stringFlag(input, "org-name"),
    ssoSession: stringFlag(input, "sso-session"),
    profile: stringFlag(input, "profile"),
    configFile: resolveConfigFile({ flag: stringFlag(input, "config-file"), env: input.env, home, cwd: input.cwd }),
    out: input.out,
    prompter: input.prompter,
    clients: input.clients,
    signal: input.signal,
    yes: Boolean(input.options.yes),
    dryRun: Boolean(input.options["dry-run"]),
    interactive: input.prompter.interactive,
  };
}

/** `--project-dir` (the project whose sst.config.ts to update), resolved; default: the current directory. */
export function projectDirFlag(input: CommandInput): string {
  const dir = stringFlag(input, "project-dir");
  return dir ? path.resolve(input.cwd, dir) : input.cwd;
}
