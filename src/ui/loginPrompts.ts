/**
 * What a person sees during `login` (and during the login that `env`/`exec` start when the session
 * has expired): the device code and its page, or the sign-in URL, and whether a browser was opened.
 * `env` writes its exports on stdout, so its login talks on stderr: the stream is a parameter.
 */
import type { Writable } from "node:stream";
import type { LoginPrompts } from "../workflows/ssoLogin.js";
import { openBrowser } from "./browser.js";
import type { Output } from "./output.js";

export interface LoginPromptOptions {
  out: Output;
  /** Where the instructions go (stdout for `login`, stderr for `env` and `exec`). */
  stream: Writable;
  noBrowser: boolean;
  env: NodeJS.ProcessEnv;
  /** Injected in tests; defaults to really opening the browser. */
  open?: (url: string, env: NodeJS.ProcessEnv) => Promise<boolean>;
}

export function createLoginPrompts(o: LoginPromptOptions): LoginPrompts {
  const say = (text = "") => o.stream.write(`${text}\n`);
  const open = o.open ?? openBrowser;
  const tryOpen = async (url: string) => {
    if (o.noBrowser) return false;
    const opened = await open(url, o.env);
    if (!opened) o.out.debug("No browser could be started; open the URL yourself.");
    return opened;
  };
  return {
    async showDeviceCode(auth) {
      const opened = await tryOpen(auth.verificationUriComplete);
      say(opened ? "A browser window is opening to approve this login. If it does not, open:" : "To approve this login, open this page in a browser (on any device):");
      say(`  ${o.out.style("cyan", auth.verificationUri)}`);
      say(`and check that it shows the code ${o.out.style("bold", auth.userCode)}`);
      say(`(or open ${auth.verificationUriComplete}, which fills it in).`);
      say("Waiting for your approval… (Ctrl-C to cancel)");
    },
    async showAuthorizeUrl(url) {
      const opened = await tryOpen(url);
      say(opened ? "A browser window is opening to sign in. If it does not, open this URL in a browser on this machine:" : "To sign in, open this URL in a browser on this machine:");
      say(`  ${o.out.style("cyan", url)}`);
      say("Waiting for the browser… (Ctrl-C to cancel; --device-code signs in from another device)");
    },
  };
}

/** "until 16:40 UTC on 2026-11-23 (7 h 59 min from now)". */
export function describeExpiry(expiresAt: string, now = Date.now()): string {
  const at = new Date(expiresAt);
  const iso = at.toISOString();
  const minutes = Math.max(0, Math.round((at.getTime() - now) / 60_000));
  const left = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `until ${iso.slice(11, 16)} UTC on ${iso.slice(0, 10)} (${left} from now)`;
}
