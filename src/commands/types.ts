import type { ClientProvider } from "../aws/clientProvider.js";
import type { Output } from "../ui/output.js";
import type { Prompter } from "../ui/prompts.js";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `NAME`. */
  value?: string;
  /** Shown without brackets in the usage line (the command itself refuses a run without it). */
  required?: boolean;
  description: string;
}

export interface PositionalSpec {
  name: string;
  required: boolean;
  description: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What the dispatcher hands a command: parsed flags, never raw argv. */
export interface CommandInput {
  options: OptionValues;
  positionals: string[];
  /** Arguments after a literal `--` (for `exec`). */
  rest: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: Output;
  /**
   * Every question the command asks, and whether a person can answer (`prompter.interactive`):
   * the terminal's from the entry, scripted answers in a test (docs/architecture.md).
   */
  prompter: Prompter;
  /**
   * AWS clients per (account, region). From the entry: the SDK's own endpoint and credential chain
   * (AWS_ENDPOINT_URL, AWS_PROFILE, …), which a command narrows with `signedWith` once it has
   * chosen the management credentials; from the sandbox or a test: the emulator, by configuration.
   */
  clients: ClientProvider;
  /** Aborted on SIGINT/SIGTERM; long waits listen to it so Ctrl-C stops cleanly. */
  signal: AbortSignal;
  /**
   * Until the returned function is called, SIGINT, SIGTERM and SIGHUP go to `to` instead of
   * cancelling the command (`exec` hands them to its child). Absent where no process runs us.
   */
  takeSignals?: (to: (signal: NodeJS.Signals) => void) => () => void;
}

export interface CommandModule {
  /** Returns the exit code (default 0). Throws typed errors from `src/errors.ts`. */
  run(input: CommandInput): Promise<number | void>;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** What follows the options in the usage line (e.g. `-- COMMAND [ARGS...]`); the rest is generated from the tables. */
  usageTail?: string;
  /** Longer help text: examples, defaults, what it changes. */
  details?: string;
  options: Record<string, OptionSpec>;
  positionals?: PositionalSpec[];
  /** Accept arguments after `--` (passed as `rest`). */
  acceptsRest?: boolean;
  /**
   * Sends no credential or token anywhere (the emulated AWS itself), so it may run with Node's
   * request debug output on. Every other command refuses to (docs/security.md).
   */
  sendsNoSecret?: boolean;
  load(): Promise<CommandModule>;
}
