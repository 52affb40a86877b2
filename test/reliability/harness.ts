/**
 * What the reliability suites compare: the emulated AWS organisation and the files under a
 * temporary HOME, each reduced to what a person would notice. AWS makes up fresh identifiers on
 * every run (account ids, user ids, the identity store id), so those are replaced by the names of
 * what they identify; everything else, including every byte of every file, must match exactly.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { StateSnapshot } from "../../src/sandbox/snapshot.js";
import { control } from "../helpers/sandbox.js";

/** The organisation by name: accounts, people, groups, permission sets and who may use which where. */
export function organisationByName(world: StateSnapshot) {
  const accountName = (id: string) => world.accounts.find((a) => a.Id === id)?.Name ?? (id === world.caller.accountId ? "management" : `unknown account ${id}`);
  const userName = (id: string) => world.users.find((u) => u.UserId === id)?.UserName ?? `unknown user ${id}`;
  const groupName = (id: string) => world.groups.find((g) => g.GroupId === id)?.DisplayName ?? `unknown group ${id}`;
  const permissionSetName = (arn: string) => world.permissionSets.find((p) => p.PermissionSetArn === arn)?.Name ?? `unknown permission set ${arn}`;
  const sorted = <T>(items: T[]) => items.map((i) => JSON.stringify(i)).sort();
  return {
    organization: world.organization ? { featureSet: world.organization.FeatureSet, master: world.organization.MasterAccountId } : null,
    instances: world.instances.map((i) => ({ region: i.region, status: i.Status })),
    accounts: sorted(world.accounts.map((a) => ({ name: a.Name, email: a.Email, state: a.State }))),
    accountCreations: sorted(world.createAccountStatuses.map((s) => ({ name: s.AccountName, email: s.Email, state: s.State, reason: s.FailureReason }))),
    permissionSets: sorted(
      world.permissionSets.map((p) => ({
        name: p.Name,
        sessionDuration: p.SessionDuration,
        policies: p.managedPolicies.map((m) => m.Arn).sort(),
        provisionedTo: p.provisionedTo.map(accountName).sort(),
      })),
    ),
    users: sorted(world.users.map((u) => ({ userName: u.UserName, name: u.Name, emails: u.Emails, displayName: u.DisplayName }))),
    groups: sorted(world.groups.map((g) => ({ name: g.DisplayName, description: g.Description }))),
    memberships: sorted(world.memberships.map((m) => [groupName(m.GroupId), userName(m.MemberId.UserId)])),
    assignments: sorted(
      world.assignments.map((a) => [accountName(a.AccountId), permissionSetName(a.PermissionSetArn), a.PrincipalType, a.PrincipalType === "USER" ? userName(a.PrincipalId) : groupName(a.PrincipalId)]),
    ),
    policyTypes: sorted(world.policyTypes),
    serviceAccess: [...world.serviceAccess].sort(),
    rootFeatures: world.organizationsRootFeatures,
    policies: sorted(world.policies.map((p) => ({ name: p.Name, content: p.Content, tags: p.tags, targets: p.targets.map((t) => (t === world.organization?.rootId ? "root" : accountName(t))).sort() }))),
    // Account ids (a budget's LINKED_ACCOUNT filter) differ between worlds: named instead.
    budgets: sorted(
      world.budgets.map((b) =>
        JSON.parse(JSON.stringify({ account: b.accountId, budget: { ...b.budget, LastUpdatedTime: undefined }, notifications: b.notifications, tags: b.tags }).replace(/"(\d{12})"/g, (_m, id: string) => JSON.stringify(accountName(id)))),
      ),
    ),
    // IAM per account (ci github): providers and roles, account ids in trust policies by name.
    iam: sorted(
      Object.entries(world.iam ?? {}).flatMap(([accountId, iam]) => [
        ...iam.oidcProviders.map((p) => ({ account: accountName(accountId), provider: p.Url, clientIds: p.ClientIDList, tags: p.Tags })),
        ...iam.roles.map((r) => ({
          account: accountName(accountId),
          role: r.RoleName,
          trust: world.accounts.reduce((text, a) => text.split(a.Id).join(`<${a.Name}>`), r.AssumeRolePolicyDocument),
          policies: r.AttachedPolicyArns,
          tags: r.Tags,
          maxSessionDuration: r.MaxSessionDuration,
        })),
      ]),
    ),
  };
}

/** AWS-made identifiers in `world` → a stable label naming what they identify. */
export function identifierLabels(world: StateSnapshot): [string, string][] {
  const labels: [string, string][] = [];
  for (const a of world.accounts) labels.push([a.Id, `<account ${a.Name}>`]);
  for (const i of world.instances) {
    labels.push([i.InstanceArn.split("/").pop() as string, `<instance ${i.region}>`]);
    labels.push([i.IdentityStoreId, `<identity store ${i.region}>`]);
  }
  for (const p of world.permissionSets) labels.push([p.PermissionSetArn.split("/").pop() as string, `<permission set ${p.Name}>`]);
  for (const u of world.users) labels.push([u.UserId, `<user ${u.UserName}>`]);
  for (const g of world.groups) labels.push([g.GroupId, `<group ${g.DisplayName}>`]);
  if (world.organization) labels.push([world.organization.Id, "<organization>"]);
  // Longest first, so an id that contains another is replaced whole.
  return labels.filter(([id]) => id.length >= 6).sort((a, b) => b[0].length - a[0].length);
}

export function withLabels(text: string, labels: [string, string][]): string {
  let out = text;
  for (const [id, label] of labels) out = out.split(id).join(label);
  return out;
}

export interface FileRecord {
  bytes: string;
  mode: number;
}

/** Every file and directory under `root` (relative path → bytes with ids labelled, and mode). */
export async function filesUnder(root: string, labels: [string, string][] = []): Promise<Record<string, FileRecord>> {
  const files: Record<string, FileRecord> = {};
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      const stat = await fs.lstat(full);
      if (entry.isSymbolicLink()) {
        files[rel] = { bytes: `-> ${await fs.readlink(full)}`, mode: stat.mode & 0o777 };
      } else if (entry.isDirectory()) {
        files[`${rel}/`] = { bytes: "", mode: stat.mode & 0o777 };
        await walk(full);
      } else {
        files[rel] = { bytes: withLabels(await fs.readFile(full, "utf8"), labels), mode: stat.mode & 0o777 };
      }
    }
  };
  await walk(root);
  return files;
}

/** Resolves true once the emulator holds the answer to the chosen mutating call; false if the CLI exited first. */
export async function waitUntilHeld(sandbox: { url: string }, exit: Promise<number>): Promise<boolean> {
  let exited = false;
  void exit.then(() => (exited = true));
  for (;;) {
    const hold = await control<{ held: boolean }>(sandbox, "GET", "/hold");
    if (hold.held) return true;
    if (exited) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}
