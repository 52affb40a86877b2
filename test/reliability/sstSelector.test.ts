/**
 * The per-stage profile selector in sst.config.ts, tried with stage names an attacker (or a typo)
 * would use. With three or more stages the selector used to be an object-literal lookup, so
 * `--stage constructor` chose `Object`'s constructor function as the AWS profile, `toString` a
 * function and `__proto__` an object. The generated code is evaluated here, as SST would run it:
 * a stage that is not listed must fall back to the dev profile, and a listed one find its own.
 * docs/security.md ("The sst.config.ts selector").
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { renderSstTemplate } from "../../src/local/fileChange.js";
import { isGeneratedSelector, profileSelectorExpression, setProfileSelector } from "../../src/local/sstConfig.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/sst");
const read = (name: string) => readFileSync(path.join(fixtures, `${name}.sst.config.ts.fixture`), "utf8");
const org = "acme";
const stages = ["dev", "staging", "production", "qa"];
const hostile = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString", "__defineGetter__", ""];

/** Runs a selector expression (TypeScript allowed) as SST would, for one stage and environment. */
function evaluate(expression: string, stage: string | undefined, env: Record<string, string> = {}): unknown {
  const js = ts.transpileModule(`export const v = ${expression};`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function("exports", "process", "input", "stage", js)(exports, { env }, stage === undefined ? undefined : { stage }, stage);
  return exports.v;
}

/** The `profile:` value the editor wrote into a file. */
function profileIn(text: string): string {
  const lines = text.split("\n").filter((l) => /^\s*profile: /.test(l));
  expect(lines).toHaveLength(1);
  return lines[0].replace(/^\s*profile: /, "").replace(/,\s*(\/\/.*)?$/, "");
}

/** The expression earlier versions generated for more than two stages. */
const oldLookup = (stageRef = "input?.stage") =>
  `process.env.CI || process.env.GITHUB_ACTIONS ? undefined : ({ staging: "acme-staging", production: "acme-production", qa: "acme-qa" } as Record<string, string>)[${stageRef} ?? ""] ?? "acme-dev"`;

describe("the sst.config.ts selector only matches the stages it lists", () => {
  it("an old object-literal lookup chose a function or an object for inherited names (the reproduction)", () => {
    expect(typeof evaluate(oldLookup(), "constructor")).toBe("function");
    expect(typeof evaluate(oldLookup(), "toString")).toBe("function");
    expect(typeof evaluate(oldLookup(), "__proto__")).toBe("object");
  });

  const files: Record<string, () => Promise<string> | string> = {
    "generated expression": () => profileSelectorExpression({ org, stages }),
    "v3 file edited": () => profileIn(setProfileSelector(read("v3-aws-object"), { org, stages }).text),
    "v2 file edited (stage destructured)": () => profileIn(setProfileSelector(read("v2-typed-const"), { org, stages, force: true }).text),
    "v3 template": async () => profileIn(await renderSstTemplate({ org, stages, version: 3 })),
  };
  for (const [name, get] of Object.entries(files)) {
    it(`${name}: hostile stage names fall back to dev, listed stages find their profile`, async () => {
      const expression = await get();
      for (const stage of hostile) expect(evaluate(expression, stage), `--stage ${JSON.stringify(stage)}`).toBe("acme-dev");
      expect(evaluate(expression, undefined)).toBe("acme-dev");
      for (const stage of stages) expect(evaluate(expression, stage)).toBe(`acme-${stage}`);
      expect(evaluate(expression, "production", { CI: "true" })).toBeUndefined();
      expect(isGeneratedSelector(expression)).toBe(true);
    });
  }

  it("an old generated lookup is recognised as ours and upgraded in place, not duplicated", () => {
    const before = read("v3-aws-object").replace("region: 'eu-west-1',", `region: 'eu-west-1',\n          profile: ${oldLookup()},`);
    expect(isGeneratedSelector(oldLookup())).toBe(true);
    const result = setProfileSelector(before, { org, stages });
    expect(result.status).toBe("updated");
    expect(result.previous).toEqual({ text: oldLookup(), generated: true });
    const expression = profileIn(result.text);
    expect(expression).toBe(profileSelectorExpression({ org, stages }));
    for (const stage of hostile) expect(evaluate(expression, stage)).toBe("acme-dev");
    expect(setProfileSelector(result.text, { org, stages }).status).toBe("unchanged");
  });

  it("a profile the user wrote is reported as theirs when replaced", () => {
    // A profile the user wrote is replaced only with force (otherwise a conflict: docs/init.md).
    expect(setProfileSelector(read("v2-typed-const"), { org, stages }).status).toBe("conflict");
    const result = setProfileSelector(read("v2-typed-const"), { org, stages, force: true });
    expect(result.previous).toEqual({ text: 'stage === "production" ? "old-prod" : "old-dev"', generated: false });
    expect(isGeneratedSelector('stage === "production" ? "old-prod" : "old-dev"')).toBe(false);
    expect(isGeneratedSelector('process.env.CI ? undefined : "acme-dev"')).toBe(false);
  });
});
