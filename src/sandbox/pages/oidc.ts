/**
 * The sign-in pages of the emulated IAM Identity Center: where a person (or a browser test)
 * approves a login. Device flow: the verification URI (`/device?user_code=...`) asks for the code
 * and who is signing in, then Approve or Deny. Authorization code flow: `/authorize` shows the same
 * choice and redirects to the client's loopback `redirect_uri` with `code` and `state`, or with
 * `error=access_denied` (RFC 6749 §4.1.2 and §4.1.2.1).
 *
 * There are no passwords in the sandbox: the person picks an Identity Store user name. When the
 * store has no user yet, the page signs in as the built-in sandbox user.
 */
import type { ServerResponse } from "node:http";
import { escapeXml, page, sendHtml } from "../protocols.js";
import type { SandboxState } from "../state.js";
import type { PageRoute } from "./index.js";
import {
  AUTHORIZE_PATH,
  BUILT_IN_USER,
  DEVICE_PAGE_PATH,
  checkAuthorizeRequest,
  decideDevice,
  issueAuthorizationCode,
} from "../services/ssoOidc.js";

function userPicker(state: SandboxState): string {
  const users = [...state.users.values()];
  if (users.length === 0) {
    return `<p>Signing in as the built-in sandbox user <code>${BUILT_IN_USER.UserName}</code> (the identity store has no users yet).</p>`;
  }
  const options = users.map((u) => `<option value="${escapeXml(u.UserName)}">${escapeXml(u.UserName)}</option>`).join("");
  return `<p><label for="username">Username</label><br><select id="username" name="username">${options}</select></p>`;
}

/** The user id for a submitted user name, or undefined when the store has users and none matches. */
function resolveUser(state: SandboxState, username: string | null): string | undefined {
  const users = [...state.users.values()];
  if (users.length === 0) return BUILT_IN_USER.UserId;
  return users.find((u) => u.UserName === username)?.UserId;
}

function decisionButtons(): string {
  return `<p><button type="submit" id="approve" name="decision" value="approve">Allow access</button>
<button type="submit" id="deny" name="decision" value="deny" class="secondary">Deny</button></p>`;
}

function result(res: ServerResponse, status: number, heading: string, text: string): void {
  sendHtml(res, status, page(heading, `<h1>${escapeXml(heading)}</h1><p id="result">${escapeXml(text)}</p>`));
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeXml(value)}">`;

export const oidcPages: PageRoute[] = [
  {
    method: "GET",
    path: DEVICE_PAGE_PATH,
    handle(_req, res, ctx) {
      const code = ctx.query.get("user_code") ?? "";
      const body = `<h1>Authorize request</h1>
<p>A tool on your computer is asking to sign in to AWS on your behalf. Only allow it if you started it.</p>
<form method="post" action="${DEVICE_PAGE_PATH}">
<p><label for="user_code">Code</label><br><input id="user_code" name="user_code" value="${escapeXml(code)}" autocomplete="off"></p>
${userPicker(ctx.state)}
${decisionButtons()}</form>`;
      sendHtml(res, 200, page("Authorize request", body));
    },
  },
  {
    method: "POST",
    path: DEVICE_PAGE_PATH,
    handle(_req, res, ctx, form) {
      const userId = resolveUser(ctx.state, form.get("username"));
      if (!userId) return result(res, 400, "Sign-in failed", "That user does not exist in the identity store.");
      const decision = form.get("decision") === "approve" ? "approved" : "denied";
      if (!decideDevice(ctx.state, form.get("user_code") ?? "", decision, userId)) {
        return result(res, 400, "Invalid code", "This code is unknown, already used or expired. Start the login again.");
      }
      if (decision === "approved") return result(res, 200, "Request approved", "You can close this window and return to your terminal.");
      return result(res, 200, "Request denied", "The request was denied. You can close this window.");
    },
  },
  {
    method: "GET",
    path: AUTHORIZE_PATH,
    handle(_req, res, ctx) {
      const checked = checkAuthorizeRequest(ctx.state, ctx.query);
      if (!checked.request) return result(res, 400, "Invalid request", checked.error ?? "Invalid request.");
      const body = `<h1>Allow access?</h1>
<p>A tool on your computer is asking to sign in to AWS on your behalf. Only allow it if you started it.</p>
<form method="post" action="${AUTHORIZE_PATH}">
${[...ctx.query.entries()].map(([k, v]) => hidden(k, v)).join("\n")}
${userPicker(ctx.state)}
${decisionButtons()}</form>`;
      sendHtml(res, 200, page("Allow access", body));
    },
  },
  {
    method: "POST",
    path: AUTHORIZE_PATH,
    handle(_req, res, ctx, form) {
      const checked = checkAuthorizeRequest(ctx.state, form);
      if (!checked.request) return result(res, 400, "Invalid request", checked.error ?? "Invalid request.");
      const userId = resolveUser(ctx.state, form.get("username"));
      if (!userId) return result(res, 400, "Sign-in failed", "That user does not exist in the identity store.");
      const target = new URL(checked.request.redirectUri);
      const state = form.get("state");
      if (form.get("decision") === "approve") {
        target.searchParams.set("code", issueAuthorizationCode(ctx.state, checked.request, userId));
      } else {
        target.searchParams.set("error", "access_denied");
        target.searchParams.set("error_description", "The user denied the request");
      }
      if (state !== null) target.searchParams.set("state", state);
      res.writeHead(302, { location: target.toString() });
      res.end();
    },
  },
];
