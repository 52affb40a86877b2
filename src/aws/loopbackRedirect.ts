/**
 * The loopback redirect of the authorization code flow (RFC 8252 §7.3): a one-shot HTTP server on
 * 127.0.0.1 only (never all interfaces), on a port the OS picks, that receives the browser's
 * redirect `/oauth/callback?code=...&state=...` (or `?error=...`) and tells the person to go back
 * to the terminal. The AWS CLI registers `http://127.0.0.1/oauth/callback` and sends the port in
 * the authorize request; the service matches loopback URIs ignoring the port.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CancelledError, OperationError } from "../errors.js";

export const CALLBACK_PATH = "/oauth/callback";
/** What the client registers: the loopback redirect without a port. */
export const REGISTERED_REDIRECT_URI = `http://127.0.0.1${CALLBACK_PATH}`;

export interface RedirectResult {
  code?: string;
  state?: string;
  error?: string;
}

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/oauth/callback`, sent in the authorize request and to CreateToken. */
  redirectUri: string;
  /** Resolves with the first callback; rejects on Ctrl-C or after `timeoutMs`. */
  wait(signal: AbortSignal, timeoutMs?: number): Promise<RedirectResult>;
  close(): Promise<void>;
}

function donePage(ok: boolean): string {
  const text = ok ? "Login approved. You can close this window and return to your terminal." : "Login not completed. Return to your terminal for details.";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>org-bootstrap login</title></head><body style="font-family:system-ui,sans-serif;margin:3rem"><h1>org-bootstrap</h1><p id="result">${text}</p></body></html>`;
}

export async function startLoopbackRedirect(): Promise<LoopbackRedirect> {
  let deliver: (r: RedirectResult) => void = () => {};
  const received = new Promise<RedirectResult>((resolve) => {
    deliver = resolve;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
      return;
    }
    const q = url.searchParams;
    const result: RedirectResult = { code: q.get("code") ?? undefined, state: q.get("state") ?? undefined, error: q.get("error") ?? undefined };
    const ok = Boolean(result.code) && !result.error;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", connection: "close" });
    res.end(donePage(ok));
    if (result.code || result.error) deliver(result);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
    close,
    wait(signal, timeoutMs = 10 * 60_000) {
      return new Promise<RedirectResult>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new OperationError("No answer from the browser within 10 minutes.", "Run org-bootstrap login again (or add --device-code).")),
          timeoutMs,
        );
        const onAbort = () => {
          clearTimeout(timer);
          reject(new CancelledError("Login cancelled."));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        received.then((r) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
          resolve(r);
        });
      });
    },
  };
}
