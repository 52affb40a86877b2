/**
 * Seeds the emulated Identity Center in-process (users, groups, memberships, permission sets,
 * assignments, accounts) so login tests do not depend on the SSO Admin / Identity Store services.
 */
import type { SandboxState } from "../../src/sandbox/state.js";
import { createOrganization } from "../../src/sandbox/scenario.js";
import { enableIdentityCenter } from "../../src/sandbox/state.js";

export interface SeededWorld {
  startUrl: string;
  devAccountId: string;
  prodAccountId: string;
  userName: string;
  otherUserName: string;
}

export function seedSsoWorld(state: SandboxState): SeededWorld {
  const org = createOrganization(state);
  const instance = enableIdentityCenter(state, "us-east-1");
  const account = (id: string, name: string) =>
    state.accounts.set(id, {
      Id: id,
      Arn: `arn:aws:organizations::${state.managementAccount.Id}:account/${org.Id}/${id}`,
      Email: `owner+${name}@example.com`,
      Name: name,
      State: "ACTIVE",
      JoinedMethod: "CREATED",
      JoinedTimestamp: Date.now(),
    });
  account("222233334444", "acme-dev");
  account("555566667777", "acme-production");
  const storeId = instance.IdentityStoreId;
  state.users.set("u-ada", { UserId: "u-ada", IdentityStoreId: storeId, UserName: "ada@example.com" });
  state.users.set("u-bob", { UserId: "u-bob", IdentityStoreId: storeId, UserName: "bob@example.com" });
  state.groups.set("g-admins", { GroupId: "g-admins", IdentityStoreId: storeId, DisplayName: "Administrators" });
  state.memberships.set("m-1", { MembershipId: "m-1", IdentityStoreId: storeId, GroupId: "g-admins", MemberId: { UserId: "u-ada" } });
  const psArn = `${instance.InstanceArn.replace(":instance/", ":permissionSet/")}/ps-admin0000000001`;
  state.permissionSets.set(psArn, {
    PermissionSetArn: psArn,
    Name: "AdministratorAccess",
    SessionDuration: "PT12H",
    CreatedDate: Date.now(),
    instanceArn: instance.InstanceArn,
    managedPolicies: [],
    provisionedTo: new Set(["222233334444", "555566667777"]),
    outdated: false,
  });
  for (const accountId of ["222233334444", "555566667777"]) {
    state.assignments.push({ AccountId: accountId, PermissionSetArn: psArn, PrincipalType: "GROUP", PrincipalId: "g-admins", instanceArn: instance.InstanceArn });
  }
  return {
    startUrl: `https://${storeId}.awsapps.com/start`,
    devAccountId: "222233334444",
    prodAccountId: "555566667777",
    userName: "ada@example.com",
    otherUserName: "bob@example.com",
  };
}

/** Submits the device page's form as a person clicking Approve (or Deny) would. */
export async function answerDevicePage(baseUrl: string, userCode: string, userName: string, decision: "approve" | "deny" = "approve") {
  const res = await fetch(`${baseUrl}/device`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user_code: userCode, username: userName, decision }).toString(),
  });
  return { status: res.status, html: await res.text() };
}

/** Submits the authorize page's form; returns where the sign-in page redirects the browser. */
export async function answerAuthorizePage(authorizeUrl: string, userName: string, decision: "approve" | "deny" = "approve") {
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set("username", userName);
  form.set("decision", decision);
  const res = await fetch(`${url.origin}${url.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  return { status: res.status, location: res.headers.get("location") ?? "", html: await res.text() };
}
