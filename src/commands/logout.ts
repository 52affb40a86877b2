/**
 * `org-bootstrap logout`: ends the access portal session (portal `Logout`, which invalidates the
 * access and refresh tokens on AWS's side) and removes the cached token, so neither we nor the AWS
 * CLI, SDKs or SST keep using it. The client registration stays: it holds no user identity.
 * It also removes the role credentials obtained through the session: ours (`env`, `exec`) and
 * the AWS CLI's `~/.aws/cli/cache` files for the session's profiles, as `aws sso logout` does, so
 * no `aws --profile` keeps working on them for hours (docs/login.md).
 */
import { awsErrorName, explainAwsError } from "../aws/errors.js";
import { openSsoPortal } from "../aws/ssoPortal.js";
import { homeDir, resolveConfigFile } from "../local/paths.cjs";
import { deleteAwsCliRoleCredentials, deleteCachedRoleCredentials, type AwsCliRoleRef } from "../local/roleCredentialsCache.js";
import { loadSsoConfig, pickSession, type SsoConfig, type SsoSession } from "../local/ssoSessions.js";
import { deleteCachedToken, readCachedToken } from "../local/tokenCache.js";
import { explainSystemError, UserError } from "../errors.js";
import type { CommandInput } from "./types.js";

export interface LogoutOptions {
  home: string;
  configFile: string;
  ssoSession?: string;
  /** Names the AWS_ENDPOINT_URL… variable behind a refused connection. */
  env?: NodeJS.ProcessEnv;
}

export interface LogoutResult {
  session: string;
  hadToken: boolean;
  /** Cached role credentials removed: ours, and the AWS CLI's. */
  removedCredentials: { ours: number; awsCli: number };
}

/** Every role credentials file of ours or the AWS CLI's that came through this session. */
async function forgetRoleCredentials(home: string, config: SsoConfig, session: SsoSession): Promise<LogoutResult["removedCredentials"]> {
  const roles = [...config.profiles.values()].flatMap((p): AwsCliRoleRef[] => {
    if (!p.accountId || !p.roleName) return [];
    if (p.ssoSession === session.name) return [{ accountId: p.accountId, roleName: p.roleName, sessionName: session.name }];
    // A legacy profile with the session's start URL signs in to the same portal session.
    if (!p.ssoSession && p.legacyStartUrl === session.startUrl) return [{ accountId: p.accountId, roleName: p.roleName, startUrl: p.legacyStartUrl }];
    return [];
  });
  const ours = (await deleteCachedRoleCredentials(home, session.name)) + (await deleteCachedRoleCredentials(home, session.startUrl));
  return { ours, awsCli: await deleteAwsCliRoleCredentials(home, roles) };
}

export async function logout(o: LogoutOptions, choose: (names: string[]) => Promise<string>): Promise<LogoutResult> {
  const config = await loadSsoConfig(o.configFile);
  const session = pickSession(config, o.ssoSession) ?? config.sessions.get(await choose([...config.sessions.keys()]))!;
  const cached = await readCachedToken(o.home, session.name);
  if (!cached) return { session: session.name, hadToken: false, removedCredentials: await forgetRoleCredentials(o.home, config, session) };
  try {
    const portal = await openSsoPortal(cached.region || session.region);
    await portal.logout(cached.accessToken);
  } catch (err) {
    // An expired or already revoked token is as logged out as it gets; anything else is worth
    // saying, in the AWS table's words (or the machine's), and the token stays for another try.
    if (awsErrorName(err) !== "UnauthorizedException") {
      const context = "Logging out (the cached token was kept)";
      throw explainSystemError(err, o.env ?? {}, context) ?? explainAwsError(err, context);
    }
  }
  await deleteCachedToken(o.home, session.name);
  return { session: session.name, hadToken: true, removedCredentials: await forgetRoleCredentials(o.home, config, session) };
}

export async function run({ options, env, cwd, out, prompter }: CommandInput): Promise<number> {
  const home = homeDir(env);
  const configFile = resolveConfigFile({ flag: options["config-file"] as string | undefined, env, home, cwd });
  const result = await logout({ home, configFile, ssoSession: options["sso-session"] as string | undefined, env }, async (names) => {
    if (!prompter.interactive) throw new UserError(`${configFile} has several sso-sessions (${names.join(", ")}).`, "Choose one: org-bootstrap logout --sso-session NAME");
    return prompter.select({ message: "Log out of which SSO session?", choices: names.map((n) => ({ value: n, label: n })) });
  });
  const { ours, awsCli } = result.removedCredentials;
  const removed = ours + awsCli > 0 ? ` Removed ${ours + awsCli} cached role credential file${ours + awsCli === 1 ? "" : "s"} (${ours} of ours, ${awsCli} of the AWS CLI's).` : "";
  if (result.hadToken) out.success(`Logged out of ${result.session}: the portal session is ended and the cached token removed.${removed}`);
  else out.success(`Not logged in to ${result.session}: no token to end.${removed}`);
  if (out.json) out.printJson(result);
  return 0;
}
