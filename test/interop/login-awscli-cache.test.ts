/**
 * The AWS CLI (Debian's awscli v2, botocore vendored as `awscli.botocore`) reads the cache we write:
 * its `SSOTokenLoader` finds our token under the session name, its expiry check parses our
 * `expiresAt`, and its registration cache key names the same file we wrote the registration to, so
 * `aws sso login` and `org-bootstrap login` reuse each other's client registration.
 */
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { awsCliRoleCredentialsPath } from "../../src/local/roleCredentialsCache.js";
import { registrationCachePath } from "../../src/local/tokenCache.js";
import type { Sandbox } from "../../src/sandbox/server.js";
import { makeLoginHome, startCli } from "../helpers/loginCli.js";
import { openSandbox } from "../helpers/sandbox.js";
import { answerDevicePage, seedSsoWorld } from "../helpers/ssoSeed.js";

const run = promisify(execFile);

const PYTHON_CHECK = `
import json, sys
from awscli.botocore.utils import SSOTokenLoader, SSOTokenFetcher
from awscli.botocore.credentials import JSONFileCache
from awscli.customizations.sso.utils import SSO_TOKEN_DIR
start_url = sys.argv[1]
cache = JSONFileCache(SSO_TOKEN_DIR)
token = SSOTokenLoader(cache=cache)(start_url, session_name="acme")
fetcher = SSOTokenFetcher(sso_region="us-east-1", client_creator=None, cache=cache)
print(json.dumps({
  "hasToken": bool(token.get("accessToken")),
  "expired": fetcher._is_expired(token),
  "registrationKey": fetcher._registration_cache_key(start_url, "acme", ["sso:account:access"]),
}))
`;

describe("the AWS CLI reads org-bootstrap's SSO cache", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());

  it("finds the token, sees it valid, and derives the same registration file", async () => {
    const world = seedSsoWorld(sandbox.state);
    const h = await makeLoginHome(sandbox, world.startUrl, { dev: world.devAccountId, prod: world.prodAccountId });
    const cli = startCli(["login", "--device-code", "--no-browser"], h.env);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(sandbox.url, code, world.userName);
    expect(await cli.exit).toBe(0);

    const { stdout } = await run("/usr/bin/python3", ["-c", PYTHON_CHECK, world.startUrl], { env: { ...h.env, PYTHONPATH: "/usr/lib/python3/dist-packages" } });
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ hasToken: true, expired: false });
    const ours = registrationCachePath(h.home, { startUrl: world.startUrl, region: "us-east-1", scopes: ["sso:account:access"], sessionName: "acme" });
    expect(`${result.registrationKey}.json`).toBe(path.basename(ours));
    await fs.access(ours);
  });

  it("after `aws --profile acme-dev` cached its SSO role credentials, org-bootstrap logout removes them (as aws sso logout does)", async () => {
    sandbox.reset();
    const world = seedSsoWorld(sandbox.state);
    const h = await makeLoginHome(sandbox, world.startUrl, { dev: world.devAccountId, prod: world.prodAccountId });
    const cli = startCli(["login", "--device-code", "--no-browser"], h.env);
    const [, code] = await cli.waitFor(/code ([A-Z]{4}-[A-Z]{4})/);
    await answerDevicePage(sandbox.url, code, world.userName);
    expect(await cli.exit).toBe(0);

    // Debian's AWS CLI 2.9 reads no endpoint variable: the wrapper points its SSO portal client at the emulator.
    const wrapper = fileURLToPath(new URL("../helpers/aws-sso-endpoint.py", import.meta.url));
    const env = { ...h.env, PYTHONPATH: "/usr/lib/python3/dist-packages" };
    const { stdout } = await run("/usr/bin/python3", [wrapper, sandbox.url, "sts", "get-caller-identity", "--profile", "acme-dev", "--endpoint-url", sandbox.url, "--output", "json"], { env });
    expect(JSON.parse(stdout).Account).toBe(world.devAccountId);
    const cached = awsCliRoleCredentialsPath(h.home, { accountId: world.devAccountId, roleName: "AdministratorAccess", sessionName: "acme" });
    expect(JSON.parse(await fs.readFile(cached, "utf8")).ProviderType).toBe("sso");

    const logout = startCli(["logout"], h.env);
    expect(await logout.exit).toBe(0);
    await expect(fs.access(cached)).rejects.toThrow();
  });
});
