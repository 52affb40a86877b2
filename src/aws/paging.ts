/**
 * Paging folded into the adapters: callers get whole lists. AWS list operations return at most
 * one page per call with an opaque `NextToken` (Organizations `ListAccounts` pages at most 20,
 * DESIGN §9); the emulator uses even smaller pages so a forgotten token shows in tests.
 */
export interface Page<T> {
  items: T[] | undefined;
  next: string | undefined;
}

/** Calls `fetchPage` until no token comes back and returns every item, in order. */
export async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    all.push(...(page.items ?? []));
    token = page.next || undefined;
    // A service that hands back the same token forever would loop us forever: stop instead.
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}

/** Like `collectPages`, but stops at the first item that matches (fewer calls on big lists). */
export async function findInPages<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
  matches: (item: T) => boolean,
): Promise<T | undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    const hit = (page.items ?? []).find(matches);
    if (hit !== undefined) return hit;
    token = page.next || undefined;
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return undefined;
}
