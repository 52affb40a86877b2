/**
 * Paging folded into the adapters: callers get whole lists. AWS list operations return at most
 * one page per call with an opaque `NextToken` (Organizations `ListAccounts` pages at most 20,
 * docs/aws-facts.md, Organizations); the emulator uses even smaller pages so a forgotten token shows in tests.
 */
export interface Page<T> {
  items: T[] | undefined;
  next: string | undefined;
}

/** Yields page after page until no token comes back (or a service repeats a token forever). */
async function* pages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    yield page.items ?? [];
    token = page.next || undefined;
    if (token !== undefined) {
      if (seen.has(token)) return;
      seen.add(token);
    }
  } while (token !== undefined);
}

/** Calls `fetchPage` until no token comes back and returns every item, in order; `onPage` hears the count so far after each page. */
export async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, onPage?: (soFar: number) => void): Promise<T[]> {
  const all: T[] = [];
  for await (const items of pages(fetchPage)) {
    all.push(...items);
    onPage?.(all.length);
  }
  return all;
}

/** Like `collectPages`, but stops at the first item that matches (fewer calls on big lists). */
export async function findInPages<T>(
  fetchPage: (token: string | undefined) => Promise<Page<T>>,
  matches: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const items of pages(fetchPage)) {
    const hit = items.find(matches);
    if (hit !== undefined) return hit;
  }
  return undefined;
}
