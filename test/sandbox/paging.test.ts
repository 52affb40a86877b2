import { describe, expect, it } from "vitest";
import { paginate } from "../../src/sandbox/paging.js";

// The emulator's NextToken (src/sandbox/paging.ts): lists change between two pages when another
// run's work finishes (raceInit saw "The NextToken is not valid." when in-progress creations ended).
describe("the emulator's NextToken paging", () => {
  const all = (items: string[], size: number, change?: (page: number) => void) => {
    const seen: string[] = [];
    let token: string | undefined;
    let n = 0;
    do {
      const { page, nextToken } = paginate(items, { NextToken: token }, size);
      seen.push(...page);
      token = nextToken;
      change?.(n++);
    } while (token);
    return seen;
  };

  it("pages a list that does not change", () => {
    expect(all(["a", "b", "c", "d", "e"], 2)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("continues after the last item returned when an earlier item leaves the list (none skipped)", () => {
    const items = ["a", "b", "c", "d", "e"];
    expect(all(items, 2, (page) => page === 0 && items.splice(0, 1))).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("ends cleanly when the list shrank below the token's offset", () => {
    const items = ["a", "b", "c", "d"];
    expect(all(items, 2, (page) => page === 0 && items.splice(0, 4, "z"))).toEqual(["a", "b"]);
  });

  it("refuses a token it did not hand out", () => {
    expect(() => paginate(["a"], { NextToken: "garbage" }, 1)).toThrow("The NextToken is not valid.");
  });
});
