/**
 * `org-bootstrap doctor`: checks this machine's AWS setup and prints the fix for each problem
 * (the checks are a data table of pure functions: `src/plan/doctorChecks.ts`). It reads the
 * config and credentials files, the environment and the SSO token cache, and — with whatever AWS
 * credentials are in effect, unless `--offline` — who the caller is and the organisation's
 * accounts. Changes nothing. Exit 0 when every check passes (or is skipped), 1 otherwise.
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";
import { explainAwsError } from "../aws/errors.js";
import { openOrganizationContext } from "../aws/organizationContext.js";
import { openSts } from "../aws/sts.js";
import { loadLocalAwsFiles } from "../local/localAwsFiles.js";
import { findDotEnvProfile } from "../local/dotEnv.js";
import { resolveCredentialsFile } from "../local/paths.cjs";
import { loadOrgConfig } from "../local/orgConfig.js";
import { isExpired, readCachedToken } from "../local/tokenCache.js";
import { openSsoPortal } from "../aws/ssoPortal.js";
import { runDoctorChecks, type DoctorFacts, type DoctorReport, type Remote } from "../plan/doctorChecks.js";
import { renderDoctorReport } from "../ui/doctorView.js";
import type { Output } from "../ui/output.js";
import type { ClientProvider } from "../aws/clientProvider.js";
import { dayTwoFlags, projectDirFlag, stringFlag } from "./dayTwoFlags.js";
import { chooseManagementAccess } from "./managementAccess.js";
import type { CommandInput } from "./types.js";

export interface DoctorOptions {
  configFile: string;
  /** `--profile`: the management account's credentials for the organization checks. */
  profile?: string;
  /** The project whose sst.config.ts and .env are checked for an overriding AWS_PROFILE. */
  projectDir: string;
  signal: AbortSignal;
  credentialsFile: string;
  home: string;
  env: NodeJS.ProcessEnv;
  orgName?: string;
  ssoSession?: string;
  /** Skip the checks that need AWS (caller, organisation). */
  offline: boolean;
  out: Output;
  /** The command's AWS clients (CommandInput.clients). */
  clients: ClientProvider;
  now?: number;
}

/** A failed AWS read becomes the reason a check was skipped, in one line. */
async function remote<T>(read: () => Promise<T>): Promise<Remote<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    // The AWS table's words (no credentials at all is its CredentialsProviderError row).
    const explained = err instanceof UserError ? err : explainAwsError(err);
    return { ok: false, reason: explained.message.split("\n")[0] };
  }
}

export async function gatherDoctorFacts(o: DoctorOptions): Promise<DoctorFacts> {
  const files = await loadLocalAwsFiles(o.configFile, o.credentialsFile);
  const hasSessions = Object.keys(files.ssoSessions).length > 0;
  // The organisation's session as the other day-two commands choose it; several without a flag: none.
  const org = hasSessions
    ? await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession }).catch((err: unknown) => {
        if (o.ssoSession || o.orgName || !(err instanceof UserError)) throw err;
        return undefined;
      })
    : undefined;
  const session = org ? { name: org.session.name, orgName: org.orgName, region: org.session.region } : undefined;
  const tokenEntries = await Promise.all(
    Object.keys(files.ssoSessions).map(async (name) => [name, (await readCachedToken(o.home, name).catch(() => undefined))?.expiresAt] as const),
  );

  const offline = { ok: false as const, reason: "--offline" };
  const ctx = o.clients.management(session?.region ?? o.env.AWS_REGION ?? o.env.AWS_DEFAULT_REGION ?? "us-east-1");
  let via: string | undefined;
  const spinner = o.offline || o.out.json ? undefined : o.out.spinner("Asking AWS who these credentials are and what the organization holds");
  const [caller, organization] = await Promise.all([
    o.offline ? offline : remote(async () => (await openSts(ctx)).getCallerIdentity()),
    o.offline
      ? offline
      : !session
        ? { ok: false as const, reason: "no sso-session to find the organization by" }
        : remote(async () => {
            // The same credential choice as the other day-two commands, but never a sign-in:
            // doctor only looks. An expired token is reported by the tokens check.
            const access = await chooseManagementAccess({ config: org!, profile: o.profile, configFile: o.configFile, env: o.env, home: o.home, out: o.out, signal: o.signal, interactive: false, allowLogin: false, clients: o.clients });
            via = access.note;
            const context = await openOrganizationContext(access.ctx, access.known);
            const [accounts, sets] = await Promise.all([context.organizations.listAccounts(), context.ssoAdmin.listPermissionSets(context.instance.instanceArn)]);
            const management = context.organization.managementAccountId;
            return {
              accounts: accounts.map((a) => ({ id: a.id, name: a.name, email: a.email, state: a.state, management: a.id === management })),
              permissionSetNames: sets.map((s) => s.name),
            };
          }),
  ]);
  // A teammate's credentials usually cannot read the organization; their own SSO sign-in can say
  // which accounts and roles they have, which is what their profiles need.
  const access = !o.offline && !organization.ok && session ? await readSsoAccess(o.home, session) : undefined;
  if (via && organization.ok) spinner?.stop(via.replace(/ for the management account( instead)?\.$/, " to read the organization$1."));
  else if (caller.ok) spinner?.stop(`AWS answered: signed in as ${caller.value.arn}`);
  else if (access?.ok) spinner?.stop("No credentials here can read the organization: profiles are checked against your SSO access", "skip");
  else spinner?.stop("AWS could not be asked; the checks that need it are skipped", "skip");
  return {
    now: o.now ?? Date.now(),
    nodeVersion: process.version,
    env: { accessKeyId: Boolean(o.env.AWS_ACCESS_KEY_ID), sessionToken: Boolean(o.env.AWS_SESSION_TOKEN) },
    files,
    ...(session ? { session } : {}),
    tokens: Object.fromEntries(tokenEntries),
    organization,
    ...(access ? { access } : {}),
    caller,
    ...(await readSstFacts(o)),
  };
}

/** sst.config.ts in the project, and an AWS_PROFILE (environment or `.env`) that SST would use instead. */
async function readSstFacts(o: DoctorOptions): Promise<Pick<DoctorFacts, "sst">> {
  const configFile = ["sst.config.ts", "sst.config.mjs", "sst.config.js"].map((n) => path.join(o.projectDir, n)).find((f) => existsSync(f));
  if (!configFile) return {};
  const dotEnvFile = path.join(o.projectDir, ".env");
  const dotEnvText = await fs.readFile(dotEnvFile, "utf8").catch(() => undefined);
  const dotEnv = dotEnvText === undefined ? undefined : findDotEnvProfile(dotEnvText);
  return {
    sst: {
      configFile,
      ...(o.env.AWS_PROFILE ? { environmentProfile: o.env.AWS_PROFILE } : {}),
      ...(dotEnv ? { dotEnv: { file: dotEnvFile, ...dotEnv } } : {}),
    },
  };
}

async function readSsoAccess(home: string, session: { name: string; region: string }): Promise<DoctorFacts["access"]> {
  const token = await readCachedToken(home, session.name).catch(() => undefined);
  if (!token || isExpired(token.expiresAt, Date.now(), 0)) return undefined;
  return remote(async () => (await openSsoPortal(token.region || session.region)).listAccess(token.accessToken));
}

export async function doctor(o: DoctorOptions): Promise<DoctorReport> {
  const report = runDoctorChecks(await gatherDoctorFacts(o));
  if (o.out.json) o.out.printJson(report);
  else for (const line of renderDoctorReport(report, o.out)) o.out.line(line);
  return report;
}

export async function run(input: CommandInput): Promise<number> {
  const { home, orgName, ssoSession, configFile, out, profile, signal, clients } = dayTwoFlags(input);
  const report = await doctor({
    configFile,
    profile,
    signal,
    projectDir: projectDirFlag(input),
    credentialsFile: resolveCredentialsFile({ flag: stringFlag(input, "credentials-file"), env: input.env, home, cwd: input.cwd }),
    home,
    env: input.env,
    orgName,
    ssoSession,
    offline: Boolean(input.options.offline),
    out,
    clients,
  });
  return report.ok ? 0 : 1;
}
