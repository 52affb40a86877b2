/**
 * `org-bootstrap login`: the daily SSO login without the AWS CLI. Picks the sso-session (flag, the
 * only one, or a question), then uses the cached token, refreshes it, or runs a full login (browser
 * flow with PKCE, or the device code flow), writing the token cache the AWS CLI, SDKs and SST read.
 * `env` and `exec` reuse `signIn` to log in first when the session has expired.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Writable } from "node:stream";
import { UserError } from "../errors.js";
import { lazySsoOidc } from "../aws/ssoOidc.js";
import { ensureToken, reasonForDeviceFlow, type LoginFlow, type TokenSource } from "../workflows/ssoLogin.js";
import { homeDir, resolveConfigFile } from "../local/paths.cjs";
import { loadSsoConfig, pickSession, type SsoConfig, type SsoSession } from "../local/ssoSessions.js";
import type { SsoToken } from "../local/tokenCache.js";
import { createLoginPrompts, describeExpiry } from "../ui/loginPrompts.js";
import type { Output } from "../ui/output.js";
import type { Prompter } from "../ui/prompts.js";
import type { CommandInput, OptionValues } from "./types.js";

export interface SignInOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  signal: AbortSignal;
  /** Where login instructions go. */
  stream: Writable;
  /** "auto" chooses the device flow where a local browser cannot reach the loopback (docs/login.md). */
  flow: "auto" | LoginFlow;
  noBrowser: boolean;
  force?: boolean;
  /** False: only cached or refreshed tokens, never a full login (no terminal to approve on). */
  allowLogin?: boolean;
}

export interface LoginOptions extends Omit<SignInOptions, "stream"> {
  configFile: string;
  ssoSession?: string;
  json: boolean;
  interactive: boolean;
  /** Asks which sso-session when there are several (CommandInput.prompter). */
  prompter: Prompter;
}

/** Where we are, for the automatic choice of the device flow. */
function probeEnvironment(env: NodeJS.ProcessEnv) {
  const inContainer = existsSync("/.dockerenv") || existsSync("/run/.containerenv") || Boolean(env.container);
  let inWsl = Boolean(env.WSL_DISTRO_NAME || env.WSL_INTEROP);
  if (!inWsl && process.platform === "linux") {
    try {
      inWsl = /microsoft/i.test(readFileSync("/proc/version", "utf8"));
    } catch {
      // Not readable: not WSL as far as we can tell.
    }
  }
  return { env, inContainer, inWsl };
}

export function chooseFlow(requested: SignInOptions["flow"], probe: Parameters<typeof reasonForDeviceFlow>[0]): { flow: LoginFlow; reason?: string } {
  if (requested !== "auto") return { flow: requested };
  const reason = reasonForDeviceFlow(probe);
  return reason ? { flow: "device_code", reason } : { flow: "authorization_code" };
}

/** Cached, refreshed or fresh token for a session; undefined only when `allowLogin` is false. */
export async function signIn(o: SignInOptions, session: SsoSession, cacheKey: string): Promise<{ token: SsoToken; source: TokenSource } | undefined> {
  const { flow, reason } = chooseFlow(o.flow, probeEnvironment(o.env));
  const oidc = lazySsoOidc(session.region);
  const prompts = createLoginPrompts({ out: o.out, stream: o.stream, noBrowser: o.noBrowser, env: o.env });
  let announced = false;
  const announce = () => {
    if (announced || !reason) return;
    announced = true;
    o.stream.write(`Using the device code flow. ${reason} (--pkce uses the browser flow anyway.)\n`);
  };
  return ensureToken(
    { oidc, home: o.home, session, cacheKey, signal: o.signal, debug: (t) => o.out.debug(t) },
    {
      showDeviceCode: (auth) => {
        announce();
        return prompts.showDeviceCode(auth);
      },
      showAuthorizeUrl: (url) => prompts.showAuthorizeUrl(url),
    },
    { flow, force: o.force, allowLogin: o.allowLogin },
  );
}

async function chooseSession(config: SsoConfig, requested: string | undefined, prompter: Prompter, interactive: boolean): Promise<SsoSession> {
  const picked = pickSession(config, requested);
  if (picked) return picked;
  const names = [...config.sessions.keys()];
  if (!interactive) {
    throw new UserError(`${config.file} has several sso-sessions (${names.join(", ")}).`, "Choose one: org-bootstrap login --sso-session NAME");
  }
  const name = await prompter.select({ message: "Which SSO session?", choices: [...config.sessions.values()].map((s) => ({ value: s.name, label: s.name, hint: s.startUrl })) });
  return config.sessions.get(name)!;
}

export async function login(o: LoginOptions): Promise<{ session: SsoSession; token: SsoToken; source: TokenSource }> {
  const config = await loadSsoConfig(o.configFile);
  const session = await chooseSession(config, o.ssoSession, o.prompter, o.interactive);
  const result = await signIn({ ...o, stream: o.out.human }, session, session.name);
  // With allowLogin left undefined a result always comes back.
  return { session, ...result! };
}

/** Flags shared by every command that may have to sign in. */
export function signInFlags(options: OptionValues): Pick<SignInOptions, "flow" | "noBrowser"> {
  if (options["device-code"] && options.pkce) throw new UserError("Choose one of --device-code and --pkce.");
  return { flow: options["device-code"] ? "device_code" : options.pkce ? "authorization_code" : "auto", noBrowser: Boolean(options["no-browser"]) };
}

export async function run({ options, env, cwd, out, signal, prompter }: CommandInput): Promise<number> {
  const home = homeDir(env);
  const result = await login({
    home,
    env,
    out,
    signal,
    prompter,
    configFile: resolveConfigFile({ flag: options["config-file"] as string | undefined, env, home, cwd }),
    ssoSession: options["sso-session"] as string | undefined,
    force: Boolean(options.force),
    json: Boolean(options.json),
    interactive: prompter.interactive,
    ...signInFlags(options),
  });
  const { session, token, source } = result;
  const until = describeExpiry(token.expiresAt);
  if (source === "cache") out.success(`Already logged in to ${session.name}, ${until}.`);
  else if (source === "refresh") out.success(`Session ${session.name} refreshed, valid ${until}.`);
  else out.success(`Logged in to ${session.name} (${session.startUrl}), valid ${until}.`);
  if (source !== "cache") out.line("The AWS CLI, the AWS SDKs and SST use this session now.");
  if (out.json) out.printJson({ session: session.name, startUrl: session.startUrl, region: session.region, expiresAt: token.expiresAt, source });
  return 0;
}
