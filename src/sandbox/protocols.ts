/**
 * Wire formats of the services we emulate, as the AWS SDK v3 and the AWS CLI speak them:
 * - awsJson1_1 (Organizations, SSO Admin, Identity Store): POST /, `X-Amz-Target: Prefix.Operation`,
 *   errors as `{"__type": name, "message": ...}` plus the `x-amzn-ErrorType` header;
 * - awsQuery (STS, IAM): form-encoded `Action=...`, XML answers and `<ErrorResponse>`;
 * - restJson1 (SSO OIDC, SSO portal): routes by method and path.
 */
import type { ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { AwsError } from "./types.js";

/** Timestamps in awsJson1_1 are epoch seconds (numbers). */
export function epochSeconds(ms: number): number {
  return Math.floor(ms) / 1000;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = "application/x-amz-json-1.1"): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(text);
}

export function sendJsonError(res: ServerResponse, err: AwsError, contentType = "application/x-amz-json-1.1"): void {
  const body = { __type: err.code, message: err.message, Message: err.message, ...err.extra };
  const text = JSON.stringify(body);
  res.writeHead(err.status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-errortype": err.code,
    "x-amzn-requestid": randomUUID(),
  });
  res.end(text);
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/**
 * Renders a record as XML elements, the query protocol's way: nested records as nested elements,
 * lists as one `<member>` per item (IAM's `<Tags><member><Key>…</Key></member></Tags>`).
 */
export function toXml(value: Record<string, unknown>): string {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<${k}>${xmlContent(v)}</${k}>`)
    .join("");
}

function xmlContent(v: unknown): string {
  if (Array.isArray(v)) return v.map((item) => `<member>${xmlContent(item)}</member>`).join("");
  if (v !== null && typeof v === "object") return toXml(v as Record<string, unknown>);
  return escapeXml(String(v));
}

export function sendQueryResult(res: ServerResponse, action: string, result: Record<string, unknown>, xmlns: string): void {
  const requestId = randomUUID();
  const text =
    `<${action}Response xmlns="${xmlns}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { "content-type": "text/xml", "content-length": Buffer.byteLength(text), "x-amzn-requestid": requestId });
  res.end(text);
}

export function sendQueryError(res: ServerResponse, err: AwsError, xmlns = "https://sts.amazonaws.com/doc/2011-06-15/"): void {
  const requestId = randomUUID();
  const type = err.status >= 500 ? "Receiver" : "Sender";
  const text =
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(err.status, { "content-type": "text/xml", "content-length": Buffer.byteLength(text), "x-amzn-requestid": requestId });
  res.end(text);
}

/** Region from a SigV4 `Authorization` header's credential scope. */
export function regionFromAuthorization(header: string | undefined): string | undefined {
  const match = header?.match(/Credential=[^/]+\/\d{8}\/([^/]+)\//);
  return match?.[1];
}

/** Access key id from a SigV4 `Authorization` header's credential scope. */
export function accessKeyFromAuthorization(header: string | undefined): string | undefined {
  return header?.match(/Credential=([^/]+)\//)?.[1];
}

/** Service name from a SigV4 credential scope (`sts`, `organizations`, `sso`, `identitystore`, ...). */
export function serviceFromAuthorization(header: string | undefined): string | undefined {
  const match = header?.match(/Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//);
  return match?.[1];
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
  res.end(html);
}

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#16191f}
.banner{background:#232f3e;color:#fff;padding:.5rem 1rem;border-radius:4px;font-size:.9rem}
button{background:#ec7211;color:#fff;border:0;border-radius:4px;padding:.6rem 1.2rem;font-size:1rem;cursor:pointer}
button.secondary{background:#fff;color:#16191f;border:1px solid #879596}
code{background:#f2f3f3;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><div class="banner">org-bootstrap sandbox — emulated AWS, nothing here is real</div>${body}</body></html>`;
}
