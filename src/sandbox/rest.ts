import type { CallContext } from "./types.js";

/** One restJson1 operation (SSO OIDC, SSO portal): method + path → handler. */
export interface RestRoute {
  service: string;
  operation: string;
  method: "GET" | "POST";
  path: string;
  mutating: boolean;
  /** `body` is the parsed JSON body (POST) — query and headers are on the context. */
  handle(body: any, ctx: CallContext): unknown | Promise<unknown>;
}
