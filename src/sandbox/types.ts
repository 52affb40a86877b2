import type { SandboxState } from "./state.js";

/** An AWS error as the service would return it: error name, HTTP status, extra members. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface CallContext {
  state: SandboxState;
  /** Region from the SigV4 credential scope (or the sandbox default for unsigned calls). */
  region: string;
  /** Base URL of this sandbox, for links it hands out (verification pages and the like). */
  baseUrl: string;
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  now(): number;
}

export interface OperationDef {
  /** Mutating calls are counted and can be held by the crash tests (issue 6). */
  mutating: boolean;
  handle(input: any, ctx: CallContext): unknown | Promise<unknown>;
}

export type ServiceOperations = Record<string, OperationDef>;
