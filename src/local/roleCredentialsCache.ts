/**
 * Role credentials kept between runs of `env` and `exec` (docs/login.md, "Cached credentials"), and
 * the AWS CLI's own cache of SSO role credentials, which `logout` clears as `aws sso logout` does.
 *
 * The AWS CLI runs a `credential_process` for every command: without a cache, each `aws` call would
 * cost a process start plus one portal `GetRoleCredentials`. Ours are in
 * `~/.aws/org-bootstrap/cache/<sha1>.json`, 0600 in 0700 directories, keyed by session, start URL,
 * account and role, and used only while the SSO token that obtained them is still the cached one
 * (a logout or a new login makes them unusable at once) and until 5 minutes before they expire.
 * Next to them, `profile-<sha1>.json` remembers which role a profile of a config file names, for as
 * long as that file's bytes are unchanged: a warm call then reads four small files and parses no
 * INI (the AWS SDK's loader alone would double its start-up).
 *
 * The AWS CLI's files are `~/.aws/cli/cache/<sha1>.json` holding `"ProviderType": "sso"`, named by
 * the sha1 of the sorted compact JSON `{accountId, roleName, sessionName}` (`startUrl` instead of
 * `sessionName` for a legacy profile): botocore `SSOCredentialFetcher._create_cache_key`
 * (docs/aws-facts.md, "Cached role credentials").
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import {
  ourCacheDirs,
  pythonJsonDumps,
  roleCredentialsPath,
  profileIndexPath,
  sha1,
  sha256,
  usableCredentials,
  type CachedCredentials,
  type CredentialsFile,
  type ProfileIndexFile,
  type ProfileRole,
  type RoleKey,
} from "./cachedCredentials.cjs";
import { awsCliCacheDir, roleCredentialsCacheDir } from "./paths.cjs";
import { readCacheFile, writeCacheFile, type PrivateCache } from "./tokenCache.js";

export { REUSE_WINDOW_MS, roleCredentialsPath, type CachedCredentials, type ProfileRole, type RoleKey } from "./cachedCredentials.cjs";

/** Our cache, as the full CLI reads and writes it: refusals explained, a copy readable by others replaced. */
export function ourCache(home: string): PrivateCache {
  return { dirs: ourCacheDirs(home), keeps: "role credentials", writer: "org-bootstrap", then: "run the command again" };
}

/**
 * The cached credentials for `key`, when they were obtained with `accessToken` and have more than
 * 5 minutes left; otherwise undefined. A link or another user's file at the path is refused
 * (`UserError`), as the token cache refuses one.
 */
export async function readCachedRoleCredentials(home: string, key: RoleKey, accessToken: string, now = Date.now()): Promise<CachedCredentials | undefined> {
  return usableCredentials(await readCacheFile(roleCredentialsPath(home, key), ourCache(home)), key, accessToken, now);
}

export async function writeCachedRoleCredentials(home: string, key: RoleKey, accessToken: string, c: CachedCredentials): Promise<string> {
  const file = roleCredentialsPath(home, key);
  const doc: CredentialsFile = {
    Version: 1,
    SessionKey: key.sessionKey,
    StartUrl: key.startUrl,
    AccountId: key.accountId,
    RoleName: key.roleName,
    TokenHash: sha256(accessToken),
    AccessKeyId: c.accessKeyId,
    SecretAccessKey: c.secretAccessKey,
    SessionToken: c.sessionToken,
    Expiration: new Date(c.expiration).toISOString(),
  };
  await writeCacheFile(ourCache(home), file, doc);
  return file;
}

export async function writeProfileRole(home: string, configFile: string, profile: string, configBytes: Buffer, role: ProfileRole): Promise<void> {
  const doc: ProfileIndexFile = {
    Version: 1,
    ConfigFile: configFile,
    Profile: profile,
    ConfigHash: sha256(configBytes),
    SessionKey: role.key.sessionKey,
    StartUrl: role.key.startUrl,
    AccountId: role.key.accountId,
    RoleName: role.key.roleName,
    ...(role.region ? { Region: role.region } : {}),
  };
  await writeCacheFile(ourCache(home), profileIndexPath(home, configFile, profile), doc);
}

async function readJsonLeniently(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile()) return undefined;
    const value: unknown = JSON.parse(await fs.readFile(file, "utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function unlinkIfThere(file: string): Promise<boolean> {
  try {
    await fs.unlink(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

/** Removes every credentials file of ours obtained through the session (and what pointed at them); returns how many credentials. */
export async function deleteCachedRoleCredentials(home: string, sessionKey: string): Promise<number> {
  const dir = roleCredentialsCacheDir(home);
  const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return [];
    throw err;
  });
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    const file = path.join(dir, name);
    const value = await readJsonLeniently(file);
    if (value?.SessionKey === sessionKey && (await unlinkIfThere(file)) && !name.startsWith("profile-")) removed += 1;
  }
  return removed;
}

/** Role credentials the AWS CLI obtained through an sso-session (`sessionName`) or a legacy profile (`startUrl`). */
export interface AwsCliRoleRef {
  accountId: string;
  roleName: string;
  sessionName?: string;
  startUrl?: string;
}

/** botocore `SSOCredentialFetcher._create_cache_key`: the AWS CLI's file for these role credentials. */
export function awsCliRoleCredentialsPath(home: string, r: AwsCliRoleRef): string {
  const args = { accountId: r.accountId, roleName: r.roleName, ...(r.sessionName ? { sessionName: r.sessionName } : { startUrl: r.startUrl }) };
  return path.join(awsCliCacheDir(home), `${sha1(pythonJsonDumps(args, true))}.json`);
}

/**
 * Removes the AWS CLI's cached SSO role credentials for these roles (a file only when it holds
 * `"ProviderType": "sso"`, as `aws sso logout` checks); returns how many.
 */
export async function deleteAwsCliRoleCredentials(home: string, roles: AwsCliRoleRef[]): Promise<number> {
  let removed = 0;
  for (const file of new Set(roles.map((r) => awsCliRoleCredentialsPath(home, r)))) {
    const value = await readJsonLeniently(file);
    if (value?.ProviderType === "sso" && (await unlinkIfThere(file))) removed += 1;
  }
  return removed;
}
