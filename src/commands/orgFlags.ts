/**
 * The flags every day-two command shares, mapped once into typed options: which organisation
 * (`--org-name`, `--sso-session`), which files (`--config-file`, `--project-dir`, HOME), and the
 * mutating-command switches. Paths are resolved here, so the command functions take explicit ones.
 */
import os from "node:os";
import path from "node:path";
import { resolveConfigFile } from "../local/fileChange.js";
import type { Output } from "../ui/output.js";
import type { CommandInput } from "./types.js";

export interface OrgCommandBase {
  orgName?: string;
  ssoSession?: string;
  configFile: string;
  projectDir: string;
  home: string;
  out: Output;
  signal: AbortSignal;
  yes: boolean;
  dryRun: boolean;
  interactive: boolean;
}

export function stringFlag(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === "string" ? value : undefined;
}

export function orgCommandBase(input: CommandInput): OrgCommandBase {
  const home = input.env.HOME || os.homedir();
  const projectDir = stringFlag(input, "project-dir");
  return {
    orgName: stringFlag(input, "org-name"),
    ssoSession: stringFlag(input, "sso-session"),
    configFile: resolveConfigFile({ flag: stringFlag(input, "config-file"), env: input.env, home, cwd: input.cwd }),
    projectDir: projectDir ? path.resolve(input.cwd, projectDir) : input.cwd,
    home,
    out: input.out,
    signal: input.signal,
    yes: Boolean(input.options.yes),
    dryRun: Boolean(input.options["dry-run"]),
    interactive: input.out.interactive,
  };
}
