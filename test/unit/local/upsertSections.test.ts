/**
 * `upsertSections` (one scan for all blocks) against `upsertSection` applied block by block, and
 * the bounded diff against the `diff` package's whole-file diff, on generated config files: the
 * shapes the editor rewrites (indented keys, `key: value`, other cases, inline comments, values on
 * several lines, nested settings), CRLF and LF mixed line by line, with and without a final newline.
 */
import { createTwoFilesPatch } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { composeChange, upsertSection, upsertSections, type SectionSpec, type TextChange, type UpsertResult } from "../../../src/local/awsConfig.js";
import { boundedDiff } from "../../../src/local/boundedDiff.js";
import { UserError } from "../../../src/errors.js";

const owned = ["sso_session", "sso_account_id", "sso_role_name", "region", "sso_start_url", "sso_region"];
const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/);
const value = fc.stringMatching(/^[A-Za-z0-9:/._-]{1,10}$/);
const comment = fc.tuple(fc.constantFrom("#", ";"), fc.stringMatching(/^[ -~]{0,10}$/)).map(([c, t]) => `${c}${t}`);

const keyLines = fc
  .record({
    key: fc.oneof(word, fc.constantFrom(...owned), fc.constantFrom("SSO_Account_Id", "Region")),
    delim: fc.constantFrom(" = ", "=", ": ", " = "),
    value: fc.oneof(value, fc.constantFrom("111111111111", "us-east-1", "acme", "Admin")),
    indent: fc.constantFrom("", "", "  "),
    extra: fc.constantFrom("none", "none", "continuation", "nested", "comment", "inline", "blank"),
  })
  .map(({ key, delim, value: v, indent, extra }) => {
    if (extra === "nested") return [`${indent}${key} =`, `${indent}  a = ${v}`];
    const line = `${indent}${key}${delim}${v}${extra === "inline" ? " # note" : ""}`;
    if (extra === "continuation") return [line, `${indent}  more`];
    if (extra === "comment") return [line, "# c"];
    if (extra === "blank") return [line, ""];
    return [line];
  });

const headers = fc.constantFrom("profile acme-dev", "profile acme-prod", "sso-session acme", 'profile "acme-dev"', "profile other", "default", "services s", "profile x.y");
const section = fc
  .record({ header: headers, keys: fc.uniqueArray(keyLines, { selector: (l) => l[0].trim().split(/[ =:]/)[0].toLowerCase(), maxLength: 4 }), lead: fc.array(fc.oneof(comment, fc.constant("")), { maxLength: 2 }) })
  .map(({ header, keys, lead }) => [...lead, `[${header}]`, ...keys.flat()]);

const configFile = fc
  .record({
    sections: fc.uniqueArray(section, { selector: (s) => s.find((l) => l.startsWith("["))!.replace(/"/g, ""), maxLength: 5 }),
    eols: fc.array(fc.constantFrom("\n", "\n", "\r\n"), { minLength: 40, maxLength: 40 }),
    finalNewline: fc.boolean(),
  })
  .map(({ sections, eols, finalNewline }) => {
    const lines = sections.flat();
    return lines.map((l, n) => l + (n < lines.length - 1 || finalNewline ? eols[n % eols.length] : "")).join("");
  });

const spec = (kind: SectionSpec["kind"], name: string, values: Record<string, string>): SectionSpec => ({ kind, name, values });
const specLists = fc.array(
  fc.constantFrom(
    spec("sso-session", "acme", { sso_start_url: "https://d-1.awsapps.com/start", sso_region: "us-east-1" }),
    spec("profile", "acme-dev", { sso_session: "acme", sso_account_id: "111111111111", region: "us-east-1" }),
    spec("profile", "acme-dev", { sso_account_id: "222222222222" }),
    spec("profile", "acme-prod", { sso_session: "acme", sso_account_id: "333333333333", sso_role_name: "Admin" }),
    spec("profile", "acme-new", { sso_session: "acme", region: "eu-west-1" }),
    spec("profile", "other", { region: "us-east-1" }),
  ),
  { minLength: 1, maxLength: 5 },
);

/** `upsertSection` block by block, or the error it throws. */
function oneByOne(text: string, specs: SectionSpec[], force: boolean): { text: string; results: Omit<UpsertResult, "text">[] } | string {
  try {
    const results: Omit<UpsertResult, "text">[] = [];
    let current = text;
    for (const s of specs) {
      const r = upsertSection(current, s, { force });
      results.push({ status: r.status, conflicts: r.conflicts });
      current = r.text;
    }
    return { text: current, results };
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
}

const apply = (text: string, changes: TextChange[]) => {
  let out = "";
  let at = 0;
  for (const c of changes) {
    expect(c.from).toBeGreaterThanOrEqual(at);
    out += text.slice(at, c.from) + c.text;
    at = c.to;
  }
  return out + text.slice(at);
};

describe("upsertSections", () => {
  it("gives the text, statuses and conflicts of upsertSection applied block by block, and the changes that make that text", () => {
    let fast = 0;
    fc.assert(
      fc.property(configFile, specLists, fc.boolean(), (text, specs, force) => {
        const expected = oneByOne(text, specs, force);
        let actual: ReturnType<typeof upsertSections> | string;
        try {
          actual = upsertSections(text, specs, { force });
        } catch (err) {
          if (!(err instanceof UserError)) throw err;
          actual = err.message;
        }
        if (typeof expected === "string" || typeof actual === "string") {
          // (The file-level message names the file; the block's reason is the same.)
          expect(typeof actual).toBe(typeof expected);
          return;
        }
        expect(actual.text).toBe(expected.text);
        expect(actual.results.map((r) => ({ status: r.status, conflicts: r.conflicts }))).toEqual(expected.results);
        expect(apply(text, actual.changes)).toBe(expected.text);
        if (text.endsWith("\n") && new Set(specs.map((s) => s.name + s.kind)).size === specs.length) fast++;
      }),
      { numRuns: 1500, seed: 7 },
    );
    // The one-scan path was taken often, not only the one-by-one fallback.
    expect(fast).toBeGreaterThan(300);
  });

  it("a block appended after a rebuilt last section follows the lines the rebuild left (here a blank line)", () => {
    // The value on two lines (a blank line between) goes; the blank line stays and ends the file.
    const text = "[profile acme-dev]\nsso_account_id = 1\n\n  2\n";
    const specs = [spec("profile", "acme-dev", { sso_account_id: "222222222222" }), spec("profile", "acme-new", { region: "eu-west-1" })];
    const expected = "[profile acme-dev]\nsso_account_id = 222222222222\n\n[profile acme-new]\nregion = eu-west-1\n";
    expect(oneByOne(text, specs, true)).toMatchObject({ text: expected });
    expect(upsertSections(text, specs, { force: true }).text).toBe(expected);
  });

  it("a block after an edit that changes which line ending most lines have gets the new one, as one by one", () => {
    // Four CRLF, three LF: CRLF. The rewrite drops the value's two CRLF continuation lines: LF.
    const text = "[profile acme-dev]\r\nsso_account_id = 1\r\n  2\r\n  3\r\n[profile b]\nregion = x\n\n";
    const specs = [spec("profile", "acme-dev", { sso_account_id: "222222222222" }), spec("profile", "acme-new", { region: "eu-west-1" })];
    const expected = "[profile acme-dev]\r\nsso_account_id = 222222222222\r\n[profile b]\nregion = x\n\n[profile acme-new]\nregion = eu-west-1\n";
    expect(oneByOne(text, specs, true)).toMatchObject({ text: expected });
    expect(upsertSections(text, specs, { force: true }).text).toBe(expected);
  });

  it("composeChange keeps the changes of several edits in the original's characters", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.string({ maxLength: 4 })), { maxLength: 6 }), (original, edits) => {
        let current = original;
        let changes: TextChange[] = [];
        for (const [at, length, text] of edits) {
          const from = at % (current.length + 1);
          const change = { from, to: Math.min(current.length, from + length), text };
          changes = composeChange(changes, change, current);
          current = current.slice(0, change.from) + text + current.slice(change.to);
          expect(apply(original, changes)).toBe(current);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("boundedDiff", () => {
  it("prints the same diff as the diff package's whole-file comparison", () => {
    fc.assert(
      fc.property(configFile, specLists, fc.nat(60), (file, specs, padding) => {
        // Unrelated sections around the file, so that the windows start and end inside it too.
        const pad = Array.from({ length: padding }, (_, n) => `[profile pad-${n}]\nregion = x\n`).join("");
        const text = file.endsWith("\n") || file === "" ? pad + file + pad.slice(0, padding * 7) : pad + file;
        let result;
        try {
          result = upsertSections(text, specs, { force: true });
        } catch (err) {
          if (err instanceof UserError) return;
          throw err;
        }
        if (result.text === text) return;
        expect(boundedDiff("a/config", "b/config", text, result.changes)).toBe(createTwoFilesPatch("a/config", "b/config", text, result.text, undefined, undefined, { context: 3 }));
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});
