#!/usr/bin/env node
/**
 * Entry point: argument parsing, the command table, exit codes. The only `process.exit` in the
 * project lives here, with the one catch that turns typed errors into messages (docs/architecture.md, Habits).
 */
import { setMaxListeners } from "node:events";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { commands, resolveCommand, subcommandsOf } from "./commands/index.js";
import type { CommandSpec } from "./commands/types.js";
import { EXIT, explainSystemError, isKnownError, UserError } from "./errors.js";
import { globalOptions, renderCommandHelp, renderGlobalHelp, renderGroupHelp, usageLine } from "./ui/help.js";
import { Output } from "./ui/output.js";
import { describeUnexpectedError } from "./ui/errors.js";
import { silenceSdkNodeVersionWarning } from "./nodeSupport.js";
import { packageVersion } from "./version.js";
import { requestDebugEnabled } from "./secrets.js";
import { ABORT_LISTENERS, stoppedError } from "./aws/waiting.js";
import { translateAwsError } from "./aws/errors.js";
import { createClientProvider } from "./aws/clientProvider.js";

silenceSdkNodeVersionWarning();

// `org-bootstrap status | head`: the reader went away; stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}

function parseCommandArgs(spec: CommandSpec, argv: string[]) {
  const dashdash = argv.indexOf("--");
  const own = spec.acceptsRest && dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const rest = spec.acceptsRest && dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  const options: ParseArgsConfig["options"] = {};
  for (const [name, o] of Object.entries({ ...spec.options, ...globalOptions })) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  try {
    const parsed = parseArgs({ args: own, options, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals, rest };
  } catch (err) {
    // parseArgs messages are already precise ("Unknown option '--x'"); add where to look.
    throw new UserError((err as Error).message, `Run: org-bootstrap ${spec.name} --help`);
  }
}

async function main(argv: string[]): Promise<number> {
  const wantsJson = argv.includes("--json");
  const out = new Output({ json: wantsJson, verbose: argv.includes("--verbose") });
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    const target = first === "help" && rest[0] ? resolveCommand(rest)?.spec : undefined;
    const group = first === "help" && rest[0] && !target ? subcommandsOf(rest[0]) : [];
    const text = target ? renderCommandHelp(target, out.width) : group.length ? renderGroupHelp(rest[0], group, out.width) : renderGlobalHelp(commands, packageVersion(), out.width);
    out.stdout.write(`${text}\n`);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === "-V" || first === "--version") {
    out.stdout.write(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const resolved = resolveCommand(argv);
  if (!resolved) {
    const group = subcommandsOf(first);
    if (group.length > 0 && rest.length > 0 && rest.every((a) => a === "--help" || a === "-h")) {
      out.stdout.write(`${renderGroupHelp(first, group, out.width)}\n`);
      return EXIT.ok;
    }
    if (group.length > 0) {
      const subcommands = group.map((c) => c.name.slice(first.length + 1)).join(", ");
      const hint = `Run: org-bootstrap ${first} --help`;
      if (rest[0] && !rest[0].startsWith("-")) throw new UserError(`Unknown command "${first} ${rest[0]}": ${first}'s subcommands are ${subcommands}.`, hint);
      throw new UserError(`"${first}" needs a subcommand: ${subcommands}.`, hint);
    }
    const known = commands.map((c) => c.name).join(", ");
    throw new UserError(`Unknown command "${first}".`, `Commands: ${known}. Run: org-bootstrap --help`);
  }
  const spec = resolved.spec;
  const { values, positionals, rest: after } = parseCommandArgs(spec, argv.slice(resolved.words));
  if (values.help) {
    out.stdout.write(`${renderCommandHelp(spec, out.width)}\n`);
    return EXIT.ok;
  }
  if (spec.name !== "sandbox" && !values.sandbox) {
    // A named pipe or device where the AWS files or the project's files belong: one line, before
    // the command (or the SDK) reads it and blocks, and before any AWS call.
    const { checkLocalFilesFirst } = await import("./local/preflight.js");
    await checkLocalFilesFirst({ options: values, env: process.env, cwd: process.cwd(), projectFiles: "project-dir" in spec.options });
  }
  const allowed = spec.positionals ?? [];
  if (positionals.length > allowed.length) {
    throw new UserError(`Unexpected argument "${positionals[allowed.length]}".`, `Usage: ${usageLine(spec)}`);
  }
  const missing = allowed.slice(positionals.length).find((p) => p.required);
  if (missing) throw new UserError(`Missing <${missing.name}>: ${missing.description}.`, `Usage: ${usageLine(spec)}`);
  if (!spec.sendsNoSecret) refuseRequestDebugOutput(process.env.NODE_DEBUG);

  // A command that runs another program (exec) takes the signals while it runs: the program
  // decides how to stop, and its status becomes ours. Otherwise a signal cancels (exit 130).
  let takenBy: ((signal: NodeJS.Signals) => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (takenBy) return takenBy(signal);
    if (controller.signal.aborted) process.exit(EXIT.cancelled);
    controller.abort(new Error(signal));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const takeSignals = (to: (signal: NodeJS.Signals) => void) => {
    takenBy = to;
    // SIGHUP (the terminal closed, or `kill -HUP`) is only caught while a program runs for us:
    // for our own work Node's default, stopping at once, leaves nothing half-written (atomic writes).
    process.on("SIGHUP", onSignal);
    return () => {
      takenBy = undefined;
      process.off("SIGHUP", onSignal);
    };
  };

  const module = await spec.load();
  const { terminalPrompter } = await import("./ui/prompts.js");
  const code = await Promise.race([
    module.run({
      options: values,
      positionals,
      rest: after,
      env: process.env,
      cwd: process.cwd(),
      out,
      prompter: terminalPrompter({ out, signal: controller.signal }),
      // No endpoint and no credentials of ours: the SDK reads AWS_ENDPOINT_URL… and its credential chain.
      clients: createClientProvider({ region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || "us-east-1" }),
      signal: controller.signal,
      takeSignals,
    }),
    stopAfterGrace(controller.signal),
  ]);
  return code ?? EXIT.ok;
}

/**
 * NODE_DEBUG=http and its kin make Node print every request's headers — tokens and the access key
 * id among them — on stderr, below our code. Masking that output would mean recognising every
 * secret in Node's own log format (and the headers the SDK adds by itself); not sending any request
 * under it is the only sure way, so refuse before the first one (docs/security.md).
 */
function refuseRequestDebugOutput(value: string | undefined): void {
  const sections = requestDebugEnabled();
  if (sections.length === 0) return;
  throw new UserError(
    `NODE_DEBUG=${value ?? ""} turns on Node's ${sections.join(", ")} debug output, which prints every request's headers, SSO tokens and AWS credentials included.`,
    "Run it without: unset NODE_DEBUG (or prefix the command with env -u NODE_DEBUG). Nothing was sent.",
  );
}

/** Ctrl-C (or SIGTERM) aborts this; commands stop at their next await that honours it. */
const controller = new AbortController();
// Every concurrent wait listens to this one signal (up to 10 assignments in flight, plus polls),
// more than Node's default of 10 listeners, which would print a leak warning that is not one.
setMaxListeners(ABORT_LISTENERS, controller.signal);

/**
 * How long a command gets to stop by itself after Ctrl-C. An AWS call in flight may take long to
 * answer (or never, on a dead connection) and the SDK call is not aborted, so after this we stop
 * regardless: every step is idempotent and every file write atomic, so a re-run resumes.
 */
const STOP_GRACE_MS = 750;

function stopAfterGrace(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener("abort", () => setTimeout(() => reject(stoppedError()), STOP_GRACE_MS).unref(), { once: true });
  });
}

/** After Ctrl-C an unanswered request may keep the event loop alive: leave once the message is out. */
function exitIfStopping(): void {
  if (controller.signal.aborted) process.exit();
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
    exitIfStopping();
  },
  (err: unknown) => {
    const out = new Output({ json: argv.includes("--json"), verbose: argv.includes("--verbose") });
    // What no command translated: the machine's failures (permissions, a full disk, a busy port,
    // nothing listening, a deleted current directory) by the system-error table, then AWS's
    // answers by the AWS table (src/aws/errors.ts), each one line and its fix (docs/errors.md).
    // Only an error neither table knows is shown as a bug.
    if (!isKnownError(err)) err = explainSystemError(err, process.env) ?? translateAwsError(err, { cite: true }) ?? err;
    if (isKnownError(err)) {
      out.error(err.message);
      if (err.hint) out.hint(err.hint);
      if (out.verbose && err.cause) out.debug(describeUnexpectedError(err.cause, true));
      process.exitCode = err.exitCode;
    } else {
      out.error(describeUnexpectedError(err, out.verbose));
      process.exitCode = EXIT.failed;
    }
    exitIfStopping();
  },
);
