/**
 * The benchmark's handle on an emulated AWS running in a child process (emulatorHost.mjs): its
 * URL, the environment that points the SDKs and the AWS CLI at it, and the control API
 * (/_sandbox/control/*: reset, scenario, faults, the call log, the state).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sandboxEnvironment } from "../../dist/sandbox/environment.js";

const HOST = fileURLToPath(new URL("./emulatorHost.mjs", import.meta.url));

export async function startEmulator() {
  const child = spawn(process.execPath, [HOST], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => {
      throw new Error(`emulator exited (${code}) before listening`);
    }),
  ]);
  const { url } = JSON.parse(first);
  const control = async (method, path, body) => {
    const res = await globalThis.fetch(`${url}/_sandbox/control${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    env: sandboxEnvironment(url),
    control,
    /** A fresh world: `options` as for startSandbox (timings, identityCenterEnabled, maxPageSize). */
    reset: (options) => control("POST", "/reset", options),
    scenario: (s) => control("POST", "/scenario", s),
    faults: (f) => control("POST", "/faults", f),
    calls: () => control("GET", "/calls"),
    clearCalls: () => control("DELETE", "/calls"),
    state: () => control("GET", "/state"),
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}
