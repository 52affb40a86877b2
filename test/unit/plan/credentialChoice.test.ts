/** The management-account credential choice: --profile, then the environment's when they are the management account's, else <org>-management. */
import { describe, expect, it } from "vitest";
import { ambientSource, chooseManagementCredentials, profileHasCredentials } from "../../../src/plan/credentialChoice.js";
import { findDotEnvProfile } from "../../../src/local/dotEnv.js";

const managementProfile = { name: "acme-management", accountId: "111111111111" };
const ok = (accountId: string, managementAccountId?: string) => ({ ok: true as const, accountId, ...(managementAccountId ? { managementAccountId } : {}) });

describe("chooseManagementCredentials", () => {
  it("--profile wins over everything", () => {
    expect(chooseManagementCredentials({ profileFlag: "root-keys", ambient: { source: "AWS_PROFILE=acme-dev", identity: ok("2", "1") }, managementProfile })).toEqual({
      use: "profile-flag",
      profile: "root-keys",
    });
  });

  it("uses the environment's credentials when they are the management account's, without a note", () => {
    expect(chooseManagementCredentials({ ambient: { source: "AWS_ACCESS_KEY_ID", identity: ok("111111111111", "111111111111") }, managementProfile })).toEqual({ use: "ambient", checked: true });
  });

  it("never uses another account's: says which account they are and what is used instead", () => {
    const choice = chooseManagementCredentials({ ambient: { source: "AWS_PROFILE=acme-dev", identity: ok("222233334444", "111111111111") }, managementProfile });
    expect(choice).toEqual({
      use: "management-profile",
      profile: "acme-management",
      note: "AWS_PROFILE=acme-dev is account 222233334444, not the management account 111111111111: using profile acme-management (SSO) for the management account instead.",
    });
  });

  it("knows the management account from the profile when the organization could not be read", () => {
    const choice = chooseManagementCredentials({ ambient: { source: "the [default] profile", identity: ok("222233334444") }, managementProfile });
    expect(choice).toMatchObject({ use: "management-profile", note: expect.stringContaining("is account 222233334444, not the management account 111111111111") });
  });

  it("falls back to the management profile when the environment's credentials fail, saying why", () => {
    const choice = chooseManagementCredentials({ ambient: { source: "AWS_PROFILE=acme-dev", identity: { ok: false, reason: "the SSO session has expired" } }, managementProfile });
    expect(choice).toMatchObject({ use: "management-profile", note: "AWS_PROFILE=acme-dev could not be used (the SSO session has expired): using profile acme-management (SSO) for the management account instead." });
  });

  it("with nothing in the environment uses the management profile with a note; without one, the SDK's own chain", () => {
    expect(chooseManagementCredentials({ managementProfile })).toEqual({
      use: "management-profile",
      profile: "acme-management",
      note: "No AWS credentials in the environment: using profile acme-management (SSO) for the management account.",
    });
    expect(chooseManagementCredentials({})).toEqual({ use: "ambient", checked: false });
    // Another account and no management profile: the organisation context refuses it with the fix.
    expect(chooseManagementCredentials({ ambient: { source: "AWS_PROFILE=acme-dev", identity: ok("2", "1") } })).toEqual({ use: "ambient", checked: true });
  });
});

describe("what in the environment names credentials", () => {
  it("in the SDK's order; nothing → undefined", () => {
    expect(ambientSource({ AWS_ACCESS_KEY_ID: "x", AWS_PROFILE: "p" }, true)).toBe("AWS_ACCESS_KEY_ID");
    expect(ambientSource({ AWS_PROFILE: "acme-dev" }, true)).toBe("AWS_PROFILE=acme-dev");
    expect(ambientSource({ AWS_WEB_IDENTITY_TOKEN_FILE: "/t" }, false)).toBe("AWS_WEB_IDENTITY_TOKEN_FILE");
    expect(ambientSource({}, true)).toBe("the [default] profile");
    expect(ambientSource({ AWS_REGION: "us-east-1" }, false)).toBeUndefined();
  });

  it("a profile gives credentials when it has keys, a process, a role or SSO; a region alone does not", () => {
    expect(profileHasCredentials({ region: "us-east-1" })).toBe(false);
    expect(profileHasCredentials(undefined)).toBe(false);
    for (const key of ["aws_access_key_id", "credential_process", "role_arn", "sso_session"]) expect(profileHasCredentials({ [key]: "x" })).toBe(true);
  });
});

describe("AWS_PROFILE in a .env file", () => {
  it("reads KEY=value, export, quotes and comments; the last assignment wins", () => {
    expect(findDotEnvProfile("A=1\nAWS_PROFILE=acme-dev\n")).toEqual({ line: 2, value: "acme-dev" });
    expect(findDotEnvProfile("export AWS_PROFILE='acme-production' # mine\n")).toEqual({ line: 1, value: "acme-production" });
    expect(findDotEnvProfile('AWS_PROFILE="a b"\r\nAWS_PROFILE=acme-dev # later\r\n')).toEqual({ line: 2, value: "acme-dev" });
    expect(findDotEnvProfile("# AWS_PROFILE=acme-dev\nMY_AWS_PROFILE=x\nAWS_PROFILE=\n")).toBeUndefined();
  });
});
