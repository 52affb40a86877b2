/**
 * `guardrails` against moto's server, a second AWS emulator we did not write, checked with the
 * AWS CLI: SCPs enabled on the root, the deny-leave and regions SCPs created and attached next to
 * FullAWSAccess, the stage budgets with their alerts; a re-run makes no mutating call; --remove
 * takes the regions SCP out.
 *
 * Where moto differs from AWS: moto's Budgets has no ListTagsForResource nor
 * DescribeSubscribersForNotification (AWS has both; the budget step reads them to know a budget
 * is ours), so the re-run here covers the SCPs; the budgets' re-run is covered on our emulator
 * (test/e2e/guardrails.test.ts).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownStderr, runCli } from "../helpers/loginCli.js";
import { unattended } from "../e2e/initHarness.js";
import { makeMotoHome } from "./motoHome.js";
import { startMoto, type Moto } from "./motoServer.js";

/** Debian's AWS CLI, as the interop suite uses it (.ci/run installs it before this suite). */
const AWS = existsSync("/usr/bin/aws") ? "/usr/bin/aws" : "aws";
const run = promisify(execFile);

describe("guardrails against moto", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(() => moto?.close());

  it("puts the SCPs and budgets in place (read back with the AWS CLI), a re-run changes nothing, --remove takes one out", async () => {
    const made = await makeMotoHome(moto.url);
    const project = made.project;
    // The AWS CLI below reads the region from AWS_DEFAULT_REGION.
    const env: NodeJS.ProcessEnv = { ...made.env, AWS_DEFAULT_REGION: "us-east-1" };
    const init = await runCli(unattended, env, project);
    expect(init.code, ownStderr(init.stderr)).toBe(0);
    // Asynchronously: moto's recording proxy answers from this process's event loop.
    const aws = async (...args: string[]) => JSON.parse((await run(AWS, [...args, "--endpoint-url", moto.url, "--output", "json"], { env: { ...env, AWS_PAGER: "" } })).stdout);

    const first = await runCli(["guardrails", "--deny-leave", "--regions", "eu-west-1", "--budget", "dev=50,production=500", "--budget-email", "billing@acme.com", "--yes"], env, project);
    expect(first.code, ownStderr(first.stderr)).toBe(0);

    const root = (await aws("organizations", "list-roots")).Roots[0];
    expect(root.PolicyTypes).toEqual([{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }]);
    const onRoot = (await aws("organizations", "list-policies-for-target", "--target-id", root.Id, "--filter", "SERVICE_CONTROL_POLICY")).Policies.map((p: { Name: string }) => p.Name);
    expect(onRoot.sort()).toEqual(["FullAWSAccess", "org-bootstrap-deny-leave", "org-bootstrap-regions"]);
    const denyLeave = (await aws("organizations", "list-policies", "--filter", "SERVICE_CONTROL_POLICY")).Policies.find((p: { Name: string }) => p.Name === "org-bootstrap-deny-leave");
    const content = JSON.parse((await aws("organizations", "describe-policy", "--policy-id", denyLeave.Id)).Policy.Content);
    expect(content.Statement[0]).toMatchObject({ Effect: "Deny", Action: ["organizations:LeaveOrganization"] });
    expect((await aws("organizations", "list-tags-for-resource", "--resource-id", denyLeave.Id)).Tags).toEqual([{ Key: "managed-by", Value: "org-bootstrap" }]);

    const accountId = (await aws("sts", "get-caller-identity")).Account;
    const budgets = (await aws("budgets", "describe-budgets", "--account-id", accountId)).Budgets.map((b: { BudgetName: string; BudgetLimit: { Amount: string } }) => [b.BudgetName, Number(b.BudgetLimit.Amount)]);
    expect(budgets.sort()).toEqual([
      ["org-bootstrap-dev", 50],
      ["org-bootstrap-production", 500],
    ]);
    const alerts = (await aws("budgets", "describe-notifications-for-budget", "--account-id", accountId, "--budget-name", "org-bootstrap-dev")).Notifications.map((n: { NotificationType: string; Threshold: number }) => `${n.NotificationType} ${n.Threshold}`);
    expect(alerts.sort()).toEqual(["ACTUAL 80", "FORECASTED 100"]);

    moto.calls.length = 0;
    const again = await runCli(["guardrails", "--deny-leave", "--regions", "eu-west-1", "--yes", "--json"], env, project);
    expect(again.code, ownStderr(again.stderr)).toBe(0);
    expect(JSON.parse(again.stdout).changed).toBe(false);
    expect(moto.calls.filter((c) => c.mutating)).toEqual([]);

    const removed = await runCli(["guardrails", "--remove", "regions", "--yes"], env, project);
    expect(removed.code, ownStderr(removed.stderr)).toBe(0);
    const names = (await aws("organizations", "list-policies", "--filter", "SERVICE_CONTROL_POLICY")).Policies.map((p: { Name: string }) => p.Name);
    expect(names.sort()).toEqual(["FullAWSAccess", "org-bootstrap-deny-leave"]);
  });
});
