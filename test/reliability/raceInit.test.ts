/**
 * Two `init` runs racing against the same AWS (two administrators, or a run started twice): both
 * look before either changes anything, so both plan to create the organization, the accounts and
 * everything else. The emulator's barrier holds their CreateOrganization calls until both have
 * arrived, and likewise their four CreateAccount calls, then applies them in arrival order. The
 * loser must adopt what the winner made (docs/errors.md, "Another run made it first") instead of
 * exiting with a raw exception: both exit 0, and the organisation and each person's files are
 * exactly what one clean run leaves. And the other way round: an account that is not ours (our
 * email, someone else's name) is never adopted.
 */
import { CreateAccountCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets, type Timings } from "../../src/sandbox/state.js";
import { callLog, clientConfig, control, worldState } from "../helpers/sandbox.js";
import { ownStderr, unwrapped } from "../helpers/loginCli.js";
import { makeInitHome, runInit } from "../e2e/initHarness.js";
import { filesUnder, identifierLabels, organisationByName } from "./harness.js";

const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function world(timings: Partial<Timings>) {
  const sandbox = await startSandbox({ identityCenterEnabled: true, timings });
  opened.push(sandbox);
  return sandbox;
}

const until = async (check: () => Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
};

/** The organisation by name without AWS's log of creation requests (the loser's requests add FAILED ones). */
async function endState(sandbox: Sandbox) {
  const { accountCreations: _log, ...organisation } = organisationByName(await worldState(sandbox));
  return organisation;
}

describe.each([
  ["the winner's accounts already exist when the loser's CreateAccount lands", timingPresets.none],
  ["the winner's accounts are still being created", timingPresets.fast],
] as const)("two init runs at once: %s", (_label, timings) => {
  it.concurrent("both exit 0; the loser adopts the winner's organization and accounts; the end state is one clean run's", async () => {
    const clean = await world(timings);
    const cleanHome = await makeInitHome(clean);
    const c = await runInit(cleanHome);
    expect(c.code, c.stderr).toBe(0);
    const cleanWorld = await worldState(clean);
    const cleanFiles = await filesUnder(cleanHome.home, identifierLabels(cleanWorld));

    const shared = await world(timings);
    await control(shared, "POST", "/barrier", { operation: "CreateOrganization", calls: 2 });
    await control(shared, "POST", "/barrier", { operation: "CreateAccount", calls: 4 });
    const [homeA, homeB] = await Promise.all([makeInitHome(shared), makeInitHome(shared)]);
    const [a, b] = await Promise.all([runInit(homeA), runInit(homeB)]);

    for (const r of [a, b]) {
      expect(r.code, ownStderr(r.stderr)).toBe(0);
      expect(ownStderr(r.stderr)).not.toMatch(/Exception|✖/);
    }
    // Each says what it did: one created the organization and each account, the other used them.
    const said = (pattern: RegExp) => [a, b].map((r) => pattern.exec(unwrapped(r.stdout))?.[1]).sort();
    expect(said(/Organization o-\w+: (created|made by another run at the same time; using it)/)).toEqual(["created", "made by another run at the same time; using it"]);
    for (const name of ["acme-dev", "acme-production"]) {
      expect(said(new RegExp(`Account ${name}: (created|made by another run at the same time; using it)`))).toEqual(["created", "made by another run at the same time; using it"]);
    }
    const calls = await callLog(shared);
    // It was a race: both runs asked for the organization and both accounts.
    expect(calls.filter((call) => call.operation === "CreateOrganization").map((call) => call.errorCode ?? "ok").sort()).toEqual(["AlreadyInOrganizationException", "ok"]);
    expect(calls.filter((call) => call.operation === "CreateAccount")).toHaveLength(4);

    const sharedWorld = await worldState(shared);
    expect(await endState(shared)).toEqual(await endState(clean));
    expect(sharedWorld.accounts.filter((x) => x.Name.startsWith("acme-"))).toHaveLength(2);
    for (const h of [homeA, homeB]) expect(await filesUnder(h.home, identifierLabels(sharedWorld))).toEqual(cleanFiles);
  });
});

describe("only what is ours is adopted", () => {
  it.concurrent("an account someone else is making with our email but another name at the same moment is not taken: EMAIL_ALREADY_EXISTS stays an error, and it gets no access", async () => {
    const shared = await world(timingPresets.none);
    // Their CreateAccount is sent first and waits at the barrier, unseen by init's look at the
    // organization; once init's two arrive, theirs is applied first, then init's.
    await control(shared, "POST", "/barrier", { operation: "CreateAccount", calls: 3 });
    const orgs = new OrganizationsClient(clientConfig(shared));
    const theirs = orgs.send(new CreateAccountCommand({ AccountName: "someone-else", Email: "aws+dev@acme.com" }));
    await until(async () => (await callLog(shared)).some((c) => c.operation === "CreateAccount"));
    const h = await makeInitHome(shared);
    const [r] = await Promise.all([runInit(h), theirs]);
    orgs.destroy();

    expect(r.code, r.stdout + ownStderr(r.stderr)).toBe(2);
    expect(unwrapped(ownStderr(r.stderr))).toMatch(/Creating account acme-dev \(aws\+dev@acme\.com\) failed: That email address already belongs to another AWS account.*EMAIL_ALREADY_EXISTS/);
    const after = await worldState(shared);
    const other = after.accounts.find((a) => a.Name === "someone-else")!;
    expect(other.Email).toBe("aws+dev@acme.com");
    expect(after.accounts.some((a) => a.Name === "acme-dev")).toBe(false);
    expect(after.assignments.filter((a) => a.AccountId === other.Id)).toEqual([]);
  });
});
