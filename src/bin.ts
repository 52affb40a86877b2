#!/usr/bin/env node
/**
 * The installed `org-bootstrap` command. `env --profile P [--format F] [--config-file PATH]` with
 * role credentials still cached (docs/login.md, "Cached credentials") is answered here, from four
 * small files, without loading the command table, the UI or the AWS SDK: the AWS CLI runs a
 * `credential_process` for every command, so this is the path that runs most. Anything else —
 * another command or flag, no cached credentials, a file that is not what we expect, NODE_DEBUG
 * set — goes to the full CLI (src/cli.ts), which decides and explains as always.
 */
import { argv, env, cwd, stdout } from "node:process";

/** The argument list, when it is exactly a warm-path `env` call; else undefined. */
export function warmEnvArgs(args: string[]): { profile: string; format?: string; configFile?: string } | undefined {
  if (args[0] !== "env") return undefined;
  const out: { profile?: string; format?: string; configFile?: string } = {};
  const names: Record<string, "profile" | "format" | "configFile"> = { "--profile": "profile", "--format": "format", "--config-file": "configFile" };
  for (let i = 1; i < args.length; i += 2) {
    const key = names[args[i]];
    const value = args[i + 1];
    if (!key || value === undefined || value.startsWith("-") || out[key] !== undefined) return undefined;
    out[key] = value;
  }
  return out.profile ? { ...out, profile: out.profile } : undefined;
}

async function warm(): Promise<boolean> {
  const wanted = warmEnvArgs(argv.slice(2));
  if (!wanted || env.NODE_DEBUG) return false;
  try {
    const [{ cachedCredentials, formatCredentials, parseFormat }, { homeDir, resolveConfigFile }] = await Promise.all([import("./commands/env.js"), import("./local/paths.js")]);
    const format = parseFormat(wanted.format);
    const home = homeDir(env);
    const creds = await cachedCredentials(home, resolveConfigFile({ flag: wanted.configFile, env, home, cwd: cwd() }), wanted.profile);
    if (!creds) return false;
    stdout.write(formatCredentials(creds, format));
    return true;
  } catch {
    // Whatever went wrong, the full CLI says it properly (and fetches what it can).
    return false;
  }
}

if (!(await warm())) await import("./cli.js");
