import type { SandboxState } from "./state.js";
import { organizationsRootFeatures } from "./services/iamRootAccess.js";
import { iamSnapshot } from "./services/iamState.js";

/** The world as plain JSON for tests (no secrets: tokens and client secrets are left out). */
export function snapshot(state: SandboxState) {
  return {
    caller: state.caller,
    organization: state.organization ?? null,
    accounts: [...state.accounts.values()],
    createAccountStatuses: [...state.createAccountStatuses.values()].map(({ outcome: _o, settlesAt: _s, ...rest }) => rest),
    serviceAccess: [...state.serviceAccess],
    instances: [...state.instances.values()],
    permissionSets: [...state.permissionSets.values()].map((p) => ({ ...p, provisionedTo: [...p.provisionedTo] })),
    assignments: state.assignments,
    users: [...state.users.values()],
    groups: [...state.groups.values()],
    memberships: [...state.memberships.values()],
    oidcClients: [...state.oidcClients.values()].map(({ clientSecret: _s, ...rest }) => rest),
    policies: [...(state.policies?.policies.values() ?? [])].map((p) => ({
      ...p,
      targets: [...(state.policies?.attachments ?? [])].filter(([, ids]) => ids.includes(p.Id)).map(([target]) => target),
    })),
    policyTypes: [...(state.policies?.rootTypes ?? [])].map(([type, t]) => ({ Type: type, Status: t.status })),
    budgets: [...(state.budgets ?? [])].flatMap(([accountId, byName]) => [...byName.values()].map((b) => ({ accountId, ...b }))),
    iam: iamSnapshot(state),
    organizationsRootFeatures: organizationsRootFeatures(state),
    mutatingCount: state.mutatingCount,
  };
}

export type StateSnapshot = ReturnType<typeof snapshot>;
