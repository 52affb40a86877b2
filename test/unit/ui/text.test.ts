import { describe, expect, it } from "vitest";
import { escapeControls, visibleLength, wrapMessage } from "../../../src/ui/text.js";

describe("wrapping text that holds control characters", () => {
  it("counts a control character as the \\uXXXX it is shown as, so escaped lines still fit", () => {
    const name = "Ann\u001b]0;PWNED\u0007\u001b]0;PWNED\u0007\u001b]0;PWNED\u0007";
    const message = `The user ${name} could not be created: AWS refused the given name, which holds characters it does not accept.`;
    const shown = wrapMessage(message, "✖ ", "  ", 80).map((l) => escapeControls(l));
    for (const line of shown) expect(line.length, line).toBeLessThanOrEqual(80);
    // Nothing is lost or split inside an escape: undoing the wrap gives the escaped message back.
    expect(shown.join("\n").replace(/\n +/g, " ")).toBe(`✖ ${escapeControls(message)}`);
  });

  it("gives our colour codes no width and plain text its length", () => {
    expect(visibleLength("\u001b[32m✔\u001b[39m done")).toBe(6);
    expect(visibleLength("a\u0007b")).toBe(escapeControls("a\u0007b").length);
  });
});
