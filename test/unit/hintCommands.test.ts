/**
 * Every command line the tool suggests — in error hints, plan notes and help (src/) and in the
 * user guide (docs/, README.md) — names only flags its command has (src/commands/index.ts). A
 * hint that suggests a flag the command rejects sends the person into a second error.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commands, findCommand } from "../../src/commands/index.js";

const root = path.resolve(import.meta.dirname, "../..");
const GLOBAL_FLAGS = new Set(["help", "verbose", "version"]);

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full, ext);
    return ext.test(name) ? [full] : [];
  });
}

export interface SuggestedCommand {
  file: string;
  line: number;
  command: string;
  flags: string[];
  text: string;
}

/**
 * `org-bootstrap <command> …` up to where the command line ends: the end of a string or code span
 * (quote, backtick), a shell operator (`&&`, `|`, `;`), `--` (what follows belongs to exec's child),
 * or a sentence's or clause's end (`. `, `, `). `${…}` placeholders stay in (they stand for values).
 */
export function suggestedCommands(file: string, text: string): SuggestedCommand[] {
  const found: SuggestedCommand[] = [];
  const lines = text.split("\n");
  lines.forEach((lineText, i) => {
    for (const m of lineText.matchAll(/org-bootstrap[ \t]+([a-z][a-z-]*)(?:[ \t]+([a-z][a-z-]*))?/g)) {
      // A two-word command (`ci github`) first, else the one word.
      const two = m[2] !== undefined && findCommand(`${m[1]} ${m[2]}`) ? `${m[1]} ${m[2]}` : undefined;
      const name = two ?? m[1];
      if (!findCommand(name)) continue;
      const nameEnd = two ? m.index + m[0].length : m.index + m[0].indexOf(m[1]) + m[1].length;
      let rest = lineText.slice(nameEnd);
      // A line ending in `\` continues the shell command (the help's examples).
      for (let j = i + 1; rest.trimEnd().endsWith("\\") && j < lines.length; j++) rest = `${rest.trimEnd().slice(0, -1)} ${lines[j].trimStart()}`;
      const end = rest.search(/[`"|;]|&&| -- |[.,]\s|\.$|\)\s*[.,;]|\s{3,}/);
      const args = end < 0 ? rest : rest.slice(0, end);
      const flags = [...args.matchAll(/(?:^|[\s[(])--([a-z][a-z0-9-]*)/g)].map((f) => f[1]);
      found.push({ file: path.relative(root, file), line: i + 1, command: name, flags, text: `org-bootstrap ${name}${args}` });
    }
  });
  return found;
}

const sources = [...filesUnder(path.join(root, "src"), /\.ts$/), ...filesUnder(path.join(root, "docs"), /\.md$/), path.join(root, "README.md")];
const suggestions = sources.flatMap((f) => suggestedCommands(f, readFileSync(f, "utf8")));

describe("suggested command lines", () => {
  it("are found in the sources and docs (the scan itself works)", () => {
    // Enough to be sure the scan reads what it should: every command is suggested somewhere.
    expect(suggestions.length).toBeGreaterThan(100);
    for (const c of commands) expect(suggestions.some((s) => s.command === c.name), c.name).toBe(true);
    // The parser stops where the command line ends.
    expect(suggestedCommands("x.ts", '`Run: org-bootstrap login --sso-session ${s} && aws sts get-caller-identity --profile acme-dev`')[0].flags).toEqual(["sso-session"]);
    expect(suggestedCommands("x.ts", '"org-bootstrap exec --profile acme-dev -- terraform plan --target x"')[0].flags).toEqual(["profile"]);
    expect(suggestedCommands("x.md", "  org-bootstrap init --yes --org-name acme \\\n    --account-email 'aws+{stage}@acme.com' --frob\n")[0].flags).toEqual(["yes", "org-name", "account-email", "frob"]);
  });

  it("name only flags their command takes", () => {
    const wrong = suggestions.flatMap((s) => {
      const spec = findCommand(s.command)!;
      return s.flags.filter((f) => !(f in spec.options) && !GLOBAL_FLAGS.has(f)).map((f) => `${s.file}:${s.line}: --${f} is not a flag of ${s.command}: ${s.text.trim()}`);
    });
    expect(wrong).toEqual([]);
  });

  it("would catch add-account's old hint, which suggested init's --account-email", () => {
    const [old] = suggestedCommands("x.ts", '"Choose another stage name: org-bootstrap add-account staging --account-email aws+staging-2@acme.com."');
    expect(old.flags.filter((f) => !(f in findCommand("add-account")!.options))).toEqual(["account-email"]);
  });
});
