/**
 * The test-control API: a separate path prefix that production code never reaches. Tests and
 * benchmarks use it to set scenarios, inject faults, read the call log and the final state.
 *
 *   GET  /_sandbox/control/state          the world, as JSON
 *   POST /_sandbox/control/scenario       caller kind, Identity Center, organization, seed data
 *   POST /_sandbox/control/faults         throttle/5xx rates, latency, rate limits
 *   POST /_sandbox/control/timings        async durations and per-call latency
 *   GET  /_sandbox/control/calls          the call log; DELETE clears it
 *   POST /_sandbox/control/hold           {"mutatingCall": N}: apply call N, never answer it
 *   GET  /_sandbox/control/hold           {"held": true|false, "mutatingCount": n}
 *   POST /_sandbox/control/drop           {"mutatingCall": N} or {"operation": "CreateAccount", "occurrence": 1}:
 *                                         apply that call, then reset the connection without answering
 *   GET  /_sandbox/control/drop           {"dropped": true|false, "mutatingCount": n}
 *   POST /_sandbox/control/barrier        {"operation": "CreateOrganization", "calls": 2, "timeoutMs": 20000}:
 *                                         hold those calls until that many arrived (race tests)
 *   POST /_sandbox/control/reset          a fresh world (same options as at start)
 *   POST /_sandbox/control/enable-identity-center {"region": "us-east-1"}
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyScenario, type Scenario } from "./scenario.js";
import { sendJson } from "./protocols.js";
import { createState, enableIdentityCenter, type SandboxState } from "./state.js";
import { settleAsyncWork } from "./faults.js";
import { snapshot } from "./snapshot.js";

export const CONTROL_PREFIX = "/_sandbox/control";

export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  holder: { state: SandboxState },
  url: URL,
  body: string,
  _baseUrl: string,
): Promise<void> {
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  let input: any;
  try {
    input = body ? JSON.parse(body) : {};
  } catch {
    return sendJson(res, 400, { error: "body is not JSON" }, "application/json");
  }
  const state = holder.state;
  const ok = (value: unknown = { ok: true }) => sendJson(res, 200, value, "application/json");
  switch (`${req.method} ${path}`) {
    case "GET /state":
      settleAsyncWork(state);
      return ok(snapshot(state));
    case "POST /scenario":
      applyScenario(state, input as Scenario);
      return ok();
    case "POST /faults":
      Object.assign(state.faults, input);
      if (input.latencyByOperation) state.timings.latencyByOperation = input.latencyByOperation;
      return ok(state.faults);
    case "POST /timings":
      Object.assign(state.timings, input);
      return ok(state.timings);
    case "GET /calls":
      return ok(state.calls);
    case "DELETE /calls":
      state.calls = [];
      return ok();
    case "POST /hold":
      state.hold = { mutatingCall: Number(input.mutatingCall), held: false };
      state.mutatingCount = 0;
      return ok();
    case "GET /hold":
      return ok({ held: state.hold?.held ?? false, mutatingCount: state.mutatingCount });
    case "DELETE /hold":
      state.hold = undefined;
      return ok();
    case "POST /drop":
      state.drop =
        typeof input.operation === "string"
          ? { operation: input.operation, occurrence: Number(input.occurrence ?? 1), seen: 0, dropped: false }
          : { mutatingCall: Number(input.mutatingCall), occurrence: 1, seen: 0, dropped: false };
      state.mutatingCount = 0;
      return ok();
    case "GET /drop":
      return ok({ dropped: state.drop?.dropped ?? false, mutatingCount: state.mutatingCount });
    case "DELETE /drop":
      state.drop = undefined;
      return ok();
    case "POST /barrier": {
      const calls = Number(input.calls);
      if (typeof input.operation !== "string" || !Number.isInteger(calls) || calls < 1) {
        return sendJson(res, 400, { error: 'barrier needs {"operation": name, "calls": n >= 1}' }, "application/json");
      }
      (state.barriers ??= new Map()).set(input.operation, { calls, timeoutMs: Number(input.timeoutMs ?? 20_000), waiting: [], open: false });
      return ok();
    }
    case "POST /reset":
      holder.state = createState(input);
      return ok();
    case "POST /enable-identity-center":
      return ok(enableIdentityCenter(state, input.region ?? state.defaultRegion));
    default:
      return sendJson(res, 404, { error: `unknown control route ${req.method} ${path}` }, "application/json");
  }
}
