import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSsoConfig, pickSession, sessionForProfile } from "../../src/local/ssoSessions.js";
import { ssoConfigText } from "../helpers/configText.js";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "sso-sessions-"));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

async function configWith(text: string) {
  const file = path.join(dir, "config");
  await fs.writeFile(file, text);
  return loadSsoConfig(file);
}

const one = `${ssoConfigText({ region: "eu-west-1" })}
[profile data.lake-prod]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-2
sso_account_id = 999
sso_role_name = ReadOnly

[profile has space]
sso_session = acme
`;

describe("sso sessions from the AWS config", () => {
  it("reads sessions and profiles as the SDK sees them (a name with a space does not exist)", async () => {
    const config = await configWith(one);
    expect(config.sessions.get("acme")).toEqual({
      name: "acme",
      startUrl: "https://d-1234567890.awsapps.com/start",
      region: "eu-west-1",
      registrationScopes: ["sso:account:access"],
    });
    expect([...config.profiles.keys()].sort()).toEqual(["acme-dev", "data.lake-prod"]);
    expect(sessionForProfile(config, "acme-dev")).toMatchObject({ cacheKey: "acme", profile: { accountId: "222233334444" } });
    expect(sessionForProfile(config, "data.lake-prod").cacheKey).toBe("https://legacy.awsapps.com/start");
  });

  it("picks the only session, the named one, or none when several exist", async () => {
    const config = await configWith(one);
    expect(pickSession(config, undefined)?.name).toBe("acme");
    expect(() => pickSession(config, "nope")).toThrow(/no \[sso-session nope\]/);
    expect(() => pickSession(config, "has space")).toThrow(/not a valid sso-session name/);
    const two = await configWith(`${one}\n[sso-session other]\nsso_start_url = https://o/start\nsso_region = us-east-1\n`);
    expect(pickSession(two, undefined)).toBeUndefined();
    const none = await configWith("[default]\nregion = us-east-1\n");
    expect(() => pickSession(none, undefined)).toThrow(/No \[sso-session\] block/);
  });
});
