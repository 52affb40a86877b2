/**
 * The small error taxonomy the entry point turns into exit codes (docs/errors.md):
 * 0 done, 1 failed, 2 bad usage/input, 130 cancelled by the user.
 * Every message names the next thing to do; nothing below `cli.ts` calls `process.exit`.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

/** Bad usage or input: a flag, a name, a file we refuse to touch. Exit 2. */
export class UserError extends Error {
  readonly exitCode: number = EXIT.usage;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = "UserError";
  }
}

/** Something we tried failed (an AWS call, a wait that timed out). Exit 1. */
export class OperationError extends Error {
  readonly exitCode: number = EXIT.failed;
  constructor(message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OperationError";
  }
}

/** The user said no, pressed Ctrl-C, or cancelled a prompt. Exit 130. */
export class CancelledError extends Error {
  readonly exitCode: number = EXIT.cancelled;
  constructor(message = "Cancelled.", readonly hint?: string) {
    super(message);
    this.name = "CancelledError";
  }
}

export type KnownError = UserError | OperationError | CancelledError;

export function isKnownError(err: unknown): err is KnownError {
  return err instanceof UserError || err instanceof OperationError || err instanceof CancelledError;
}
