/**
 * The input rules checked before any AWS call (docs/errors.md): stage names, person and group
 * names as Identity Store takes them, regions where IAM Identity Center exists, and email
 * messages that name the rule actually broken.
 */
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { emailProblem, parseStages, validateEmail, validateGroupName, validatePersonName, validatePersonNames, validateRegion, validateStage } from "../../../src/plan/desired.js";
import { validateNewStage } from "../../../src/plan/addAccountPlan.js";

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return `${(err as UserError).message} ${(err as UserError).hint ?? ""}`;
  }
  throw new Error("did not throw");
};

describe("one stage rule", () => {
  it.each(["Dev", "qa_env", "QA", "1qa", "qa-", "dev.eu", "has space", "management", "x".repeat(41)])("init --stages and add-account refuse %j with the same message", (stage) => {
    const fromInit = messageOf(() => parseStages(`dev,${stage}`)).replace("(--stages)", "");
    const fromAdd = messageOf(() => validateNewStage("acme", stage)).replace("(<stage>)", "");
    expect(fromInit).toBe(fromAdd);
    expect(fromInit).toMatch(new RegExp(`^The stage "${stage.replace(/[.]/g, "\\.")}" cannot be used\\.`));
  });
  it("accepts what SST, CloudFormation and the SDK's profile names all accept", () => {
    for (const stage of ["dev", "qa-1", "staging2", "x".repeat(40)]) expect(validateStage(stage, "--stages")).toBe(stage);
  });
});

describe("person names (Identity Store GivenName / FamilyName / DisplayName, 1-1,024)", () => {
  it("trims, and refuses empty, control characters, over-long and characters outside AWS's pattern", () => {
    expect(validatePersonName("given name", "  Ann ", "--x")).toBe("Ann");
    expect(validatePersonName("given name", "Zoë-Marie O'Neil 李", "--x")).toBe("Zoë-Marie O'Neil 李");
    expect(messageOf(() => validatePersonName("given name", " \t ", "--x"))).toMatch(/^The given name is empty\./);
    for (const bad of ["Ann\tMarie", "Ann\nLee", "Ann\u0007", "\u001b[31mAnn"]) expect(messageOf(() => validatePersonName("given name", bad, "--x"))).toMatch(/control character/);
    expect(messageOf(() => validatePersonName("family name", "a".repeat(1025), "--x"))).toMatch(/longer than 1024 characters/);
    expect(validatePersonName("family name", "a".repeat(1024), "--x")).toHaveLength(1024);
    expect(messageOf(() => validatePersonName("given name", "Ann\u200b", "--x"))).toMatch(/characters AWS does not accept/);
  });
  it("refuses a display name (given + space + family) over 1,024 characters", () => {
    expect(validatePersonNames("a".repeat(511), "b".repeat(512), { given: "--g", family: "--f" })).toEqual({ givenName: "a".repeat(511), familyName: "b".repeat(512) });
    expect(messageOf(() => validatePersonNames("a".repeat(512), "b".repeat(512), { given: "--g", family: "--f" }))).toMatch(/display name .*1025 characters.*Shorten --g or --f/);
  });
});

describe("group names", () => {
  it.each(["Administrator", "administrator", "ADMINISTRATOR", "AWSAdministrators", "awsadministrators", " AwsAdministrators "])("refuses the reserved %j in any case", (name) => {
    expect(messageOf(() => validateGroupName(name, "--group"))).toMatch(/cannot be used\. AWS reserves/);
  });
  it("accepts Administrators (our default) and other names", () => {
    for (const name of ["Administrators", "Readers", "Équipe données"]) expect(validateGroupName(name, "--group")).toBe(name);
  });
});

describe("regions", () => {
  it("accepts every region where IAM Identity Center exists, including the newer ones", () => {
    for (const r of ["us-east-1", "ap-east-2", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "mx-central-1", "cn-north-1", "us-gov-west-1"]) expect(validateRegion(r, "--sso-region")).toBe(r);
  });
  it("refuses a well-formed code of a region that does not have it, naming the choices", () => {
    expect(messageOf(() => validateRegion("eu-west-9", "--sso-region"))).toMatch(/^IAM Identity Center is not available in "eu-west-9"\. Choose one of: .*mx-central-1.*\(--sso-region\)/);
    expect(messageOf(() => validateRegion("moon-1", "--sso-region"))).toMatch(/is not an AWS region code/);
  });
});

describe("email messages name the rule broken", () => {
  it.each([
    ["ann@localhost", /its domain "localhost" is not a domain name with a dot/],
    ["ann", /exactly one @/],
    ["ann@@acme.com", /exactly one @/],
    ["@acme.com", /exactly one @/],
    ["ann@", /exactly one @/],
    ["ann lee@acme.com", /contains a space/],
    ["änn@acme.com", /contains "ä", which is not ASCII/],
    ["a@b.c", /has 5 characters; AWS accepts 6 to 64/],
    [`${"a".repeat(56)}@acme.com`, /has 65 characters; AWS accepts 6 to 64/],
    ["ann@acme.", /its domain "acme\." is not a domain name with a dot/],
  ])("%s", (email, reason) => {
    expect(emailProblem(email)).toMatch(reason);
    expect(messageOf(() => validateEmail(email, "--user-email"))).toMatch(/is not a usable email address: .*Give an address such as ann@acme\.com \(--user-email\)/);
  });
  it("accepts ordinary addresses (after trimming)", () => {
    for (const email of ["ann@acme.com", " aws+dev@acme.co.uk ", "a.b-c_d@sub.example.org"]) expect(validateEmail(email, "--x")).toBe(email.trim());
  });
});
