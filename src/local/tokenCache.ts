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
 * directory (the JS SDK itself does not restrict them), written atomically.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";
import { writeFileAtomic } from "./atomicWrite.js";
import { ssoCacheDir } from "./paths.js";

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

const sha1 = (text: string) => createHash("sha1").update(text, "utf8").digest("hex");

/** `sessionKey` is the sso-session name, or the start URL for a legacy profile. */
export function tokenCachePath(home: string, sessionKey: string): string {
  return path.join(ssoCacheDir(home), `${sha1(sessionKey)}.json`);
}

/** Python's `json.dumps(value, sort_keys=True)` (ASCII-escaped, ", " and ": " separators). */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(", ")}}`;
}

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

/**
 * Reads a cache file, refusing one that someone else could have planted or changed: a file other
 * users can write could hand us a token for someone else's session, or a registration whose
 * secret an attacker knows. One that is ours but readable by others is tightened to 0600.
 */
async function readCacheFile(file: string): Promise<unknown | undefined> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const uid = process.getuid?.();
  if ((stat.mode & 0o022) !== 0 || (uid !== undefined && stat.uid !== uid && stat.uid !== 0)) {
    throw new UserError(`Refusing to use ${file}: other users can change it.`, `Remove it (rm "${file}") and log in again.`);
  }
  if ((stat.mode & 0o077) !== 0) await fs.chmod(file, 0o600);
  try {
    return JSON.parse(await fs.readFile(file, "utf8"));
  } catch {
    // A truncated or hand-edited file is as good as no file: the next login replaces it.
    return undefined;
  }
}

async function writeCacheFile(file: string, value: object): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
  // An existing file keeps its mode through writeFileAtomic; make sure that mode is 0600 first.
  await fs.chmod(file, 0o600).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "ENOENT") throw err;
  });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, dirMode: 0o700 });
}

export async function readCachedToken(home: string, sessionKey: string): Promise<SsoToken | undefined> {
  const value = (await readCacheFile(tokenCachePath(home, sessionKey))) as Partial<SsoToken> | undefined;
  if (!value || typeof value.accessToken !== "string" || typeof value.expiresAt !== "string") return undefined;
  return value as SsoToken;
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
  await writeCacheFile(file, ordered);
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
  const value = (await readCacheFile(registrationCachePath(home, key))) as Partial<ClientRegistration> | undefined;
  if (!value || typeof value.clientId !== "string" || typeof value.clientSecret !== "string" || typeof value.expiresAt !== "string") return undefined;
  return value as ClientRegistration;
}

export async function writeRegistration(home: string, key: RegistrationKey, registration: ClientRegistration): Promise<void> {
  await writeCacheFile(registrationCachePath(home, key), registration);
}
