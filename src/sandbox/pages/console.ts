import { enableIdentityCenter } from "../state.js";
import { escapeXml, page, sendHtml } from "../protocols.js";
import type { PageRoute } from "./index.js";

/** Path of the emulated console page that enables IAM Identity Center (`?region=`). */
export const CONSOLE_ENABLE_PATH = "/_sandbox/console/singlesignon";

export const consolePages: PageRoute[] = [
  {
    method: "GET",
    path: CONSOLE_ENABLE_PATH,
    handle(_req, res, ctx) {
      const region = ctx.query.get("region") ?? ctx.state.defaultRegion;
      const instance = [...ctx.state.instances.values()][0];
      const body = instance
        ? `<h1>IAM Identity Center</h1><p id="status">IAM Identity Center is enabled in <code>${escapeXml(instance.region)}</code>.</p>
<p>Identity store: <code>${escapeXml(instance.IdentityStoreId)}</code></p><p>You can close this page and return to your terminal.</p>`
        : `<h1>Enable IAM Identity Center</h1>
<p>Region: <code>${escapeXml(region)}</code></p>
<p>IAM Identity Center will be enabled for your organization. Your organization's management account will manage access for all member accounts.</p>
<form method="post" action="${CONSOLE_ENABLE_PATH}/enable"><input type="hidden" name="region" value="${escapeXml(region)}">
<button type="submit" id="enable">Enable</button></form>`;
      sendHtml(res, 200, page("IAM Identity Center", body));
    },
  },
  {
    method: "POST",
    path: `${CONSOLE_ENABLE_PATH}/enable`,
    handle(_req, res, ctx, form) {
      const region = form.get("region") || ctx.state.defaultRegion;
      enableIdentityCenter(ctx.state, region);
      res.writeHead(303, { location: `${CONSOLE_ENABLE_PATH}?region=${encodeURIComponent(region)}` });
      res.end();
    },
  },
];
