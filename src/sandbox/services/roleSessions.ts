/**
 * Temporary credentials, as both the SSO portal (GetRoleCredentials) and STS (AssumeRole) hand
 * them out: an `ASIA…` key id the emulator remembers, so later calls signed with it are known to
 * act as that role in that account (GetCallerIdentity, the call log's `signedAs`).
 */
import { randomBytes } from "node:crypto";
import type { RoleSession, SandboxState } from "../state.js";

const upperAlnum = (n: number) => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join("");
};

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

export function issueRoleCredentials(state: SandboxState, session: RoleSession): IssuedCredentials {
  const accessKeyId = `ASIA${upperAlnum(16)}`;
  const secretAccessKey = randomBytes(30).toString("base64");
  const sessionToken = `sandbox-session/${randomBytes(96).toString("base64")}`;
  state.roleSessions.set(accessKeyId, { ...session, secretAccessKey, sessionToken });
  return { accessKeyId, secretAccessKey, sessionToken, expiresAt: session.expiresAt };
}

/** STS's `Credentials` member (AssumeRole, AssumeRoleWithWebIdentity): the issued keys and their expiry. */
export function stsCredentials(issued: IssuedCredentials) {
  return {
    AccessKeyId: issued.accessKeyId,
    SecretAccessKey: issued.secretAccessKey,
    SessionToken: issued.sessionToken,
    Expiration: new Date(issued.expiresAt).toISOString(),
  };
}
