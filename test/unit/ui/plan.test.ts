import { describe, expect, it } from "vitest";
import { planStepLines } from "../../../src/ui/plan.js";

const plain = { style: (_s: string, text: string) => text };

describe("plan step lines", () => {
  it("keeps a short step on one line with its mark", () => {
    expect(planStepLines("create", "Group Administrators", plain)).toEqual(["  + create  Group Administrators"]);
  });

  it("wraps a long step between words, under its own text, within 80 columns", () => {
    const text = "Access: group Administrators → AdministratorAccess in management account (111111111111)";
    const lines = planStepLines("exists", text, plain);
    expect(lines).toEqual([
      "  = exists  Access: group Administrators → AdministratorAccess in management",
      "            account (111111111111)",
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.map((l) => l.trim()).join(" ")).toBe(`= exists  ${text}`);
  });

  it("does not count colour codes as width", () => {
    const coloured = { style: (_s: string, text: string) => `\u001b[32m${text}\u001b[39m` };
    const lines = planStepLines("remove", "User ann@acme.com", coloured);
    expect(lines).toEqual(["  \u001b[32m- remove\u001b[39m  User ann@acme.com"]);
  });
});
