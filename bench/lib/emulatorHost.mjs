/**
 * Runs one emulated AWS in its own process, so that its timers (latency, asynchronous work) are
 * not delayed by whatever else the benchmark does at the same time. Prints `{"url": ...}` on one
 * line once listening; stops when its stdin closes. Configured through the control API.
 */
import { startSandbox } from "../../dist/sandbox/server.js";

const sandbox = await startSandbox({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  void sandbox.close().then(() => process.exit(0));
});
