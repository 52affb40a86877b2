import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { checkConfigText, findSections, removeSection, upsertSection, validateSectionName } from "../../../src/local/awsConfig.js";

const session = {
  kind: "sso-session" as const,
  name: "acme",
  values: { sso_start_url: "https://d-1234567890.awsapps.com/start", sso_region: "eu-west-1", sso_registration_scopes: "sso:account:access" },
};
const devProfile = {
  kind: "profile" as const,
  name: "acme-dev",
  values: { sso_session: "acme", sso_account_id: "111111111111", sso_role_name: "AdministratorAccess", region: "eu-west-1" },
};

describe("upsertSection", () => {
  it("writes a new block into an empty file with owned keys in a stable order", () => {
    const reordered = { ...devProfile, values: { region: "eu-west-1", sso_role_name: "AdministratorAccess", sso_account_id: "111111111111", sso_session: "acme" } };
    const r = upsertSection("", reordered);
    expect(r.status).toBe("created");
    expect(r.text).toBe(
      "[profile acme-dev]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n",
    );
  });

  it("appends after exactly one blank line and keeps every existing byte", () => {
    const before = "# my settings\n[default]\nregion = us-east-1 ; inline\n\n";
    const r = upsertSection(before, session);
    expect(r.text).toBe(
      `${before}[sso-session acme]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n`,
    );
    const noBlank = "[default]\nregion = us-east-1\n";
    expect(upsertSection(noBlank, devProfile).text.startsWith(`${noBlank}\n[profile acme-dev]\n`)).toBe(true);
  });

  it("keeps CRLF line endings", () => {
    const before = "[default]\r\nregion = us-east-1\r\n";
    const r = upsertSection(before, devProfile);
    expect(r.text).toBe(
      "[default]\r\nregion = us-east-1\r\n\r\n[profile acme-dev]\r\nsso_session = acme\r\nsso_account_id = 111111111111\r\nsso_role_name = AdministratorAccess\r\nregion = eu-west-1\r\n",
    );
  });

  it("keeps a missing final newline missing", () => {
    const r = upsertSection("[default]\nregion = us-east-1", devProfile);
    expect(r.text).toBe(
      "[default]\nregion = us-east-1\n\n[profile acme-dev]\nsso_session = acme\nsso_account_id = 111111111111\nsso_role_name = AdministratorAccess\nregion = eu-west-1",
    );
  });

  it("a second identical upsert is unchanged and returns the same string", () => {
    const once = upsertSection(upsertSection("[default]\nregion = x\n", session).text, devProfile).text;
    const again = upsertSection(upsertSection(once, session).text, devProfile);
    expect(again.status).toBe("unchanged");
    expect(again.text).toBe(once);
  });

  it("leaves unknown keys, comments and nested sub-sections inside our block alone", () => {
    const before = [
      "[profile acme-dev]",
      "; owned by me",
      "sso_session = acme",
      "s3 =",
      "  max_concurrent_requests = 20",
      "  region = us-west-2",
      "cli_pager = ",
      "output = json # keep",
      "",
      "# next",
      "[profile other]",
      "region = us-east-1",
      "",
    ].join("\n");
    const r = upsertSection(before, devProfile);
    expect(r.status).toBe("updated");
    expect(r.conflicts).toEqual([]);
    // The indented `region` belongs to s3; the profile's own region is added after the last key.
    expect(r.text).toBe(
      [
        "[profile acme-dev]",
        "; owned by me",
        "sso_session = acme",
        "s3 =",
        "  max_concurrent_requests = 20",
        "  region = us-west-2",
        "cli_pager = ",
        "output = json # keep",
        "sso_account_id = 111111111111",
        "sso_role_name = AdministratorAccess",
        "region = eu-west-1",
        "",
        "# next",
        "[profile other]",
        "region = us-east-1",
        "",
      ].join("\n"),
    );
  });

  it("reports a conflict without changing the text, and replaces only the value with force", () => {
    const before = "[profile acme-dev]\nsso_session=acme\nsso_account_id =  999999999999\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n";
    const r = upsertSection(before, devProfile);
    expect(r.status).toBe("conflict");
    expect(r.text).toBe(before);
    expect(r.conflicts).toEqual([{ key: "sso_account_id", old: "999999999999", new: "111111111111" }]);
    const forced = upsertSection(before, devProfile, { force: true });
    expect(forced.status).toBe("updated");
    expect(forced.text).toBe(before.replace("999999999999", "111111111111"));
  });

  it("an inline comment is part of the value for the AWS CLI: a conflict, and with force the comment moves above", () => {
    const before = "[profile acme-dev]\nsso_session = acme\nsso_account_id = 111111111111   # prod account\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n";
    const r = upsertSection(before, devProfile);
    expect(r.conflicts).toEqual([{ key: "sso_account_id", old: "111111111111   # prod account", new: "111111111111" }]);
    expect(upsertSection(before, devProfile, { force: true }).text).toBe(before.replace("sso_account_id = 111111111111   # prod account", "# prod account\nsso_account_id = 111111111111"));
  });

  it("accepts dots and @ in names and finds them again", () => {
    const spec = { ...devProfile, name: "data.lake-prod@acme" };
    const text = upsertSection("", spec).text;
    expect(text.startsWith("[profile data.lake-prod@acme]\n")).toBe(true);
    expect(findSections(text)[0]).toMatchObject({ kind: "profile", name: "data.lake-prod@acme" });
    expect(upsertSection(text, spec).status).toBe("unchanged");
  });

  it("does not mistake [default] or [profile acme-dev-old] for [profile acme-dev]", () => {
    const before = "[default]\nsso_session = other\n[profile acme-dev-old]\nsso_session = old\n";
    const r = upsertSection(before, devProfile);
    expect(r.status).toBe("created");
    expect(r.text.startsWith(before)).toBe(true);
  });

  it("refuses names the SDK would silently drop, before producing anything", () => {
    for (const name of ["acme dev", "acme[dev]", "acmé", "a=b", "", "x#y", "__proto__"]) {
      expect(() => upsertSection("", { ...devProfile, name }), name).toThrow(UserError);
    }
    expect(() => validateSectionName("acme dev")).toThrow(/silently ignore/);
    expect(() => validateSectionName("data.lake-prod")).not.toThrow();
    expect(() => validateSectionName("team+x%y:z/w_1")).not.toThrow();
  });

  it("refuses values that would change meaning", () => {
    for (const value of ["", "a\nb", "x # y", " lead"]) {
      expect(() => upsertSection("", { ...devProfile, values: { region: value } }), JSON.stringify(value)).toThrow(UserError);
    }
  });

  it("refuses duplicate sections and duplicate keys, as the AWS CLI does", () => {
    const dup = "[profile acme-dev]\nregion = a\n[profile acme-dev]\nregion = b\n";
    expect(() => upsertSection(dup, devProfile)).toThrow(/line 3: \[profile acme-dev\] appears twice \(first on line 1\)/);
    try {
      upsertSection(dup, devProfile);
    } catch (err) {
      expect((err as UserError).hint).toMatch(/AWS CLI refuses/);
    }
    expect(() => upsertSection("[default]\nregion = a\nREGION = b\n", devProfile)).toThrow(/set twice/);
  });

  it("refuses unparsable lines and settings before the first section", () => {
    expect(checkConfigText("[default]\nthis is not ini\n")).toEqual([{ line: 2, message: expect.stringContaining("not a [section]") }]);
    expect(checkConfigText("region = x\n[default]\n")[0].message).toMatch(/before the first/);
    expect(checkConfigText("# only a comment\n\n; another\n")).toEqual([]);
    expect(() => upsertSection("[default]\ngarbage\n", devProfile)).toThrow(UserError);
  });
});

describe("removeSection", () => {
  it("undoes an append exactly", () => {
    for (const before of ["[default]\nregion = x\n", "[default]\r\nregion = x\r\n", "[default]\nregion = x", "# c\n"]) {
      const added = upsertSection(before, devProfile).text;
      expect(removeSection(added, "profile", "acme-dev")).toEqual({ text: before, removed: true });
    }
  });

  it("removes a block in the middle and keeps the comment that introduces the next one", () => {
    const before = "[profile a]\nregion = x\n\n[profile acme-dev]\nsso_session = acme\n\n# the b profile\n[profile b]\nregion = y\n";
    expect(removeSection(before, "profile", "acme-dev").text).toBe("[profile a]\nregion = x\n\n# the b profile\n[profile b]\nregion = y\n");
  });

  it("reports nothing removed when the block is absent", () => {
    expect(removeSection("[default]\n", "profile", "acme-dev")).toEqual({ text: "[default]\n", removed: false });
  });
});

describe("findSections", () => {
  it("reads values the way the SDK does", () => {
    const [s] = findSections("[sso-session acme] # ours\nsso_region = eu-west-1 ; comment\nsso_start_url=https://x.awsapps.com/start#frag\n");
    expect(s).toMatchObject({ kind: "sso-session", name: "acme" });
    expect(s.values).toEqual({ sso_region: "eu-west-1", sso_start_url: "https://x.awsapps.com/start#frag" });
  });
});

describe("upsertSection with keep (a profile's region is the person's once written)", () => {
  const spec = { kind: "profile" as const, name: "acme-dev", values: { sso_session: "acme", region: "us-east-1" }, keep: ["region"] };
  it("keeps a differing value of a kept key: no conflict, no byte changed", () => {
    const text = "[profile acme-dev]\nsso_session = acme\nregion = ap-southeast-2\n";
    expect(upsertSection(text, spec)).toEqual({ text, status: "unchanged", conflicts: [] });
  });
  it("writes a kept key the section lacks, and every key of a new section", () => {
    expect(upsertSection("[profile acme-dev]\nsso_session = acme\n", spec).text).toBe("[profile acme-dev]\nsso_session = acme\nregion = us-east-1\n");
    expect(upsertSection("", spec).text).toBe("[profile acme-dev]\nsso_session = acme\nregion = us-east-1\n");
  });
  it("still reports other keys that differ, and a kept key without keep", () => {
    const text = "[profile acme-dev]\nsso_session = other\nregion = ap-southeast-2\n";
    expect(upsertSection(text, spec).conflicts).toEqual([{ key: "sso_session", old: "other", new: "acme" }]);
    expect(upsertSection(text, { ...spec, keep: [] }).conflicts).toEqual([
      { key: "sso_session", old: "other", new: "acme" },
      { key: "region", old: "ap-southeast-2", new: "us-east-1" },
    ]);
  });
});
