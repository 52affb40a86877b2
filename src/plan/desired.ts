/**
 * From the wizard's answers to the setup we want: account names and emails, permission sets,
 * the first user and group. Pure: validation errors are typed UserErrors naming the fix.
 */
import { UserError } from "../errors.js";
import { identityCenterRegionsByPartition, isIdentityCenterRegion } from "./regions.js";
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
  /**
   * The stage profiles' `region` (where SST and the AWS CLI work), when chosen (`--region`, or a
   * wizard answer other than its default). Unset: profiles keep the region they have, new ones
   * get the default (docs/init.md, Regions).
   */
  region?: string;
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
  /** The stage profiles' region when chosen; see InitAnswers.region. */
  region?: string;
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

/**
 * Why an email address cannot be used, or undefined. CreateAccount accepts 6–64 ASCII
 * characters shaped `name@domain.tld` (docs/aws-facts.md, Organizations; Organizations API
 * reference, CreateAccount `Email`); Identity Store takes the same addresses as usernames. Each reason names the rule
 * actually broken, so `ann@localhost` is told about its domain, not about its length.
 */
export function emailProblem(email: string): string | undefined {
  const space = /\s/.exec(email);
  if (space) return space[0] === " " ? "it contains a space" : "it contains a tab or a line break";
  const foreign = /[^\x21-\x7e]/u.exec(email);
  if (foreign) return `it contains "${foreign[0]}", which is not ASCII (AWS accepts ASCII characters only)`;
  const at = email.split("@");
  if (at.length !== 2 || !at[0] || !at[1]) return "it needs exactly one @ between a name and a domain, as in ann@acme.com";
  const domain = at[1];
  if (!/^[^.]+(\.[^.]+)+$/.test(domain)) return `its domain "${domain}" is not a domain name with a dot, such as acme.com`;
  if (email.length < 6 || email.length > 64) return `it has ${email.length} characters; AWS accepts 6 to 64`;
  return undefined;
}

export function validateEmail(value: string, flag: string): string {
  const v = value.trim();
  const problem = emailProblem(v);
  if (problem) throw new UserError(`"${value}" is not a usable email address: ${problem}.`, `Give an address such as ann@acme.com (${flag}).`);
  return v;
}

/** Region codes as AWS writes them: us-east-1, eu-central-2, us-gov-west-1, cn-north-1. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Whether `value` (trimmed) is shaped like a region code; the one shape test the flag and the prompt share. */
export function isRegionCode(value: string): boolean {
  return REGION.test(value.trim());
}

/**
 * A workload region (the profiles' `region`, `--region`): any AWS region, also one without
 * Identity Center, so only the region-code rule of `isRegionCode` applies (docs/init.md, Regions).
 */
export function validateWorkloadRegion(value: string, flag: string): string {
  const v = value.trim();
  if (!isRegionCode(v)) throw new UserError(`"${value}" is not an AWS region code.`, `Give a region such as eu-west-1 or ap-southeast-2 (${flag}).`);
  return v;
}

/** A region code of a region where IAM Identity Center exists (`src/plan/regions.ts`). */
export function validateRegion(value: string, flag: string): string {
  const v = value.trim();
  if (!isRegionCode(v)) throw new UserError(`"${value}" is not an AWS region code.`, `Give a region such as us-east-1 or eu-west-1 (${flag}).`);
  if (!isIdentityCenterRegion(v)) {
    throw new UserError(
      `IAM Identity Center is not available in "${v}".`,
      `Choose one of: ${identityCenterRegionsByPartition.aws.join(", ")} (or a China or GovCloud region) (${flag}).`,
    );
  }
  return v;
}

/**
 * Identity Store's text fields (identitystore service-2.json, botocore 1.43.11):
 * `GivenName`, `FamilyName` and the user's `DisplayName` are `SensitiveStringType`, 1–1,024
 * characters of `[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u00a0\u3000]`; a group's `DisplayName` is
 * `GroupDisplayName`, the same without the ideographic space. We also refuse the tab and line
 * breaks the pattern allows: in a name they only come from a paste gone wrong, and they would
 * break every line that prints the name.
 */
const IDENTITY_TEXT = /^[\p{L}\p{M}\p{S}\p{N}\p{P} \u00a0\u3000]+$/u;
const IDENTITY_TEXT_MAX = 1024;

function shown(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

/** A given or family name for Identity Store, trimmed. */
export function validatePersonName(kind: "given name" | "family name", value: string, flag: string): string {
  const v = value.trim();
  if (!v) throw new UserError(`The ${kind} is empty.`, `Give it with ${flag}.`);
  if (/\p{Cc}/u.test(v)) throw new UserError(`The ${kind} contains a control character (a tab, a line break or similar).`, `Type it again without them (${flag}).`);
  if (v.length > IDENTITY_TEXT_MAX) throw new UserError(`The ${kind} is longer than ${IDENTITY_TEXT_MAX} characters (AWS's limit).`, `Shorten ${flag}.`);
  if (!IDENTITY_TEXT.test(v)) {
    throw new UserError(`The ${kind} "${shown(v)}" has characters AWS does not accept.`, `Use letters, marks, digits, symbols, punctuation and spaces (${flag}).`);
  }
  return v;
}

/**
 * Both names, and the display name AWS is given (`<given> <family>`, the console's and our
 * format), which has the same 1,024-character limit as each name.
 */
export function validatePersonNames(given: string, family: string, flags: { given: string; family: string }): { givenName: string; familyName: string } {
  const givenName = validatePersonName("given name", given, flags.given);
  const familyName = validatePersonName("family name", family, flags.family);
  const length = givenName.length + 1 + familyName.length;
  if (length > IDENTITY_TEXT_MAX) {
    throw new UserError(
      `The display name (given and family name with a space, ${length} characters) is longer than ${IDENTITY_TEXT_MAX} characters (AWS's limit).`,
      `Shorten ${flags.given} or ${flags.family}.`,
    );
  }
  return { givenName, familyName };
}

/** `Administrator` and `AWSAdministrators` are reserved for users and groups (CreateGroup), in any case. */
const RESERVED_GROUP_NAMES = new Set(["administrator", "awsadministrators"]);

/**
 * Identity Store group names: 1 to 1,024 letters, marks, symbols, digits, punctuation or spaces;
 * `Administrator` and `AWSAdministrators` are reserved, compared case-insensitively
 * (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroup.html).
 * Every command that takes `--group` checks it with this before its first AWS call.
 */
export function validateGroupName(value: string, flag: string): string {
  const v = value.trim();
  if (RESERVED_GROUP_NAMES.has(v.toLowerCase())) {
    throw new UserError(`The group name "${v}" cannot be used.`, `AWS reserves "Administrator" and "AWSAdministrators" (in any case) for itself; choose another name, e.g. Administrators (${flag}).`);
  }
  if (!v || v.length > IDENTITY_TEXT_MAX || !/^[\p{L}\p{M}\p{S}\p{N}\p{P} \u00a0]+$/u.test(v)) {
    throw new UserError(`The group name "${shown(value)}" cannot be used.`, `Use 1 to 1,024 letters, digits, spaces or punctuation (${flag}).`);
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
    ...(answers.region ? { region: validateWorkloadRegion(answers.region, "--region") } : {}),
  };
}
