/**
 * Reads `[sso-session NAME]` and `[profile NAME]` blocks from the AWS config file with the SDK's own
 * loader (`@smithy/shared-ini-file-loader`), so we see exactly what the SDKs see (docs/local-files.md): a
 * section the SDK drops (a name with a space) does not exist for us either.
 */
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import { UserError } from "../errors.js";
import { statRegularFile } from "./regularFile.js";

export interface SsoSession {
  name: string;
  startUrl: string;
  region: string;
  /** `sso_registration_scopes`, comma-separated in the file; undefined when not set. */
  registrationScopes?: string[];
}

export interface SsoProfile {
  name: string;
  /** The `sso_session` it uses; undefined for a legacy profile with `sso_start_url` of its own. */
  ssoSession?: string;
  accountId?: string;
  roleName?: string;
  region?: string;
  /** Legacy profiles only: their own start URL and region. */
  legacyStartUrl?: string;
  legacyRegion?: string;
}

export interface SsoConfig {
  file: string;
  sessions: Map<string, SsoSession>;
  profiles: Map<string, SsoProfile>;
}

/** Names the SDK's loader keeps (docs/local-files.md). */
export const SECTION_NAME = /^[\w\-@+.%:/]+$/;

export function parseScopes(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const scopes = raw.split(",").map((s) => s.trim()).filter(Boolean);
  return scopes.length > 0 ? scopes : undefined;
}

export async function loadSsoConfig(file: string): Promise<SsoConfig> {
  // The SDK's loader would block forever on a named pipe and read a device: only a regular file.
  await statRegularFile(file);
  // The loader also reads a credentials file; point it at one that cannot exist so only `file` counts.
  const { configFile } = await loadSharedConfigFiles({ configFilepath: file, filepath: `${file}\u0000none`, ignoreCache: true });
  const sessions = new Map<string, SsoSession>();
  const profiles = new Map<string, SsoProfile>();
  const incomplete: string[] = [];
  for (const [key, values] of Object.entries(configFile)) {
    const v = values as Record<string, string | undefined>;
    if (key.startsWith("sso-session.")) {
      const name = key.slice("sso-session.".length);
      if (!v.sso_start_url || !v.sso_region) {
        incomplete.push(`[sso-session ${name}] has no ${!v.sso_start_url ? "sso_start_url" : "sso_region"}`);
        continue;
      }
      sessions.set(name, { name, startUrl: v.sso_start_url, region: v.sso_region, registrationScopes: parseScopes(v.sso_registration_scopes) });
      continue;
    }
    if (key.includes(".")) {
      // Other typed sections (services.x and the like); a profile named with a dot is `profile a.b`,
      // which the loader already turned into `a.b` — told apart by the known prefixes only.
      const prefix = key.slice(0, key.indexOf("."));
      if (prefix === "services") continue;
    }
    profiles.set(key, {
      name: key,
      ssoSession: v.sso_session,
      accountId: v.sso_account_id,
      roleName: v.sso_role_name,
      region: v.region,
      legacyStartUrl: v.sso_session ? undefined : v.sso_start_url,
      legacyRegion: v.sso_session ? undefined : v.sso_region,
    });
  }
  if (sessions.size === 0) await explainNoSession(file, incomplete);
  return { file, sessions, profiles };
}

/**
 * The SDK's loader reads a directory, a symlink loop or a broken file as "no settings" without a
 * word. When no session is found, say why if the file is to blame, instead of "run init".
 */
async function explainNoSession(file: string, incomplete: string[]): Promise<void> {
  const { readTextFile } = await import("./fileChange.js");
  const text = await readTextFile(file);
  if (text === null) return;
  const { checkConfigText } = await import("./awsConfig.js");
  const problems = [...checkConfigText(text).map((p) => `line ${p.line}: ${p.message}`), ...incomplete];
  if (problems.length > 0) {
    throw new UserError(`${file} has no usable [sso-session] block:\n  ${problems.join("\n  ")}`, "Fix those lines (or run org-bootstrap init to write the block), then run again.");
  }
}

/**
 * The session `login` works on: the flag, else the only one in the file, else undefined when
 * there are several (the caller asks, or fails without a terminal).
 */
export function pickSession(config: SsoConfig, requested: string | undefined): SsoSession | undefined {
  if (requested !== undefined) {
    if (!SECTION_NAME.test(requested)) {
      throw new UserError(`"${requested}" is not a valid sso-session name.`, "Names may use letters, digits and - _ @ + . % : / only (no spaces).");
    }
    const found = config.sessions.get(requested);
    if (!found) {
      const known = [...config.sessions.keys()];
      throw new UserError(
        `There is no [sso-session ${requested}] in ${config.file}.`,
        known.length ? `Known sessions: ${known.join(", ")}.` : "Run org-bootstrap init to write one, or add the block by hand.",
      );
    }
    return found;
  }
  if (config.sessions.size === 0) {
    throw new UserError(`No [sso-session] block in ${config.file}.`, "Run org-bootstrap init (or aws configure sso) to write one, or pass --config-file.");
  }
  if (config.sessions.size === 1) return [...config.sessions.values()][0];
  return undefined;
}

/** A profile and the session it signs in through; legacy profiles get a session of their own. */
export function sessionForProfile(config: SsoConfig, profileName: string): { profile: SsoProfile; session: SsoSession; cacheKey: string } {
  const profile = config.profiles.get(profileName);
  if (!profile) {
    throw new UserError(`There is no [profile ${profileName}] in ${config.file}.`, `Profiles: ${[...config.profiles.keys()].join(", ") || "none"}.`);
  }
  if (!profile.accountId || !profile.roleName) {
    throw new UserError(`Profile ${profileName} is not an SSO profile (it needs sso_account_id and sso_role_name).`, "Run org-bootstrap doctor to see how to replace it.");
  }
  if (profile.ssoSession) {
    const session = config.sessions.get(profile.ssoSession);
    if (!session) throw new UserError(`Profile ${profileName} uses sso_session ${profile.ssoSession}, which ${config.file} does not define.`);
    return { profile, session, cacheKey: session.name };
  }
  if (profile.legacyStartUrl && profile.legacyRegion) {
    // Legacy SSO profiles are cached under the start URL (botocore `_token_cache_key`).
    return { profile, session: { name: profileName, startUrl: profile.legacyStartUrl, region: profile.legacyRegion }, cacheKey: profile.legacyStartUrl };
  }
  throw new UserError(`Profile ${profileName} has no sso_session.`, "Add sso_session = <name> to the profile block.");
}
