/**
 * The command table: every command's name, help and flags, and a lazy loader.
 * Help is rendered from this table alone, so `--help` never loads an AWS SDK client (docs/architecture.md, How a command runs).
 * Commands appear here only once they work: no stubs.
 */
import type { CommandSpec, OptionSpec } from "./types.js";

/** Flags every mutating command takes (docs/README.md; each command's page). */
export const mutatingOptions: Record<string, OptionSpec> = {
  "dry-run": { type: "boolean", description: "Show what would change, change nothing" },
  yes: { type: "boolean", short: "y", description: "Answer yes to every confirmation (unattended runs)" },
};

export const jsonOption: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "Print one JSON document on stdout and nothing else" },
};

/** `env` and `exec`: how to log in when the SSO session has expired, and which config to read. */
const loginIfNeededOptions: Record<string, OptionSpec> = {
  "device-code": { type: "boolean", description: "If a login is needed, use the device code flow" },
  pkce: { type: "boolean", description: "If a login is needed, use the browser flow" },
  "no-browser": { type: "boolean", description: "If a login is needed, print the URL instead of opening a browser" },
  "config-file": { type: "string", value: "FILE", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
};

/** Day-two commands: which organisation (the sso-session init wrote) and which config file. */
const organizationOptions: Record<string, OptionSpec> = {
  "org-name": { type: "string", value: "NAME", description: "Organization short name (default: the sso-session's name, as init writes it)" },
  "sso-session": { type: "string", value: "NAME", description: "The [sso-session NAME] init wrote (default: the only one in the config)" },
  "config-file": { type: "string", value: "PATH", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
  profile: {
    type: "string",
    value: "NAME",
    description: "Profile for the management account (default: the environment's credentials if they are the management account's, else <org>-management through SSO)",
  },
};

export const commands: CommandSpec[] = [
  {
    name: "init",
    summary: "The wizard: organization, Identity Center, accounts, config",
    details: [
      "Takes the AWS account you are signed in to (an administrator of it, or its root user) to an",
      "AWS Organization with IAM Identity Center, one member account per stage, a permission set, your",
      "SSO user in an Administrators group with access to every account, and the matching",
      "[sso-session] and [profile] blocks in your AWS config. It shows a plan first; running it again",
      "changes nothing, and an interrupted run is finished by running it again.",
      "",
      "IAM Identity Center can only be enabled in the AWS console: init prints (and opens) the page and",
      "waits while you press Enable. Users created through the API get no invitation email: the summary",
      "says how to get them signed in.",
      "",
      "Try it without an AWS account:",
      "  org-bootstrap init --sandbox    the whole flow against a built-in emulated AWS",
      "",
      "Unattended (no questions; every prompt has a flag):",
      "  org-bootstrap init --yes --org-name acme --sso-region us-east-1 \\",
      "    --stages dev,production --account-email 'aws+{stage}@acme.com' \\",
      "    --user-email ann@acme.com --user-given-name Ann --user-family-name Lee",
      "",
      "Defaults: stages dev,production; account emails plus-addressed from the management account's",
      "email (owner+dev@…); session duration PT12H; group Administrators; permission set",
      "AdministratorAccess always (poweruser = PowerUserAccess, readonly = ReadOnlyAccess, viewonly =",
      "ViewOnlyAccess on request); config file $AWS_CONFIG_FILE or ~/.aws/config; project dir: the",
      "current directory. Without a terminal and without --yes, init refuses and names missing flags.",
      "Credentials: the usual AWS ones (AWS_PROFILE, environment variables, ...).",
    ].join("\n"),
    options: {
      "org-name": { type: "string", value: "NAME", description: "Short company/project name: sso-session <NAME>, accounts and profiles <NAME>-<stage>" },
      "sso-region": { type: "string", value: "REGION", description: "Region of IAM Identity Center, e.g. us-east-1" },
      region: { type: "string", value: "REGION", description: "The profiles' region, where SST and the AWS CLI work (default: the Identity Center region; a re-run keeps the config's)" },
      stages: { type: "string", value: "LIST", description: "Comma-separated stages, one member account each (default: dev,production)" },
      "account-email": { type: "string", value: "TEMPLATE", description: "Account emails with {stage}, e.g. 'aws+{stage}@acme.com' (default: management email plus-addressed)" },
      "user-email": { type: "string", value: "EMAIL", description: "First user's email, also the username" },
      "user-given-name": { type: "string", value: "NAME", description: "First user's given name" },
      "user-family-name": { type: "string", value: "NAME", description: "First user's family name" },
      group: { type: "string", value: "NAME", description: "Group that gets administrator access everywhere (default: Administrators)" },
      "permission-sets": { type: "string", value: "LIST", description: "Extra permission sets: poweruser, readonly, viewonly (AdministratorAccess is always created)" },
      "session-duration": { type: "string", value: "ISO8601", description: "Role session length, PT1H to PT12H (default: PT12H)" },
      "start-url": { type: "string", value: "URL", description: "Access portal URL, if you set an alias (default: https://<identity store id>.awsapps.com/start)" },
      "config-file": { type: "string", value: "PATH", description: "AWS config file to update (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
      "project-dir": { type: "string", value: "DIR", description: "Project whose sst.config.ts and package.json to update (default: current directory)" },
      "no-browser": { type: "boolean", description: "Print the console URL instead of opening a browser" },
      force: { type: "boolean", description: "Replace differing values in existing config blocks (a backup is kept)" },
      "access-preset": {
        type: "string",
        value: "ladder|admin-only",
        description: "ladder: also group Developers, PowerUserAccess in every stage but production, ReadOnlyAccess there (default: admin-only)",
      },
      guardrails: { type: "string", value: "recommended|none", description: "Last question: add the recommended guardrails (deny-leave, central-root, a 100 USD budget per stage)? (default with --yes: none)" },
      sandbox: { type: "boolean", description: "Run the whole wizard against a built-in emulated AWS; files go to a temporary directory" },
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./init.js"),
  },
  {
    name: "add-account",
    summary: "Add account <org>-<stage> with access, profile and SST stage",
    details: [
      "Creates member account <org>-<stage> (email: like the other stage accounts, e.g. aws+<stage>@acme.com,",
      "else the management account's email plus-addressed), waits for AWS to finish it, gives each group",
      "the permission sets it has in the other stage accounts (a group whose access differs per stage:",
      "those it has in the --like stage), adds [profile <org>-<stage>] to your AWS config and the",
      "stage to the sst.config.ts profile selector. Shows the plan first;",
      "running it again changes nothing. Stage names: lowercase letters, digits and hyphens.",
      "The organization, region and start URL come from the [sso-session] init wrote.",
      "",
      "  org-bootstrap add-account staging",
      "  org-bootstrap add-account qa --email aws+qa@acme.com --yes",
      "  org-bootstrap add-account staging --like dev   Developers get in staging what they have in dev",
    ].join("\n"),
    positionals: [{ name: "stage", required: true, description: "the new stage, e.g. staging" }],
    options: {
      email: { type: "string", value: "EMAIL", description: "The new account's email (6 to 64 ASCII characters, unused by any AWS account)" },
      group: { type: "string", value: "NAME", description: "Only this group gets access (default: every group with access in the stage accounts)" },
      like: { type: "string", value: "STAGE", description: "A group whose access differs per stage gets what it has in STAGE (e.g. --like dev)" },
      region: { type: "string", value: "REGION", description: "The new profile's region (default: the other stage profiles' region, else Identity Center's)" },
      ...organizationOptions,
      "project-dir": { type: "string", value: "DIR", description: "Project whose sst.config.ts to update (default: current directory)" },
      force: { type: "boolean", description: "Replace a differing [profile <org>-<stage>] block (a backup is kept)" },
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./add-account.js"),
  },
  {
    name: "close-account",
    summary: "Close account <org>-<stage>; remove its profile and SST stage",
    details: [
      "Asks you to type the account's name, then calls CloseAccount. AWS suspends the account: nobody",
      "can use it, AWS Support can reopen it for 90 days, then the closure is final. AWS limits how many",
      "accounts can be closed per rolling 30 days. Then removes [profile <org>-<stage>] from your AWS",
      "config and the stage from the sst.config.ts selector. An account already closing only gets the",
      "local clean-up. Unattended: --yes --confirm <org>-<stage>.",
    ].join("\n"),
    positionals: [{ name: "stage", required: true, description: "the stage whose account to close, e.g. staging" }],
    options: {
      confirm: { type: "string", value: "NAME", description: "The account name, typed in advance (unattended runs)" },
      ...organizationOptions,
      "project-dir": { type: "string", value: "DIR", description: "Project whose sst.config.ts to update (default: current directory)" },
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./close-account.js"),
  },
  {
    name: "status",
    summary: "Organization, accounts, who has what where, profiles, sessions",
    details: [
      "Reads the organization (accounts and their state), the Identity Center instance and start URL,",
      "permission sets, groups, users and who has which permission set in which account, and compares",
      "the sso-session's profiles in your AWS config with it (profiles pointing at missing or closed",
      "accounts, accounts without a profile). Shows each sso-session's token expiry. Changes nothing.",
      "Long lists show their first rows; --json prints everything.",
    ].join("\n"),
    options: {
      ...organizationOptions,
      ...jsonOption,
    },
    load: () => import("./status.js"),
  },
  {
    name: "add-user",
    summary: "Add an SSO user to groups; print the onboarding message",
    details: [
      "Creates an IAM Identity Center user (username = email) and adds it to each --group (default:",
      "Administrators). A group that does not exist yet is created, and --permission-set (admin,",
      "poweruser, readonly, viewonly, or an existing set's name) is assigned to it in every stage",
      "account of your config. Shows the plan first; running it again changes nothing.",
      "An existing group's access is shown and changed only with --force (with --access): its",
      "access in every stage account becomes exactly --access, new assignments first, then the",
      "removals; the management account is never touched.",
      "",
      "AWS sends no invitation email to users created through the API: the command prints how the",
      "person gets a password (the console's \"Send email OTP\" setting, or a one-time password from",
      "the user's console page, linked) and a message to paste to them: the start URL, the",
      "[sso-session] and [profile] blocks, and the login command.",
      "",
      "  org-bootstrap add-user --email bo@acme.com --given-name Bo --family-name Chen",
      "  org-bootstrap add-user --yes --email cy@acme.com --given-name Cy --family-name Diaz --group Readers --permission-set readonly",
      "  org-bootstrap add-user --yes --email di@acme.com --given-name Di --family-name Eze --group Developers --access dev=poweruser,production=readonly",
      "  org-bootstrap add-user --dry-run --email di@acme.com --given-name Di --family-name Eze --group Developers --access dev=admin,production=readonly --force",
    ].join("\n"),
    options: {
      email: { type: "string", value: "EMAIL", description: "The person's email, also their username" },
      "given-name": { type: "string", value: "NAME", description: "Given name" },
      "family-name": { type: "string", value: "NAME", description: "Family name" },
      group: { type: "string", multiple: true, value: "NAME", description: "A group to join, or several comma-separated (default: Administrators)" },
      "permission-set": { type: "string", value: "SET", description: "Access a new group gets in every stage account: admin, poweruser, readonly, viewonly, or a set name" },
      access: { type: "string", value: "STAGE=SET,...", description: "Access a new group gets per stage (e.g. dev=poweruser,production=readonly); other stages get none" },
      force: { type: "boolean", description: "With --access: make an existing group's access in every stage account exactly that, removing the rest" },
      ...organizationOptions,
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./add-user.js"),
  },
  {
    name: "remove-user",
    summary: "The leavers' process: remove a user's access, then the user",
    details: [
      "Shows what will be removed — the user's direct access assignments in every account and their",
      "group memberships — asks, then removes the assignments (waiting for AWS to finish), the",
      "memberships and the user. A user that is already gone is not an error. Refuses to remove the",
      "last member of the admin group (--admin-group, default Administrators) unless --force.",
      "",
      "  org-bootstrap remove-user bo@acme.com",
      "  org-bootstrap remove-user bo@acme.com --yes",
    ].join("\n"),
    positionals: [{ name: "email", required: true, description: "the user's email (their username)" }],
    options: {
      "admin-group": { type: "string", value: "NAME", description: "The group that must keep at least one member (default: Administrators)" },
      force: { type: "boolean", description: "Remove the admin group's last member anyway" },
      ...organizationOptions,
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./remove-user.js"),
  },
  {
    name: "guardrails",
    summary: "Deny-leave, central root access, a regions SCP and cost budgets",
    details: [
      "The landing-zone baseline, each piece opt-in and reversible (docs/guardrails.md):",
      "  deny-leave    an SCP on the root: member accounts cannot leave the organization",
      "  central-root  IAM's centralized root access: member accounts' root credentials can be removed,",
      "                root-only tasks run from the management account",
      "  regions       an SCP on the root denying work outside the listed regions (global services exempt;",
      "                the Identity Center region is always allowed)",
      "  budget        a monthly cost budget per stage account, e-mail alerts at 80 % actual, 100 % forecast",
      "Without a selection flag it asks, with deny-leave, central-root and budget preselected (--yes takes",
      "those, with a budget of 100 USD per stage). Shows the plan first; running it again changes nothing.",
      "An SCP or budget of someone else's is reported and never changed; --remove NAME takes out only",
      "what org-bootstrap made (by name and its managed-by=org-bootstrap tag).",
      "",
      "  org-bootstrap guardrails --deny-leave --budget dev=50,production=500 --budget-email billing@acme.com",
      "  org-bootstrap guardrails --regions eu-west-1,eu-central-1 --yes",
      "  org-bootstrap guardrails --remove regions",
    ].join("\n"),
    options: {
      "deny-leave": { type: "boolean", description: "Member accounts cannot leave the organization (SCP org-bootstrap-deny-leave)" },
      "central-root": { type: "boolean", description: "Centralized root access for member accounts (IAM)" },
      regions: { type: "string", value: "LIST", description: "Deny work outside these regions (SCP org-bootstrap-regions), e.g. eu-west-1,eu-central-1" },
      budget: { type: "string", value: "AMOUNT", description: "Monthly USD budget per stage account: one figure, or dev=50,production=500" },
      "budget-email": { type: "string", value: "EMAIL", description: "Where budget alerts go (default: the management account's email)" },
      remove: { type: "string", value: "NAME", description: "Remove one guardrail: deny-leave, central-root, regions or budget (only what org-bootstrap made)" },
      ...organizationOptions,
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./guardrails.js"),
  },
  {
    name: "ci github",
    summary: "GitHub Actions deploy roles in every stage account, no access keys",
    details: [
      "Gives a GitHub repository a deploy role in each stage account (default: every stage profile of",
      "your config), trusted through GitHub's OIDC provider: production only from the production",
      "environment (or --production-from branch:main), other stages from any branch of the repository.",
      "Creates the IAM OIDC provider token.actions.githubusercontent.com where missing (one per account,",
      "shared), the role <org>-github-deploy (1-hour sessions, AdministratorAccess: SST deploys create",
      "IAM roles and much else; --policy for less), and .github/workflows/deploy.yml when the project",
      "has none (an existing workflow is never edited: the steps to paste are printed). A second",
      "repository is added to the same role. Acts in each account as OrganizationAccountAccessRole.",
      "Shows the plan first; running it again changes nothing. --remove takes the repository out: its",
      "subjects, then the role once no repository is left, then the provider if we made it and no other",
      "role uses it.",
      "",
      "Repositories created after 2026-07-15 send immutable subjects (repo:OWNER@ID/NAME@ID:...):",
      "give --owner-id and --repo-id (gh api repos/OWNER/NAME --jq '.owner.id, .id'); both forms are",
      "then trusted unless --subject-format says one (docs/ci.md).",
      "",
      "  org-bootstrap ci github --repo acme/app",
      "  org-bootstrap ci github --repo acme/web --production-from branch:main --yes",
      "  org-bootstrap ci github --repo acme/app --remove --yes",
    ].join("\n"),
    options: {
      repo: { type: "string", value: "OWNER/NAME", required: true, description: "The GitHub repository that deploys" },
      stages: { type: "string", value: "LIST", description: "Comma-separated stages (default: every stage profile of the config)" },
      "production-from": { type: "string", value: "FROM", description: "Who may deploy production: environment:NAME (default environment:production) or branch:NAME" },
      policy: { type: "string", value: "ARN", description: "Managed policy for the role (default for a new role: arn:aws:iam::aws:policy/AdministratorAccess)" },
      "role-name": { type: "string", value: "NAME", description: "The deploy role's name (default: <org>-github-deploy)" },
      "subject-format": { type: "string", value: "FORMAT", description: "legacy, immutable or both: the token subjects to trust (default: both with the ids, else legacy)" },
      "owner-id": { type: "string", value: "ID", description: "The owner's numeric GitHub id (immutable subjects)" },
      "repo-id": { type: "string", value: "ID", description: "The repository's numeric GitHub id (immutable subjects)" },
      workflow: { type: "string", value: "PATH", description: `Workflow file to write when absent, in the project (default: .github/workflows/deploy.yml)` },
      "no-workflow": { type: "boolean", description: "Write no workflow file" },
      remove: { type: "boolean", description: "Take the repository out: its subjects, the role once unused, our provider once unused" },
      ...organizationOptions,
      "project-dir": { type: "string", value: "DIR", description: "The repository's checkout, for the workflow file (default: current directory)" },
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./ci-github.js"),
  },
  {
    name: "doctor",
    summary: "Check this machine's AWS setup; print the fix for each problem",
    details: [
      "Checks: the Node.js version; profiles pointing at accounts that no longer exist (or accounts",
      "without a profile), against the organization; expired SSO tokens; long-lived access keys in",
      "~/.aws/credentials (the old IAM-user setup); role_arn + mfa_serial profiles an SSO profile can",
      "replace (the replacement block is shown); AWS_ACCESS_KEY_ID in the environment; an AWS_PROFILE",
      "(environment or the project's .env) that SST would use instead of sst.config.ts's per-stage",
      "profiles; root-user credentials in use. The organization is read as the other day-two",
      "commands read it (--profile, else the management account's environment credentials, else",
      "<org>-management through SSO; doctor never signs in). --offline skips the AWS checks.",
      "Changes nothing. Exit code 0 when every check passes, 1 otherwise.",
    ].join("\n"),
    options: {
      offline: { type: "boolean", description: "Only check local files and the environment (no AWS calls)" },
      ...organizationOptions,
      "credentials-file": { type: "string", value: "PATH", description: "AWS credentials file (default: $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials)" },
      "project-dir": { type: "string", value: "DIR", description: "Project whose sst.config.ts and .env to check (default: current directory)" },
      ...jsonOption,
    },
    load: () => import("./doctor.js"),
  },
  {
    name: "login",
    summary: "Daily SSO login for the AWS CLI, SDKs and SST (no AWS CLI)",
    details: [
      "Uses the cached SSO token while it has more than 15 minutes left, refreshes it silently while",
      "the refresh token is valid, and otherwise signs in in the browser (authorization code with PKCE,",
      "redirected to 127.0.0.1) or with a device code. The device code flow is chosen automatically in",
      "SSH sessions, containers and WSL, where a browser may not reach this machine's 127.0.0.1.",
      "Writes ~/.aws/sso/cache/<sha1 of the session name>.json, the cache `aws sso login` writes.",
      "The session comes from --sso-session, else the only [sso-session] in the config, else a question.",
    ].join("\n"),
    options: {
      "sso-session": { type: "string", value: "NAME", description: "The [sso-session NAME] block to log in with" },
      "device-code": { type: "boolean", description: "Use the device code flow (approve on any device)" },
      pkce: { type: "boolean", description: "Use the browser flow even where the device code flow would be chosen" },
      "no-browser": { type: "boolean", description: "Do not open a browser; print the URL to open" },
      force: { type: "boolean", description: "Log in again even if the cached token is still valid" },
      "config-file": { type: "string", value: "FILE", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
      ...jsonOption,
    },
    load: () => import("./login.js"),
  },
  {
    name: "logout",
    summary: "End the SSO session and remove its cached token",
    options: {
      "sso-session": { type: "string", value: "NAME", description: "The [sso-session NAME] to log out of" },
      "config-file": { type: "string", value: "FILE", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
      ...jsonOption,
    },
    load: () => import("./logout.js"),
  },
  {
    name: "env",
    summary: "Print an SSO profile's temporary credentials for other tools",
    details: [
      "For tools that cannot read SSO profiles: eval \"$(org-bootstrap env --profile acme-dev)\".",
      "--format json prints the credential_process document (Version 1, with Expiration), so a profile",
      "can use: credential_process = org-bootstrap env --profile acme-dev --format json",
      "Logs in first when the session has expired and a terminal is present.",
    ].join("\n"),
    options: {
      profile: { type: "string", value: "NAME", required: true, description: "The SSO profile whose role to use" },
      format: { type: "string", value: "FORMAT", description: "sh (default), fish, powershell or json" },
      ...loginIfNeededOptions,
    },
    load: () => import("./env.js"),
  },
  {
    name: "exec",
    summary: "Run a command with an SSO profile's temporary credentials",
    usageTail: "-- COMMAND [ARGS...]",
    details: [
      "Passes the command's exit code through. Logs in first when the session has expired and a terminal is present.",
      "SIGINT, SIGTERM and SIGHUP are passed on to the command and exec waits for it: a command ended by a",
      "signal gives 128 + the signal's number (130 for Ctrl-C).",
    ].join("\n"),
    options: {
      profile: { type: "string", value: "NAME", required: true, description: "The SSO profile whose role to use" },
      ...loginIfNeededOptions,
    },
    acceptsRest: true,
    load: () => import("./exec.js"),
  },
  {
    name: "profiles",
    summary: "Write a profile for every account and role you can use (a teammate's setup)",
    details: [
      "On a machine with nothing: writes the [sso-session] block (--start-url, --sso-region), signs in",
      "(login's flows), lists every account and role you may use through the access portal, and writes",
      "one [profile] each: <org>-<stage> for your most capable role in a stage account (admin >",
      "poweruser > readonly > the others by name), <org>-<stage>-<role> for further roles,",
      "<org>-management with --management-account, other accounts by their name. Blocks that already",
      "point at the same account and role keep their names. A re-run adds what is new; --prune removes",
      "the blocks it wrote for access you no longer have (never a block you wrote). Shows the diff first.",
      "",
      "  npx org-bootstrap profiles --start-url https://d-1234567890.awsapps.com/start --sso-region us-east-1 --sso-session acme",
      "  org-bootstrap profiles --prune",
    ].join("\n"),
    options: {
      "start-url": { type: "string", value: "URL", description: "Access portal URL (needed when the config has no [sso-session] for it yet)" },
      "sso-region": { type: "string", value: "REGION", description: "IAM Identity Center's region (with --start-url)" },
      "sso-session": { type: "string", value: "NAME", description: "The [sso-session NAME] to use or write; also the <org> of the names (default: the config's only one)" },
      "management-account": { type: "string", value: "ID", description: "The management account's id: its profile is <org>-management" },
      region: { type: "string", value: "REGION", description: "New profiles' region (default: the session's other profiles', else Identity Center's)" },
      prune: { type: "boolean", description: "Remove the profiles this command wrote for access you no longer have" },
      ...loginIfNeededOptions,
      ...mutatingOptions,
      ...jsonOption,
    },
    load: () => import("./profiles.js"),
  },
  {
    name: "console",
    summary: "Open the AWS console signed in as an SSO profile's role",
    details: [
      "The profile's role credentials → the AWS sign-in federation endpoint's token → the console login",
      "link, opened in your browser. --print prints the link instead: it signs anyone who has it in as",
      "that role for 15 minutes, so it is printed only when asked. Logs in first when the session has",
      "expired and a terminal is present.",
      "",
      "  org-bootstrap console --profile acme-dev",
      "  org-bootstrap console --profile acme-production --destination https://console.aws.amazon.com/s3/home",
    ].join("\n"),
    options: {
      profile: { type: "string", value: "NAME", required: true, description: "The SSO profile whose role to sign in as" },
      print: { type: "boolean", description: "Print the sign-in link (a 15-minute credential) instead of opening a browser" },
      destination: { type: "string", value: "URL", description: "Console page to open (default: the console home in the profile's region)" },
      ...loginIfNeededOptions,
    },
    load: () => import("./console.js"),
  },
  {
    name: "sandbox",
    summary: "Run the emulated AWS locally, for trying things out",
    details: [
      "Starts the built-in emulated AWS (STS, Organizations, IAM Identity Center, Identity Store,",
      "SSO OIDC and the access portal) on 127.0.0.1 in the foreground. Point the AWS CLI, the SDKs or",
      "org-bootstrap itself at it with AWS_ENDPOINT_URL and the dummy credentials it prints.",
      "Stop it with Ctrl-C; its state lives in memory only.",
    ].join("\n"),
    options: {
      port: { type: "string", value: "N", description: "Port to listen on (default: a free one)" },
      delays: { type: "string", value: "MODE", description: "none, fast (default) or aws: how long async work takes" },
      "identity-center": { type: "string", value: "STATE", description: "enabled or disabled (default) at start" },
      caller: { type: "string", value: "KIND", description: "root (default), iam-user or member: who GetCallerIdentity says you are" },
    },
    sendsNoSecret: true,
    load: () => import("./sandbox.js"),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}

/**
 * The command the first words of argv name. A command may be two words, a group and a
 * subcommand (`ci github`): its table entry's name has both, and the second word is taken first.
 * `words` used tells the caller where the command's own arguments start.
 */
export function resolveCommand(argv: readonly string[]): { spec: CommandSpec; words: number } | undefined {
  const [first, second] = argv;
  const two = second !== undefined && !second.startsWith("-") ? findCommand(`${first} ${second}`) : undefined;
  if (two) return { spec: two, words: 2 };
  const one = first === undefined ? undefined : findCommand(first);
  return one ? { spec: one, words: 1 } : undefined;
}

/** The subcommands of a group word (`ci` → `ci github`), for the message when one is missing. */
export function subcommandsOf(group: string): CommandSpec[] {
  return commands.filter((c) => c.name.startsWith(`${group} `));
}
