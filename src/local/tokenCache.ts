/**
 * The SSO token cache that the AWS CLI, the AWS SDKs and SST share (docs/local-files.md; docs/aws-facts.md, SSO OIDC):
 *
 * - the token: `~/.aws/sso/cache/<sha1(session name)>.json` with `startUrl`, `region`,
 *   `accessToken`, `expiresAt`, `clientId`, `clientSecret`, `registrationExpiresAt`,
 *   `refreshToken` — the fields `@aws-sdk/token-providers` (`fromSso`) and botocore's
 *   `SSOTokenLoader` read (for a legacy profile without `sso_session`, the key is the start URL);
 * - the client registration: `~/.aws/sso/cache/<sha1(registration key)>.json` with `clientId`,
 *   `clientSecret`, `expiresAt` (+ `scopes`, `grantTypes`), where the key is the JSON that
 *   botocore's `_registration_cache_key` hashes. Using the same file means `aws sso login` and
 *   `org-bootstrap login` reuse each other's registration instead of registering a new client.
 *
 * Timestamps are written as the AWS CLI writes them (`%Y-%m-%dT%H:%M:%SZ`, RFC 3339 UTC); both
 * the CLI (dateutil) and the JS SDK (`new Date(...)`) parse that. Files are 0600 in a 0700
 * directory (the JS SDK itself does not restrict them), written atomically, never through a link.
 */
import { promises as fs, type Stats } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";
import { writeFileAtomic, writeThroughTemp } from "./atomicWrite.js";
import { isTokenFile, pythonJsonDumps, sha1, ssoCacheDirs, tokenCachePath } from "./cachedCredentials.cjs";
import { cacheDirProblem, cacheFileProblem, readPrivateFile, type DirProblem, type FileProblem } from "./checkedReads.cjs";
import { ssoCacheDir } from "./paths.cjs";
import { describeKind, ownerName } from "./regularFile.js";

export { pythonJsonDumps, tokenCachePath } from "./cachedCredentials.cjs";

export interface SsoToken {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes?: string[];
  grantTypes?: string[];
}

/** The AWS CLI treats a token or registration with less than 15 minutes left as expired. */
export const EXPIRY_WINDOW_MS = 15 * 60 * 1000;

export interface RegistrationKey {
  startUrl: string;
  region: string;
  /** `sso_registration_scopes` as configured; undefined when the session sets none. */
  scopes?: string[];
  sessionName: string;
}

/** botocore `SSOTokenFetcher._registration_cache_key`: sha1 of the sorted JSON of these fields. */
export function registrationCachePath(home: string, key: RegistrationKey): string {
  const args = { tool: "botocore", startUrl: key.startUrl, region: key.region, scopes: key.scopes ?? null, session_name: key.sessionName };
  return path.join(ssoCacheDir(home), `${sha1(pythonJsonDumps(args))}.json`);
}

/** RFC 3339 UTC without fractions, as the AWS CLI writes `expiresAt`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** True when `expiresAt` is missing, unparsable, or less than `windowMs` away. */
export function isExpired(expiresAt: string | undefined, now: number, windowMs = EXPIRY_WINDOW_MS): boolean {
  const at = expiresAt ? Date.parse(expiresAt) : Number.NaN;
  return !Number.isFinite(at) || at - now < windowMs;
}

/** A cache of secrets: its directories, outermost first, and what it keeps (for the messages). */
export interface PrivateCache {
  dirs: string[];
  keeps: string;
  /** Who writes its files, for a link found in their place. */
  writer: string;
  /** What to do once the problem is fixed. */
  then: string;
}

export const ssoCache = (home: string): PrivateCache => ({ dirs: ssoCacheDirs(home), keeps: "SSO tokens", writer: "the AWS CLI", then: "log in again" });

/** What we say about a directory or file of `cache` refused for `problem` (src/local/checkedReads.cts), and what to do. */
function refusal(cache: PrivateCache, problem: DirProblem | FileProblem, at: string, stat: Stats): UserError {
  const remove = `Remove it (rm "${at}") and ${cache.then}.`;
  switch (problem) {
    case "not-directory":
      return new UserError(`Refusing to keep ${cache.keeps} in ${at}: it is ${describeKind(stat)}, not a directory.`, `Move ${at} away, then ${cache.then}.`);
    case "owner":
      return new UserError(
        `Refusing to keep ${cache.keeps} in ${at}: it belongs to ${ownerName(stat.uid)}, who could read or replace them.`,
        `Make it yours (sudo chown ${process.getuid?.()} "${at}"), then ${cache.then}.`,
      );
    case "writable":
      return new UserError(
        `Refusing to keep ${cache.keeps} in ${at}: other users can write to it (mode ${(stat.mode & 0o7777).toString(8).padStart(4, "0")}).`,
        `Run: chmod go-w "${at}" — then ${cache.then}.`,
      );
    case "link":
      return new UserError(`Refusing to use ${at}: it is a symbolic link, not a file ${cache.writer} wrote.`, remove);
    case "not-file":
      return new UserError(`Refusing to use ${at}: it is ${describeKind(stat)}, not a file.`, remove);
    case "changeable":
      return new UserError(`Refusing to use ${at}: other users can change it.`, remove);
  }
}

/**
 * The cache directory and `~/.aws` must be ours alone (docs/security.md): in a directory that
 * others can write to, another user could plant `<sha1>.json -> ~/.bashrc` and have the next
 * login write the tokens there, or swap in a token of theirs. Missing directories are created
 * 0700; an existing one is checked, never chmod-ed (it may not be ours to change).
 */
async function assertPrivateCacheDir(cache: PrivateCache): Promise<void> {
  for (const dir of cache.dirs) {
    await makeDirectory(dir);
    const stat = await fs.stat(dir);
    const problem = cacheDirProblem(stat);
    if (problem) throw refusal(cache, problem, dir, stat);
  }
}

/**
 * One level at a time, so a failure is the machine's own (EACCES, EROFS): Node's recursive mkdir
 * reports ENOENT on a read-only file system. A missing HOME is still created as a whole.
 */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "ENOENT") throw err;
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  }
}

/**
 * Reads a cache file (src/local/checkedReads.cts), refusing one that someone else could have
 * planted or changed: a link (the AWS CLI writes plain files), a file other users can write (it
 * could hand us a token for someone else's session, or a registration whose secret an attacker
 * knows), another user's file, or one in a directory that is not ours alone. One that is ours but
 * readable by others is replaced by a 0600 copy: a file we create, never a chmod of whatever is at
 * the path.
 */
export async function readCacheFile(file: string, cache: PrivateCache): Promise<unknown | undefined> {
  const read = readPrivateFile(file, cache.dirs);
  if ("absent" in read) return undefined;
  if ("refused" in read) throw refusal(cache, read.refused, read.path, read.stat);
  let value: unknown;
  try {
    value = JSON.parse(read.data.toString("utf8"));
  } catch {
    // A truncated or hand-edited file is as good as no file: the next login replaces it.
    return undefined;
  }
  if ((read.stat.mode & 0o077) !== 0) await writeFileAtomic(file, read.data, { mode: 0o600, noFollow: true });
  return value;
}

/** A link or anything but a plain file at the path is refused rather than replaced, so a planted link is noticed; with `ours`, also a file others can change. */
async function assertReplaceable(cache: PrivateCache, file: string, ours: boolean): Promise<void> {
  const stat = await fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  const problem = stat && cacheFileProblem(stat);
  if (problem && (ours || problem !== "changeable")) throw refusal(cache, problem, file, stat);
}

/**
 * Writes a cache file as a new 0600 file of ours, replacing the path itself (never a link's
 * target), in a directory only we can change.
 */
export async function writeCacheFile(cache: PrivateCache, file: string, value: object): Promise<void> {
  await assertPrivateCacheDir(cache);
  await assertReplaceable(cache, file, false);
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, noFollow: true });
}

/** About the size of a token cache file with a refresh token: the probe needs as much room. */
const PROBE_BYTES = 4096;

/**
 * Proves that the session's token can be written, before a sign-in starts (docs/login.md): the
 * cache directories exist (or can be created) and are ours alone, no link or other kind of file
 * is at the token's path, and a file of a token's size can be written next to it and removed.
 * A person who approved a sign-in in the browser must never lose it to a read-only, full or
 * someone else's directory found only afterwards. The machine's errors go up as Node gives them.
 */
export async function assertTokenCacheWritable(home: string, sessionKey: string): Promise<void> {
  await assertPrivateCacheDir(ssoCache(home));
  const file = tokenCachePath(home, sessionKey);
  await assertReplaceable(ssoCache(home), file, true);
  await writeThroughTemp(file, Buffer.alloc(PROBE_BYTES, " "), { mode: 0o600 }, (temp) => fs.rm(temp));
}

export async function readCachedToken(home: string, sessionKey: string): Promise<SsoToken | undefined> {
  const value = await readCacheFile(tokenCachePath(home, sessionKey), ssoCache(home));
  return isTokenFile(value) ? (value as SsoToken) : undefined;
}

export async function writeCachedToken(home: string, sessionKey: string, token: SsoToken): Promise<string> {
  const file = tokenCachePath(home, sessionKey);
  // Field order as the AWS CLI writes them; optional fields only when known.
  const ordered: SsoToken = {
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    ...(token.clientId ? { clientId: token.clientId } : {}),
    ...(token.clientSecret ? { clientSecret: token.clientSecret } : {}),
    ...(token.registrationExpiresAt ? { registrationExpiresAt: token.registrationExpiresAt } : {}),
    ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
  };
  await writeCacheFile(ssoCache(home), file, ordered);
  return file;
}

/** Removes the cached token; true when there was one. */
export async function deleteCachedToken(home: string, sessionKey: string): Promise<boolean> {
  try {
    await fs.unlink(tokenCachePath(home, sessionKey));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

export async function readRegistration(home: string, key: RegistrationKey): Promise<ClientRegistration | undefined> {
  const value = (await readCacheFile(registrationCachePath(home, key), ssoCache(home))) as Partial<ClientRegistration> | undefined;
  if (!value || typeof value.clientId !== "string" || typeof value.clientSecret !== "string" || typeof value.expiresAt !== "string") return undefined;
  return value as ClientRegistration;
}

export async function writeRegistration(home: string, key: RegistrationKey, registration: ClientRegistration): Promise<void> {
  await writeCacheFile(ssoCache(home), registrationCachePath(home, key), registration);
}
