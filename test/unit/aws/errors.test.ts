import { describe, expect, it } from "vitest";
import { OperationError, UserError } from "../../../src/errors.js";
import { explainAwsError, explainCreateAccountFailure, isPropagationConflict } from "../../../src/aws/errors.js";

const awsError = (name: string, message = "", extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });

describe("AWS errors in words", () => {
  it("turns EMAIL_ALREADY_EXISTS into a user error with the fix", () => {
    const err = explainCreateAccountFailure("EMAIL_ALREADY_EXISTS", "Creating account acme-dev failed");
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^Creating account acme-dev failed: That email address already belongs to another AWS account/);
    expect(err.hint).toMatch(/--account-email/);
  });

  it("says AWS could not be reached when no answer came, rather than that AWS answered", () => {
    const socket = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED", syscall: "connect", address: "127.0.0.1", port: 1, $metadata: {} });
    const err = explainAwsError(socket, "Reading your organization");
    expect(err).toBeInstanceOf(OperationError);
    expect(err.message).toBe("Reading your organization: cannot reach 127.0.0.1:1: the connection was refused (nothing is listening there).");
    const reset = explainAwsError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET", $metadata: {} }), "Reading your organization");
    expect(reset.message).toBe("Reading your organization: could not reach AWS (socket hang up).");
    expect((err as OperationError).hint).toMatch(/network connection/);
  });

  it("keeps an unknown failure reason visible", () => {
    expect(explainCreateAccountFailure("SOMETHING_NEW", "x").message).toMatch(/SOMETHING_NEW/);
  });

  it("explains ConstraintViolationException by its reason", () => {
    const err = explainAwsError(awsError("ConstraintViolationException", "limit", { Reason: "ACCOUNT_NUMBER_LIMIT_EXCEEDED" }), "Creating accounts");
    expect(err).toBeInstanceOf(OperationError);
    expect(err.message).toMatch(/quota of member accounts/);
    expect((err as OperationError).hint).toMatch(/Service Quotas/);
  });

  it("falls back to AWS's own words for an error it does not know", () => {
    const err = explainAwsError(awsError("WeirdException", "something odd"), "Doing x");
    expect(err.message).toBe("Doing x: AWS answered WeirdException: something odd");
  });

  it("passes non-AWS errors through untouched", () => {
    const bug = new TypeError("bug");
    expect(explainAwsError(bug)).toBe(bug);
  });

  it("recognises sso-admin's propagation conflict, but not a duplicate name", () => {
    expect(isPropagationConflict(awsError("ConflictException", "The resource did not have time to propagate"))).toBe(true);
    expect(isPropagationConflict(awsError("ConflictException", "PermissionSet with name AdministratorAccess already exists"))).toBe(false);
  });
});
