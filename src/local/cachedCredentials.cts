/**
 * Reading the role credentials `env` and `exec` keep (docs/login.md, "Cached credentials"): which
 * files hold them, what makes them usable, and the four reads of a warm call. One implementation
 * for both readers: the full CLI (src/commands/env.ts, with readers that explain a refused file and
 * replace one others can read) and the installed command's warm path (src/bin.cts, with readers that
 * give up on any doubt, so the full CLI decides). CommonJS with Node's fs and path alone (and
 * src/local/sha.cts, not node:crypto): that warm path loads no ES module. The files' format and the writers are in
 * src/local/roleCredentialsCache.ts and src/local/tokenCache.ts.
 */
import path from "node:path";
import { readPrivateFile, readRegularFileSync } from "./checkedReads.cjs";
import { roleCredentialsCacheDir, ssoCacheDir } from "./paths.cjs";
import { sha1, sha256 } from "./sha.cjs";

export { sha1, sha256 } from "./sha.cjs";

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

/** What a profile of a config file resolves to, remembered while the file's bytes stay the same. */
export interface ProfileRole {
  key: RoleKey;
  region?: string;
}

/** Reused until this long before they expire (the JS SDK and the AWS CLI refresh as early). */
export const REUSE_WINDOW_MS = 5 * 60 * 1000;

/**
 * Python's `json.dumps(value, sort_keys=True)` (ASCII-escaped, ", " and ": " separators), or with
 * `compact` its `separators=(",", ":")` form.
 */
export function pythonJsonDumps(value: unknown, compact = false): string {
  const [item, colon] = compact ? [",", ":"] : [", ", ": "];
  const dump = (v: unknown): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "string") return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    if (typeof v === "number" || typeof v === "boolean") return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(dump).join(item)}]`;
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${dump(k)}${colon}${dump(x)}`).join(item)}}`;
  };
  return dump(value);
}

/** `~/.aws/sso/cache/<sha1>.json`: `sessionKey` is the sso-session name, or the start URL for a legacy profile. */
export function tokenCachePath(home: string, sessionKey: string): string {
  return path.join(ssoCacheDir(home), `${sha1(sessionKey)}.json`);
}

/** The directories of the SSO token cache, outermost first: each must be ours alone. */
export function ssoCacheDirs(home: string): string[] {
  const aws = path.join(home, ".aws");
  return [aws, path.join(aws, "sso"), ssoCacheDir(home)];
}

/** The directories of our role credentials cache, outermost first. */
export function ourCacheDirs(home: string): string[] {
  const aws = path.join(home, ".aws");
  return [aws, path.join(aws, "org-bootstrap"), roleCredentialsCacheDir(home)];
}

export function roleCredentialsPath(home: string, key: RoleKey): string {
  const id = pythonJsonDumps({ accountId: key.accountId, roleName: key.roleName, sessionKey: key.sessionKey, startUrl: key.startUrl }, true);
  return path.join(roleCredentialsCacheDir(home), `${sha1(id)}.json`);
}

export function profileIndexPath(home: string, configFile: string, profile: string): string {
  return path.join(roleCredentialsCacheDir(home), `profile-${sha1(`${configFile}\u0000${profile}`)}.json`);
}

/** `<sha1>.json` of our cache. */
export interface CredentialsFile {
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

/** `profile-<sha1>.json` of our cache. */
export interface ProfileIndexFile {
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

/** The credentials in a parsed `<sha1>.json`, when they are `key`'s, were obtained with `accessToken` and have more than 5 minutes left. */
export function usableCredentials(file: unknown, key: RoleKey, accessToken: string, now: number): CachedCredentials | undefined {
  const value = file as Partial<CredentialsFile> | undefined;
  if (!value || value.Version !== 1 || value.TokenHash !== sha256(accessToken)) return undefined;
  if (value.SessionKey !== key.sessionKey || value.StartUrl !== key.startUrl || value.AccountId !== key.accountId || value.RoleName !== key.roleName) return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken } = value;
  const expiration = Date.parse(value.Expiration ?? "");
  if (typeof AccessKeyId !== "string" || typeof SecretAccessKey !== "string" || typeof SessionToken !== "string") return undefined;
  if (!Number.isFinite(expiration) || expiration - now <= REUSE_WINDOW_MS) return undefined;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration };
}

/** The role in a parsed `profile-<sha1>.json`, when it is this profile's of this config file and the file's bytes are unchanged. */
export function rememberedRole(file: unknown, configFile: string, profile: string, configBytes: Buffer): ProfileRole | undefined {
  const v = file as Partial<ProfileIndexFile> | undefined;
  if (!v || v.Version !== 1 || v.ConfigFile !== configFile || v.Profile !== profile || v.ConfigHash !== sha256(configBytes)) return undefined;
  const { SessionKey, StartUrl, AccountId, RoleName } = v;
  if (typeof SessionKey !== "string" || typeof StartUrl !== "string" || typeof AccountId !== "string" || typeof RoleName !== "string") return undefined;
  return { key: { sessionKey: SessionKey, startUrl: StartUrl, accountId: AccountId, roleName: RoleName }, ...(typeof v.Region === "string" ? { region: v.Region } : {}) };
}

/** A parsed token cache file with the two fields every reader needs. */
export function isTokenFile(value: unknown): value is { accessToken: string; expiresAt: string } {
  const v = value as { accessToken?: unknown; expiresAt?: unknown } | undefined;
  return typeof v?.accessToken === "string" && typeof v.expiresAt === "string";
}

/** How a warm call reads its files; a reader answers undefined (or null) for a file it cannot use. */
export interface CacheReaders {
  config(file: string): Buffer | null | Promise<Buffer | null>;
  /** A file of our cache, parsed. */
  ours(file: string): unknown;
  /** A file of the SSO token cache, parsed. */
  sso(file: string): unknown;
}

export interface ProfileCredentials {
  profile: string;
  region?: string;
  credentials: CachedCredentials;
}

/**
 * The profile's credentials from our cache, when the session's cached token is the one that
 * obtained them: the config file's bytes, the profile's remembered role, the token, the credentials.
 */
export async function cachedCredentials(home: string, configFile: string, profile: string, read: CacheReaders, now = Date.now()): Promise<ProfileCredentials | undefined> {
  const bytes = await read.config(configFile);
  if (!bytes) return undefined;
  const role = rememberedRole(await read.ours(profileIndexPath(home, configFile, profile)), configFile, profile, bytes);
  if (!role) return undefined;
  const token = await read.sso(tokenCachePath(home, role.key.sessionKey));
  if (!isTokenFile(token)) return undefined;
  const credentials = usableCredentials(await read.ours(roleCredentialsPath(home, role.key)), role.key, token.accessToken, now);
  return credentials && { profile, region: role.region, credentials };
}

/**
 * The warm path's readers: a file only as the full CLI would use it unchanged — no refusal to
 * explain, no copy readable by others to replace, JSON that parses — else undefined, and the
 * full CLI takes over. A machine error is thrown (the caller gives up on it too).
 */
export function readersAsIs(home: string): CacheReaders {
  const cacheFile = (file: string, dirs: string[]): unknown => {
    const read = readPrivateFile(file, dirs);
    if (!("data" in read) || (read.stat.mode & 0o077) !== 0) return undefined;
    try {
      return JSON.parse(read.data.toString("utf8"));
    } catch {
      return undefined;
    }
  };
  return {
    config: (file) => {
      const read = readRegularFileSync(file);
      return "data" in read ? read.data : null;
    },
    ours: (file) => cacheFile(file, ourCacheDirs(home)),
    sso: (file) => cacheFile(file, ssoCacheDirs(home)),
  };
}
