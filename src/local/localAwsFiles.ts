/**
 * Every profile of `~/.aws/config` and `~/.aws/credentials`, with all their keys, as the AWS SDK
 * reads them (`@smithy/shared-ini-file-loader`, docs/local-files.md): what `doctor` checks. Read-only.
 * The credentials file holds secrets: callers look at which keys are present, never print values.
 */
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader";
import type { IniSection, LocalAwsFiles } from "../plan/doctorChecks.js";
import { readTextFile } from "./fileChange.js";

// The shape doctor's checks read; defined with them so planning imports nothing from here.
export type { IniSection, LocalAwsFiles } from "../plan/doctorChecks.js";

/** Typed sections the loader keys as `<type>.<name>`; anything else is a profile (dots included). */
const TYPED_PREFIXES = ["sso-session.", "services."];

export async function loadLocalAwsFiles(configFile: string, credentialsFile: string): Promise<LocalAwsFiles> {
  // A missing file reads as empty, as the SDK treats it; one we cannot read (a directory, a
  // symlink loop, no permission) is an error, where the SDK would silently see nothing.
  await Promise.all([readTextFile(configFile, "the AWS config file"), readTextFile(credentialsFile, "the AWS credentials file")]);
  const loaded = await loadSharedConfigFiles({ configFilepath: configFile, filepath: credentialsFile, ignoreCache: true });
  const configProfiles: Record<string, IniSection> = {};
  const ssoSessions: Record<string, IniSection> = {};
  for (const [key, values] of Object.entries(loaded.configFile)) {
    if (key.startsWith("sso-session.")) ssoSessions[key.slice("sso-session.".length)] = values;
    else if (!TYPED_PREFIXES.some((p) => key.startsWith(p))) configProfiles[key] = values;
  }
  return { configFile, credentialsFile, configProfiles, ssoSessions, credentialProfiles: { ...loaded.credentialsFile } };
}
