import { createHash } from "node:crypto";
import { AwsError } from "./types.js";

/**
 * Opaque NextToken paging over a snapshot list. The emulator deliberately uses small pages
 * (`maxPageSize`) so that code which forgets to follow NextToken fails its tests.
 *
 * The token is a cursor: the offset reached and a fingerprint of the last item returned. A list
 * can change between two pages (another run's account creation finishes and leaves a list of
 * in-progress creations): the next page continues after that item wherever it now is, and if it
 * is gone, from the same offset clamped to the list, so a shrinking list is never "not valid".
 */
export function paginate<T>(
  items: T[],
  input: { NextToken?: string; MaxResults?: number; nextToken?: string; maxResults?: number },
  pageCap: number,
): { page: T[]; nextToken?: string } {
  const token = input.NextToken ?? input.nextToken;
  const requested = input.MaxResults ?? input.maxResults;
  const start = token ? resume(items, token) : 0;
  const size = Math.max(1, Math.min(requested ?? pageCap, pageCap));
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, nextToken: end < items.length ? cursor(end, items[end - 1]) : undefined };
}

function fingerprint(item: unknown): string {
  return createHash("sha256").update(JSON.stringify(item) ?? "").digest("base64url").slice(0, 12);
}

function cursor(offset: number, last: unknown): string {
  return Buffer.from(`p:${offset}:${fingerprint(last)}`).toString("base64url");
}

function resume<T>(items: T[], token: string): number {
  const match = /^p:(\d+):([\w-]{12})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match) throw new AwsError("InvalidInputException", "The NextToken is not valid.", 400, { Reason: "INVALID_NEXT_TOKEN" });
  const offset = Number(match[1]);
  const last = match[2];
  if (offset > 0 && offset <= items.length && fingerprint(items[offset - 1]) === last) return offset;
  const moved = items.findIndex((item) => fingerprint(item) === last);
  return moved >= 0 ? moved + 1 : Math.min(offset, items.length);
}
