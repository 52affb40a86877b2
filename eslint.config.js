import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layer rules (docs/architecture.md, "Layers"): what each folder of src/ must never import.
 * A relative import from src/<folder>/ (or a subfolder, `depth` levels down) into a forbidden
 * folder fails lint, static, re-exported or dynamic (`import()`).
 */
const LAYER_NEVERS = {
  plan: ["aws", "local", "ui", "workflows", "commands", "sandbox"],
  aws: ["plan", "local", "ui", "sandbox", "workflows", "commands"],
  local: ["ui", "sandbox", "workflows", "commands"],
  // The emulated AWS stands alone: nothing outside src/sandbox/ at all.
  sandbox: null,
};

function layerRules() {
  const blocks = [];
  for (const [folder, never] of Object.entries(LAYER_NEVERS)) {
    for (let depth = 0; depth <= 2; depth++) {
      const up = "\\.\\./".repeat(depth + 1);
      const regex = never ? `^${up}(${never.join("|")})(/|\\.c?js$|$)` : `^${up}`;
      const message = never
        ? `src/${folder}/ must not import src/{${never.join(",")}}/ (docs/architecture.md, "Layers").`
        : `src/sandbox/ stands alone: it imports nothing from the rest of src/ (docs/architecture.md, "Layers").`;
      blocks.push({
        files: [`src/${folder}/${"*/".repeat(depth)}*.ts`, `src/${folder}/${"*/".repeat(depth)}*.cts`],
        rules: {
          "no-restricted-imports": ["error", { patterns: [{ regex, message }] }],
          "no-restricted-syntax": ["error", { selector: `ImportExpression > Literal[value=/${regex.replaceAll("/", "\\/")}/]`, message }],
        },
      });
    }
  }
  return blocks;
}

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "test/fixtures/", "templates/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error"],
    },
  },
  {
    // Only the UI layer, the entry point, tests, benches and the sandbox's own foreground command print.
    files: ["src/ui/**", "src/cli.ts", "test/**", "bench/**", "*.config.*"],
    rules: { "no-console": "off" },
  },
  ...layerRules(),
  {
    // A command asks through its input's prompter (CommandInput.prompter), so a test can answer
    // in-process; the clack helpers behind it are the entry's to hand out (docs/architecture.md).
    files: ["src/commands/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "../ui/prompts.js", allowTypeImports: true, message: "Commands ask through input.prompter (CommandInput), not the prompt helpers (docs/architecture.md)." }],
        },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly" } },
  },
);
