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
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { awsCliCacheDir, roleCredentialsCacheDir } from "./paths.js";
import { pythonJsonDumps, readCacheFile, writeCacheFile, type PrivateCache } from "./tokenCache.js";

export interface CachedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch ms. */
  expiration: number;
}

/** Which role credentials: `sessionKey` is the sso-session name, or the start URL of a legacy profile. */
export interface RoleKey {
  sessionKey: string;
  startUrl: string;
  accountId: string;
  roleName: string;
}

/** Reused until this long before they expire (the JS SDK and the AWS CLI refresh as early). */
export const REUSE_WINDOW_MS = 5 * 60 * 1000;

const sha1 = (text: string) => createHash("sha1").update(text, "utf8").digest("hex");
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const sha256Bytes = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function ourCache(home: string): PrivateCache {
  const aws = path.join(home, ".aws");
  return { dirs: [aws, path.join(aws, "org-bootstrap"), roleCredentialsCacheDir(home)], keeps: "role credentials", writer: "org-bootstrap", then: "run the command again" };
}

export function roleCredentialsPath(home: string, key: RoleKey): string {
  const id = pythonJsonDumps({ accountId: key.accountId, roleName: key.roleName, sessionKey: key.sessionKey, startUrl: key.startUrl }, true);
  return path.join(roleCredentialsCacheDir(home), `${sha1(id)}.json`);
}

interface CacheFile {
  Version: 1;
  SessionKey: string;
  StartUrl: string;
  AccountId: string;
  RoleName: string;
  /** sha256 of the SSO access token that obtained them: never the token itself. */
  TokenHash: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

/**
 * The cached credentials for `key`, when they were obtained with `accessToken` and have more than
 * 5 minutes left; otherwise undefined. A link or another user's file at the path is refused
 * (`UserError`), as the token cache refuses one.
 */
export async function readCachedRoleCredentials(home: string, key: RoleKey, accessToken: string, now = Date.now()): Promise<CachedCredentials | undefined> {
  const value = (await readCacheFile(roleCredentialsPath(home, key), ourCache(home))) as Partial<CacheFile> | undefined;
  if (!value || value.Version !== 1 || value.TokenHash !== sha256(accessToken)) return undefined;
  if (value.SessionKey !== key.sessionKey || value.StartUrl !== key.startUrl || value.AccountId !== key.accountId || value.RoleName !== key.roleName) return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken } = value;
  const expiration = Date.parse(value.Expiration ?? "");
  if (typeof AccessKeyId !== "string" || typeof SecretAccessKey !== "string" || typeof SessionToken !== "string") return undefined;
  if (!Number.isFinite(expiration) || expiration - now <= REUSE_WINDOW_MS) return undefined;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration };
}

export async function writeCachedRoleCredentials(home: string, key: RoleKey, accessToken: string, c: CachedCredentials): Promise<string> {
  const file = roleCredentialsPath(home, key);
  const doc: CacheFile = {
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

/** What a profile of a config file resolves to, remembered while the file's bytes stay the same. */
export interface ProfileRole {
  key: RoleKey;
  region?: string;
}

function profileIndexPath(home: string, configFile: string, profile: string): string {
  return path.join(roleCredentialsCacheDir(home), `profile-${sha1(`${configFile}\u0000${profile}`)}.json`);
}

interface ProfileIndexFile {
  Version: 1;
  ConfigFile: string;
  Profile: string;
  ConfigHash: string;
  SessionKey: string;
  StartUrl: string;
  AccountId: string;
  RoleName: string;
  Region?: string;
}

export async function readProfileRole(home: string, configFile: string, profile: string, configBytes: Buffer): Promise<ProfileRole | undefined> {
  const v = (await readCacheFile(profileIndexPath(home, configFile, profile), ourCache(home))) as Partial<ProfileIndexFile> | undefined;
  if (!v || v.Version !== 1 || v.ConfigFile !== configFile || v.Profile !== profile || v.ConfigHash !== sha256Bytes(configBytes)) return undefined;
  const { SessionKey, StartUrl, AccountId, RoleName } = v;
  if (typeof SessionKey !== "string" || typeof StartUrl !== "string" || typeof AccountId !== "string" || typeof RoleName !== "string") return undefined;
  return { key: { sessionKey: SessionKey, startUrl: StartUrl, accountId: AccountId, roleName: RoleName }, ...(typeof v.Region === "string" ? { region: v.Region } : {}) };
}

export async function writeProfileRole(home: string, configFile: string, profile: string, configBytes: Buffer, role: ProfileRole): Promise<void> {
  const doc: ProfileIndexFile = {
    Version: 1,
    ConfigFile: configFile,
    Profile: profile,
    ConfigHash: sha256Bytes(configBytes),
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
