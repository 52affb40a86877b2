import { execFile } from "node:child_process";
import { promises as fs, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { diffLines } from "diff";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSstTemplate } from "../../../src/local/fileChange.js";
import { profileSelectorExpression, setProfileSelector } from "../../../src/local/sstConfig.js";

const fixtures = path.resolve(import.meta.dirname, "../../fixtures/sst");
const read = (name: string) => readFileSync(path.join(fixtures, `${name}.sst.config.ts.fixture`), "utf8");
const twoStages = { org: "acme", stages: ["dev", "production"] };
const threeStages = { org: "acme", stages: ["dev", "staging", "production"] };

/** Lines the edit removed and added, so each case states exactly what changed. */
function changes(before: string, after: string) {
  const parts = diffLines(before, after);
  const lines = (removed: boolean) => parts.filter((p) => (removed ? p.removed : p.added)).flatMap((p) => p.value.replace(/\n$/, "").split("\n"));
  return { removed: lines(true), added: lines(false) };
}

/** `ownProfile`: the file selects a profile the person wrote, replaced only with `force`. */
const cases: { name: string; version: 2 | 3; removed: string[]; added: string[]; ownProfile?: boolean }[] = [
  {
    name: "v3-version-string",
    version: 3,
    removed: ['        aws: "6.66.2", // pinned: see #42'],
    added: [`        aws: { version: "6.66.2", profile: ${profileSelectorExpression(twoStages)} }, // pinned: see #42`],
  },
  {
    name: "v3-aws-object",
    version: 3,
    removed: [],
    added: [`          profile: ${profileSelectorExpression(twoStages)},`],
  },
  {
    name: "v3-arrow-no-providers",
    version: 3,
    removed: ["\tapp: () => ({"],
    added: [
      "\tapp: (input) => ({",
      "\t\tproviders: {",
      "\t\t\taws: {",
      `\t\t\t\tprofile: ${profileSelectorExpression(twoStages)},`,
      "\t\t\t},",
      "\t\t},",
    ],
  },
  {
    name: "v2-satisfies",
    version: 2,
    removed: [],
    added: [`      profile: ${profileSelectorExpression(twoStages, "_input?.stage")},`],
  },
  {
    name: "v2-typed-const",
    version: 2,
    ownProfile: true,
    removed: ['      profile: stage === "production" ? "old-prod" : "old-dev", // replaced by org-bootstrap'],
    added: [`      profile: ${profileSelectorExpression(twoStages, "stage")}, // replaced by org-bootstrap`],
  },
];

let work: string;
beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), "sst-config-"));
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe("setProfileSelector on real-world shapes", () => {
  for (const c of cases) {
    it(`${c.name}: changes only the selector, and a second run is a no-op`, () => {
      const before = read(c.name);
      if (c.ownProfile) {
        const refused = setProfileSelector(before, twoStages);
        expect(refused).toMatchObject({ status: "conflict", text: before, conflict: { key: "profile", old: 'stage === "production" ? "old-prod" : "old-dev"' } });
      }
      const result = setProfileSelector(before, { ...twoStages, force: c.ownProfile === true });
      expect(result.status).toBe("updated");
      expect(result.version).toBe(c.version);
      expect(changes(before, result.text)).toEqual({ removed: c.removed, added: c.added });
      expect(setProfileSelector(result.text, twoStages)).toMatchObject({ status: "unchanged", text: result.text });
    });
  }

  it("extends the selector to a lookup with more stages, falling back to dev; the stages already there come first", () => {
    const once = setProfileSelector(read("v3-aws-object"), twoStages).text;
    const more = setProfileSelector(once, threeStages);
    expect(more.status).toBe("updated");
    expect(more.text).toContain(
      'profile: process.env.CI || process.env.GITHUB_ACTIONS ? undefined : new Map([["production", "acme-production"], ["staging", "acme-staging"]]).get(input?.stage ?? "") ?? "acme-dev",',
    );
    expect(setProfileSelector(more.text, threeStages).status).toBe("unchanged");
  });

  it("never drops a stage the selector has (a re-run of init after add-account), whatever order the stages come in", () => {
    const four = setProfileSelector(read("v3-aws-object"), { org: "acme", stages: ["dev", "production", "qa", "qa-2"] });
    expect(four.status).toBe("updated");
    for (const stages of [["dev", "production"], ["production", "dev"], ["qa-2", "dev"], ["dev"]]) {
      expect(setProfileSelector(four.text, { org: "acme", stages }), stages.join()).toMatchObject({ status: "unchanged", text: four.text, stages: ["dev", "production", "qa", "qa-2"] });
    }
  });

  it("drops only the stages it is told to drop (close-account)", () => {
    const three = setProfileSelector(read("v3-aws-object"), threeStages).text;
    const two = setProfileSelector(three, { org: "acme", stages: [], drop: ["staging"] });
    expect(two).toMatchObject({ status: "updated", stages: ["dev", "production"] });
    expect(two.text).toBe(setProfileSelector(read("v3-aws-object"), twoStages).text);
    const one = setProfileSelector(two.text, { org: "acme", stages: [], drop: ["production"] });
    expect(one.text).toContain(`profile: process.env.CI || process.env.GITHUB_ACTIONS ? undefined : "acme-dev",`);
    // The last stage is never dropped into an empty selector: the file stays as it is.
    expect(setProfileSelector(one.text, { org: "acme", stages: [], drop: ["dev"] })).toMatchObject({ status: "unchanged", text: one.text });
  });

  it.each([
    ['"something-else"', '"something-else"'],
    ['"acme-dev"', '"acme-dev"'],
    ['input?.stage === "production" ? "acme-production" : "other-dev"', 'input?.stage === "production" ? "acme-production" : "other-dev"'],
    ["process.env.AWS_PROFILE", "process.env.AWS_PROFILE"],
  ])("a profile the person wrote (%s) is a conflict, replaced only with force", (value, old) => {
    const before = `export default $config({\n  app(input) {\n    return { name: "app", providers: { aws: { profile: ${value} } } };\n  },\n  async run() {},\n});\n`;
    const refused = setProfileSelector(before, twoStages);
    expect(refused).toMatchObject({ status: "conflict", text: before, conflict: { key: "providers.aws.profile", old, new: profileSelectorExpression(twoStages) } });
    const forced = setProfileSelector(before, { ...twoStages, force: true });
    expect(forced.status).toBe("updated");
    expect(forced.text).toContain(`profile: ${profileSelectorExpression(twoStages)} }`);
  });

  it("leaves an unrecognised shape untouched and offers the snippet", () => {
    const before = read("unrecognised");
    const result = setProfileSelector(before, twoStages);
    expect(result).toMatchObject({ status: "unrecognised", text: before });
    expect(result.reason).toMatch(/neither/);
    expect(result.snippet).toContain(`profile: ${profileSelectorExpression(twoStages)},`);
  });

  it("keeps CRLF line endings in what it adds", () => {
    const before = read("v3-aws-object").replace(/\n/g, "\r\n");
    const result = setProfileSelector(before, twoStages);
    expect(result.text.split("\r\n").join("")).not.toContain("\n");
  });

  it("the results and the templates typecheck with tsc --noEmit against SST type stubs", async () => {
    const stubs = path.join(fixtures, "stubs");
    await fs.mkdir(path.join(work, "stubs"), { recursive: true });
    await fs.copyFile(path.join(stubs, "sst.d.ts.fixture"), path.join(work, "stubs", "sst.d.ts"));
    await fs.copyFile(path.join(stubs, "globals.d.ts.fixture"), path.join(work, "stubs", "globals.d.ts"));
    const outputs: Record<string, string> = {};
    for (const c of cases) {
      outputs[c.name] = setProfileSelector(read(c.name), twoStages).text;
      outputs[`${c.name}-three`] = setProfileSelector(read(c.name), threeStages).text;
    }
    outputs["template-v3"] = await renderSstTemplate({ ...threeStages, version: 3 });
    outputs["template-v2"] = await renderSstTemplate({ ...twoStages, version: 2 });
    // One program: every result sits next to one shared `.sst/platform/config.d.ts`, which each
    // v3 file references as SST generates it (`/// <reference path="./.sst/platform/config.d.ts" />`).
    await fs.mkdir(path.join(work, ".sst", "platform"), { recursive: true });
    await fs.copyFile(path.join(stubs, ".sst", "platform", "config.d.ts.fixture"), path.join(work, ".sst", "platform", "config.d.ts"));
    await fs.mkdir(path.join(work, "infra"), { recursive: true });
    await fs.writeFile(path.join(work, "infra", "api.ts"), "export {};\n");
    for (const [name, text] of Object.entries(outputs)) await fs.writeFile(path.join(work, `${name}.sst.config.ts`), text);
    await fs.writeFile(
      path.join(work, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", types: [], skipLibCheck: false, paths: { sst: ["./stubs/sst.d.ts"] } },
        include: ["stubs/globals.d.ts", "infra/api.ts", ...Object.keys(outputs).map((n) => `${n}.sst.config.ts`)],
      }),
    );
    const tsc = path.resolve(import.meta.dirname, "../../../node_modules/typescript/bin/tsc");
    const run = await promisify(execFile)(process.execPath, [tsc, "-p", path.join(work, "tsconfig.json")]).then(
      () => ({ ok: true, out: "" }),
      (err: { stdout?: string }) => ({ ok: false, out: err.stdout ?? String(err) }),
    );
    expect(run.out).toBe("");
    expect(run.ok).toBe(true);
  });

  it("the stubs are strict enough to catch a wrong selector", async () => {
    const dir = path.join(work, "negative");
    await fs.mkdir(path.join(dir, ".sst", "platform"), { recursive: true });
    await fs.copyFile(path.join(fixtures, "stubs", ".sst", "platform", "config.d.ts.fixture"), path.join(dir, ".sst", "platform", "config.d.ts"));
    await fs.writeFile(path.join(dir, "sst.config.ts"), read("v3-aws-object").replace("region: 'eu-west-1',", "region: 'eu-west-1', profile: 42,"));
    await fs.writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ["sst.config.ts"] }));
    const tsc = path.resolve(import.meta.dirname, "../../../node_modules/typescript/bin/tsc");
    const failed = await promisify(execFile)(process.execPath, [tsc, "-p", path.join(dir, "tsconfig.json")]).then(() => false, () => true);
    expect(failed).toBe(true);
  });
});
