/**
 * Every command's --help, as the built CLI prints it into a pipe (80 columns): no line is longer,
 * and every option of the command table shows in the usage line and in the options list.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.js";
import { renderCommandHelp } from "../../src/ui/help.js";

const cli = new URL("../../dist/cli.js", import.meta.url).pathname;
const help = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", COLUMNS: "200" } });

describe("--help at 80 columns", () => {
  for (const spec of commands) {
    it(`${spec.name}: every line fits, every option is in the usage line and the list`, () => {
      const res = help(spec.name, "--help");
      expect(res.status).toBe(0);
      const lines = res.stdout.replace(/\n$/, "").split("\n");
      const long = lines.filter((l) => l.length > 80);
      expect(long).toEqual([]);
      // The usage line runs until the first blank line; continuation lines are indented under it.
      const usageEnd = lines.indexOf("");
      const usage = lines.slice(0, usageEnd);
      expect(usage[0]).toMatch(new RegExp(`^Usage: org-bootstrap ${spec.name}( |$)`));
      for (const l of usage.slice(1)) expect(l).toMatch(/^ {9}\S/);
      const usageText = usage.join(" ");
      const optionsAt = lines.indexOf("Options:");
      expect(optionsAt).toBeGreaterThan(usageEnd);
      const list = lines.slice(optionsAt + 1);
      for (const [name, option] of Object.entries(spec.options)) {
        const flag = `--${name}${option.type === "string" ? ` ${option.value ?? "VALUE"}` : ""}`;
        expect(usageText, `usage line of ${spec.name} misses ${flag}`).toContain(flag);
        expect(list.some((l) => new RegExp(`^  (-\\w, |    )${flag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( |$)`).test(l)), `options list of ${spec.name} misses ${flag}`).toBe(true);
      }
      for (const p of spec.positionals ?? []) expect(usageText).toContain(`<${p.name}>`);
      // A description that wraps continues under its own column, never at the left edge.
      for (const l of list) expect(l).toMatch(/^ {2}\S| {6,}\S/);
    });
  }

  it("wraps between words, never inside one, at a narrower width too", () => {
    for (const spec of commands) {
      const text = renderCommandHelp(spec, 60);
      const words = (s: string) => s.replace(/ \\$/gm, "").split(/\s+/).filter(Boolean);
      // Same words in the same order as the wide rendering: wrapping only moved line breaks.
      expect(words(text)).toEqual(words(renderCommandHelp(spec, 1000)));
      // Only a single word longer than the width (a URL, a bracketed group) may stick out.
      const oneWord = (l: string) => /^\s*\S+$/.test(l.replace(/<[^<>]*>|\[[^[\]]*\]/g, (m) => m.replace(/ /g, "_")));
      for (const l of text.split("\n")) if (!oneWord(l)) expect(l.length, `${spec.name}: ${l}`).toBeLessThanOrEqual(60);
    }
  });

  it("a group word's help lists its subcommands (ci --help, ci -h, help ci)", () => {
    for (const args of [["ci", "--help"], ["ci", "-h"], ["help", "ci"]]) {
      const res = help(...args);
      expect(res.status, args.join(" ")).toBe(0);
      expect(res.stdout).toMatch(/^Usage: org-bootstrap ci <subcommand> \[options\]\n/);
      expect(res.stdout).toMatch(/^ {2}github {2}GitHub Actions deploy roles/m);
      expect(res.stdout).toContain("Run: org-bootstrap ci <subcommand> --help");
    }
  });

  it("wraps error messages and their hints at 80 columns, continuations indented", () => {
    const res = help("init", "--yes");
    expect(res.status).toBe(2);
    const lines = res.stderr.trimEnd().split("\n").filter((l) => !l.includes("NodeVersionSupportWarning"));
    expect(lines[0]).toMatch(/^✖ No terminal to ask questions on/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    // The message went over 80 columns: it continues on an indented line, and so does the example.
    expect(lines[1]).toMatch(/^ {2}\S.*are missing\.$/);
    expect(lines.find((l) => l.startsWith("  Example: org-bootstrap init"))).toBeDefined();
    expect(lines.some((l) => /^ {4}--user-email ann@acme.com/.test(l))).toBe(true);
  });
});
