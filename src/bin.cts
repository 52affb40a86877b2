#!/usr/bin/env node
/**
 * The installed `org-bootstrap` command. `env --profile P [--format F] [--config-file PATH]` with
 * role credentials still cached (docs/login.md, "Cached credentials") is answered here, from four
 * small files: the AWS CLI runs a `credential_process` for every command, so this is the path that
 * runs most. It is CommonJS and loads only CommonJS modules with no dependency (the cache reading
 * of src/local/cachedCredentials.cts and the output of src/commands/envOutput.cts, which the full
 * CLI uses too): on Node 20, the ES-module loader alone costs about a third of `node -e 0`
 * (bench/RESULTS.md, figure 7). Anything else — another command or flag, no usable cached
 * credentials, a file that is not exactly as we left it, any error, NODE_DEBUG set — goes to the
 * full CLI (src/cli.ts, an ES module), which decides and explains as always.
 */
import { argv, env, cwd, stdout } from "node:process";

/** The argument list, when it is exactly a warm-path `env` call; else undefined. */
function warmEnvArgs(args: string[]): { profile: string; format: string; configFile?: string } | undefined {
  if (args[0] !== "env") return undefined;
  const out: { profile?: string; format?: string; configFile?: string } = {};
  const names: Record<string, "profile" | "format" | "configFile"> = { "--profile": "profile", "--format": "format", "--config-file": "configFile" };
  for (let i = 1; i < args.length; i += 2) {
    const key = names[args[i]];
    const value = args[i + 1];
    if (!key || value === undefined || value.startsWith("-") || out[key] !== undefined) return undefined;
    out[key] = value;
  }
  return out.profile ? { ...out, profile: out.profile, format: out.format ?? "sh" } : undefined;
}

/** True once the credentials are printed; false (or a rejection) leaves the call to the full CLI. */
async function answerWarm(wanted: { profile: string; format: string; configFile?: string }): Promise<boolean> {
  // Loaded only for such a call: `--help` and the rest pay for none of it (node:crypto included).
  /* eslint-disable @typescript-eslint/no-require-imports -- a lazy require; import() would start the ES-module loader */
  const { formatCredentials, isFormat } = require("./commands/envOutput.cjs") as typeof import("./commands/envOutput.cjs");
  const { cachedCredentials, readersAsIs } = require("./local/cachedCredentials.cjs") as typeof import("./local/cachedCredentials.cjs");
  const { homeDir, resolveConfigFile } = require("./local/paths.cjs") as typeof import("./local/paths.cjs");
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (!isFormat(wanted.format)) return false;
  const home = homeDir(env);
  const creds = await cachedCredentials(home, resolveConfigFile({ flag: wanted.configFile, env, home, cwd: cwd() }), wanted.profile, readersAsIs(home));
  if (!creds) return false;
  stdout.write(formatCredentials(creds, wanted.format));
  return true;
}

const fullCli = () => import("./cli.js");
const wanted = env.NODE_DEBUG ? undefined : warmEnvArgs(argv.slice(2));
if (!wanted) void fullCli();
// Whatever went wrong on the warm path, the full CLI says it properly (and fetches what it can).
else answerWarm(wanted).then((done) => done || fullCli(), fullCli);
