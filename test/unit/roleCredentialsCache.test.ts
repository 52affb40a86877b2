/** The role credentials caches: the AWS CLI's file names (botocore's cache key) and our reuse window. */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { awsCliRoleCredentialsPath, readCachedRoleCredentials, writeCachedRoleCredentials } from "../../src/local/roleCredentialsCache.js";

describe("the AWS CLI's SSO role credentials file", () => {
  // Expected names from botocore 1.43 `SSOCredentialFetcher(...)._create_cache_key()`.
  it("is named as botocore names it, for an sso-session and for a legacy profile", () => {
    const home = "/h";
    expect(path.basename(awsCliRoleCredentialsPath(home, { accountId: "222233334444", roleName: "AdministratorAccess", sessionName: "acme" }))).toBe(
      "d5e18ce233716569290d76fa3951969228bb0847.json",
    );
    expect(path.basename(awsCliRoleCredentialsPath(home, { accountId: "222233334444", roleName: "ReadOnly", startUrl: "https://d-1.awsapps.com/start" }))).toBe(
      "121256c75f66eeabad739a7ed696ff9f6cc9712b.json",
    );
    expect(path.dirname(awsCliRoleCredentialsPath(home, { accountId: "1", roleName: "r", sessionName: "s" }))).toBe("/h/.aws/cli/cache");
  });
});

describe("our cache", () => {
  const key = { sessionKey: "acme", startUrl: "https://d-1.awsapps.com/start", accountId: "222233334444", roleName: "AdministratorAccess" };
  const creds = (expiration: number) => ({ accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "t", expiration });

  it("hands credentials back only for the same token, key and more than 5 minutes left", async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), "rolecache-"));
    const now = Date.now();
    await writeCachedRoleCredentials(home, key, "token-1", creds(now + 5 * 60_000 + 1000));
    expect(await readCachedRoleCredentials(home, key, "token-1", now)).toMatchObject({ accessKeyId: "ASIAEXAMPLE" });
    expect(await readCachedRoleCredentials(home, key, "token-2", now)).toBeUndefined();
    expect(await readCachedRoleCredentials(home, { ...key, roleName: "ReadOnly" }, "token-1", now)).toBeUndefined();
    expect(await readCachedRoleCredentials(home, key, "token-1", now + 2000)).toBeUndefined();
  });
});
