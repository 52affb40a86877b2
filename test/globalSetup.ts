// End-to-end tests run the built CLI (dist/). `npm test` builds it first; building inside test
// files instead would rewrite dist/ while other files run it, so here we only check it is there.
import { existsSync } from "node:fs";

export default function checkBuilt(): void {
  if (!existsSync(new URL("../dist/cli.js", import.meta.url))) {
    throw new Error("dist/cli.js is missing: run `npm run build` first (npm test does it for you).");
  }
}
