/**
 * The emulated AWS: one HTTP server on 127.0.0.1 that the unchanged production code reaches
 * through `AWS_ENDPOINT_URL` (docs/sandbox.md). It routes each request by wire protocol, applies the
 * injected faults and latency, records every call, then runs the operation on the shared state.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { handleControl, CONTROL_PREFIX } from "./control.js";
import { pageRoutes } from "./pages/index.js";
import {
  accessKeyFromAuthorization,
  regionFromAuthorization,
  sendJson,
  sendJsonError,
  sendQueryError,
  sendQueryResult,
  serviceFromAuthorization,
} from "./protocols.js";
import { jsonServices, queryServices, restRoutes } from "./services/index.js";
import { createState, type CallRecord, type SandboxState, type StateOptions } from "./state.js";
import { AwsError, type CallContext, type OperationDef } from "./types.js";
import { checkFaults, settleAsyncWork } from "./faults.js";

export interface SandboxOptions extends StateOptions {
  port?: number;
  host?: string;
}

export interface Sandbox {
  url: string;
  port: number;
  state: SandboxState;
  /** Replace the whole world (control API `reset`). */
  reset(options?: StateOptions): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const holder = { state: createState(options) };
  const sockets = new Set<Socket>();
  let baseUrl = "";
  const server: Server = createServer((req, res) => {
    handle(req, res, holder, baseUrl).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { __type: "InternalFailure", message: String((err as Error)?.message ?? err) });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    port,
    get state() {
      return holder.state;
    },
    reset(next?: StateOptions) {
      holder.state = createState(next ?? options);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  } as Sandbox;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function handle(req: IncomingMessage, res: ServerResponse, holder: { state: SandboxState }, baseUrl: string): Promise<void> {
  const url = new URL(req.url ?? "/", baseUrl);
  const body = await readBody(req);
  const state = holder.state;
  const ctx: CallContext = {
    state,
    region: regionFromAuthorization(header(req, "authorization")) ?? state.defaultRegion,
    baseUrl,
    headers: req.headers,
    query: url.searchParams,
    now: () => Date.now(),
  };

  if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(req, res, holder, url, body, baseUrl);

  const pageRoute = pageRoutes.find((p) => p.method === req.method && p.path === url.pathname);
  if (pageRoute) {
    settleAsyncWork(state);
    return pageRoute.handle(req, res, ctx, new URLSearchParams(body));
  }

  const target = header(req, "x-amz-target");
  if (target) {
    const [prefix, operation] = target.split(".");
    const service = jsonServices[prefix];
    const op = service?.operations[operation];
    if (!service || !op) {
      return sendJsonError(res, new AwsError("UnknownOperationException", `Unknown operation ${target}`, 400));
    }
    let input: unknown;
    try {
      input = body ? JSON.parse(body) : {};
    } catch {
      return sendJsonError(res, new AwsError("SerializationException", "Request body is not valid JSON", 400));
    }
    return run(state, res, service.service, operation, op, input, ctx, {
      ok: (out) => sendJson(res, 200, out),
      fail: (err) => sendJsonError(res, err),
    });
  }

  const contentType = header(req, "content-type") ?? "";
  if (req.method === "POST" && url.pathname === "/" && contentType.includes("x-www-form-urlencoded")) {
    const form = new URLSearchParams(body);
    const action = form.get("Action") ?? "";
    const serviceName = serviceFromAuthorization(header(req, "authorization")) ?? "sts";
    const service = queryServices[serviceName] ?? queryServices.sts;
    const op = service.operations[action];
    if (!op) return sendQueryError(res, new AwsError("InvalidAction", `Could not find operation ${action}`, 400));
    return run(state, res, serviceName, action, op, Object.fromEntries(form), ctx, {
      ok: (out) => sendQueryResult(res, action, (out ?? {}) as Record<string, unknown>, service.xmlns),
      fail: (err) => sendQueryError(res, err, service.xmlns),
    });
  }

  const route = restRoutes.find((r) => r.method === req.method && r.path === url.pathname);
  if (route) {
    let input: unknown = {};
    if (body) {
      try {
        input = JSON.parse(body);
      } catch {
        return sendJsonError(res, new AwsError("InvalidRequestException", "Request body is not valid JSON", 400), "application/json");
      }
    }
    return run(state, res, route.service, route.operation, route, input, ctx, {
      ok: (out) => sendJson(res, 200, out ?? {}, "application/json"),
      fail: (err) => sendJsonError(res, err, "application/json"),
    });
  }

  sendJson(res, 404, { __type: "NotFound", message: `No route for ${req.method} ${url.pathname}` }, "application/json");
}

/** Is this applied mutating call the one the drop fault picked (by position, or by operation and occurrence)? */
function dropsThisCall(drop: NonNullable<SandboxState["drop"]>, mutatingCount: number, operation: string): boolean {
  if (drop.operation === undefined) return mutatingCount === drop.mutatingCall;
  if (operation !== drop.operation) return false;
  drop.seen += 1;
  return drop.seen === drop.occurrence;
}

/**
 * Holds a call of a gated operation until the gate's count of calls has arrived (race tests), or
 * until its timeout: a run that died before reaching the gate makes the test fail on what it
 * checks, not hang.
 */
async function passBarrier(state: SandboxState, operation: string): Promise<void> {
  const barrier = state.barriers?.get(operation);
  if (!barrier || barrier.open) return;
  const open = () => {
    if (barrier.open) return;
    barrier.open = true;
    clearTimeout(barrier.timer);
    // Released one per macrotask, in arrival order, so each call is applied before the next starts.
    barrier.waiting.forEach((release, i) => setTimeout(release, i));
  };
  await new Promise<void>((resolve) => {
    barrier.waiting.push(resolve);
    if (barrier.waiting.length === 1) barrier.timer = setTimeout(open, barrier.timeoutMs);
    if (barrier.waiting.length >= barrier.calls) open();
  });
}

const SECRET_KEYS = /secret|token|password|code_?verifier|deviceCode|device_code|code$/i;

function scrub(input: unknown): unknown {
  if (!input || typeof input !== "object") return input;
  if (Array.isArray(input)) return input.map(scrub);
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "****" : scrub(v)]));
}

/** Who signed the request (SigV4 `Credential=<key id>/…`), for the call log. */
function signer(state: SandboxState, ctx: CallContext): Pick<CallRecord, "signedAs"> {
  const auth = ctx.headers.authorization;
  const keyId = accessKeyFromAuthorization(Array.isArray(auth) ? auth[0] : auth);
  if (!keyId) return {};
  const session = state.roleSessions.get(keyId);
  return { signedAs: session ? { accountId: session.accountId, roleName: session.roleName } : { accountId: state.caller.accountId } };
}

async function run(
  state: SandboxState,
  res: ServerResponse,
  service: string,
  operation: string,
  op: OperationDef,
  input: unknown,
  ctx: CallContext,
  reply: { ok(out: unknown): void; fail(err: AwsError): void },
): Promise<void> {
  const record: CallRecord = {
    seq: state.calls.length + 1,
    service,
    operation,
    mutating: op.mutating,
    region: ctx.region,
    startedAt: Date.now(),
    input: scrub(input),
    ...signer(state, ctx),
  };
  state.calls.push(record);
  const finish = (status: number, errorCode?: string) => {
    record.endedAt = Date.now();
    record.status = status;
    record.errorCode = errorCode;
  };
  try {
    const latency = state.timings.latencyByOperation[operation] ?? state.timings.callLatencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    await passBarrier(state, operation);
    checkFaults(state, service, operation);
    settleAsyncWork(state);
    const out = await op.handle(input, ctx);
    if (op.mutating) {
      state.mutatingCount += 1;
      if (state.hold && !state.hold.held && state.mutatingCount === state.hold.mutatingCall) {
        // Applied, but the answer never arrives: the worst case for a client killed mid-call.
        state.hold.held = true;
        finish(0, "HELD");
        return;
      }
      if (state.drop && !state.drop.dropped && dropsThisCall(state.drop, state.mutatingCount, operation)) {
        // Applied, then the connection breaks before any answer: the client sees ECONNRESET and
        // the SDK's standard retry sends the same call again, which AWS answers as a duplicate.
        state.drop.dropped = true;
        finish(0, "RESET");
        res.socket?.resetAndDestroy();
        return;
      }
    }
    finish(200);
    reply.ok(out);
  } catch (err) {
    const awsErr = err instanceof AwsError ? err : new AwsError("InternalFailure", String((err as Error)?.message ?? err), 500);
    finish(awsErr.status, awsErr.code);
    reply.fail(awsErr);
  }
  void res;
}
