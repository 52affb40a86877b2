import { describe, expect, it } from "vitest";
import { OperationError, UserError } from "../../../src/errors.js";
import { openOrganizations } from "../../../src/aws/organizations.js";
import { openSsoAdmin } from "../../../src/aws/ssoAdmin.js";
import { openSts } from "../../../src/aws/sts.js";
import {
  awsErrorRow,
  awsErrors,
  explainAwsError,
  explainCreateAccountFailure,
  failedOperation,
  isPropagationConflict,
  placeholderDefaults,
  translateAwsError,
} from "../../../src/aws/errors.js";
import { startSandbox } from "../../../src/sandbox/server.js";

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

describe("the AWS table", () => {
  it("has one row per name, operation, reason and message pattern, each with words and a fix", () => {
    const keys = awsErrors.map((r) => [r.name, r.operation, r.reason, r.when?.source].join("|"));
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of awsErrors) {
      expect(row.message, row.name).toMatch(/^[A-Z{].*\.$/);
      expect(row.fix.length, row.name).toBeGreaterThan(5);
    }
  });

  it("fills every placeholder even where the caller knows nothing (the entry)", () => {
    for (const row of awsErrors) {
      for (const [, key] of `${row.message} ${row.fix}`.matchAll(/\{(\w+)\}/g)) expect(placeholderDefaults, `${row.name}: {${key}}`).toHaveProperty(key!);
    }
    const bare = translateAwsError(awsError("ForbiddenException", "No access"), { operation: "GetRoleCredentials" })!;
    expect(bare.message).toBe("Your SSO user may not use that role in that account (the profile in use).");
    const named = translateAwsError(awsError("ForbiddenException", "No access"), { operation: "GetRoleCredentials", vars: { role: "role AdministratorAccess", account: "account 222233334444", profile: "profile acme-dev" } })!;
    expect(named.message).toBe("Your SSO user may not use role AdministratorAccess in account 222233334444 (profile acme-dev).");
    expect(named).toBeInstanceOf(UserError);
  });

  it("keys on the operation where the same name means something else there", () => {
    const expired = awsError("ExpiredTokenException", "expired");
    expect(explainAwsError(expired).message).toBe("The AWS credentials in use have expired.");
    expect(explainAwsError(expired, { operation: "CreateToken" }).message).toBe("The login request expired before it was approved.");
    // The operation the SDK error carries (nameFailedOperations) counts as much as one given.
    expect(explainAwsError(Object.assign(awsError("ExpiredTokenException"), { $operation: "CreateToken" })).message).toMatch(/login request expired/);
    expect(awsErrorRow("AccessDeniedException", "CreateToken")?.message).toBe("The login was denied in the browser.");
    expect(awsErrorRow("AccessDeniedException", "ListInstances")?.message).toMatch(/not allowed to make this call/);
  });

  it("keys on the reason and on AWS's words where AWS tells causes apart only so", () => {
    expect(awsErrorRow("ConstraintViolationException", "CloseAccount", "CANNOT_CLOSE_MANAGEMENT_ACCOUNT")?.userError).toBe(true);
    expect(awsErrorRow("ConstraintViolationException", "CreateAccount", "SOMETHING_NEW")).toBeUndefined();
    const root = awsError("AccessDenied", "Roles may not be assumed by root accounts.");
    expect(explainAwsError(root, { operation: "AssumeRole", vars: { account: "account 111122223333" } }).message).toBe(
      "The root user cannot act inside member account 111122223333: AWS does not let the root user assume a role.",
    );
    expect(explainAwsError(awsError("AccessDenied", "not authorized"), { operation: "AssumeRole", vars: { account: "account 111122223333", roleName: "R" } }).message).toBe(
      "Cannot act inside account 111122223333: AWS did not let these credentials assume R there.",
    );
  });

  it("at the entry names AWS's error and the operation after the table's words", () => {
    const err = Object.assign(awsError("ThrottlingException", "Rate exceeded"), { $operation: "ListUsers" });
    expect(translateAwsError(err, { cite: true })?.message).toBe("AWS is throttling requests (AWS answered ThrottlingException to ListUsers).");
    const odd = Object.assign(awsError("WeirdException", "something odd"), { $operation: "ListUsers" });
    expect(translateAwsError(odd, { cite: true })?.message).toBe("AWS answered WeirdException to ListUsers: something odd");
    // Not AWS's answer: nothing to translate (the entry shows it as a bug).
    expect(translateAwsError(new TypeError("x is undefined"), { cite: true })).toBeUndefined();
    expect(translateAwsError(Object.assign(new Error("Region is missing"), { $operation: "ListUsers" }), { cite: true })).toBeUndefined();
  });

  it("learns the operation from the SDK client, for every service's protocol", async () => {
    const sandbox = await startSandbox({ identityCenterEnabled: true });
    try {
      const ctx = { region: "us-east-1", endpoint: sandbox.url, credentials: async () => ({ accessKeyId: "AKIASANDBOXEXAMPLE01", secretAccessKey: "not-real" }) };
      sandbox.state.faults.errorsByOperation = {
        GetCallerIdentity: { name: "AccessDenied", message: "no" },
        DescribeOrganization: { name: "AccessDeniedException", message: "no" },
        ListInstances: { name: "AccessDeniedException", message: "no" },
      };
      const failures = await Promise.all([
        (await openSts(ctx)).getCallerIdentity().catch((e: unknown) => e),
        (await openOrganizations(ctx)).describeOrganization().catch((e: unknown) => e),
        (await openSsoAdmin(ctx)).listInstances().catch((e: unknown) => e),
      ]);
      expect(failures.map(failedOperation)).toEqual(["GetCallerIdentity", "DescribeOrganization", "ListInstances"]);
      expect(failures.map((e) => (e as Error).name)).toEqual(["AccessDenied", "AccessDeniedException", "AccessDeniedException"]);
    } finally {
      await sandbox.close();
    }
  });
});
