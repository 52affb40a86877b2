/**
 * What a command run in-process gets in place of a terminal and of AWS: an Output whose text the
 * test reads (no colour), and AWS clients pointed at the emulator with its dummy keys.
 */
import { PassThrough } from "node:stream";
import { createClientProvider } from "../../src/aws/clientProvider.js";
import { Output } from "../../src/ui/output.js";

export function capturedOutput(): { out: Output; printed: () => string } {
  let text = "";
  const stream = new PassThrough();
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { out: new Output({ stdout: stream, stderr: stream, env: { NO_COLOR: "1" } }), printed: () => text };
}

export function sandboxClients(endpoint: string) {
  return createClientProvider({
    region: "us-east-1",
    endpoint,
    credentials: async () => ({ accessKeyId: "AKIASANDBOXEXAMPLE01", secretAccessKey: "sandbox-secret-not-real" }),
  });
}
