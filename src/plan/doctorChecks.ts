/**
 * `doctor`'s checks as data (docs/architecture.md, Habits: choices as data): each a pure function from the facts
 * gathered about this machine (config and credentials files, environment, token cache, and —
 * when the credentials allow — the organisation and the caller) to a result with, for every
 * problem, the fix to apply. No I/O here: `src/commands/doctor.ts` gathers, `src/ui/doctorView.ts`
 * renders.
 */
import { END_OF_LIFE_NODE_MAJORS, MIN_NODE_MAJOR, SUPPORTED_NODE } from "../nodeSupport.js";
import { accountsWithoutProfile, compareProfiles, sessionState, type StatusAccount } from "./statusReport.js";
import { permissionSetPresets } from "./presets.js";

export type IniSection = Record<string, string | undefined>;

/** `~/.aws/config` and `~/.aws/credentials` as the SDK reads them (`src/local/localAwsFiles.ts` loads them). */
export interface LocalAwsFiles {
  configFile: string;
  credentialsFile: string;
  /** `[profile NAME]` and `[default]` of the config file, by profile name. */
  configProfiles: Record<string, IniSection>;
  /** `[sso-session NAME]` blocks, by name. */
  ssoSessions: Record<string, IniSection>;
  /** Every section of the credentials file, by profile name. */
  credentialProfiles: Record<string, IniSection>;
}

/** Something only AWS can tell, or why we could not ask. */
export type Remote<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface DoctorFacts {
  now: number;
  nodeVersion: string;
  env: { accessKeyId: boolean; sessionToken: boolean };
  files: LocalAwsFiles;
  /** The sso-session the organisation checks use (as the other commands choose it). */
  session?: { name: string; orgName: string; region: string };
  /** Cached token expiry per sso-session name (undefined: no token). */
  tokens: Record<string, string | undefined>;
  organization: Remote<{ accounts: StatusAccount[]; permissionSetNames: string[] }>;
  /**
   * What the person's SSO sign-in can use (the access portal), read when the organization cannot
   * be (a teammate without management-account credentials); absent when not needed or not logged in.
   */
  access?: Remote<{ id: string; name: string; roles: string[] }[]>;
  caller: Remote<{ arn: string; accountId: string; isRoot: boolean }>;
  /**
   * The project's sst.config.ts (absent: none in the project directory) and the AWS_PROFILE that
   * SST would take instead of its per-stage selector: from the environment, or the project's `.env`.
   */
  sst?: { configFile: string; environmentProfile?: string; dotEnv?: { file: string; line: number; value: string } };
}

export interface Problem {
  message: string;
  /** What to do: paragraphs (the view wraps them) and config block lines to paste. */
  fix: string[];
}

export interface CheckResult {
  status: "pass" | "fail" | "skip";
  /** One line: what was looked at, or why it was skipped. */
  summary: string;
  problems: Problem[];
}

export interface DoctorCheck {
  id: string;
  title: string;
  run(facts: DoctorFacts): CheckResult;
}

const pass = (summary: string): CheckResult => ({ status: "pass", summary, problems: [] });
const skip = (summary: string): CheckResult => ({ status: "skip", summary, problems: [] });
const fail = (summary: string, problems: Problem[]): CheckResult => ({ status: problems.length ? "fail" : "pass", summary, problems });
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/**
 * An SSO profile block as init writes it: the config editor's key order (`OWNED_KEY_ORDER` in
 * `src/local/awsConfig.ts`; test/unit/plan/doctorChecks.test.ts checks the two agree). Written
 * here because planning does no file editing (docs/architecture.md, layers).
 */
export function profileBlock(name: string, values: { ssoSession: string; accountId: string; roleName: string; region: string }): string[] {
  return [`[profile ${name}]`, `sso_session = ${values.ssoSession}`, `sso_account_id = ${values.accountId}`, `sso_role_name = ${values.roleName}`, `region = ${values.region}`];
}

const ssoProfiles = (f: DoctorFacts, session: string) =>
  Object.entries(f.files.configProfiles)
    .filter(([, v]) => v.sso_session === session)
    .map(([name, v]) => ({ name, ...(v.sso_account_id ? { accountId: v.sso_account_id } : {}), ...(v.sso_role_name ? { roleName: v.sso_role_name } : {}), region: v.region }));

/** The role most of the session's profiles use (init writes AdministratorAccess). */
function usualRole(f: DoctorFacts, session: string): string {
  const counts = new Map<string, number>();
  for (const p of ssoProfiles(f, session)) if (p.roleName) counts.set(p.roleName, (counts.get(p.roleName) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? permissionSetPresets.admin.name;
}

/**
 * The region a new stage profile gets: the one the session's stage profiles use (init --region,
 * docs/init.md Regions), else Identity Center's. `<org>-management` is left out: it stays in
 * Identity Center's region whatever the workloads use.
 */
function workloadRegion(f: DoctorFacts, s: NonNullable<DoctorFacts["session"]>): string {
  const counts = new Map<string, number>();
  for (const p of ssoProfiles(f, s.name)) if (p.region && p.name !== `${s.orgName}-management`) counts.set(p.region, (counts.get(p.region) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? s.region;
}

/**
 * The profiles against what the person's own sign-in can use (the access portal's accounts and
 * roles), for a teammate whose credentials cannot read the organization: a profile whose account
 * or role they cannot use fails for them whatever the organization holds.
 */
function compareWithAccess(f: DoctorFacts, s: NonNullable<DoctorFacts["session"]>, access: { id: string; name: string; roles: string[] }[]): CheckResult {
  const profiles = ssoProfiles(f, s.name);
  const byId = new Map(access.map((a) => [a.id, a]));
  const problems: Problem[] = [];
  for (const p of profiles) {
    const account = p.accountId ? byId.get(p.accountId) : undefined;
    if (!account) {
      problems.push({
        message: `[profile ${p.name}]: your SSO sign-in has no access to account ${p.accountId ?? "(none)"} (closed, or your access was removed).`,
        fix: [`Ask an administrator for access (org-bootstrap status shows who has what), or remove the profile from ${f.files.configFile}.`],
      });
    } else if (p.roleName && !account.roles.includes(p.roleName)) {
      problems.push({
        message: `[profile ${p.name}]: you have no role ${p.roleName} in ${account.name} (${account.id}).`,
        fix: [`Set sso_role_name to one of ${account.roles.join(", ") || "(none)"} in ${f.files.configFile}.`],
      });
    }
  }
  const covered = new Set(profiles.map((p) => p.accountId));
  for (const a of access.filter((x) => x.name.startsWith(`${s.orgName}-`) && !covered.has(x.id) && x.roles.length > 0)) {
    const role = a.roles.includes(usualRole(f, s.name)) ? usualRole(f, s.name) : a.roles[0];
    problems.push({
      message: `Account ${a.name} (${a.id}) has no profile.`,
      fix: [`Add this block to ${f.files.configFile}:`, ...profileBlock(a.name, { ssoSession: s.name, accountId: a.id, roleName: role, region: workloadRegion(f, s) })],
    });
  }
  return fail(`${plural(profiles.length, "profile")} of sso-session ${s.name} against the ${plural(access.length, "account")} your SSO sign-in can use`, problems);
}

const hasLongLivedKey = (v: IniSection) => Boolean(v.aws_access_key_id) && !v.aws_session_token;

/** `arn:aws:iam::123456789012:role/Name` → account id. */
export function accountOfRoleArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(arn)?.[1];
}

export const doctorChecks: DoctorCheck[] = [
  {
    id: "node",
    title: "Node.js version",
    run: (f) => {
      const major = Number(/^v?(\d+)/.exec(f.nodeVersion)?.[1] ?? 0);
      const eol = END_OF_LIFE_NODE_MAJORS.includes(major) ? ` (Node.js ${major} is past its end of life: move to 24, the LTS, before January 2027)` : "";
      const summary = `Node.js ${f.nodeVersion}; supported: ${SUPPORTED_NODE}${eol}`;
      return major >= MIN_NODE_MAJOR ? pass(summary) : fail(summary, [{ message: `Node.js ${f.nodeVersion} is older than this tool and the AWS SDK support.`, fix: ["Install Node.js 24 (LTS), e.g. with nvm: nvm install 24"] }]);
    },
  },
  {
    id: "profiles",
    title: "Profiles match the organization",
    run: (f) => {
      if (!f.session) return skip("no [sso-session] chosen: run org-bootstrap init, or pass --sso-session");
      if (!f.organization.ok) {
        if (f.access?.ok) return compareWithAccess(f, f.session, f.access.value);
        const instead = f.access ? ` (nor your SSO access: ${f.access.reason})` : ` (log in with org-bootstrap login to check against your SSO access instead)`;
        return skip(`could not read the organization: ${f.organization.reason}${f.organization.reason === "--offline" ? "" : instead}`);
      }
      const { accounts, permissionSetNames } = f.organization.value;
      const { name: session, orgName } = f.session;
      const region = workloadRegion(f, f.session);
      const profiles = ssoProfiles(f, session);
      const stale = compareProfiles(profiles, accounts, permissionSetNames).filter((p) => p.state !== "ok");
      const missing = accountsWithoutProfile(orgName, accounts, profiles);
      const role = usualRole(f, session);
      return fail(`${plural(profiles.length, "profile")} of sso-session ${session} against ${plural(accounts.length, "account")}`, [
        ...stale.map((p) => ({ message: `[profile ${p.name}]: ${p.detail}.`, fix: [`${p.fix} in ${f.files.configFile}.`] })),
        ...missing.map((a) => ({
          message: `Account ${a.name} (${a.id}) has no profile.`,
          fix: [`Add this block to ${f.files.configFile}:`, ...profileBlock(a.name, { ssoSession: session, accountId: a.id, roleName: role, region })],
        })),
      ]);
    },
  },
  {
    id: "tokens",
    title: "SSO sessions logged in",
    run: (f) => {
      const names = Object.keys(f.files.ssoSessions);
      if (names.length === 0) return skip("no [sso-session] in the config");
      const states = names.map((name) => ({ name, state: sessionState(f.tokens[name], f.now) }));
      const loggedOut = states.filter((s) => s.state === "logged-out").map((s) => s.name);
      const summary = `${plural(names.length, "sso-session")}${loggedOut.length ? `; never logged in here: ${loggedOut.join(", ")}` : ""}`;
      return fail(
        summary,
        states
          .filter((s) => s.state === "expired")
          .map((s) => ({ message: `The token of sso-session ${s.name} expired at ${f.tokens[s.name]}.`, fix: [`org-bootstrap login --sso-session ${s.name}`] })),
      );
    },
  },
  {
    id: "long-lived-keys",
    title: "No long-lived access keys in files",
    run: (f) => {
      const found = [
        ...Object.entries(f.files.credentialProfiles).filter(([, v]) => hasLongLivedKey(v)).map(([name]) => ({ name, file: f.files.credentialsFile })),
        ...Object.entries(f.files.configProfiles).filter(([, v]) => hasLongLivedKey(v)).map(([name]) => ({ name, file: f.files.configFile })),
      ];
      // Key ids and secrets are never printed: the profile name is enough to find them.
      return fail(
        `${f.files.credentialsFile} and ${f.files.configFile}`,
        found.map(({ name, file }) => ({
          message: `[${name}] in ${file} holds a long-lived access key (an IAM user's, the setup SSO replaces).`,
          fix: [
            "Once you work through SSO profiles (org-bootstrap login), delete the key in AWS: IAM console → Users → the user → Security credentials → Access keys → Deactivate, then Delete;" +
              ` then remove the [${name}] block from ${file}.`,
          ],
        })),
      );
    },
  },
  {
    id: "assume-role-profiles",
    title: "No role_arn + mfa_serial profiles",
    run: (f) => {
      const legacy = Object.entries(f.files.configProfiles).filter(([, v]) => v.role_arn && v.mfa_serial);
      return fail(
        f.files.configFile,
        legacy.map(([name, v]) => {
          const accountId = accountOfRoleArn(v.role_arn ?? "");
          const same = f.session && accountId ? ssoProfiles(f, f.session.name).find((p) => p.accountId === accountId) : undefined;
          const fix = !f.session
            ? ["Run org-bootstrap init: it writes SSO profiles for your accounts; then remove this block."]
            : !accountId
              ? [`Replace it with an SSO profile (sso_session = ${f.session.name}, sso_account_id, sso_role_name).`]
              : [
                  ...(same ? [`[profile ${same.name}] already reaches account ${accountId} through SSO; or replace the block with:`] : ["Replace the block with (same name, so scripts keep working):"]),
                  ...profileBlock(name, { ssoSession: f.session.name, accountId, roleName: usualRole(f, f.session.name), region: v.region ?? workloadRegion(f, f.session) }),
                ];
          return { message: `[profile ${name}] assumes ${v.role_arn} with an MFA code: the IAM-user pattern SSO replaces.`, fix };
        }),
      );
    },
  },
  {
    id: "environment-keys",
    title: "No access keys in the environment",
    run: (f) => {
      if (!f.env.accessKeyId) return pass("AWS_ACCESS_KEY_ID is not set");
      const fix = ["unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN", "then choose a profile: --profile NAME or AWS_PROFILE=NAME."];
      return fail("AWS_ACCESS_KEY_ID is set", [
        f.env.sessionToken
          ? { message: "AWS_ACCESS_KEY_ID and AWS_SESSION_TOKEN are set: these temporary keys override every profile (SST's per-stage profiles too) until unset.", fix }
          : { message: "AWS_ACCESS_KEY_ID is set without AWS_SESSION_TOKEN: a long-lived key that overrides every profile (SST's per-stage profiles too).", fix },
      ]);
    },
  },
  {
    id: "aws-profile-override",
    title: "No AWS_PROFILE overriding sst.config.ts",
    run: (f) => {
      if (!f.sst) return skip("no sst.config.ts in the project directory");
      const { configFile, environmentProfile, dotEnv } = f.sst;
      // Since late 2024 SST gives AWS_PROFILE (environment or .env) precedence over the config's
      // `providers.aws.profile`: every stage would deploy with that one profile
      // (https://sst.dev/docs/iam-credentials; docs/doctor.md).
      const why = (where: string, value: string) =>
        `AWS_PROFILE=${value} is set ${where}: SST uses it instead of the per-stage profile selector in ${configFile}, so every stage (production too) would deploy with ${value}.`;
      const problems: Problem[] = [
        ...(environmentProfile ? [{ message: why("in the environment", environmentProfile), fix: ["unset AWS_PROFILE (and remove it from your shell's startup file), then run sst again."] }] : []),
        ...(dotEnv ? [{ message: why(`in ${dotEnv.file} (line ${dotEnv.line})`, dotEnv.value), fix: [`Remove line ${dotEnv.line} from ${dotEnv.file}; sst.config.ts already picks the profile per stage.`] }] : []),
      ];
      return fail(problems.length ? `${configFile} selects a profile per stage` : `AWS_PROFILE is not set for ${configFile}`, problems);
    },
  },
  {
    id: "root-user",
    title: "Not using the root user's credentials",
    run: (f) => {
      if (!f.caller.ok) return skip(`no AWS credentials to check: ${f.caller.reason}`);
      const { arn, accountId, isRoot } = f.caller.value;
      if (!isRoot) return pass(`signed in as ${arn}`);
      return fail(`signed in as ${arn}`, [
        {
          message: `These credentials are account ${accountId}'s root user: anything can be done with them and they cannot be restricted.`,
          fix: ["Work through SSO instead (org-bootstrap login), then delete the root user's access keys: sign in as root → account menu → Security credentials → Access keys → Delete."],
        },
      ]);
    },
  },
];

export function runDoctorChecks(facts: DoctorFacts, checks: DoctorCheck[] = doctorChecks) {
  const results = checks.map((c) => ({ id: c.id, title: c.title, ...c.run(facts) }));
  return { ok: results.every((r) => r.status !== "fail"), checks: results };
}

export type DoctorReport = ReturnType<typeof runDoctorChecks>;
