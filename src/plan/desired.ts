/**
 * From the wizard's answers to the setup we want: account names and emails, permission sets,
 * the first user and group. Pure: validation errors are typed UserErrors naming the fix.
 */
import { UserError } from "../errors.js";
import { initDefaults, isPresetKey, permissionSetPresets, presetKeys, type PresetKey } from "./presets.js";

export interface InitAnswers {
  orgName: string;
  ssoRegion: string;
  stages: string[];
  /** Template with `{stage}`, e.g. `aws+{stage}@acme.com`; default: plus-address of the management email. */
  accountEmail?: string;
  user: { email: string; givenName: string; familyName: string };
  group: string;
  permissionSets: PresetKey[];
  sessionDuration: string;
  startUrl?: string;
}

export interface DesiredAccount {
  stage: string;
  name: string;
  email: string;
}

export interface DesiredPermissionSetSpec {
  key: PresetKey;
  name: string;
  description: string;
  sessionDuration: string;
  managedPolicyArns: string[];
}

export interface DesiredSetup {
  orgName: string;
  /** The `--account-email` template, kept to fill in pending emails once the organization exists. */
  accountEmailTemplate?: string;
  ssoRegion: string;
  accounts: DesiredAccount[];
  permissionSets: DesiredPermissionSetSpec[];
  /** The set the group gets in every account and the profiles use (`sso_role_name`). */
  adminPermissionSet: string;
  group: { displayName: string; description: string };
  user: { userName: string; email: string; givenName: string; familyName: string };
  startUrl?: string;
}

/**
 * Names the AWS SDK's config loader keeps: `[\w\-@+.%:/]+` (docs/local-files.md). Org and stage names end
 * up in `[sso-session <org>]` and `[profile <org>-<stage>]`, so they must fit; we also keep them
 * to what makes a good account name (letters, digits, `-`, `_`, `.`).
 */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `[profile <org>-management]` reaches the management account through SSO (init writes it; the
 * day-two commands use it once the root keys are gone), so no stage may take that name.
 */
export const MANAGEMENT_STAGE = "management";

export function managementProfileName(orgName: string): string {
  return `${orgName}-${MANAGEMENT_STAGE}`;
}

export function validateName(kind: "organization name", value: string, flag: string): string {
  const v = value.trim();
  if (!v || !NAME_PATTERN.test(v) || v.length > 40) {
    throw new UserError(
      `The ${kind} "${value}" cannot be used.`,
      `Use letters, digits, '-', '_' or '.', starting with a letter or digit, at most 40 characters (${flag}).`,
    );
  }
  return v;
}

/**
 * Stage names end up in an AWS account name (`<org>-<stage>`, 1–50 characters, CreateAccount),
 * a `[profile <org>-<stage>]` section (the SDK's `[\w\-@+.%:/]+`, docs/local-files.md) and SST stage names,
 * which SST puts into CloudFormation stack names (letters, digits, hyphens; must start with a
 * letter) and S3 bucket names (lowercase only). The common ground: lowercase letters, digits and
 * hyphens, starting with a letter. One rule and one message for init, add-account and
 * close-account (docs/errors.md).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
const STAGE_PATTERN = /^[a-z][a-z0-9-]*$/;

/** `[profile <org>-management]` is the management account's profile, not a stage's. */
export const RESERVED_STAGES: readonly string[] = [MANAGEMENT_STAGE];

/** Why a stage name cannot be used, or undefined when it can. */
export function stageProblem(stage: string): string | undefined {
  if (!STAGE_PATTERN.test(stage) || stage.endsWith("-") || stage.length > 40) {
    return "use lowercase letters, digits and hyphens, starting with a letter, at most 40 characters (SST puts the stage into CloudFormation and S3 names), e.g. staging or qa-1";
  }
  if (RESERVED_STAGES.includes(stage)) return `"${stage}" names the management account's profile (<org>-${stage}); choose another name`;
  return undefined;
}

export function validateStage(value: string, flag: string): string {
  const v = value.trim();
  const problem = stageProblem(v);
  if (problem) throw new UserError(`The stage "${value}" cannot be used.`, `${problem[0].toUpperCase()}${problem.slice(1)} (${flag}).`);
  return v;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(value: string, flag: string): string {
  const v = value.trim();
  // CreateAccount accepts 6–64 ASCII characters (docs/aws-facts.md, Organizations).
  if (!EMAIL.test(v) || v.length < 6 || v.length > 64 || !/^[\x21-\x7e]+$/.test(v)) {
    throw new UserError(`"${value}" is not a usable email address.`, `Give an address of 6 to 64 ASCII characters (${flag}).`);
  }
  return v;
}

/** Region codes as AWS writes them: us-east-1, eu-central-2, us-gov-west-1, cn-north-1. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Whether `value` (trimmed) is shaped like a region code; the one test the flag and the prompt share. */
export function isRegionCode(value: string): boolean {
  return REGION.test(value.trim());
}

export function validateRegion(value: string, flag: string): string {
  const v = value.trim();
  if (!isRegionCode(v)) throw new UserError(`"${value}" is not an AWS region code.`, `Give a region such as us-east-1 or eu-west-1 (${flag}).`);
  return v;
}

/**
 * Identity Store group names: 1 to 1,024 letters, marks, symbols, digits, punctuation or spaces;
 * `Administrator` and `AWSAdministrators` are reserved
 * (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroup.html).
 */
export function validateGroupName(value: string, flag: string): string {
  const v = value.trim();
  if (!v || v.length > 1024 || !/^[\p{L}\p{M}\p{S}\p{N}\p{P} \u00a0]+$/u.test(v) || v === "Administrator" || v === "AWSAdministrators") {
    throw new UserError(`The group name "${value.length > 60 ? `${value.slice(0, 60)}…` : value}" cannot be used.`, `Use 1 to 1,024 letters, digits, spaces or punctuation; "Administrator" and "AWSAdministrators" are reserved (${flag}).`);
  }
  return v;
}

/** ISO-8601 duration from 1 to 12 hours, as `SessionDuration` accepts (docs/aws-facts.md, IAM Identity Center). */
export function validateSessionDuration(value: string): string {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(value.trim());
  const minutes = m && (m[1] || m[2]) ? Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) : NaN;
  if (!(minutes >= 60 && minutes <= 720)) {
    throw new UserError(`Session duration "${value}" is not allowed.`, "Use an ISO-8601 duration from PT1H to PT12H (--session-duration), e.g. PT12H or PT8H.");
  }
  return value.trim();
}

export function parseStages(value: string | string[]): string[] {
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((s) => s.trim()).filter(Boolean);
  const stages = [...new Set(list.map((s) => validateStage(s, "--stages")))];
  if (stages.length === 0) throw new UserError("At least one stage is needed.", "For example: --stages dev,production");
  return stages;
}

export function parsePermissionSetKeys(value: string | string[] | undefined): PresetKey[] {
  const list = value === undefined ? [] : (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(",")).map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const key of list) {
    if (!isPresetKey(key)) throw new UserError(`Unknown permission set "${key}".`, `Choose from: ${presetKeys.join(", ")} (--permission-sets).`);
  }
  // AdministratorAccess always comes first: the group and every profile use it.
  return [...new Set<PresetKey>(["admin", ...(list as PresetKey[])])];
}

/**
 * The email for a stage's account: the template with `{stage}` filled in, or else the
 * management account's email plus-addressed (`owner+dev@example.com`): every AWS account needs
 * its own address, and most mail providers deliver plus-addresses to the same inbox.
 */
export function accountEmailFor(stage: string, template: string | undefined, managementEmail: string | undefined): string {
  if (template) {
    if (!template.includes("{stage}")) {
      throw new UserError(`The account email "${template}" has no {stage} placeholder.`, "Every account needs its own email, e.g. --account-email 'aws+{stage}@acme.com'.");
    }
    return validateEmail(template.replaceAll("{stage}", stage), "--account-email");
  }
  // No organization yet: AWS tells us the management account's email only once it exists
  // (CreateOrganization's MasterAccountEmail); until then the email is a placeholder.
  if (managementEmail === undefined) return `${PENDING_EMAIL}+${stage}`;
  const at = managementEmail.lastIndexOf("@");
  if (at <= 0) throw new UserError("The management account's email is unknown, so account emails cannot be derived.", "Give them with --account-email 'aws+{stage}@example.com'.");
  const local = managementEmail.slice(0, at).replace(/\+.*$/, "");
  return validateEmail(`${local}+${stage}${managementEmail.slice(at)}`, "--account-email");
}

/** Stands for the management account's email until the organization exists. */
export const PENDING_EMAIL = "<management account email>";

export function isPendingEmail(email: string): boolean {
  return email.startsWith(PENDING_EMAIL);
}

export function desiredSetup(answers: InitAnswers, managementEmail: string | undefined): DesiredSetup {
  const orgName = validateName("organization name", answers.orgName, "--org-name");
  const sessionDuration = validateSessionDuration(answers.sessionDuration || initDefaults.sessionDuration);
  const accounts = answers.stages.map((stage) => {
    const name = `${orgName}-${stage}`;
    // CreateAccount: AccountName 1–50 characters (docs/aws-facts.md, Organizations).
    if (name.length > 50) throw new UserError(`Account name "${name}" is longer than 50 characters.`, "Use a shorter --org-name or stage.");
    return { stage, name, email: accountEmailFor(stage, answers.accountEmail, managementEmail) };
  });
  const emails = new Set<string>();
  for (const a of accounts) {
    const key = a.email.toLowerCase();
    if (emails.has(key) || key === managementEmail?.toLowerCase()) {
      throw new UserError(`Two accounts would share the email ${a.email}.`, "Every AWS account needs its own email: put {stage} in --account-email.");
    }
    emails.add(key);
  }
  const keys = answers.permissionSets.length ? answers.permissionSets : initDefaults.permissionSets;
  const permissionSets = [...new Set<PresetKey>(["admin", ...keys])].map((key) => {
    const p = permissionSetPresets[key];
    return { key, name: p.name, description: p.description, sessionDuration, managedPolicyArns: [p.managedPolicyArn] };
  });
  const email = validateEmail(answers.user.email, "--user-email");
  return {
    orgName,
    ...(answers.accountEmail ? { accountEmailTemplate: answers.accountEmail } : {}),
    ssoRegion: answers.ssoRegion,
    accounts,
    permissionSets,
    adminPermissionSet: permissionSetPresets.admin.name,
    group: { displayName: answers.group || initDefaults.group, description: `Administrators of ${orgName} (created by org-bootstrap)` },
    // Username = email (docs/add-user.md), so people sign in with the address they know.
    user: { userName: email, email, givenName: answers.user.givenName.trim(), familyName: answers.user.familyName.trim() },
    ...(answers.startUrl ? { startUrl: answers.startUrl } : {}),
  };
}
