/**
 * Differential test of the AWS config editor against the two parsers that read the file: the AWS
 * CLI's (botocore `configloader.raw_config_parse` + `build_profile_map`, in the default python3)
 * and the AWS SDK for JavaScript's (`loadSharedConfigFiles` of `@smithy/shared-ini-file-loader`).
 *
 * fast-check generates config files in the shapes people write: indented keys under a header,
 * `key: value`, keys in other cases, inline comments, quoted section names, nested `s3 =` blocks,
 * CRLF. We keep the files both parsers accept and agree on (except on the keys we own in our own
 * blocks, which we are about to write), apply our edits (the `[sso-session acme]` and
 * `[profile acme-dev]` blocks, with `--force`), and require that both parsers still accept the
 * result, read our values exactly, and read every other section and key as before; then the same
 * after removing our profile. botocore runs in one python3 process for the whole batch.
 * docs/local-files.md ("Read the same way by the AWS CLI and the SDKs").
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { removeSection, upsertSection, type SectionSpec } from "../../src/local/awsConfig.js";
import { UserError } from "../../src/errors.js";

const session: SectionSpec = { kind: "sso-session", name: "acme", values: { sso_start_url: "https://d-1234567890.awsapps.com/start", sso_region: "eu-west-1", sso_registration_scopes: "sso:account:access" } };
const profile: SectionSpec = { kind: "profile", name: "acme-dev", values: { sso_session: "acme", sso_account_id: "111111111111", sso_role_name: "AdministratorAccess", region: "eu-west-1" } };
const ours = [session, profile];
/** Entries as `profile NAME`, `sso-session NAME`, `services NAME`; values flattened (`s3.k`). */
type Entries = Record<string, Record<string, string>>;
const targetEntry = (spec: SectionSpec) => `${spec.kind} ${spec.name}`;

// ------------------------------------------------------------------------------------------
// The two parsers

const BOTOCORE = String.raw`
import sys, json, tempfile, os, shlex
from botocore.configloader import raw_config_parse, build_profile_map
def flat(values):
    out = {}
    for k, v in values.items():
        if isinstance(v, dict):
            for k2, v2 in v.items(): out[k + "." + k2] = v2
        else: out[k] = v
    return out
d = tempfile.mkdtemp()
for n, line in enumerate(sys.stdin):
    p = os.path.join(d, "c%d" % n)
    with open(p, "wb") as f: f.write(json.loads(line).encode("utf-8"))
    try:
        raw = raw_config_parse(p)
        m = build_profile_map(raw)
        entries = {}
        for kind, group in (("profile", "profiles"), ("sso-session", "sso_sessions"), ("services", "services")):
            for name, values in m[group].items(): entries[kind + " " + name] = flat(values)
        ids = {}
        for h in raw:
            ids[h] = "profile default" if h == "default" else None
            for kind in ("profile", "sso-session", "services"):
                if h.startswith(kind):
                    try: parts = shlex.split(h)
                    except ValueError: parts = []
                    if len(parts) == 2: ids[h] = kind + " " + parts[1]
                    break
        print(json.dumps({"raw": {k: flat(v) for k, v in raw.items()}, "entries": entries, "ids": ids}))
    except Exception as e:
        print(json.dumps({"error": type(e).__name__}))
    os.unlink(p)
os.rmdir(d)
`;

interface BotoView {
  error?: string;
  raw: Entries;
  entries: Entries;
  /** What botocore's build_profile_map makes of each raw section header. */
  ids: Record<string, string | null>;
}

/** botocore's reading of many files, in one python3 process. */
function botocore(texts: string[]): BotoView[] {
  const run = spawnSync("python3", ["-c", BOTOCORE], { input: texts.map((t) => JSON.stringify(t)).join("\n") + "\n", encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 botocore failed: ${run.stderr}`);
  const out = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as BotoView);
  expect(out).toHaveLength(texts.length);
  return out;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "config-parsers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

/** The SDK's reading, mapped to the same entry names (`default` is `profile default`). */
async function sdk(text: string): Promise<Entries> {
  const configFilepath = path.join(dir, `config-${fileNo++}`);
  writeFileSync(configFilepath, text);
  const data = (await loadSharedConfigFiles({ configFilepath, filepath: path.join(dir, "none"), ignoreCache: true })).configFile;
  const out: Entries = {};
  for (const [key, values] of Object.entries(data)) {
    const dot = key.indexOf(".");
    const typed = dot > 0 && ["sso-session", "services"].includes(key.slice(0, dot));
    out[typed ? `${key.slice(0, dot)} ${key.slice(dot + 1)}` : `profile ${key}`] = { ...values } as Record<string, string>;
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// Comparing readings

const sorted = (e: Entries) => Object.fromEntries(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)));
const ownedKeys = (entry: string) => Object.keys(ours.find((s) => targetEntry(s) === entry)?.values ?? {});
const isOwned = (entry: string, key: string) => ownedKeys(entry).some((k) => key.toLowerCase() === k || key.toLowerCase().startsWith(`${k}.`));

/**
 * Entries without the keys we own in our blocks (those we are about to write). Empty entries are
 * left out: botocore lists a section without keys, the SDK does not.
 */
function withoutOwned(entries: Entries, caseless = false): Entries {
  const out: Entries = {};
  for (const [entry, values] of Object.entries(entries)) {
    const kept = Object.fromEntries(
      Object.entries(values)
        .filter(([k]) => !isOwned(entry, k))
        .map(([k, v]) => [caseless ? k.toLowerCase() : k, v]),
    );
    if (Object.keys(kept).length > 0) out[entry] = kept;
  }
  return sorted(out);
}


/** Both parsers read the file, and agree on everything but our owned keys (the CLI ignores case). */
function agree(boto: BotoView, sdkView: Entries): boolean {
  if (boto.error) return false;
  return JSON.stringify(withoutOwned(boto.entries)) === JSON.stringify(withoutOwned(sdkView, true));
}

/** Raw botocore sections other than ours (by what botocore makes of their header). */
function botoOthers(view: BotoView): Entries {
  const targets = new Set(ours.map(targetEntry));
  return sorted(Object.fromEntries(Object.entries(view.raw).filter(([h]) => !targets.has(view.ids[h] ?? ""))));
}

// ------------------------------------------------------------------------------------------
// Generated config files

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const value = fc.stringMatching(/^[A-Za-z0-9:/._-]{1,12}$/);
const comment = fc.tuple(fc.constantFrom("#", ";"), fc.stringMatching(/^[ -~]{0,16}$/)).map(([c, t]) => `${c}${t}`);
const ownedNames = ["sso_session", "sso_account_id", "sso_role_name", "region", "sso_start_url", "sso_region", "sso_registration_scopes"];
const keyName = fc.oneof(
  { weight: 3, arbitrary: word },
  { weight: 3, arbitrary: fc.constantFrom(...ownedNames) },
  { weight: 1, arbitrary: fc.constantFrom("SSO_Account_Id", "Region", "SSO_REGION", "Sso_Session") },
);
const delimiter = fc.constantFrom(" = ", "=", " =", "= ", ": ", ":", " : ");

/** One key line (or a nested block), indented like the section's other keys. */
const keyLine = fc.record({
  key: keyName,
  delim: fc.oneof({ weight: 4, arbitrary: fc.constant(" = ") }, { weight: 2, arbitrary: delimiter }),
  value,
  inline: fc.option(comment.map((c) => `   ${c}`), { freq: 5 }),
  nested: fc.option(fc.uniqueArray(fc.tuple(word, value), { selector: ([k]) => k, minLength: 1, maxLength: 2 }), { freq: 6 }),
});
const filler = fc.array(fc.oneof(comment, fc.constant(""), comment.map((c) => `  ${c}`)), { maxLength: 2 });

const header = fc.oneof(
  { weight: 2, arbitrary: word.map((w) => `profile other-${w}`) },
  { weight: 1, arbitrary: word.map((w) => `sso-session s-${w}`) },
  { weight: 1, arbitrary: fc.constant("default") },
  { weight: 1, arbitrary: word.map((w) => `services svc-${w}`) },
  { weight: 1, arbitrary: fc.constant("preview") },
  { weight: 3, arbitrary: fc.constantFrom("profile acme-dev", 'profile "acme-dev"', "profile 'acme-dev'", "profile\tacme-dev", "sso-session acme", 'sso-session "acme"', "sso-session 'acme'") },
);

const identityOf = (h: string) => h.replace(/["'\t]/g, (c) => (c === "\t" ? " " : "")).replace(/^default$/, "profile default");

const section = fc
  .record({
    header,
    // (A `]` in a header's comment makes it another section for the AWS CLI: see the unit tests.)
    headerComment: fc.option(comment.map((c) => ` ${c.replace(/\]/g, ")")}`), { freq: 6 }),
    indent: fc.constantFrom("", "", "", "  ", "\t"),
    keys: fc.uniqueArray(keyLine, { selector: (k) => k.key.toLowerCase(), maxLength: 5 }),
    fillers: fc.array(filler, { minLength: 6, maxLength: 6 }),
    lead: filler,
  })
  .map(({ header: h, headerComment, indent, keys, fillers, lead }) => [
    ...lead,
    `[${h}]${headerComment ?? ""}`,
    ...keys.flatMap((k, n) => {
      // Only our own keys get the syntax the two parsers read differently (the editor rewrites those).
      const owned = ownedNames.includes(k.key.toLowerCase());
      const delim = owned ? k.delim : " = ";
      const key = owned ? k.key : k.key.toLowerCase();
      const lines = k.nested ? [`${indent}${key}${delim.trimEnd()}`, ...k.nested.map(([nk, nv]) => `${indent}  ${nk} = ${nv}`)] : [`${indent}${key}${delim}${k.value}${owned ? (k.inline ?? "") : ""}`];
      return lines.concat(fillers[n % 6]);
    }),
  ]);

const configFile = fc
  .record({ sections: fc.uniqueArray(section, { selector: (lines) => identityOf(lines.find((l) => l.startsWith("["))!.replace(/^\[(.*)\].*$/, "$1")), maxLength: 5 }), eol: fc.constantFrom("\n", "\n", "\r\n"), finalNewline: fc.boolean() })
  .map(({ sections, eol, finalNewline }) => {
    const lines = sections.flat();
    return lines.join(eol) + (finalNewline && lines.length > 0 ? eol : "");
  });

// ------------------------------------------------------------------------------------------

describe("the config editor and the two AWS parsers read files the same way", () => {
  it("our edits of files both parsers agree on: both still accept them, read our values exactly and every other key as before", async () => {
    const originals = [...new Set(fc.sample(configFile, { numRuns: 700, seed: 12 }))];
    const before = botocore(originals);
    const sdkBefore = await Promise.all(originals.map(sdk));
    const kept = originals.map((text, i) => ({ text, boto: before[i], sdk: sdkBefore[i] })).filter((c) => agree(c.boto, c.sdk));
    // Enough files survive the filter, and the shapes this test is about are among them.
    expect(kept.length).toBeGreaterThan(200);
    for (const shape of [/^\s+sso_account_id/m, /^sso_\w+:/m, /^SSO_Account_Id/m, /\[sso-session "acme"\]/, /\[profile 'acme-dev'\]/, /sso_\w+ = \S+ +#/]) {
      expect(kept.some((c) => shape.test(c.text)), String(shape)).toBe(true);
    }

    const edited: { original: (typeof kept)[number]; upserted: string; removed: string }[] = [];
    const refused: string[] = [];
    for (const c of kept) {
      try {
        const upserted = ours.reduce((t, spec) => upsertSection(t, spec, { force: true }).text, c.text);
        edited.push({ original: c, upserted, removed: removeSection(upserted, "profile", "acme-dev").text });
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        refused.push(`${JSON.stringify(c.text)}\n  → ${err.message}`);
      }
    }
    // A file both parsers read the same way is never refused.
    expect(refused).toEqual([]);

    const afterBoto = botocore(edited.flatMap((e) => [e.upserted, e.removed]));
    for (const [n, e] of edited.entries()) {
      const [boto, botoRemoved] = [afterBoto[2 * n], afterBoto[2 * n + 1]];
      const [sdkView, sdkRemoved] = await Promise.all([sdk(e.upserted), sdk(e.removed)]);
      const where = `\n--- original\n${e.original.text}\n--- edited\n${e.upserted}`;
      expect(boto.error, `botocore refuses the edited file${where}`).toBeUndefined();
      for (const spec of ours) {
        // Our values, exactly, under their exact names, for both.
        for (const [k, v] of Object.entries(spec.values)) {
          expect(boto.entries[targetEntry(spec)]?.[k], `botocore ${targetEntry(spec)} ${k}${where}`).toBe(v);
          expect(sdkView[targetEntry(spec)]?.[k], `SDK ${targetEntry(spec)} ${k}${where}`).toBe(v);
        }
      }
      // Every other key of our blocks, and every other section, as before.
      expect(withoutOwned(boto.entries), `botocore entries${where}`).toEqual(withoutOwned({ ...e.original.boto.entries, ...Object.fromEntries(ours.map((s) => [targetEntry(s), e.original.boto.entries[targetEntry(s)] ?? {}])) }));
      expect(botoOthers(boto), `botocore raw sections${where}`).toEqual(botoOthers(e.original.boto));
      expect(withoutOwned(sdkView), `SDK${where}`).toEqual(withoutOwned({ ...e.original.sdk, ...Object.fromEntries(ours.map((s) => [targetEntry(s), e.original.sdk[targetEntry(s)] ?? {}])) }));
      // Removing our profile: both still accept the file, the profile is gone, the rest is as it was.
      expect(botoRemoved.error, `botocore refuses the file after removal${where}`).toBeUndefined();
      expect(botoRemoved.entries["profile acme-dev"]).toBeUndefined();
      expect(sdkRemoved["profile acme-dev"]).toBeUndefined();
      const others = (x: Entries) => withoutOwned(Object.fromEntries(Object.entries(x).filter(([k]) => k !== "profile acme-dev" && k !== "sso-session acme")));
      expect(others(botoRemoved.entries)).toEqual(others(e.original.boto.entries));
      expect(others(sdkRemoved)).toEqual(others(e.original.sdk));
    }
  });
});

describe("the reproductions (issue: edits that every AWS parser reads the same way)", () => {
  const dev = (lines: string[]) => ["[sso-session acme]", "sso_start_url = https://d-1234567890.awsapps.com/start", "sso_region = eu-west-1", "sso_registration_scopes = sso:account:access", "", ...lines, ""].join("\n");
  // Before: each of these got a second sso_account_id (or region) line, and every `aws` command
  // then failed with ConfigParseError; the inline comment one kept "# prod" in the CLI's value.
  const cases: Record<string, string> = {
    "an indented key right under the header": dev(["[profile acme-dev]", "  sso_account_id = 999999999999", "  sso_session = acme"]),
    "key: value": dev(["[profile acme-dev]", "sso_account_id: 999999999999", "sso_session: acme"]),
    "a key in another case": dev(["[profile acme-dev]", "SSO_Account_Id = 999999999999", "Region = us-east-1"]),
    "an inline comment on our value": dev(["[profile acme-dev]", "sso_account_id = 111111111111 # prod", "region = eu-west-1"]),
    "a quoted profile name": dev(["[profile \"acme-dev\"]", "sso_account_id = 999999999999"]),
    "our key indented under a nested setting": dev(["[profile acme-dev]", "  s3 =", "    addressing_style = path", "  region =", "    x = y"]),
  };
  it("each is edited in place, and both parsers read exactly our values and keep the rest", async () => {
    const originals = Object.values(cases);
    const edited = originals.map((t) => upsertSection(t, profile, { force: true }).text);
    const views = botocore([...originals, ...edited]);
    for (const [n, name] of Object.keys(cases).entries()) {
      const [before, after] = [views[n], views[originals.length + n]];
      const sdkView = await sdk(edited[n]);
      expect(before.error, name).toBeUndefined();
      expect(after.error, `${name}\n${edited[n]}`).toBeUndefined();
      expect(after.entries["profile acme-dev"], name).toMatchObject(profile.values);
      expect(sdkView["profile acme-dev"], name).toMatchObject(profile.values);
      expect(edited[n].match(/^\[profile/gm), name).toHaveLength(1);
    }
    expect(edited[3]).toContain("# prod\nsso_account_id = 111111111111\n");
    expect((await sdk(edited[5]))["profile acme-dev"]).toMatchObject({ "s3.addressing_style": "path" });
  });

  it("[sso-session \"acme\"] next to [sso-session acme] is a duplicate (the CLI keeps the last, the SDKs merge)", () => {
    const text = '[sso-session "acme"]\nsso_region = eu-west-1\n\n[sso-session acme]\nsso_start_url = https://d-1234567890.awsapps.com/start\n';
    expect(() => upsertSection(text, session)).toThrow(/line 4: \[sso-session acme\] is sso-session acme again for the AWS CLI \(first on line 1\)/);
  });

  it("a header only one parser reads as ours is refused with the line, never duplicated", () => {
    for (const header of ["[profile  acme-dev]", "[profile.acme-dev]", "[profile acme-dev] ; see [docs]"]) {
      expect(() => upsertSection(`${header}\nregion = eu-west-1\n`, profile), header).toThrow(/line 1\b.*for the AWS (CLI|SDKs)/);
    }
  });
});
