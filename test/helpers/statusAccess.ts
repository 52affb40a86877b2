/**
 * What `status --json` reports of one principal's access, as sorted [account name, permission
 * set] pairs: the tests of the role ladder read the matrix the way a person's script would.
 */
import { expect } from "vitest";
import { ownStderr, runCli } from "./loginCli.js";

export async function accessInStatus(h: { env: NodeJS.ProcessEnv; project: string }, principal: string): Promise<[string | undefined, string][]> {
  const status = await runCli(["status", "--json"], h.env, h.project);
  expect(status.code, ownStderr(status.stderr)).toBe(0);
  const report = JSON.parse(status.stdout) as { accounts: { id: string; name: string }[]; assignments: { principal: string; accountId: string; permissionSet: string }[] };
  const accountName = new Map(report.accounts.map((a) => [a.id, a.name]));
  return report.assignments
    .filter((a) => a.principal === principal)
    .map((a): [string | undefined, string] => [accountName.get(a.accountId), a.permissionSet])
    .sort();
}
