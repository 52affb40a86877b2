import { redact } from "../secrets.js";

/** An error we did not anticipate: one clear paragraph, detail only with --verbose, never a secret. */
export function describeUnexpectedError(err: unknown, verbose: boolean): string {
  const e = err as { name?: string; message?: string; stack?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const name = e?.name ?? "Error";
  const message = e?.message ?? String(err);
  const lines = [`${name}: ${message}`];
  if (!verbose) {
    lines.push("  This looks like a bug or an unexpected AWS answer. Re-run with --verbose and report the output.");
  } else {
    if (e?.$metadata) lines.push(`  HTTP ${e.$metadata.httpStatusCode ?? "?"}, request id ${e.$metadata.requestId ?? "?"}`);
    if (e?.stack) lines.push(e.stack);
  }
  return redact(lines.join("\n"));
}
