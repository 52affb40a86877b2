/**
 * The small error taxonomy the entry point turns into exit codes (docs/errors.md):
 * 0 done, 1 failed, 2 bad usage/input, 130 cancelled by the user.
 * Every message names the next thing to do; nothing below `cli.ts` calls `process.exit`.
 */
import { lstatSync, statSync } from "node:fs";
import path from "node:path";

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** Bad usage or input: a flag, a name, a file we refuse to touch. Exit 2. */
export class UserError extends Error {
  readonly exitCode: number = EXIT.usage;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = "UserError";
  }
}

/** Something we tried failed (an AWS call, a wait that timed out). Exit 1. */
export class OperationError extends Error {
  readonly exitCode: number = EXIT.failed;
  constructor(message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OperationError";
  }
}

/** The user said no, pressed Ctrl-C, or cancelled a prompt. Exit 130. */
export class CancelledError extends Error {
  readonly exitCode: number = EXIT.cancelled;
  constructor(message = "Cancelled.", readonly hint?: string) {
    super(message);
    this.name = "CancelledError";
  }
}

export type KnownError = UserError | OperationError | CancelledError;

export function isKnownError(err: unknown): err is KnownError {
  return err instanceof UserError || err instanceof OperationError || err instanceof CancelledError;
}

/**
 * The machine's own failures, as Node reports them (`err.code`, with `path`, `address`, `port`):
 * a person fixes these, not us, so they never read "this looks like a bug". One table, used at the
 * entry (src/cli.ts) for anything a command did not translate, and by the AWS adapters for a
 * refused connection (docs/errors.md, "The machine"). Exit 2 where the fix is a path or a flag of
 * the person's; exit 1 where the machine ran out of something or a service was not there.
 */
export interface SystemErrorFacts {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  address?: string;
  port?: number;
}

/** What the failed system call was doing to `path`, in words. */
const doing: Record<string, string> = {
  open: "open",
  mkdir: "create the directory",
  mkdtemp: "create a directory in",
  rename: "replace",
  link: "write",
  unlink: "remove",
  rmdir: "remove",
  rm: "remove",
  scandir: "list",
  copyfile: "copy",
  chmod: "change the mode of",
  fchmod: "change the mode of",
  chown: "change the owner of",
  fchown: "change the owner of",
  write: "write",
  fsync: "write",
  access: "use",
  stat: "look at",
  lstat: "look at",
  realpath: "look at",
  utime: "change the time of",
};

type Where = { what: string; dir: string };
type Row = { exit: "usage" | "failed"; message: (f: SystemErrorFacts, w: Where) => string; fix: (f: SystemErrorFacts, w: Where, env: NodeJS.ProcessEnv) => string };

const somewhereElse = "or point to another place (HOME, AWS_CONFIG_FILE, --config-file, --project-dir)";

/** Rows keyed by `err.code`, or by `code syscall` where one system call gives the code a meaning of its own. */
const SYSTEM_ERRORS: Record<string, Row> = {
  // process.cwd() in a directory deleted (or moved away) after the shell entered it.
  "ENOENT uv_cwd": {
    exit: "usage",
    message: () => "The current directory no longer exists (it was deleted or moved after the shell entered it).",
    fix: () => "Change to a directory that exists (cd to the project again, or cd ~), then run again.",
  },
  EACCES: {
    exit: "usage",
    message: (f, w) => `Cannot ${doing[f.syscall ?? ""] ?? "use"} ${w.what}: permission denied.`,
    fix: (_f, w) => `Give your user access to ${w.dir} (ls -ld "${w.dir}" shows its owner and mode), ${somewhereElse}, then run again.`,
  },
  EPERM: {
    exit: "usage",
    message: (f, w) => `Cannot ${doing[f.syscall ?? ""] ?? "use"} ${w.what}: operation not permitted.`,
    fix: (_f, w) => `Check the owner and attributes of ${w.dir} (ls -ld "${w.dir}", lsattr), ${somewhereElse}, then run again.`,
  },
  EROFS: {
    exit: "usage",
    message: (f, w) => `Cannot ${doing[f.syscall ?? ""] ?? "write"} ${w.what}: the file system is read-only.`,
    fix: (_f, w) => `Remount the file system holding ${w.dir} read-write, ${somewhereElse}, then run again.`,
  },
  ENOSPC: {
    exit: "failed",
    message: (f, w) => `Cannot ${doing[f.syscall ?? ""] ?? "write"} ${w.what}: no space left on the device.`,
    fix: (_f, w) => `Free some space on the file system holding ${w.dir} (df -h "${w.dir}"), then run again; the file was left as it was.`,
  },
  EISDIR: {
    exit: "usage",
    message: (f, w) => `Cannot ${doing[f.syscall ?? ""] ?? "use"} ${w.what}: it is a directory, not a file.`,
    fix: (_f, w) => `Move the directory ${w.what} away, ${somewhereElse}, then run again.`,
  },
  ENOTDIR: {
    exit: "usage",
    message: (f, w) => `Cannot ${doing[f.syscall ?? ""] ?? "use"} ${w.what}: a part of its path is a file, not a directory.`,
    fix: (_f, w) => `Move away the file that stands where a directory of ${w.what} belongs, ${somewhereElse}, then run again.`,
  },
  EADDRINUSE: {
    exit: "usage",
    message: (f) => `Cannot listen on ${endpoint(f)}: the port is already in use.`,
    fix: (f) => `Stop the program using port ${f.port ?? "?"} (ss -ltnp shows it), or choose another port (sandbox --port N, or no --port for a free one).`,
  },
  ECONNREFUSED: {
    exit: "failed",
    message: (f, _w) => `Cannot reach ${endpoint(f)}: the connection was refused (nothing is listening there).`,
    fix: (f, _w, env) => {
      const variables = endpointVariables(f, env);
      if (variables.length === 0) return "Check the network connection, any proxy and AWS_ENDPOINT_URL, then run again; finished steps are kept.";
      const set = variables.map((v) => `${v}=${env[v]}`).join(", ");
      const it = variables.length > 1 ? "them" : "it";
      return `${set} ${variables.length > 1 ? "point" : "points"} there: start what should listen there, or correct or unset ${it}, then run again.`;
    },
  },
};

const endpoint = (f: SystemErrorFacts) => (f.address ? `${f.address.includes(":") ? `[${f.address}]` : f.address}:${f.port ?? "?"}` : "the endpoint");

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** The AWS_ENDPOINT_URL… variables whose URL is the refused host and port. */
function endpointVariables(f: SystemErrorFacts, env: NodeJS.ProcessEnv): string[] {
  const names = Object.keys(env).filter((k) => k === "AWS_ENDPOINT_URL" || k.startsWith("AWS_ENDPOINT_URL_")).sort();
  return names.filter((name) => {
    let url: URL;
    try {
      url = new URL(env[name] ?? "");
    } catch {
      return false;
    }
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const host = url.hostname;
    const sameHost = host === f.address || `[${f.address}]` === host || (LOOPBACK.has(host) && LOOPBACK.has(f.address ?? ""));
    return port === f.port && sameHost;
  });
}

/** Our temp files (`.<name>.<pid>.<hex>.tmp`, src/local/atomicWrite.ts) are named as the file they become. */
function shownPath(file: string): string {
  const m = /^(.*\/)?\.(.+)\.\d+\.[0-9a-f]{12}\.tmp$/.exec(file);
  return m ? `${m[1] ?? ""}${m[2]}` : file;
}

function parentOf(file: string): string {
  const at = file.replace(/\/+$/, "").lastIndexOf("/");
  return at > 0 ? file.slice(0, at) : "/";
}

function rowOf(f: SystemErrorFacts): Row | undefined {
  return SYSTEM_ERRORS[`${f.code} ${f.syscall ?? ""}`] ?? SYSTEM_ERRORS[f.code];
}

/** The errno error in `err`, its causes or (for a connection tried on several addresses) its errors. */
export function findSystemError(err: unknown, depth = 0): SystemErrorFacts | undefined {
  if (!err || typeof err !== "object" || depth > 4) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && rowOf(e as SystemErrorFacts)) return e as SystemErrorFacts;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const found = findSystemError(inner, depth + 1);
      if (found) return found;
    }
  }
  return findSystemError(e.cause, depth + 1);
}

/**
 * For ENOTDIR, the directory a file stands in the way of (`~/not-a-dir/.aws` when `~/not-a-dir` is
 * a file), whichever deeper path the failed call named: Node versions name different ones (20 the
 * directory, 24 the file being read). Unchanged when no such file is found.
 */
function blockedDirectory(p: string): string {
  if (!p || !path.isAbsolute(p)) return p;
  const parts = p.split(path.sep).filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const prefix = path.sep + parts.slice(0, i).join(path.sep);
    try {
      if (!lstatSync(prefix).isDirectory() && !statSync(prefix, { throwIfNoEntry: false })?.isDirectory()) return path.join(prefix, parts[i]!);
    } catch {
      return p;
    }
  }
  return p;
}

/**
 * `err` as a typed error when the machine caused it (a row of the table above), else undefined.
 * `context` says what we were doing; `env` lets a refused connection name the variable behind it.
 */
export function explainSystemError(err: unknown, env: NodeJS.ProcessEnv = {}, context = ""): UserError | OperationError | undefined {
  const facts = findSystemError(err);
  if (!facts) return undefined;
  const row = rowOf(facts)!;
  // A rename names its source; the file a person knows is where it was going.
  const given = facts.syscall === "rename" || facts.syscall === "link" ? (facts.dest ?? facts.path ?? "") : (facts.path ?? "");
  const raw = facts.code === "ENOTDIR" ? blockedDirectory(given) : given;
  const file = shownPath(raw);
  // Creating, replacing or removing an entry needs the directory's permission; opening a file, the file's.
  // A read-only or full file system is the directory's, whichever file was being written.
  const inDirectory =
    file !== raw || ["EROFS", "ENOSPC"].includes(facts.code) || ["mkdir", "rename", "link", "unlink", "rmdir", "mkdtemp"].includes(facts.syscall ?? "");
  const where: Where = { what: file || "a file", dir: !file ? "the directory" : inDirectory ? parentOf(file) : file };
  const said = row.message(facts, where);
  const message = context ? `${context}: ${said[0]!.toLowerCase()}${said.slice(1)}` : said;
  const fix = row.fix(facts, where, env);
  return row.exit === "usage" ? new UserError(message, fix) : new OperationError(message, fix, { cause: err });
}
