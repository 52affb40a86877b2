/**
 * `org-bootstrap logout`: ends the access portal session (portal `Logout`, which invalidates the
 * access and refresh tokens on AWS's side) and removes the cached token, so neither we nor the AWS
 * CLI, SDKs or SST keep using it. The client registration stays: it holds no user identity.
 */
import { awsErrorName, explainAwsError } from "../aws/errors.js";
import { openSsoPortal } from "../aws/ssoPortal.js";
import { homeDir, resolveConfigFile } from "../local/paths.js";
import { loadSsoConfig, pickSession } from "../local/ssoSessions.js";
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

export async function logout(o: LogoutOptions, choose: (names: string[]) => Promise<string>): Promise<{ session: string; hadToken: boolean }> {
  const config = await loadSsoConfig(o.configFile);
  const session = pickSession(config, o.ssoSession) ?? config.sessions.get(await choose([...config.sessions.keys()]))!;
  const cached = await readCachedToken(o.home, session.name);
  if (!cached) return { session: session.name, hadToken: false };
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
  return { session: session.name, hadToken: true };
}

export async function run({ options, env, cwd, out, prompter }: CommandInput): Promise<number> {
  const home = homeDir(env);
  const configFile = resolveConfigFile({ flag: options["config-file"] as string | undefined, env, home, cwd });
  const result = await logout({ home, configFile, ssoSession: options["sso-session"] as string | undefined, env }, async (names) => {
    if (!prompter.interactive) throw new UserError(`${configFile} has several sso-sessions (${names.join(", ")}).`, "Choose one: org-bootstrap logout --sso-session NAME");
    return prompter.select({ message: "Log out of which SSO session?", choices: names.map((n) => ({ value: n, label: n })) });
  });
  if (result.hadToken) out.success(`Logged out of ${result.session}: the portal session is ended and the cached token removed.`);
  else out.success(`Not logged in to ${result.session}: nothing to do.`);
  if (out.json) out.printJson(result);
  return 0;
}
