/**
 * `org-bootstrap init`: the wizard of docs/init.md. Answers (flags, else prompts) → observe AWS →
 * plan (pure) → render → confirm → apply with progress → local files (diff, confirm, write) →
 * summary. `--dry-run` stops after the plan; `--json` prints one summary document.
 * Paths (home, config file, project dir) are options, so tests never touch the real home.
 */
import { wrap } from "../ui/text.js";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { promises as fs } from "node:fs";
import { CancelledError, UserError } from "../errors.js";
import type { AwsContext } from "../aws/clientConfig.js";
import type { ClientProvider } from "../aws/clientProvider.js";
import { applyInitPlan, type SetupResult } from "../workflows/applySetup.js";
import { explainAwsError } from "../aws/errors.js";
import { observeSetup } from "../workflows/observeSetup.js";
import { openSsoAdmin, type IdentityCenterInstance } from "../aws/ssoAdmin.js";
import { identityCenterRegionsLike } from "../plan/regions.js";
import { formatElapsed } from "../aws/waiting.js";
import { watchForIdentityCenter } from "../workflows/identityCenterWait.js";
import {
  applyFileChange,
  checkConfigWritableFirst,
  planAwsConfigChange,
  planPackageJsonChange,
  planSstConfigChange,
  readTextFile,
  ssoScriptCommand,
  type FileChange,
} from "../local/fileChange.js";
import { homeDir, resolveConfigFile } from "../local/paths.cjs";
import { packageVersion } from "../version.js";
import { desiredSetup, managementProfileName, parsePermissionSetKeys, parseStages, validateEmail, validateGroupName, validateName, validatePersonName, validatePersonNames, validateRegion, validateSessionDuration, validateWorkloadRegion, type DesiredSetup, type InitAnswers } from "../plan/desired.js";
import { planChangesAws, planInit, stepsOf, type InitPlan } from "../plan/initPlan.js";
import { initDefaults, permissionSetPresets, presetKeys, type PresetKey } from "../plan/presets.js";
import { openBrowser } from "../ui/browser.js";
import { renderFileChange } from "../ui/diff.js";
import { mfaAdviceLines, passwordSetupLines } from "../ui/onboarding.js";
import type { Output } from "../ui/output.js";
import { renderPlan } from "../ui/plan.js";
import { createProgressBoard, stepProgress } from "../ui/progress.js";
import type { Prompter } from "../ui/prompts.js";
import { loadOrgConfig, workloadRegionOf } from "../local/orgConfig.js";
import { chooseManagementAccess } from "./managementAccess.js";
import { offerGuardrails, parseGuardrailsFlag, type GuardrailsSummary } from "./guardrails.js";
import { applyAccessPreset, chooseAccessPreset, ladderSentence, parseAccessPresetFlag, plannedLadder, type AccessPresetSummary } from "./accessPreset.js";
import type { CommandInput } from "./types.js";

/** What the flags say; undefined = not given (prompt, or default). */
export interface InitFlags {
  orgName?: string;
  ssoRegion?: string;
  stages?: string;
  accountEmail?: string;
  userEmail?: string;
  userGivenName?: string;
  userFamilyName?: string;
  group?: string;
  permissionSets?: string;
  sessionDuration?: string;
  startUrl?: string;
  region?: string;
  /** `--guardrails recommended|none`: init's last question (docs/guardrails.md). */
  guardrails?: string;
  /** `--access-preset ladder|admin-only` (docs/init.md, Access preset). */
  accessPreset?: string;
}

export interface InitOptions {
  flags: InitFlags;
  configFile: string;
  projectDir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  signal: AbortSignal;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  noBrowser: boolean;
  /** A person can answer prompts (stdin and the human stream are terminals). */
  interactive: boolean;
  /** Defaults for answers no flag gave (the sandbox's demo values); prompts still show them. */
  answerDefaults?: Partial<InitFlags>;
  /** The page that enables Identity Center (the real console, or the sandbox's page). */
  consoleUrl(region: string): string;
  /** Another way to press the button where no browser is at hand (the sandbox prints a curl command). */
  consoleFallback?(region: string): string;
  /** Sandbox with --yes: press the console button for the person after a visible pause. */
  autoEnableIdentityCenter?(region: string, note: (text: string) => void): Promise<void>;
  identityCenterTimeoutMs?: number;
  /** How often the wait looks for an instance enabled in another region (default about 30 s). */
  otherRegionsEveryMs?: number;
  version: string;
  /** Every question (CommandInput.prompter). */
  prompter: Prompter;
  /**
   * AWS clients (CommandInput.clients). A pinned provider (the sandbox walkthrough's emulator and
   * its dummy keys) is used for every call instead of the credentials a re-run would choose.
   */
  clients: ClientProvider;
}

export interface InitSummary {
  /** `--access-preset ladder`: group Developers and its access per stage. */
  accessPreset?: AccessPresetSummary;
  /** The recommended guardrails, when init's last question was answered yes (`--guardrails recommended`). */
  guardrails?: GuardrailsSummary;
  organizationId: string;
  managementAccountId: string;
  instanceArn: string;
  identityStoreId: string;
  ssoRegion: string;
  /** The stage profiles' (workload) region; `ssoRegion` is Identity Center's and the management profile's. */
  region: string;
  startUrl: string;
  accounts: { stage: string; id: string; name: string; email: string; status: "created" | "found" }[];
  permissionSets: SetupResult["permissionSets"];
  user: SetupResult["user"];
  group: SetupResult["group"];
  membership: SetupResult["membership"];
  assignments: SetupResult["assignments"];
  files: { path: string; label: string; status: string; backup?: string }[];
  loginCommand: string;
  /** What the `sso` script runs, when `loginCommand` is that script. */
  loginRuns?: string;
  /** The profile the day-two commands reach the management account with, through SSO. */
  managementProfile: string;
}

/** The real console page that enables IAM Identity Center (the only way for an organization instance). */
export function awsConsoleUrl(region: string): string {
  return `https://console.aws.amazon.com/singlesignon/home?region=${encodeURIComponent(region)}#/`;
}

/** The access portal URL AWS gives an instance without an alias (docs/aws-facts.md, The access portal's start URL). */
export function defaultStartUrl(identityStoreId: string): string {
  return `https://${identityStoreId}.awsapps.com/start`;
}

/** Accepts `https://d-xxxxxxxxxx.awsapps.com/start`, a custom subdomain, or `{id}.portal.{region}.app.aws`. */
export function validateStartUrl(value: string): string {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new UserError(`"${value}" is not a URL.`, "Give the access portal URL, e.g. https://d-1234567890.awsapps.com/start (--start-url).");
  }
  if (url.protocol !== "https:" && url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
    throw new UserError(`The start URL must use https: ${value}`, "Copy it from IAM Identity Center → Settings → AWS access portal URL.");
  }
  return v;
}

function gitConfig(key: string, cwd: string): string | undefined {
  try {
    return execFileSync("git", ["config", "--get", key], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const flagNames: Record<keyof InitFlags, string> = {
  orgName: "--org-name",
  ssoRegion: "--sso-region",
  stages: "--stages",
  accountEmail: "--account-email",
  userEmail: "--user-email",
  userGivenName: "--user-given-name",
  userFamilyName: "--user-family-name",
  group: "--group",
  guardrails: "--guardrails",
  accessPreset: "--access-preset",
  permissionSets: "--permission-sets",
  sessionDuration: "--session-duration",
  startUrl: "--start-url",
  region: "--region",
};

const nameFlags = { given: "--user-given-name", family: "--user-family-name" };

/** Flags with no default: without a person to ask, they must be given. */
const requiredUnattended: (keyof InitFlags)[] = ["orgName", "ssoRegion", "userEmail", "userGivenName", "userFamilyName"];

/**
 * Flags, then prompts for what is still undefined (docs/architecture.md, Habits: flags and prompts). Unattended (--yes or no
 * TTY) never prompts: a missing flag without a default is a UserError naming every missing flag.
 */
export async function collectAnswers(options: InitOptions): Promise<InitAnswers> {
  const ask = options.interactive && !options.yes;
  // `answerDefaults` (the sandbox's demo answers) pre-fill the questions a person is asked, and
  // answer them outright when nobody is there to ask.
  const suggested = options.answerDefaults ?? {};
  const f: Partial<InitFlags> = ask ? definedOnly(options.flags) : { ...suggested, ...definedOnly(options.flags) };
  if (!ask) {
    const missing = requiredUnattended.filter((k) => !f[k]);
    if (missing.length > 0 || (!options.yes && !options.dryRun)) {
      const names = missing.map((k) => flagNames[k]);
      throw new UserError(
        missing.length
          ? `No terminal to ask questions on, and ${names.join(", ")} ${names.length === 1 ? "is" : "are"} missing.`
          : "No terminal to confirm on: add --yes to apply the plan unattended (or --dry-run to only see it).",
        `Example: org-bootstrap init --yes --org-name acme --sso-region us-east-1 --user-email ann@acme.com --user-given-name Ann --user-family-name Lee\nSee: org-bootstrap init --help`,
      );
    }
    return {
      orgName: validateName("organization name", f.orgName as string, "--org-name"),
      ssoRegion: validateRegion(f.ssoRegion as string, "--sso-region"),
      stages: parseStages(f.stages ?? initDefaults.stages.join(",")),
      ...(f.accountEmail ? { accountEmail: f.accountEmail } : {}),
      user: { email: validateEmail(f.userEmail as string, "--user-email"), ...validatePersonNames(f.userGivenName as string, f.userFamilyName as string, nameFlags) },
      group: validateGroupName(f.group ?? initDefaults.group, "--group"),
      permissionSets: parsePermissionSetKeys(f.permissionSets),
      sessionDuration: validateSessionDuration(f.sessionDuration ?? initDefaults.sessionDuration),
      ...(f.startUrl ? { startUrl: validateStartUrl(f.startUrl) } : {}),
      ...(f.region ? { region: validateWorkloadRegion(f.region, "--region") } : {}),
    };
  }

  // A flag given with a bad value stops the wizard before its first question, not after the last.
  if (f.orgName) validateName("organization name", f.orgName, "--org-name");
  if (f.ssoRegion) validateRegion(f.ssoRegion, "--sso-region");
  if (f.stages) parseStages(f.stages);
  if (f.userEmail) validateEmail(f.userEmail, "--user-email");
  if (f.userGivenName) validatePersonName("given name", f.userGivenName, nameFlags.given);
  if (f.userFamilyName) validatePersonName("family name", f.userFamilyName, nameFlags.family);
  if (f.group) validateGroupName(f.group, "--group");
  if (f.permissionSets) parsePermissionSetKeys(f.permissionSets);
  if (f.sessionDuration) validateSessionDuration(f.sessionDuration);
  if (f.startUrl) validateStartUrl(f.startUrl);

  const prompter: Prompter = options.prompter;
  const check = (fn: (v: string) => unknown) => (v: string) => {
    try {
      fn(v);
      return undefined;
    } catch (err) {
      return err instanceof UserError ? `${err.message} ${err.hint ?? ""}`.trim() : String(err);
    }
  };
  const cwd = options.projectDir;
  const orgName =
    f.orgName ??
    (await prompter.text({
      message: "Short name of your company or project (names the SSO session and profiles)",
      placeholder: "acme",
      ...(suggested.orgName ? { initialValue: suggested.orgName } : {}),
      validate: check((v) => validateName("organization name", v, "--org-name")),
    }));
  const ssoRegion =
    f.ssoRegion ??
    (await prompter.text({
      message: "AWS region for IAM Identity Center",
      initialValue: suggested.ssoRegion ?? options.env.AWS_REGION ?? options.env.AWS_DEFAULT_REGION ?? "us-east-1",
      validate: check((v) => validateRegion(v, "--sso-region")),
    }));
  // Workloads may live elsewhere than Identity Center (any AWS region). The default is what the
  // config's profiles already use, else the Identity Center region; keeping it changes nothing.
  const regionDefault = workloadRegionOf(await loadOrgConfig(options.configFile, { ssoSession: orgName }).catch(() => undefined)) ?? ssoRegion.trim();
  const region =
    f.region ??
    (await prompter.text({
      message: "AWS region for your workloads (the profiles' region, where SST deploys)",
      initialValue: regionDefault,
      validate: check((v) => validateWorkloadRegion(v, "--region")),
    }));
  const stages = parseStages(
    f.stages ??
      (await prompter.text({
        message: "Stages, one member account each (comma-separated)",
        initialValue: suggested.stages ?? initDefaults.stages.join(","),
        validate: check(parseStages),
      })),
  );
  const userEmail =
    f.userEmail ??
    (await prompter.text({
      message: "Your email (your Identity Center username)",
      initialValue: suggested.userEmail ?? gitConfig("user.email", cwd) ?? "",
      validate: check((v) => validateEmail(v, "--user-email")),
    }));
  const [gitGiven, ...gitFamily] = (gitConfig("user.name", cwd) ?? "").split(/\s+/);
  const givenName = validatePersonName(
    "given name",
    f.userGivenName ??
      (await prompter.text({ message: "Your given name", initialValue: suggested.userGivenName ?? gitGiven ?? "", validate: check((v) => validatePersonName("given name", v, nameFlags.given)) })),
    nameFlags.given,
  );
  const familyName =
    f.userFamilyName ??
    (await prompter.text({
      message: "Your family name",
      initialValue: suggested.userFamilyName ?? gitFamily.join(" "),
      validate: check((v) => validatePersonNames(givenName, v, nameFlags)),
    }));
  const permissionSets: PresetKey[] = f.permissionSets
    ? parsePermissionSetKeys(f.permissionSets)
    : [
        "admin",
        ...(await prompter.multiselect<PresetKey>({
          message: "AdministratorAccess is always created. Add more permission sets? (space to select, enter to go on)",
          choices: presetKeys
            .filter((k) => k !== "admin")
            .map((k) => ({ value: k, label: permissionSetPresets[k].name, hint: permissionSetPresets[k].description })),
        })),
      ];
  return {
    orgName: validateName("organization name", orgName, "--org-name"),
    ssoRegion: validateRegion(ssoRegion, "--sso-region"),
    stages,
    ...(f.accountEmail ? { accountEmail: f.accountEmail } : {}),
    user: { email: validateEmail(userEmail, "--user-email"), ...validatePersonNames(givenName, familyName, nameFlags) },
    group: validateGroupName(f.group ?? initDefaults.group, "--group"),
    permissionSets,
    sessionDuration: validateSessionDuration(f.sessionDuration ?? initDefaults.sessionDuration),
    ...(f.startUrl ? { startUrl: validateStartUrl(f.startUrl) } : {}),
    ...(f.region || region.trim() !== regionDefault ? { region: validateWorkloadRegion(region, "--region") } : {}),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}

/** The wait of docs/init.md (IAM Identity Center): the person presses "Enable" in the console; we poll ListInstances. */
async function waitForIdentityCenter(options: InitOptions, ctx: AwsContext, region: string, signal: AbortSignal, board: ReturnType<typeof createProgressBoard>): Promise<IdentityCenterInstance> {
  const url = options.consoleUrl(region);
  const notes = [
    ...wrap("IAM Identity Center is not enabled yet. AWS lets an organization enable it only in the console:", `${options.out.style("yellow", "!")} `, "  "),
    `    ${options.out.style("bold", url)}`,
    ...wrap(`Press "Enable" on that page (region ${region}); this run goes on by itself once it is on.`, "  ", "  "),
    ...(options.consoleFallback ? options.consoleFallback(region).split("\n").map((l) => options.out.style("dim", `  ${l}`)) : []),
  ];
  for (const note of notes) board.note(note);
  if (options.interactive && !options.noBrowser) void openBrowser(url, options.env);
  const started = Date.now();
  let watching = region;
  // A live line on a terminal (elapsed time, the region watched); in a log, a line at every look
  // at the other regions (about every 30 s), so the wait never goes quiet.
  const waitingLine = () =>
    `Waiting for IAM Identity Center to be enabled in ${watching}: ${formatElapsed(Date.now() - started)} (Ctrl-C stops; running init again resumes)`;
  board.status(board.live ? waitingLine : waitingLine(), "identity-center");
  if (options.autoEnableIdentityCenter) void options.autoEnableIdentityCenter(region, (text) => board.note(text));
  const clients = new Map<string, Promise<Awaited<ReturnType<typeof openSsoAdmin>>>>();
  const client = (r: string) => clients.get(r) ?? clients.set(r, openSsoAdmin({ ...ctx, region: r })).get(r)!;
  const instance = await watchForIdentityCenter({
    region,
    // The other regions of its partition (src/plan/regions.ts), as the scan before the plan.
    regions: identityCenterRegionsLike(region),
    listInstances: async (r) => (await client(r)).listInstances(),
    timeoutMs: options.identityCenterTimeoutMs ?? 30 * 60_000,
    ...(options.otherRegionsEveryMs !== undefined ? { otherRegionsEveryMs: options.otherRegionsEveryMs } : {}),
    backoff: { initialMs: 500, maxMs: 3_000, factor: 1.5 },
    signal,
    timeoutHint: `Enable it at ${url}, then run init again: everything done so far is kept.`,
    onLook: (look) => {
      watching = look.region;
      if (!board.live && look.scannedOtherRegions) board.status(`${waitingLine()}; looked in the other regions too`, "identity-center");
    },
  });
  if (instance.region !== region) {
    board.note(`${options.out.style("yellow", "!")} IAM Identity Center is enabled in ${instance.region}, not ${region}; using ${instance.region} (an organization has only one instance).`);
  }
  board.status(undefined, "identity-center");
  return instance;
}

/**
 * Sections for ~/.aws/config (docs/init.md; docs/local-files.md). `[profile <org>-management]` comes last, so a
 * config written by an earlier init gains it appended, with no other byte changed: once the root
 * keys are deleted, the day-two commands reach the management account through it (docs/login.md).
 */
export function configSections(
  desired: DesiredSetup,
  startUrl: string,
  ssoRegion: string,
  accounts: { stage: string; id: string }[],
  managementAccountId?: string,
  existingRegion?: string,
) {
  // The stage profiles' region (docs/init.md, Regions): --region is written, and a profile with
  // another one is a conflict like any other value; without it a profile keeps its region and a
  // new one gets the stage profiles' region, else Identity Center's. The management profile
  // stays in Identity Center's region, where its administration calls go.
  const region = desired.region ?? existingRegion ?? ssoRegion;
  return [
    {
      kind: "sso-session" as const,
      name: desired.orgName,
      values: { sso_start_url: startUrl, sso_region: ssoRegion, sso_registration_scopes: "sso:account:access" },
    },
    ...accounts.map((a) => ({
      kind: "profile" as const,
      name: `${desired.orgName}-${a.stage}`,
      values: { sso_session: desired.orgName, sso_account_id: a.id, sso_role_name: desired.adminPermissionSet, region },
      ...(desired.region ? {} : { keep: ["region"] }),
    })),
    ...(managementAccountId
      ? [
          {
            kind: "profile" as const,
            name: managementProfileName(desired.orgName),
            values: { sso_session: desired.orgName, sso_account_id: managementAccountId, sso_role_name: desired.adminPermissionSet, region: ssoRegion },
          },
        ]
      : []),
  ];
}

async function planFiles(
  options: InitOptions,
  desired: DesiredSetup,
  startUrl: string,
  ssoRegion: string,
  accounts: { stage: string; id: string }[],
  managementAccountId: string,
  force: boolean,
) {
  const packageJson = await readTextFile(path.join(options.projectDir, "package.json"), "package.json").catch(() => null);
  const existingRegion = workloadRegionOf(await loadOrgConfig(options.configFile, { ssoSession: desired.orgName }).catch(() => undefined));
  return Promise.all([
    planAwsConfigChange({ configFile: options.configFile, sections: configSections(desired, startUrl, ssoRegion, accounts, managementAccountId, existingRegion), force, home: options.home }),
    planSstConfigChange({ projectDir: options.projectDir, org: desired.orgName, stages: desired.accounts.map((a) => a.stage), force, region: desired.region ?? existingRegion ?? ssoRegion }),
    planPackageJsonChange({
      projectDir: options.projectDir,
      script: { command: ssoScriptCommand({ session: desired.orgName, version: options.version, packageJson: packageJson ?? undefined }) },
      force,
    }),
  ]);
}

/**
 * A local file that cannot be read or safely edited (a directory, a symlink loop, a corrupt
 * config, invalid package.json) stops the run before AWS changes anything (docs/security.md). Account ids
 * and the start URL may not exist yet: placeholders stand in, as only reading and parsing matter.
 */
async function checkLocalFilesFirst(options: InitOptions, plan: InitPlan): Promise<void> {
  const instance = stepsOf(plan, "identity-center")[0];
  const org = plan.desired.orgName;
  const startUrl = plan.desired.startUrl ?? (instance.identityStoreId ? defaultStartUrl(instance.identityStoreId) : undefined);
  const ids = new Map(stepsOf(plan, "account").map((a) => [a.stage, a.accountId]));
  const accounts = plan.desired.accounts.map((a) => ({ stage: a.stage, id: ids.get(a.stage) ?? "000000000000" }));
  const changes = await planFiles(options, plan.desired, startUrl ?? defaultStartUrl("d-0000000000"), instance.region, accounts, plan.managementAccountId, options.force);
  // Unattended, a value we would have to replace is known now: refuse before AWS changes anything
  // rather than after. An account still to be created gets a new id, so a profile of that name
  // that already points at an account will differ whatever the id turns out to be; likewise an
  // instance still to be enabled gets a new identity store, so an [sso-session] of that name with
  // a start URL already points at another instance (unless --start-url says which URL it is).
  if (options.force || (options.interactive && !options.yes)) return;
  const newAccount = new Map(accounts.filter((a) => !ids.get(a.stage)).map((a) => [`[profile ${org}-${a.stage}] sso_account_id`, `the id of the account it creates, ${org}-${a.stage}`]));
  if (!startUrl) newAccount.set(`[sso-session ${org}] sso_start_url`, `the start URL of the IAM Identity Center it enables in ${instance.region}`);
  const conflicts = changes.flatMap((c) => c.conflicts.map((k) => `${c.label}: ${k.key} is "${k.old}", this run would write ${newAccount.get(k.key) ?? `"${k.new}"`}`));
  if (conflicts.length > 0) {
    throw new UserError(
      `Some local files already have different values; nothing was changed in AWS or on disk.\n  ${conflicts.join("\n  ")}`,
      "Run again with --force to replace them (a backup is kept), or edit the files yourself.",
    );
  }
}

/** Shows each file change and writes the confirmed ones (docs/init.md; docs/local-files.md); add-account and close-account use it too. */
export async function applyFiles(
  options: Pick<InitOptions, "out" | "prompter" | "force" | "interactive" | "yes">,
  changes: FileChange[],
  replan: () => Promise<FileChange[]>,
): Promise<InitSummary["files"]> {
  const { out } = options;
  const prompter = options.prompter;
  let planned = changes;
  if (planned.some((c) => c.status === "conflict")) {
    for (const c of planned.filter((x) => x.status === "conflict")) for (const line of renderFileChange(c, out)) out.line(line);
    const replace = options.force || (options.interactive && !options.yes && (await prompter.confirm({ message: "Replace those values with the new ones?", initialValue: false })));
    if (!replace) {
      throw new UserError(
        "Some local files already have different values; nothing was written to them.",
        options.interactive && !options.yes ? "Run again and accept the replacement, or edit the files yourself." : "Run again with --force to replace them (a backup is kept).",
      );
    }
    planned = await replan();
  }
  const files: InitSummary["files"] = [];
  for (const change of planned) {
    if (change.status === "unchanged") {
      files.push({ path: change.path, label: change.label, status: "unchanged" });
      continue;
    }
    if (change.status === "skipped") {
      out.line(out.style("dim", change.message ?? `${change.label}: left alone.`));
      if (change.snippet) for (const line of change.snippet.split("\n")) out.line(`    ${line}`);
      files.push({ path: change.path, label: change.label, status: "skipped" });
      continue;
    }
    for (const line of renderFileChange(change, out)) out.line(line);
    if (options.interactive && !options.yes && !(await prompter.confirm({ message: `Write ${change.label}?` }))) {
      files.push({ path: change.path, label: change.label, status: "declined" });
      continue;
    }
    const result = await applyFileChange(change);
    files.push({ path: change.path, label: change.label, status: change.status, ...(result.backup ? { backup: result.backup } : {}) });
    out.success(`${change.status === "created" ? "Created" : "Updated"} ${change.label}${result.backup ? ` (original kept as ${result.backup})` : ""}`);
  }
  return files;
}

async function confirmStartUrl(options: InitOptions, desired: DesiredSetup, identityStoreId: string): Promise<string> {
  if (desired.startUrl) return desired.startUrl;
  const suggested = defaultStartUrl(identityStoreId);
  if (!options.interactive || options.yes) return suggested;
  // No API reads a custom alias (docs/aws-facts.md, The access portal's start URL): the person confirms or types theirs.
  return validateStartUrl(
    await options.prompter.text(
      {
        message: "Access portal start URL (edit it if you set an alias in Identity Center)",
        initialValue: suggested,
        validate: (v) => {
          try {
            validateStartUrl(v);
            return undefined;
          } catch (err) {
            return (err as Error).message;
          }
        },
      },
    ),
  );
}

function printPlanPreview(out: Output, plan: InitPlan, options: InitOptions) {
  for (const warning of plan.warnings) out.warn(warning);
  for (const line of renderPlan(plan, out)) out.line(line);
  const then = `Then: ${options.configFile} (sso-session ${plan.desired.orgName} and a profile per stage), sst.config.ts and package.json in ${options.projectDir}, each shown as a diff first.`;
  for (const line of wrap(then, "  ", "  ")) out.line(line);
}

/**
 * A re-run on a machine where an earlier init wrote `[profile <org>-management]` chooses its
 * credentials as the day-two commands do (src/commands/managementAccess.ts), so it works on SSO
 * alone once the root keys are deleted. A first run uses the credentials in effect.
 */
async function initCredentials(options: InitOptions, orgName: string, region: string): Promise<AwsContext> {
  if (options.clients.pinned) return options.clients.management(region);
  const config = await loadOrgConfig(options.configFile, { ssoSession: orgName }).catch(() => undefined);
  if (!config?.managementProfile) return options.clients.management(region);
  const access = await chooseManagementAccess({
    config,
    configFile: options.configFile,
    env: options.env,
    home: options.home,
    cwd: options.projectDir,
    out: options.out,
    signal: options.signal,
    interactive: options.interactive,
    clients: options.clients,
  });
  if (access.note) options.out.line(options.out.style("dim", access.note));
  return { ...access.ctx, region };
}

/** The whole wizard. Returns the summary (also printed), or undefined for a dry run. */
export async function runInit(options: InitOptions): Promise<InitSummary | undefined> {
  const { out } = options;
  const guardrailsChoice = parseGuardrailsFlag(options.flags.guardrails);
  const presetChoice = parseAccessPresetFlag(options.flags.accessPreset);
  const answers = await collectAnswers(options);
  // The wizard's question after its others (unattended: admin-only, unless --access-preset says).
  const preset = await chooseAccessPreset({ ...options, choice: presetChoice, stages: answers.stages });
  // Every rule that needs no AWS answer (account names, the --account-email template) is checked
  // before the first AWS call; the management account's email is known only from AWS (later).
  desiredSetup(answers, undefined);
  // A config file without our sso-session or a stage's profile will be written whatever AWS
  // says: one it cannot be written to is refused before the first AWS call (docs/errors.md).
  const sections = [{ kind: "sso-session" as const, name: answers.orgName }, ...answers.stages.map((stage) => ({ kind: "profile" as const, name: `${answers.orgName}-${stage}` }))];
  await checkConfigWritableFirst(options.configFile, sections, options.home);
  const ctx = await initCredentials(options, answers.orgName, answers.ssoRegion);

  const looking = out.json ? undefined : out.spinner("Looking at your AWS account");
  let observation;
  try {
    observation = await observeSetup({ ctx, desiredFor: (email) => desiredSetup(answers, email) });
  } catch (err) {
    looking?.stop("Could not read your AWS account", false);
    throw explainAwsError(err, "Reading your AWS account");
  }
  looking?.stop(`Signed in to account ${observation.observed.caller.accountId} as ${observation.observed.caller.arn}`);
  const plan = planInit(observation.desired, observation.observed);
  printPlanPreview(out, plan, options);
  // The ladder is known before any change: said with the plan (its own plan, with what exists,
  // comes once the stage accounts do, after the main apply).
  if (preset === "ladder") for (const line of wrap(`Then (--access-preset ladder): ${ladderSentence(answers.stages)}.`, "  ", "  ")) out.line(line);
  await checkLocalFilesFirst(options, plan);

  const existingAccounts = stepsOf(plan, "account").filter((a) => a.accountId);
  const instanceStep = stepsOf(plan, "identity-center")[0];
  if (options.dryRun) {
    // Files can be previewed only when every account id is known already.
    if (instanceStep.identityStoreId && existingAccounts.length === stepsOf(plan, "account").length) {
      const startUrl = plan.desired.startUrl ?? defaultStartUrl(instanceStep.identityStoreId);
      const files = await planFiles(options, plan.desired, startUrl, instanceStep.region, existingAccounts.map((a) => ({ stage: a.stage, id: a.accountId as string })), plan.managementAccountId, options.force);
      for (const change of files) for (const line of renderFileChange(change, out)) out.line(line);
    }
    out.line("Dry run: nothing was changed.");
    if (out.json) out.printJson({ dryRun: true, warnings: plan.warnings, steps: plan.steps, ...(preset === "ladder" ? { accessPreset: plannedLadder(answers.stages) } : {}) });
    return undefined;
  }

  if (planChangesAws(plan) && !options.yes) {
    const go = await options.prompter.confirm({ message: "Apply this plan to your AWS organization?" });
    if (!go) throw new CancelledError("Nothing was changed.");
  }

  const board = createProgressBoard(out);
  let result: SetupResult;
  try {
    result = await applyInitPlan({
      ctx,
      plan,
      organizations: observation.organizations,
      hooks: {
        signal: options.signal,
        onEvent: stepProgress(board),
        waitForIdentityCenter: (region, signal) => waitForIdentityCenter(options, ctx, region, signal, board),
      },
    });
  } finally {
    board.close();
  }
  if (!planChangesAws(plan)) out.success("AWS: everything was already in place; nothing changed.");

  const startUrl = await confirmStartUrl(options, plan.desired, result.identityStoreId);
  const fileArgs = [plan.desired, startUrl, result.ssoRegion, result.accounts, result.managementAccountId] as const;
  // The stage profiles' region, as planFiles decides it (before the files change): --region or
  // the question, else what the config's profiles have, else Identity Center's (docs/init.md, Regions).
  const region = plan.desired.region ?? workloadRegionOf(await loadOrgConfig(options.configFile, { ssoSession: plan.desired.orgName }).catch(() => undefined)) ?? result.ssoRegion;
  const plannedFiles = await planFiles(options, ...fileArgs, options.force);
  const files = await applyFiles(options, plannedFiles, () => planFiles(options, ...fileArgs, true));
  const packageJson = plannedFiles[2];
  const hasScript = files.some((f) => f.label === "package.json" && f.status !== "skipped" && f.status !== "declined");
  const loginCommand = hasScript ? packageJson.runCommand : `org-bootstrap login --sso-session ${plan.desired.orgName}`;
  // The summary says exactly what the script runs (a pinned npx command unless the project depends on us).
  const loginRuns = hasScript ? packageJson.scriptCommand : undefined;

  const summary: InitSummary = {
    organizationId: result.organizationId,
    managementAccountId: result.managementAccountId,
    instanceArn: result.instanceArn,
    identityStoreId: result.identityStoreId,
    ssoRegion: result.ssoRegion,
    region,
    startUrl,
    accounts: result.accounts,
    permissionSets: result.permissionSets,
    user: result.user,
    group: result.group,
    membership: result.membership,
    assignments: result.assignments,
    files,
    loginCommand,
    ...(loginRuns ? { loginRuns } : {}),
    managementProfile: managementProfileName(plan.desired.orgName),
  };
  printSummary(out, summary, plan, observation.observed.caller);
  if (preset === "ladder") {
    summary.accessPreset = await applyAccessPreset(options, ctx, {
      region: result.ssoRegion,
      instanceArn: result.instanceArn,
      identityStoreId: result.identityStoreId,
      accounts: result.accounts,
    });
  }
  const guardrails = await offerGuardrails({ ...options, choice: guardrailsChoice, orgName: plan.desired.orgName });
  if (guardrails) summary.guardrails = guardrails;
  if (out.json) out.printJson(summary);
  return summary;
}

function printSummary(out: Output, s: InitSummary, plan: InitPlan, caller: { arn: string; isRoot: boolean }) {
  out.line("");
  out.heading("Done.");
  out.line(`  Organization ${s.organizationId}, management account ${s.managementAccountId}`);
  for (const a of s.accounts) out.line(`  Account ${a.name} (${a.id}) <${a.email}>: ${a.status}`);
  for (const p of s.permissionSets) out.line(`  Permission set ${p.name} (${p.sessionDuration}): ${p.status === "exists" ? "found" : p.status}`);
  out.line(`  User ${s.user.userName}: ${s.user.status === "exists" ? "found" : "created"}; group ${s.group.displayName}: ${s.group.status === "exists" ? "found" : "created"}`);
  out.line(`  Access portal: ${s.startUrl}`);
  out.line("");
  out.heading(`What ${s.user.userName} must do before signing in`);
  // https://docs.aws.amazon.com/singlesignon/latest/userguide/userswithoutpwd.html
  for (const line of passwordSetupLines(s.user, { region: s.ssoRegion, instanceArn: s.instanceArn })) out.line(line);
  out.line("");
  out.heading("Require MFA");
  for (const line of mfaAdviceLines(s.ssoRegion)) out.line(line);
  out.line("");
  out.heading("Log in");
  out.line(`  ${s.loginCommand}`);
  if (s.loginRuns) for (const line of wrap(`(runs: ${s.loginRuns})`, "    ", "    ")) out.line(line);
  out.line(`  then: aws sts get-caller-identity --profile ${plan.desired.orgName}-${plan.desired.accounts[0]?.stage ?? "dev"}`);
  out.line("");
  out.heading("From now on, SSO only");
  for (const line of wrap(deleteKeysAdvice(caller), "  ", "  ")) out.line(line);
  const dayTwo = `status, add-account, add-user, remove-user and close-account reach the management account through profile ${s.managementProfile} (SSO; they sign in first when needed): no access key is needed any more.`;
  for (const line of wrap(dayTwo, "  ", "  ")) out.line(line);
  out.line("");
  const roleSession = plan.desired.permissionSets[0]?.sessionDuration ?? "PT12H";
  const durations =
    `Two durations: the permission set's role session lasts ${roleSession} (how long CLI credentials last); ` +
    "the access portal's sign-in session (8 hours by default, set in Identity Center → Settings) decides how often you log in again.";
  for (const line of wrap(durations, "  ", "  ")) out.line(line);
  if (caller.isRoot) {
    out.warn(`You ran this as the root user: delete the root access keys now (IAM console → Security credentials); day-two commands use profile ${s.managementProfile} through SSO.`);
  }
}

/** Which long-lived key this run was made with, and where to delete it (none for temporary credentials). */
function deleteKeysAdvice(caller: { arn: string; isRoot: boolean }): string {
  if (caller.isRoot) return "Delete the root access keys now: sign in as root → account menu → Security credentials → Access keys → Delete.";
  const user = /^arn:aws[\w-]*:iam::\d{12}:user\/(.+)$/.exec(caller.arn)?.[1];
  if (user) return `Delete the access keys of IAM user ${user} now (IAM console → Users → ${user} → Security credentials → Access keys).`;
  return `This run used ${caller.arn}; keep no long-lived access keys for it.`;
}

export async function run(input: CommandInput): Promise<number> {
  const o = input.options;
  const str = (name: string) => (typeof o[name] === "string" ? (o[name] as string) : undefined);
  const flags: InitFlags = {
    orgName: str("org-name"),
    ssoRegion: str("sso-region"),
    stages: str("stages"),
    accountEmail: str("account-email"),
    userEmail: str("user-email"),
    userGivenName: str("user-given-name"),
    userFamilyName: str("user-family-name"),
    group: str("group"),
    permissionSets: str("permission-sets"),
    sessionDuration: str("session-duration"),
    startUrl: str("start-url"),
    region: str("region"),
    guardrails: str("guardrails"),
    accessPreset: str("access-preset"),
  };
  const home = homeDir(input.env);
  const base = {
    flags,
    env: input.env,
    out: input.out,
    prompter: input.prompter,
    clients: input.clients,
    signal: input.signal,
    yes: Boolean(o.yes),
    dryRun: Boolean(o["dry-run"]),
    force: Boolean(o.force),
    noBrowser: Boolean(o["no-browser"]),
    interactive: input.prompter.interactive,
    version: packageVersion(),
  };
  if (o.sandbox) {
    const { runSandboxWalkthrough } = await import("./initSandbox.js");
    await runSandboxWalkthrough({ ...base, home, cwd: input.cwd, configFileFlag: str("config-file"), projectDirFlag: str("project-dir") }, runInit);
    return 0;
  }
  await runInit({
    ...base,
    home,
    configFile: resolveConfigFile({ flag: str("config-file"), env: input.env, home, cwd: input.cwd }),
    projectDir: await existingDirectory(path.resolve(input.cwd, str("project-dir") ?? "."), "--project-dir"),
    consoleUrl: awsConsoleUrl,
  });
  return 0;
}

/** The project directory must exist: a typo in --project-dir would otherwise skip the project's files in silence. */
async function existingDirectory(dir: string, flag: string): Promise<string> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UserError(`${dir} is not a directory.`, `Give the project's directory (${flag}), or leave the flag out to use the current one.`);
  return dir;
}
