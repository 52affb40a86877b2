/**
 * The emulated AWS sign-in federation endpoint and the console it signs into
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html):
 *
 * - `GET /federation?Action=getSigninToken&Session=<JSON>`: the JSON's `sessionId`, `sessionKey`
 *   and `sessionToken` must be role credentials this emulator handed out and that have not
 *   expired; answers `{"SigninToken": …}`, valid 15 minutes. Anything else: 400, as AWS answers.
 *   `SessionDuration`, when sent, must be 900–43200 seconds.
 * - `GET /federation?Action=login&SigninToken=…&Destination=…&Issuer=…`: a live token signs the
 *   browser in (a cookie) and redirects to the landing page; an expired or unknown one: 400.
 * - `GET /_sandbox/console/home`: the signed-in console's landing page, showing the account, the
 *   role and the page the link asked for, so a browser test can see whom it is signed in as.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { escapeXml, page, sendHtml, sendJson } from "../protocols.js";
import type { PageRoute } from "./index.js";

export const FEDERATION_PATH = "/federation";
export const CONSOLE_HOME_PATH = "/_sandbox/console/home";
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const COOKIE = "sandbox-console-session";

function badRequest(res: ServerResponse, message: string): void {
  res.writeHead(400, { "content-type": "text/plain; charset=utf-8" });
  res.end(message);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

export const signinPages: PageRoute[] = [
  {
    method: "GET",
    path: FEDERATION_PATH,
    handle(_req, res, ctx) {
      const action = ctx.query.get("Action");
      const now = ctx.now();
      if (action === "getSigninToken") {
        const duration = ctx.query.get("SessionDuration");
        if (duration !== null && !(Number(duration) >= 900 && Number(duration) <= 43200)) return badRequest(res, "SessionDuration must be 900 to 43200 seconds");
        let session: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown };
        try {
          session = JSON.parse(ctx.query.get("Session") ?? "");
        } catch {
          return badRequest(res, "Session is not valid JSON");
        }
        const role = typeof session.sessionId === "string" ? ctx.state.roleSessions.get(session.sessionId) : undefined;
        if (!role || role.secretAccessKey !== session.sessionKey || role.sessionToken !== session.sessionToken || role.expiresAt <= now) {
          return badRequest(res, "The credentials are not valid");
        }
        const token = randomBytes(48).toString("base64url");
        ctx.state.signinTokens.set(token, { accountId: role.accountId, roleName: role.roleName, userName: role.userName, expiresAt: now + TOKEN_LIFETIME_MS });
        return sendJson(res, 200, { SigninToken: token }, "application/json");
      }
      if (action === "login") {
        const signin = ctx.state.signinTokens.get(ctx.query.get("SigninToken") ?? "");
        if (!signin || signin.expiresAt <= now) return badRequest(res, "The sign-in token is not valid or has expired");
        const id = randomBytes(24).toString("base64url");
        ctx.state.consoleSessions.set(id, { ...signin, destination: ctx.query.get("Destination") ?? "", issuer: ctx.query.get("Issuer") ?? "" });
        res.writeHead(302, { location: CONSOLE_HOME_PATH, "set-cookie": `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
        res.end();
        return;
      }
      badRequest(res, "Unknown Action");
    },
  },
  {
    method: "GET",
    path: CONSOLE_HOME_PATH,
    handle(req, res, ctx) {
      const s = ctx.state.consoleSessions.get(cookie(req, COOKIE) ?? "");
      if (!s) return sendHtml(res, 401, page("AWS console", `<h1>Not signed in</h1><p id="status">Open a sign-in link first.</p>`));
      const name = ctx.state.accounts.get(s.accountId)?.Name ?? s.accountId;
      sendHtml(
        res,
        200,
        page(
          "AWS console",
          `<h1>AWS console</h1><p id="status">Signed in to account <code id="account">${escapeXml(s.accountId)}</code> (${escapeXml(name)}) as role <code id="role">${escapeXml(s.roleName)}</code>, user ${escapeXml(s.userName)}.</p>
<p>Asked for: <code id="destination">${escapeXml(s.destination)}</code></p>`,
        ),
      );
    },
  },
];
