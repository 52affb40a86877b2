/** The cache files' hashes (src/local/sha.cts) are node:crypto's, for any input, small or big. */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NATIVE_FROM_BYTES, sha1, sha256 } from "../../src/local/sha.cjs";

const native = (algorithm: string, data: string | Uint8Array) => createHash(algorithm).update(data).digest("hex");

describe("sha1 and sha256", () => {
  it("give FIPS 180's examples", () => {
    expect(sha1("abc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });

  it("equal node:crypto's for any bytes or text, across block and size boundaries", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 200 })), (data) => {
        expect(sha1(data)).toBe(native("sha1", data));
        expect(sha256(data)).toBe(native("sha256", data));
      }),
    );
    for (const length of [55, 56, 63, 64, 65, NATIVE_FROM_BYTES, NATIVE_FROM_BYTES + 1]) {
      const data = Buffer.alloc(length, length % 251);
      expect(sha1(data)).toBe(native("sha1", data));
      expect(sha256(data)).toBe(native("sha256", data));
    }
  });
});
