/**
 * `org-bootstrap exec --profile P -- CMD ...`: runs CMD with the profile's temporary role
 * credentials in its environment (and nothing printed), passing CMD's exit code through.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { throwIfAborted } from "../aws/waiting.js";
import { UserError } from "../errors.js";
import { credentialVariables, credentialsFromFlags } from "./env.js";
import type { CommandInput } from "./types.js";

/** The child's environment: ours, minus a profile choice that could compete, plus the credentials. */
export function childEnvironment(parent: NodeJS.ProcessEnv, vars: Record<string, string>): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _p, AWS_DEFAULT_PROFILE: _d, ...rest } = parent;
  return { ...rest, ...vars };
}

/**
 * Runs the program and resolves with its status. While it runs, SIGINT, SIGTERM and SIGHUP are
 * passed on to it (through `takeSignals`) and we wait: the program decides how to stop, and it
 * never outlives us holding the credentials (docs/security.md). A Ctrl-C in a terminal reaches
 * the program directly too (same process group) and again through us, as with npm's scripts.
 */
export function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  takeSignals?: CommandInput["takeSignals"],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env, cwd });
    const release = takeSignals?.((signal) => {
      // The program may have exited a moment ago; its exit event comes next.
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
    child.once("error", (err: NodeJS.ErrnoException) => {
      release?.();
      if (err.code === "ENOENT") reject(new UserError(`Command not found: ${command}`, "Check the command after --, or its PATH."));
      else reject(err);
    });
    child.once("exit", (code, signal) => {
      release?.();
      // A child killed by a signal exits 128 + the signal's number, as shells report it.
      if (signal) resolve(128 + (constants.signals[signal] ?? 0));
      else resolve(code ?? 1);
    });
  });
}

export async function run(input: CommandInput): Promise<number> {
  const usage = "org-bootstrap exec --profile NAME -- COMMAND [ARGS...]";
  if (input.rest.length === 0) throw new UserError("No command to run.", `Usage: ${usage}`);
  const creds = await credentialsFromFlags(input, usage);
  // Ctrl-C while the credentials were fetched: stop, do not start the program after all.
  throwIfAborted(input.signal);
  return runChild(input.rest[0], input.rest.slice(1), childEnvironment(input.env, credentialVariables(creds)), input.cwd, input.takeSignals);
}
