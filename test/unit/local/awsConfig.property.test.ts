import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { removeSection, upsertSection, type SectionSpec } from "../../../src/local/awsConfig.js";

const ours: SectionSpec[] = [
  { kind: "sso-session", name: "acme", values: { sso_start_url: "https://d-1234567890.awsapps.com/start", sso_region: "eu-west-1", sso_registration_scopes: "sso:account:access" } },
  { kind: "profile", name: "acme.dev@x", values: { sso_session: "acme", sso_account_id: "111111111111", sso_role_name: "AdministratorAccess", region: "eu-west-1" } },
];

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const value = fc.stringMatching(/^[A-Za-z0-9:/._-]{1,12}$/);
const comment = fc.tuple(fc.constantFrom("#", ";"), fc.stringMatching(/^[ -~]{0,20}$/)).map(([c, t]) => `${c}${t}`);
const filler = fc.array(fc.oneof(comment, fc.constant("")), { maxLength: 2 });

/** One unrelated section: header, unique keys (some with a nested sub-section), comments, blanks. */
const section = fc
  .record({
    header: fc.oneof(word.map((w) => `profile other-${w}`), word.map((w) => `sso-session other-${w}`), fc.constant("default"), word.map((w) => `services s-${w}`)),
    keys: fc.uniqueArray(fc.tuple(word, value, fc.boolean(), filler), { selector: ([k]) => k, maxLength: 4 }),
    lead: filler,
  })
  .map(({ header, keys, lead }) => [
    ...lead,
    `[${header}]`,
    ...keys.flatMap(([k, v, nested, extra]) => (nested ? [`${k} =`, `  ${k}_a = ${v}`, `  ${k}_b=${v}`] : [`${k} = ${v}`]).concat(extra)),
  ]);

const configFile = fc
  .record({
    sections: fc.uniqueArray(section, { selector: (s) => s.find((l) => l.startsWith("["))!, maxLength: 5 }),
    eol: fc.constantFrom("\n", "\r\n"),
    finalNewline: fc.boolean(),
  })
  .map(({ sections, eol, finalNewline }) => {
    const lines = sections.flat();
    return lines.join(eol) + (finalNewline && lines.length > 0 ? eol : "");
  });

function upsertAll(text: string): string {
  return ours.reduce((t, spec) => upsertSection(t, spec).text, text);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "awsconfig-prop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
async function sdkView(text: string) {
  const configFilepath = path.join(dir, `config-${fileNo++}`);
  writeFileSync(configFilepath, text);
  return (await loadSharedConfigFiles({ configFilepath, filepath: path.join(dir, "none"), ignoreCache: true })).configFile;
}

describe("upsertSection on random config files", () => {
  it("keeps every byte of the original (as a prefix) and upsert twice equals upsert once", () => {
    fc.assert(
      fc.property(configFile, (original) => {
        const once = upsertAll(original);
        const eol = original.includes("\r\n") ? "\r\n" : "\n";
        const missingFinal = original.length > 0 && !original.endsWith("\n");
        expect(once.startsWith(missingFinal ? original + eol : original)).toBe(true);
        expect(upsertAll(once)).toBe(once);
        expect(missingFinal).toBe(!once.endsWith("\n"));
      }),
      { numRuns: 300 },
    );
  });

  it("only adds our key lines to an existing block of ours, whatever else it holds", () => {
    const existingBlock = fc.record({ file: configFile, extra: fc.uniqueArray(fc.tuple(word.map((w) => `x_${w}`), value), { selector: ([k]) => k, maxLength: 3 }), notes: filler });
    fc.assert(
      fc.property(existingBlock, ({ file, extra, notes }) => {
        const eol = file.includes("\r\n") ? "\r\n" : "\n";
        const block = ["[profile acme.dev@x]", ...notes, "sso_session = acme", ...extra.map(([k, v]) => `${k} = ${v}`)].join(eol) + eol;
        const original = file.length === 0 ? block : `${block}${eol}${file}`;
        const out = upsertSection(original, ours[1]).text;
        const before = original.split(eol);
        const after = out.split(eol);
        const added = after.filter((l) => !before.includes(l));
        expect(added).toEqual(["sso_account_id = 111111111111", "sso_role_name = AdministratorAccess", "region = eu-west-1"]);
        expect(after.filter((l) => !added.includes(l))).toEqual(before);
        expect(upsertSection(out, ours[1]).status).toBe("unchanged");
      }),
      { numRuns: 300 },
    );
  });

  it("the SDK's own loader sees our values and every original value unchanged; removal restores the file", async () => {
    await fc.assert(
      fc.asyncProperty(configFile, async (original) => {
        const once = upsertAll(original);
        const [beforeView, afterView] = await Promise.all([sdkView(original), sdkView(once)]);
        expect(afterView["acme.dev@x"]).toEqual(ours[1].values);
        expect(afterView["sso-session.acme"]).toEqual(ours[0].values);
        for (const [name, values] of Object.entries(beforeView)) expect(afterView[name]).toEqual(values);
        const removed = ours.reduceRight((t, spec) => removeSection(t, spec.kind, spec.name).text, once);
        // Exact undo, except where the original already ended in a blank line (then the blank
        // separator cannot be told apart from the user's own).
        const lines = original.replace(/\r?\n$/, "").split(/\r?\n/);
        if (original === "" || lines[lines.length - 1].trim() !== "") expect(removed).toBe(original);
      }),
      { numRuns: 100 },
    );
  });
});
