import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deleteCachedToken,
  formatTimestamp,
  isExpired,
  pythonJsonDumps,
  readCachedToken,
  readRegistration,
  registrationCachePath,
  tokenCachePath,
  writeCachedToken,
  writeRegistration,
} from "../../src/local/tokenCache.js";

let home: string;
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), "token-cache-"));
});
afterEach(() => fs.rm(home, { recursive: true, force: true }));

const token = {
  startUrl: "https://d-1234567890.awsapps.com/start",
  region: "us-east-1",
  accessToken: "aoa-access",
  expiresAt: "2030-01-01T00:00:00Z",
  clientId: "client",
  clientSecret: "secret",
  registrationExpiresAt: "2030-03-01T00:00:00Z",
  refreshToken: "aor-refresh",
};

describe("token cache", () => {
  it("names the file by the sha1 of the session name, as the AWS CLI and SDKs do", () => {
    const sha = createHash("sha1").update("acme").digest("hex");
    expect(tokenCachePath(home, "acme")).toBe(path.join(home, ".aws", "sso", "cache", `${sha}.json`));
  });

  it("writes the fields the SDK reads, 0600 in a 0700 directory, and reads them back", async () => {
    const file = await writeCachedToken(home, "acme", token);
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toEqual(token);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect(await readCachedToken(home, "acme")).toEqual(token);
  });

  it("makes an existing, looser file 0600 when rewriting it", async () => {
    const file = tokenCachePath(home, "acme");
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, "{}", { mode: 0o644 });
    await writeCachedToken(home, "acme", token);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it("refuses a cache file that other users can write", async () => {
    const file = await writeCachedToken(home, "acme", token);
    await fs.chmod(file, 0o666);
    await expect(readCachedToken(home, "acme")).rejects.toThrow(/other users can change it/);
  });

  it("tightens a cache file readable by others by replacing it with a 0600 copy, never by a chmod", async () => {
    const file = await writeCachedToken(home, "acme", token);
    await fs.chmod(file, 0o644);
    // A second name for the same inode shows whether that inode was chmod-ed.
    const other = path.join(home, "same-inode");
    await fs.link(file, other);
    expect(await readCachedToken(home, "acme")).toEqual(token);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(other)).mode & 0o777).toBe(0o644);
    expect(JSON.parse(await fs.readFile(file, "utf8"))).toEqual(token);
  });

  it("never writes through a link at the cache file's path, and leaves the link's target alone", async () => {
    const file = tokenCachePath(home, "acme");
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const target = path.join(home, "target");
    await fs.writeFile(target, "keep\n", { mode: 0o644 });
    await fs.symlink(target, file);
    await expect(writeCachedToken(home, "acme", token)).rejects.toThrow(/symbolic link/);
    await expect(readCachedToken(home, "acme")).rejects.toThrow(/symbolic link/);
    expect(await fs.readFile(target, "utf8")).toBe("keep\n");
    expect((await fs.stat(target)).mode & 0o777).toBe(0o644);
  });

  it("refuses a cache directory others can write to, and does not chmod it", async () => {
    const dir = path.join(home, ".aws", "sso", "cache");
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.chmod(dir, 0o777);
    await expect(writeCachedToken(home, "acme", token)).rejects.toThrow(/other users can write to it \(mode 0777\)/);
    await expect(readCachedToken(home, "acme")).rejects.toThrow(/chmod go-w|other users can write/);
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o777);
  });

  it("treats a missing or corrupt file as no token, and deletes", async () => {
    expect(await readCachedToken(home, "acme")).toBeUndefined();
    const file = tokenCachePath(home, "acme");
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await fs.writeFile(file, "{not json", { mode: 0o600 });
    expect(await readCachedToken(home, "acme")).toBeUndefined();
    expect(await deleteCachedToken(home, "acme")).toBe(true);
    expect(await deleteCachedToken(home, "acme")).toBe(false);
  });

  it("formats timestamps as the AWS CLI does and applies the 15-minute window", () => {
    expect(formatTimestamp(Date.UTC(2030, 0, 2, 3, 4, 5, 678))).toBe("2030-01-02T03:04:05Z");
    const now = Date.UTC(2030, 0, 1);
    expect(isExpired("2030-01-01T00:14:00Z", now)).toBe(true);
    expect(isExpired("2030-01-01T00:16:00Z", now)).toBe(false);
    expect(isExpired("garbage", now)).toBe(true);
  });
});

describe("client registration cache", () => {
  it("uses botocore's registration key: sha1 of the sorted JSON of tool, startUrl, region, scopes, session_name", () => {
    // The exact bytes Python's json.dumps(args, sort_keys=True) produces for these values.
    const python =
      '{"region": "us-east-1", "scopes": ["sso:account:access"], "session_name": "acme", "startUrl": "https://d-1.awsapps.com/start", "tool": "botocore"}';
    const key = { startUrl: "https://d-1.awsapps.com/start", region: "us-east-1", scopes: ["sso:account:access"], sessionName: "acme" };
    expect(registrationCachePath(home, key)).toBe(path.join(home, ".aws", "sso", "cache", `${createHash("sha1").update(python).digest("hex")}.json`));
    expect(pythonJsonDumps({ b: null, a: "é" })).toBe('{"a": "\\u00e9", "b": null}');
  });

  it("round-trips a registration", async () => {
    const key = { startUrl: "https://x/start", region: "eu-west-1", sessionName: "acme" };
    const reg = { clientId: "c", clientSecret: "s", expiresAt: "2030-01-01T00:00:00Z", scopes: ["sso:account:access"] };
    await writeRegistration(home, key, reg);
    expect(await readRegistration(home, key)).toEqual(reg);
    expect(await readRegistration(home, { ...key, sessionName: "other" })).toBeUndefined();
  });
});
