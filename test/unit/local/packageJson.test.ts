import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { addSsoScript, detectPackageManager, runScriptCommand, ssoScriptCommand } from "../../../src/local/packageJson.js";

const sso = { name: "sso", command: "org-bootstrap login --sso-session acme" };

describe("addSsoScript", () => {
  it("appends to existing scripts keeping indentation, key order, CRLF and the final newline", () => {
    const before = '{\r\n    "name": "app",\r\n    "scripts": {\r\n        "dev": "sst dev"\r\n    },\r\n    "type": "module"\r\n}';
    const r = addSsoScript(before, sso);
    expect(r.status).toBe("created");
    expect(r.text).toBe('{\r\n    "name": "app",\r\n    "scripts": {\r\n        "dev": "sst dev",\r\n        "sso": "org-bootstrap login --sso-session acme"\r\n    },\r\n    "type": "module"\r\n}');
    expect(addSsoScript(r.text, sso)).toEqual({ text: r.text, status: "unchanged" });
  });

  it("creates scripts when there are none, and fills an empty scripts object", () => {
    expect(addSsoScript('{\n  "name": "app"\n}\n', sso).text).toBe('{\n  "name": "app",\n  "scripts": {\n    "sso": "org-bootstrap login --sso-session acme"\n  }\n}\n');
    expect(addSsoScript('{\n  "name": "app",\n  "scripts": {}\n}\n', sso).text).toBe('{\n  "name": "app",\n  "scripts": {\n    "sso": "org-bootstrap login --sso-session acme"\n  }\n}\n');
    expect(JSON.parse(addSsoScript('{"name":"app","scripts":{"a":"b"}}', sso).text).scripts).toEqual({ a: "b", sso: sso.command });
  });

  it("never overwrites a different sso script unless forced", () => {
    const before = '{\n  "scripts": { "sso": "aws sso login" }\n}\n';
    expect(addSsoScript(before, sso)).toEqual({ text: before, status: "conflict", existing: "aws sso login" });
    const forced = addSsoScript(before, sso, { force: true });
    expect(forced).toEqual({ text: '{\n  "scripts": { "sso": "org-bootstrap login --sso-session acme" }\n}\n', status: "updated", existing: "aws sso login" });
  });

  it("refuses invalid JSON and odd shapes", () => {
    for (const bad of ["{", "[]", '{"scripts": []}', '{"scripts": "x"}']) expect(() => addSsoScript(bad, sso), bad).toThrow(UserError);
  });
});

describe("ssoScriptCommand", () => {
  it("uses the package runner unless org-bootstrap is already a dependency, or the AWS CLI on request", () => {
    expect(ssoScriptCommand({ session: "acme", version: "1.2.3" })).toBe("npx --yes org-bootstrap@1.2.3 login --sso-session acme");
    expect(ssoScriptCommand({ session: "acme", version: "1.2.3", packageJson: '{"devDependencies":{"org-bootstrap":"^1.0.0"}}' })).toBe("org-bootstrap login --sso-session acme");
    expect(ssoScriptCommand({ session: "acme", version: "1.2.3", via: "aws" })).toBe("aws sso login --sso-session=acme");
  });
});

describe("detectPackageManager", () => {
  it("reads the packageManager field, then the nearest lockfile up the tree, else npm", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "pm-"));
    try {
      const app = path.join(root, "packages", "app");
      await fs.mkdir(app, { recursive: true });
      expect(await detectPackageManager(app)).toBe("npm");
      await fs.writeFile(path.join(root, "yarn.lock"), "");
      expect(await detectPackageManager(app)).toBe("yarn");
      await fs.writeFile(path.join(app, "bun.lock"), "");
      expect(await detectPackageManager(app)).toBe("bun");
      await fs.writeFile(path.join(app, "package.json"), '{"packageManager":"pnpm@9.1.0"}');
      expect(await detectPackageManager(app)).toBe("pnpm");
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
    expect(["pnpm", "npm", "yarn", "bun"].map((pm) => runScriptCommand(pm as "npm", "sso"))).toEqual(["pnpm sso", "npm run sso", "yarn sso", "bun run sso"]);
  });
});
