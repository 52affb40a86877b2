/**
 * `profiles`: which `[profile]` blocks a teammate's access deserves (docs/profiles.md). Pure: the
 * portal's accounts and roles + the profiles the config already has → blocks to add, to keep, to
 * remove (with `--prune`) and to leave alone.
 *
 * Names, the same on every run whatever order the portal lists things in:
 * - an account named `<org>-<stage>` (as init names them): `<org>-<stage>` for the person's most
 *   capable role there (AdministratorAccess > PowerUserAccess > ReadOnlyAccess > the others by
 *   name), `<org>-<stage>-<role>` for each further role, with the preset's short name
 *   (`acme-production-readonly`) or the role's name in kebab case (`acme-dev-billing-access`);
 * - the management account (when its id is known): `<org>-management`, and so on;
 * - any other account: its name in kebab case, and so on;
 * - a name already taken by a block that points elsewhere, or wanted by two roles, gets the
 *   account id appended (the lower account id keeps the plain name).
 * A block that already points at the same session, account and role keeps its name, whoever
 * wrote it (init's blocks included). `--prune` removes only blocks carrying our marker
 * (`org_bootstrap_generated_by = profiles`, which the AWS CLI and SDKs ignore) whose account and
 * role the person no longer has; blocks the user wrote are only reported.
 */
import { MANAGEMENT_STAGE } from "./desired.js";
import { permissionSetPresets, type PresetKey } from "./presets.js";

/** The key and value that mark a block as written by `profiles` (the only blocks `--prune` removes). */
export const GENERATED_KEY = "org_bootstrap_generated_by";
export const GENERATED_VALUE = "profiles";

export interface PortalAccess {
  accountId: string;
  accountName: string;
  roles: string[];
}

export interface ExistingProfile {
  name: string;
  ssoSession?: string;
  accountId?: string;
  roleName?: string;
  /** Carries GENERATED_KEY = GENERATED_VALUE. */
  generated: boolean;
}

export interface ProfilesPlanInput {
  /** The sso-session the profiles sign in through; also the `<org>` of the names. */
  session: string;
  access: PortalAccess[];
  existing: ExistingProfile[];
  managementAccountId?: string;
  prune: boolean;
}

export interface PlannedProfile {
  name: string;
  accountId: string;
  accountName: string;
  roleName: string;
}

export interface ProfilesPlan {
  /** New blocks to write. */
  add: PlannedProfile[];
  /** Blocks already pointing at an account and role the person has (kept as they are). */
  keep: PlannedProfile[];
  /** Our blocks for access the person no longer has: removed with `--prune`. */
  remove: ExistingProfile[];
  /** Our blocks that `--prune` would remove (shown when it was not given). */
  prunable: ExistingProfile[];
  /** Blocks of the session that point at access the person does not have, which we did not write: never touched. */
  foreign: ExistingProfile[];
}

/** `AdministratorAccess` → 0, `PowerUserAccess` → 1, `ReadOnlyAccess` → 2, anything else → 3. */
const LADDER: PresetKey[] = ["admin", "poweruser", "readonly"];

function rank(role: string): number {
  const at = LADDER.findIndex((k) => permissionSetPresets[k].name === role);
  return at < 0 ? LADDER.length : at;
}

/** Most capable first, then by name (code unit order: the same on every machine). */
export function compareRoles(a: string, b: string): number {
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** `ReadOnlyAccess` → `readonly` (a preset's short name); `Billing_Team Access` → `billing-team-access`. */
export function roleSlug(role: string): string {
  const preset = (Object.keys(permissionSetPresets) as PresetKey[]).find((k) => permissionSetPresets[k].name === role);
  return preset ?? kebab(role);
}

/** Kebab case, limited to the characters every tool accepts in a profile name. */
export function kebab(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The base name of an account's profiles. */
export function accountBaseName(session: string, account: { accountId: string; accountName: string }, managementAccountId?: string): string {
  if (account.accountId === managementAccountId) return `${session}-${MANAGEMENT_STAGE}`;
  if (account.accountName.startsWith(`${session}-`) && kebab(account.accountName.slice(session.length + 1))) {
    return `${session}-${kebab(account.accountName.slice(session.length + 1))}`;
  }
  return kebab(account.accountName) || account.accountId;
}

const pairKey = (accountId: string, roleName: string) => `${accountId}/${roleName}`;

export function planProfiles(input: ProfilesPlanInput): ProfilesPlan {
  const ofSession = input.existing.filter((p) => p.ssoSession === input.session && p.accountId && p.roleName);
  const existingByPair = new Map<string, ExistingProfile>();
  for (const p of ofSession) if (!existingByPair.has(pairKey(p.accountId!, p.roleName!))) existingByPair.set(pairKey(p.accountId!, p.roleName!), p);
  const taken = new Set(input.existing.map((p) => p.name));

  // Accounts in id order, roles most capable first: the names do not depend on the portal's order.
  const accounts = [...input.access].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  const wanted: (PlannedProfile & { preferred: string })[] = [];
  for (const account of accounts) {
    const base = accountBaseName(input.session, account, input.managementAccountId);
    const roles = [...new Set(account.roles)].sort(compareRoles);
    roles.forEach((roleName, i) => {
      const preferred = i === 0 ? base : `${base}-${roleSlug(roleName) || "role"}`;
      wanted.push({ name: preferred, preferred, accountId: account.accountId, accountName: account.accountName, roleName });
    });
  }

  const add: PlannedProfile[] = [];
  const keep: PlannedProfile[] = [];
  for (const w of wanted) {
    const found = existingByPair.get(pairKey(w.accountId, w.roleName));
    if (found) {
      keep.push({ name: found.name, accountId: w.accountId, accountName: w.accountName, roleName: w.roleName });
      continue;
    }
    let name = w.preferred;
    if (taken.has(name)) name = `${w.preferred}-${w.accountId}`;
    for (let n = 2; taken.has(name); n++) name = `${w.preferred}-${w.accountId}-${n}`;
    taken.add(name);
    add.push({ name, accountId: w.accountId, accountName: w.accountName, roleName: w.roleName });
  }

  const has = new Set(wanted.map((w) => pairKey(w.accountId, w.roleName)));
  const gone = ofSession.filter((p) => !has.has(pairKey(p.accountId!, p.roleName!)));
  const prunable = gone.filter((p) => p.generated);
  return {
    add,
    keep,
    remove: input.prune ? prunable : [],
    prunable: input.prune ? [] : prunable,
    foreign: gone.filter((p) => !p.generated),
  };
}
