/**
 * What `env` prints (src/commands/env.ts): the credentials as shell exports or as the
 * `credential_process` JSON. Pure, and CommonJS with no import, so the installed command's warm
 * path (src/bin.cts) prints with this same code without loading any ES module.
 */
import type { ProfileCredentials } from "../local/cachedCredentials.cjs";

export const formats = ["sh", "fish", "powershell", "json"] as const;
export type ExportFormat = (typeof formats)[number];

export function isFormat(value: string): value is ExportFormat {
  return (formats as readonly string[]).includes(value);
}

/** The variables every AWS SDK and the AWS CLI read before any profile. */
export function credentialVariables(c: ProfileCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: c.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: c.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: c.credentials.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: new Date(c.credentials.expiration).toISOString(),
    ...(c.region ? { AWS_REGION: c.region, AWS_DEFAULT_REGION: c.region } : {}),
  };
}

const singleQuoted = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/** Pure: the text `env` prints for a format. */
export function formatCredentials(c: ProfileCredentials, format: ExportFormat): string {
  if (format === "json") {
    const doc = {
      Version: 1,
      AccessKeyId: c.credentials.accessKeyId,
      SecretAccessKey: c.credentials.secretAccessKey,
      SessionToken: c.credentials.sessionToken,
      Expiration: new Date(c.credentials.expiration).toISOString(),
    };
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
  const vars = Object.entries(credentialVariables(c));
  // A profile chosen earlier would compete with the exported keys in some tools (SST, since late
  // 2024, prefers AWS_PROFILE over its config): every format unsets it, as `sh` does.
  if (format === "fish") return `${vars.map(([k, v]) => `set -gx ${k} ${singleQuoted(v).replace(/'\\''/g, "\\'")};\n`).join("")}set -e AWS_PROFILE;\n`;
  if (format === "powershell") {
    return `${vars.map(([k, v]) => `$Env:${k} = '${v.replace(/'/g, "''")}'\n`).join("")}Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n`;
  }
  return `${vars.map(([k, v]) => `export ${k}=${singleQuoted(v)}\n`).join("")}unset AWS_PROFILE\n`;
}
