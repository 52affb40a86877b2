/**
 * Seeds a large organization straight into the state, for benchmarks and `status` tests that need
 * hundreds of accounts and thousands of users without thousands of API calls. Everything it makes
 * has the same shape and id formats as what the emulated services create.
 */
import { createOrganization } from "./scenario.js";
import { resourceId } from "./services/identityStore.js";
import { newPermissionSetArn } from "./services/ssoAdminLookup.js";
import { DEFAULT_ACCESS_ROLE, enableIdentityCenter, newAccountId, type SandboxState } from "./state.js";

export interface SeedSpec {
  /** Member accounts `seed-0001` ... (emails `seed+0001@example.com`), ACTIVE. */
  accounts?: number;
  /** Identity Store users `user0001@example.com` ..., each in one group (round robin). */
  users?: number;
  /** Groups `Group0001` ... */
  groups?: number;
  /** Permission sets `PermissionSet0001` ... (PT1H, AdministratorAccess attached). */
  permissionSets?: number;
  /** Group assignments per member account (group k gets permission set k, round robin). */
  assignmentsPerAccount?: number;
}

const pad = (n: number) => String(n).padStart(4, "0");

export function seedWorld(state: SandboxState, spec: SeedSpec): void {
  const org = createOrganization(state);
  const instance = enableIdentityCenter(state, state.defaultRegion);
  const store = instance.IdentityStoreId;
  const now = Date.now();

  const accountIds: string[] = [];
  for (let i = 1; i <= (spec.accounts ?? 0); i++) {
    let id = newAccountId();
    while (state.accounts.has(id)) id = newAccountId();
    state.accounts.set(id, {
      Id: id,
      Arn: `arn:aws:organizations::${state.managementAccount.Id}:account/${org.Id}/${id}`,
      Email: `seed+${pad(i)}@example.com`,
      Name: `seed-${pad(i)}`,
      State: "ACTIVE",
      JoinedMethod: "CREATED",
      JoinedTimestamp: now,
      accessRoleName: DEFAULT_ACCESS_ROLE,
    });
    accountIds.push(id);
  }
  // Seeded accounts must not leave the organization at its quota.
  state.accountQuota = Math.max(state.accountQuota, state.accounts.size + 10);

  const groupIds: string[] = [];
  for (let i = 1; i <= (spec.groups ?? 0); i++) {
    const group = { GroupId: resourceId(), IdentityStoreId: store, DisplayName: `Group${pad(i)}` };
    state.groups.set(group.GroupId, group);
    groupIds.push(group.GroupId);
  }

  for (let i = 1; i <= (spec.users ?? 0); i++) {
    const email = `user${pad(i)}@example.com`;
    const user = {
      UserId: resourceId(),
      IdentityStoreId: store,
      UserName: email,
      DisplayName: `User ${pad(i)}`,
      Name: { GivenName: "User", FamilyName: pad(i) },
      Emails: [{ Value: email, Type: "work", Primary: true }],
    };
    state.users.set(user.UserId, user);
    if (groupIds.length > 0) {
      const membershipId = resourceId();
      state.memberships.set(membershipId, { MembershipId: membershipId, IdentityStoreId: store, GroupId: groupIds[(i - 1) % groupIds.length], MemberId: { UserId: user.UserId } });
    }
  }

  const setArns: string[] = [];
  for (let i = 1; i <= (spec.permissionSets ?? 0); i++) {
    const arn = newPermissionSetArn(instance.InstanceArn);
    state.permissionSets.set(arn, {
      PermissionSetArn: arn,
      Name: `PermissionSet${pad(i)}`,
      SessionDuration: "PT1H",
      CreatedDate: now,
      instanceArn: instance.InstanceArn,
      managedPolicies: [{ Name: "AdministratorAccess", Arn: "arn:aws:iam::aws:policy/AdministratorAccess" }],
      provisionedTo: new Set(),
      outdated: false,
    });
    setArns.push(arn);
  }

  const perAccount = spec.assignmentsPerAccount ?? 0;
  if (perAccount > 0 && (groupIds.length === 0 || setArns.length === 0)) {
    throw new Error("seed: assignmentsPerAccount needs at least one group and one permission set");
  }
  for (const accountId of accountIds) {
    for (let k = 0; k < perAccount; k++) {
      const setArn = setArns[k % setArns.length];
      state.assignments.push({
        AccountId: accountId,
        PermissionSetArn: setArn,
        PrincipalType: "GROUP",
        PrincipalId: groupIds[k % groupIds.length],
        instanceArn: instance.InstanceArn,
      });
      state.permissionSets.get(setArn)!.provisionedTo.add(accountId);
    }
  }
}
