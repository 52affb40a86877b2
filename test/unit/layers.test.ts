/**
 * The layer rules are lint rules (docs/architecture.md, "Layers"): ESLint, run with the project's
 * own config on planted files, fails each import that breaks a never and passes the allowed ones.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

/** The layer-rule messages ESLint gives `code` as if it were the file at `file` (relative to the repo). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return result.messages.filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

describe("lint fails an import that breaks a layer rule", () => {
  const breaks: [file: string, code: string][] = [
    ["src/plan/planted.ts", `import { upsertSection } from "../local/awsConfig.js";\nexport const x = upsertSection;\n`],
    ["src/plan/planted.ts", `import type { AwsContext } from "../aws/clientConfig.js";\nexport type X = AwsContext;\n`],
    ["src/plan/planted.ts", `export { Output } from "../ui/output.js";\n`],
    ["src/plan/planted.ts", `export const load = () => import("../ui/output.js");\n`],
    ["src/aws/planted.ts", `import { stepsOf } from "../plan/initPlan.js";\nexport const x = stepsOf;\n`],
    ["src/aws/planted.ts", `import { readTextFile } from "../local/fileChange.js";\nexport const x = readTextFile;\n`],
    ["src/aws/planted.ts", `export * from "../ui/text.js";\n`],
    ["src/aws/planted.ts", `import { startSandbox } from "../sandbox/server.js";\nexport const x = startSandbox;\n`],
    ["src/local/planted.ts", `import { wrap } from "../ui/text.js";\nexport const x = wrap;\n`],
    ["src/local/planted.ts", `import { startSandbox } from "../sandbox/server.js";\nexport const x = startSandbox;\n`],
    ["src/sandbox/planted.ts", `import { UserError } from "../errors.js";\nexport const x = UserError;\n`],
    ["src/sandbox/planted.ts", `import { runInit } from "../commands/init.js";\nexport const x = runInit;\n`],
    ["src/sandbox/pages/planted.ts", `import { UserError } from "../../errors.js";\nexport const x = UserError;\n`],
    ["src/sandbox/services/planted.ts", `export const load = () => import("../../commands/init.js");\n`],
    // Not a layer, but the same kind of never: commands ask through input.prompter.
    ["src/commands/planted.ts", `import { askConfirm } from "../ui/prompts.js";\nexport const x = askConfirm;\n`],
  ];
  it.each(breaks)("%s: %s", async (file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("docs/architecture.md");
  });
});

describe("lint passes the imports the layers allow", () => {
  const allowed: [file: string, code: string][] = [
    ["src/plan/planted.ts", `import { permissionSetPresets } from "./presets.js";\nimport { SUPPORTED_NODE } from "../nodeSupport.js";\nexport const x = [permissionSetPresets, SUPPORTED_NODE];\n`],
    ["src/aws/planted.ts", `import { OperationError } from "../errors.js";\nimport { mapLimit } from "./waiting.js";\nexport const x = [OperationError, mapLimit];\n`],
    ["src/local/planted.ts", `import type { LocalAwsFiles } from "../plan/doctorChecks.js";\nexport type X = LocalAwsFiles;\n`],
    ["src/sandbox/pages/planted.ts", `import { page } from "../protocols.js";\nexport const x = page;\n`],
    ["src/workflows/planted.ts", `import { stepsOf } from "../plan/initPlan.js";\nimport { openSts } from "../aws/sts.js";\nexport const x = [stepsOf, openSts];\n`],
    ["src/commands/planted.ts", `import { startSandbox } from "../sandbox/server.js";\nimport { wrap } from "../ui/text.js";\nexport const x = [startSandbox, wrap];\n`],
    ["src/commands/planted.ts", `import type { Prompter } from "../ui/prompts.js";\nexport type X = Prompter;\n`],
  ];
  it.each(allowed)("%s: %s", async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
