/**
 * `org-bootstrap console --profile P [--print] [--destination URL]`: the AWS console, signed in as
 * the profile's role, in one command (docs/console.md). The profile's role credentials (cached as
 * `env` caches them) → the federation endpoint's sign-in token → the console login URL, opened in
 * the browser. The URL signs anyone in for 15 minutes: it is printed only with `--print`, with a
 * warning, and never otherwise (not in errors, not with `--verbose`).
 */
import { consoleLoginUrl, defaultDestination, federationEndpoint, getSigninToken } from "../aws/federation.js";
import { throwIfAborted } from "../aws/waiting.js";
import { UserError } from "../errors.js";
import { openBrowser } from "../ui/browser.js";
import { credentialsFromFlags } from "./env.js";
import type { CommandInput } from "./types.js";

const USAGE = "org-bootstrap console --profile NAME [--print] [--destination URL]";

/** A console page: https on console.aws.amazon.com or a regional `<region>.console.aws.amazon.com`. */
export function validateDestination(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`--destination "${value}" is not a URL.`, "Give a console page, e.g. --destination https://console.aws.amazon.com/s3/home");
  }
  if (url.protocol !== "https:" || !/^([a-z0-9-]+\.)?console\.aws\.amazon\.com$/.test(url.hostname)) {
    throw new UserError(`--destination must be a page of the AWS console (https://…console.aws.amazon.com/…), got ${url.origin}.`, "For example: --destination https://console.aws.amazon.com/s3/home");
  }
  return url.toString();
}

export async function run(input: CommandInput): Promise<number> {
  const { options, env, out, signal } = input;
  const profile = options.profile as string | undefined;
  if (!profile) throw new UserError("--profile is required.", `Usage: ${USAGE}`);
  const requested = validateDestination(options.destination as string | undefined);
  const creds = await credentialsFromFlags(input, USAGE);
  throwIfAborted(signal);
  const endpoint = federationEndpoint(creds.region, env);
  const token = await getSigninToken(endpoint, creds.credentials, signal);
  const url = consoleLoginUrl(endpoint, token, requested ?? defaultDestination(creds.region), "org-bootstrap");
  if (options.print) {
    out.warn("This link signs anyone who has it in to the AWS console as this role, for 15 minutes: do not paste it in chats or tickets.");
    out.stdout.write(`${url}\n`);
    return 0;
  }
  if (!(await openBrowser(url, env))) {
    throw new UserError("Could not open a browser on this machine.", `Run: org-bootstrap console --profile ${profile} --print — and open the link yourself (it is a short-lived credential).`);
  }
  out.success(`Opened the AWS console in your browser, signed in with profile ${profile}.`);
  return 0;
}
