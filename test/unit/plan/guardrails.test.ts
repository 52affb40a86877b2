import { describe, expect, it } from "vitest";
import {
  denyLeaveContent,
  guardrailStates,
  parseBudgetAmounts,
  parseRegions,
  planGuardrailRemoval,
  planGuardrails,
  regionsContent,
  type GuardrailObserved,
  type ObservedPolicy,
} from "../../../src/plan/guardrails.js";

const TAG = { "managed-by": "org-bootstrap" };
const full: ObservedPolicy = { id: "p-FullAWSAccess", name: "FullAWSAccess", content: "", description: "", tags: {}, awsManaged: true, targets: ["r-root"] };

function observed(over: Partial<GuardrailObserved> = {}): GuardrailObserved {
  return {
    featureSet: "ALL",
    rootId: "r-root",
    policies: [],
    managementAccountId: "111111111111",
    identityCenterRegion: "us-east-1",
    stages: [
      { stage: "dev", accountId: "222222222222" },
      { stage: "production", accountId: "333333333333" },
    ],
    budgets: [],
    ...over,
  };
}

const policy = (name: string, content: string, over: Partial<ObservedPolicy> = {}): ObservedPolicy => ({
  id: `p-${name.replace(/\W/g, "").slice(0, 10).padEnd(10, "x")}`,
  name,
  content,
  description: name === "org-bootstrap-deny-leave" ? "org-bootstrap: member accounts cannot leave the organization" : "",
  tags: TAG,
  awsManaged: false,
  targets: ["r-root"],
  ...over,
});

describe("planGuardrails", () => {
  it("a fresh organization: enable SCPs, create and attach deny-leave, in that order", () => {
    const plan = planGuardrails({ denyLeave: true, centralRoot: false }, observed());
    expect(plan.steps.map((s) => [s.id, s.action, s.dependsOn])).toEqual([
      ["enable-scps", "create", []],
      ["policy:org-bootstrap-deny-leave", "create", []],
      ["attach:org-bootstrap-deny-leave", "create", ["enable-scps", "policy:org-bootstrap-deny-leave"]],
    ]);
    expect(JSON.parse(denyLeaveContent()).Statement[0]).toMatchObject({ Effect: "Deny", Action: ["organizations:LeaveOrganization"], Resource: "*" });
  });

  it("everything in place: every step exists (a re-run changes nothing), whatever the JSON spacing", () => {
    const plan = planGuardrails(
      { denyLeave: true, centralRoot: false },
      observed({ scpStatus: "ENABLED", policies: [full, policy("org-bootstrap-deny-leave", JSON.stringify(JSON.parse(denyLeaveContent())))] }),
    );
    expect(plan.steps.map((s) => s.action)).toEqual(["exists", "exists", "exists"]);
    expect(plan.notes).toEqual([]);
  });

  it("changed regions update the policy in place; the Identity Center region is always allowed", () => {
    const plan = planGuardrails(
      { denyLeave: false, centralRoot: false, regions: ["eu-west-1"] },
      observed({ scpStatus: "ENABLED", policies: [full, policy("org-bootstrap-regions", regionsContent(["us-east-1", "eu-central-1"]), { description: "org-bootstrap: no work outside the allowed regions (global services exempt)" })] }),
    );
    expect(plan.regions).toEqual(["us-east-1", "eu-west-1"]);
    expect(plan.steps.find((s) => s.id === "policy:org-bootstrap-regions")?.action).toBe("update");
  });

  it("someone else's SCP on the root is a note; a policy with our name but not our tag blocks; a full root blocks the attachment", () => {
    const theirs = policy("security", "{}", { tags: {} });
    const impostor = policy("org-bootstrap-deny-leave", denyLeaveContent(), { tags: {}, targets: [] });
    const blocked = planGuardrails({ denyLeave: true, centralRoot: false }, observed({ scpStatus: "ENABLED", policies: [full, theirs, impostor] }));
    expect(blocked.notes).toEqual([expect.stringContaining("The SCP security")]);
    expect(blocked.steps.find((s) => s.id === "policy:org-bootstrap-deny-leave")?.action).toBe("blocked");

    const others = [1, 2, 3, 4].map((n) => policy(`team-${n}`, "{}", { tags: {} }));
    const fullRoot = planGuardrails({ denyLeave: true, centralRoot: false }, observed({ scpStatus: "ENABLED", policies: [full, ...others] }));
    const attach = fullRoot.steps.find((s) => s.kind === "attach")!;
    expect(attach.action).toBe("blocked");
    expect(attach.why).toContain("FullAWSAccess, team-1, team-2, team-3, team-4");
    // Four on the root: one place left, for the first of two.
    const four = planGuardrails({ denyLeave: true, centralRoot: false, regions: ["eu-west-1"] }, observed({ scpStatus: "ENABLED", policies: [full, ...others.slice(0, 3)] }));
    expect(four.steps.filter((s) => s.kind === "attach").map((s) => s.action)).toEqual(["create", "blocked"]);
  });

  it("budgets per stage: create, exists, update on amount or e-mail, skipped for a stage without an account", () => {
    const alerts = (email: string) => [
      { kind: "ACTUAL" as const, thresholdPercent: 80, emails: [email] },
      { kind: "FORECASTED" as const, thresholdPercent: 100, emails: [email] },
    ];
    const plan = planGuardrails(
      { denyLeave: false, centralRoot: false, budget: { amounts: { dev: "50", production: "500", qa: "5" }, email: "b@acme.com" } },
      observed({
        budgets: [
          { name: "org-bootstrap-dev", amount: "50.0", linkedAccountId: "222222222222", alerts: alerts("b@acme.com"), tags: TAG },
          { name: "org-bootstrap-production", amount: "400", linkedAccountId: "333333333333", alerts: alerts("old@acme.com"), tags: TAG },
        ],
      }),
    );
    expect(plan.steps.map((s) => [s.id, s.action])).toEqual([
      ["budget:dev", "exists"],
      ["budget:production", "update"],
    ]);
    expect(plan.steps[1].why).toBe("amount 400 → 500 USD; alerts to b@acme.com at 80 % actual and 100 % forecast");
    expect(plan.notes).toEqual([expect.stringContaining("No budget for qa")]);
  });

  it("central-root: trusted access first, then both IAM features", () => {
    const plan = planGuardrails({ denyLeave: false, centralRoot: true }, observed({ centralRoot: { trustedAccess: true, features: ["RootCredentialsManagement"] } }));
    expect(plan.steps.map((s) => [s.id, s.action])).toEqual([
      ["trusted-access:iam", "exists"],
      ["root-feature:RootCredentialsManagement", "exists"],
      ["root-feature:RootSessions", "create"],
    ]);
  });
});

describe("planGuardrailRemoval and guardrailStates", () => {
  it("removes only ours: detach from every target, then delete; an untagged namesake is a note", () => {
    const ours = policy("org-bootstrap-regions", regionsContent(["us-east-1"]), { targets: ["r-root", "222222222222"] });
    const plan = planGuardrailRemoval("regions", observed({ scpStatus: "ENABLED", policies: [full, ours] }));
    expect(plan.steps.map((s) => [s.kind, s.action])).toEqual([
      ["detach", "remove"],
      ["detach", "remove"],
      ["delete-policy", "remove"],
    ]);
    expect(plan.steps[2].dependsOn).toHaveLength(2);
    const notOurs = planGuardrailRemoval("regions", observed({ policies: [{ ...ours, tags: {} }] }));
    expect(notOurs.steps).toEqual([]);
    expect(notOurs.notes[0]).toContain("not org-bootstrap's");
  });

  it("status reads in place, partly and not set up", () => {
    const states = guardrailStates(
      observed({
        scpStatus: "ENABLED",
        policies: [full, policy("org-bootstrap-deny-leave", denyLeaveContent()), policy("org-bootstrap-regions", "{}", { targets: [] })],
        budgets: [{ name: "org-bootstrap-dev", amount: "50", alerts: [], tags: TAG }],
      }),
    );
    expect(states.map((s) => [s.name, s.state])).toEqual([
      ["deny-leave", "in place"],
      ["central-root", "not set up"],
      ["regions", "partly"],
      ["budget", "partly"],
    ]);
  });
});

describe("input checks", () => {
  it("regions must be known; budgets positive numbers for known stages", () => {
    expect(parseRegions("eu-west-1, eu-west-1,us-east-2")).toEqual(["eu-west-1", "us-east-2"]);
    expect(() => parseRegions("eu-west-9")).toThrow("Unknown AWS region: eu-west-9.");
    expect(parseBudgetAmounts("50.00", ["dev", "production"])).toEqual({ dev: "50", production: "50" });
    expect(parseBudgetAmounts("dev=12.5", ["dev", "production"])).toEqual({ dev: "12.5" });
    for (const bad of ["0", "-5", "ten", "1e3", "5.123"]) expect(() => parseBudgetAmounts(bad, ["dev"])).toThrow("is not a budget amount");
    expect(() => parseBudgetAmounts("qa=5", ["dev"])).toThrow('There is no stage "qa"');
  });
});
