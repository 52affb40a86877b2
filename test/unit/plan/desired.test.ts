import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { answers } from "./fixtures.js";
import {
  accountEmailFor,
  desiredSetup,
  isRegionCode,
  parsePermissionSetKeys,
  parseStages,
  validateSessionDuration,
} from "../../../src/plan/desired.js";

describe("desired setup from answers", () => {
  it("plus-addresses account emails from the management email by default", () => {
    const d = desiredSetup(answers, "owner@acme.com");
    expect(d.accounts).toEqual([
      { stage: "dev", name: "acme-dev", email: "owner+dev@acme.com" },
      { stage: "production", name: "acme-production", email: "owner+production@acme.com" },
    ]);
  });

  it("drops an existing plus tag before adding the stage", () => {
    expect(accountEmailFor("dev", undefined, "owner+aws@acme.com")).toBe("owner+dev@acme.com");
  });

  it("fills the {stage} placeholder of --account-email and refuses a template without it", () => {
    expect(accountEmailFor("staging", "aws+{stage}@acme.com", "x@y.com")).toBe("aws+staging@acme.com");
    expect(() => accountEmailFor("dev", "aws@acme.com", "x@y.com")).toThrow(/\{stage\}/);
  });

  it("always includes AdministratorAccess first, with the session duration and the AWS managed policy", () => {
    const d = desiredSetup({ ...answers, permissionSets: ["readonly", "poweruser"] }, "owner@acme.com");
    expect(d.permissionSets.map((p) => p.name)).toEqual(["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess"]);
    expect(d.permissionSets[0]).toMatchObject({ sessionDuration: "PT12H", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
  });

  it("uses the email as the username", () => {
    expect(desiredSetup(answers, "owner@acme.com").user).toEqual({ userName: "ann@acme.com", email: "ann@acme.com", givenName: "Ann", familyName: "Lee" });
  });

  it("refuses names the AWS config loader would drop", () => {
    expect(() => desiredSetup({ ...answers, orgName: "my org" }, "o@a.com")).toThrow(UserError);
    expect(() => parseStages("dev,pro d")).toThrow(/stage/);
  });

  it("parses stages from a comma list, without duplicates", () => {
    expect(parseStages("dev, staging,production,dev")).toEqual(["dev", "staging", "production"]);
    expect(() => parseStages(" , ")).toThrow(/At least one stage/);
  });

  it("accepts session durations from one to twelve hours only", () => {
    expect(validateSessionDuration("PT8H")).toBe("PT8H");
    expect(validateSessionDuration("PT1H30M")).toBe("PT1H30M");
    expect(() => validateSessionDuration("PT13H")).toThrow(/not allowed/);
    try {
      validateSessionDuration("PT13H");
    } catch (err) {
      expect((err as UserError).hint).toMatch(/PT1H to PT12H/);
    }
    expect(() => validateSessionDuration("PT30M")).toThrow(UserError);
    expect(() => validateSessionDuration("12h")).toThrow(UserError);
  });

  it("parses permission set presets and names the choices on a typo", () => {
    expect(parsePermissionSetKeys("poweruser,readonly")).toEqual(["admin", "poweruser", "readonly"]);
    expect(parsePermissionSetKeys(undefined)).toEqual(["admin"]);
    expect(() => parsePermissionSetKeys("superuser")).toThrow(/Unknown permission set "superuser"/);
  });

  it("refuses two stages that would share an email", () => {
    // Email addresses are case-insensitive: dev and Dev would get the same one.
    expect(() => desiredSetup({ ...answers, stages: ["dev", "Dev"], accountEmail: "a+{stage}@b.com" }, "o@a.com")).toThrow(/share the email/);
    expect(() => desiredSetup({ ...answers, stages: ["dev"] }, "owner+dev@acme.com")).toThrow(/share the email/);
  });
});

describe("region codes: one shape for the --sso-region flag and the wizard's question", () => {
  it("takes AWS's forms, including partitions and two-digit numbers, and nothing else", () => {
    for (const ok of ["us-east-1", " eu-central-2 ", "us-gov-west-1", "cn-north-1", "ap-southeast-10"]) expect(isRegionCode(ok), ok).toBe(true);
    for (const bad of ["us-east", "useast1", "US-EAST-1", "us-east-123", "eu_west_1", ""]) expect(isRegionCode(bad), bad).toBe(false);
  });
});
