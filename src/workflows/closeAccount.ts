/**
 * close-account's AWS side (docs/close-account.md): find the stage's account, and close it
 * through the step executor (one step; an account already closing is success).
 */
import type { OrganizationContext } from "../aws/organizationContext.js";
import type { MemberAccount } from "../aws/organizations.js";
import { runSteps, step, type StepEvent } from "./executor.js";
import { CLOSING_STATES, closeAccountKind } from "./steps/organization.js";

export { CLOSING_STATES };

/**
 * The account a stage names. After close-account and add-account of the same stage, two
 * accounts share the name: the profile's account first, then a live one, then a closed one.
 */
export async function observeCloseAccount(org: OrganizationContext, accountName: string, profileAccountId: string | undefined): Promise<MemberAccount | undefined> {
  const accounts = await org.organizations.listAccounts();
  return (
    accounts.find((a) => profileAccountId !== undefined && a.id === profileAccountId) ??
    accounts.find((a) => a.name === accountName && !CLOSING_STATES.has(a.state)) ??
    accounts.find((a) => a.name === accountName)
  );
}

export async function applyCloseAccount(org: OrganizationContext, account: MemberAccount, hooks: { signal: AbortSignal; onEvent?(event: StepEvent): void }): Promise<"closed"> {
  const outcome = await runSteps({
    kinds: [closeAccountKind],
    steps: [step(closeAccountKind, "close", { accountId: account.id, name: account.name })],
    env: { organizations: org.organizations },
    signal: hooks.signal,
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
  });
  return outcome.get("close");
}
