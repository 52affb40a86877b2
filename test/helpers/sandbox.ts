/** Shared test helpers: a sandbox per test file, SDK client config pointing at it, the control API. */
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/sandbox/server.js";
import type { Scenario } from "../../src/sandbox/scenario.js";
import type { StateSnapshot } from "../../src/sandbox/snapshot.js";
import type { CallRecord } from "../../src/sandbox/state.js";
import { sandboxEnvironment } from "../../src/sandbox/environment.js";

export async function openSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox(options);
}

/** Config for an AWS SDK v3 client talking to the sandbox, with dummy credentials. */
export function clientConfig(sandbox: { url: string }, region = "us-east-1") {
  return {
    endpoint: sandbox.url,
    region,
    credentials: { accessKeyId: "AKIASANDBOXEXAMPLE01", secretAccessKey: "sandbox-secret-not-real" },
  };
}

/** Environment for a child process (the built CLI, the AWS CLI) pointed at the sandbox. */
export function childEnv(sandbox: { url: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const key of ["PATH", "SYSTEMROOT", "TMPDIR", "LANG"]) if (process.env[key]) base[key] = process.env[key];
  return { ...base, ...sandboxEnvironment(sandbox.url), NO_COLOR: "1", ...extra };
}

export async function control<T = unknown>(sandbox: { url: string }, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandbox.url}/_sandbox/control${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const scenario = (sandbox: { url: string }, s: Scenario) => control(sandbox, "POST", "/scenario", s);
export const worldState = (sandbox: { url: string }) => control<StateSnapshot>(sandbox, "GET", "/state");
export const callLog = (sandbox: { url: string }) => control<CallRecord[]>(sandbox, "GET", "/calls");
