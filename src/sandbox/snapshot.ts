import type { SandboxState } from "./state.js";

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
    mutatingCount: state.mutatingCount,
  };
}

export type StateSnapshot = ReturnType<typeof snapshot>;
