import { AwsError } from "./types.js";

/**
 * Opaque NextToken paging over a snapshot list. The emulator deliberately uses small pages
 * (`maxPageSize`) so that code which forgets to follow NextToken fails its tests.
 */
export function paginate<T>(
  items: T[],
  input: { NextToken?: string; MaxResults?: number; nextToken?: string; maxResults?: number },
  pageCap: number,
): { page: T[]; nextToken?: string } {
  const token = input.NextToken ?? input.nextToken;
  const requested = input.MaxResults ?? input.maxResults;
  let start = 0;
  if (token) {
    const decoded = Number.parseInt(Buffer.from(token, "base64url").toString("utf8").replace(/^p:/, ""), 10);
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) {
      throw new AwsError("InvalidInputException", "The NextToken is not valid.", 400, { Reason: "INVALID_NEXT_TOKEN" });
    }
    start = decoded;
  }
  const size = Math.max(1, Math.min(requested ?? pageCap, pageCap));
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, nextToken: end < items.length ? Buffer.from(`p:${end}`).toString("base64url") : undefined };
}
