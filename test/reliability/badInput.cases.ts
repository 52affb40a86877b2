/**
 * Every input the tool takes and every file it reads, with the bad cases tried. Each case is one
 * row of docs/errors.md (the `message` text appears there verbatim) and one test in
 * badInput.test.ts: the exit code, that message, no file changed, no mutating AWS call.
 */
import { createHash } from "node:crypto";
import { ssoConfigText } from "../helpers/configText.js";

export interface BadInputCase {
  /** What the person gave: the input or file. */
  input: string;
  /** What was wrong with it. */
  bad: string;
  args: string[];
  /** The config file to start from (default: a valid one with an sso-session and a profile); null: none. */
  config?: string | null;
  /** Shell run in HOME before the command (project/ is the current directory). */
  setup?: string;
  /** Run the CLI as another user (to make a root-owned 0000 file unreadable). */
  asNobody?: boolean;
  /** Run a clean `init` first (for commands that need an organisation); its files and calls are the baseline. */
  afterInit?: boolean;
  /** Text the error line must contain; the same text is in docs/errors.md. */
  message: string;
  code?: number;
  /** Refused before any AWS call at all, not only before any mutating one. */
  noAwsCall?: boolean;
}

const initFlags = ["--yes", "--org-name", "acme", "--sso-region", "us-east-1", "--account-email", "aws+{stage}@acme.com", "--user-email", "ann@acme.com", "--user-given-name", "Ann", "--user-family-name", "Lee", "--no-browser"];
export const init = (...extra: string[]) => ["init", ...initFlags, ...extra];

export const validConfig = ssoConfigText({ accountId: "123456789012" });

const cacheFile = `.aws/sso/cache/${createHash("sha1").update("acme").digest("hex")}.json`;
const long = (n: number, c = "a") => c.repeat(n);

export const badInputCases: BadInputCase[] = [
  // The command line itself.
  { input: "command", bad: "unknown", args: ["frobnicate"], message: 'Unknown command "frobnicate".' },
  { input: "flags", bad: "unknown flag", args: ["init", "--frob"], message: "Unknown option '--frob'" },
  { input: "flags", bad: "flag without its value", args: ["init", "--org-name"], message: "Option '--org-name <value>' argument missing" },
  { input: "flags", bad: "extra argument", args: ["status", "extra"], message: 'Unexpected argument "extra".' },
  { input: "flags", bad: "required argument missing", args: ["add-account"], message: "Missing <stage>: the new stage, e.g. staging." },
  { input: "init flags", bad: "unattended, required flags missing", args: ["init", "--yes"], message: "No terminal to ask questions on, and --org-name, --sso-region, --user-email, --user-given-name, --user-family-name are missing." },
  {
    input: "init flags",
    bad: "no terminal and no --yes",
    args: ["init", "--org-name", "acme", "--sso-region", "us-east-1", "--user-email", "ann@acme.com", "--user-given-name", "Ann", "--user-family-name", "Lee"],
    message: "No terminal to confirm on: add --yes to apply the plan unattended (or --dry-run to only see it).",
  },
  { input: "login flags", bad: "--device-code with --pkce", args: ["login", "--device-code", "--pkce"], message: "Choose one of --device-code and --pkce." },
  { input: "close-account --confirm", bad: "missing, no terminal", afterInit: true, args: ["close-account", "dev", "--yes"], message: "Closing acme-dev needs a typed confirmation, and there is no terminal to type it on." },
  { input: "close-account --confirm", bad: "another account's name", afterInit: true, args: ["close-account", "dev", "--yes", "--confirm", "acme-production"], message: "--confirm acme-production does not match the account name acme-dev; nothing was closed." },

  // Organisation name and stages (they become [sso-session], [profile] and account names).
  { input: "--org-name", bad: "empty", args: init("--org-name", ""), message: "No terminal to ask questions on, and --org-name is missing." },
  { input: "--org-name", bad: "wrong characters (space)", args: init("--org-name", "Acme Corp"), message: 'The organization name "Acme Corp" cannot be used.' },
  { input: "--org-name", bad: "too long (41 characters)", args: init("--org-name", long(41)), message: `The organization name "${long(41)}" cannot be used.` },
  { input: "--stages", bad: "wrong characters", args: init("--stages", "dev,Prod!"), message: 'The stage "Prod!" cannot be used.' },
  { input: "--stages", bad: "empty list", args: init("--stages", ","), message: "At least one stage is needed." },
  { input: "--org-name + --stages", bad: "account name over 50 characters", args: init("--org-name", long(30, "o"), "--stages", long(30, "s")), message: "is longer than 50 characters.", noAwsCall: true },
  // ci github: every flag is judged before any AWS call (docs/ci.md).
  { input: "command", bad: "group word without its subcommand", args: ["ci"], message: '"ci" needs a subcommand: github.', noAwsCall: true },
  { input: "command", bad: "a subcommand the group does not have", args: ["ci", "gitlab"], message: 'Unknown command "ci gitlab": ci\'s subcommands are github.', noAwsCall: true },
  { input: "ci github --repo", bad: "missing", args: ["ci", "github", "--yes"], message: "ci github needs the repository: --repo OWNER/NAME.", noAwsCall: true },
  { input: "ci github --repo", bad: "not OWNER/NAME", args: ["ci", "github", "--repo", "acme", "--yes"], message: '--repo "acme" is not a GitHub repository as OWNER/NAME.', noAwsCall: true },
  { input: "ci github --repo", bad: "characters GitHub does not allow", args: ["ci", "github", "--repo", "acme/app;rm", "--yes"], message: '--repo "acme/app;rm" is not a GitHub repository as OWNER/NAME.', noAwsCall: true },
  { input: "ci github --stages", bad: "a stage the config has no profile for", args: ["ci", "github", "--repo", "acme/app", "--stages", "dev,qa", "--yes"], message: "Unknown stage qa:", noAwsCall: true },
  { input: "ci github --policy", bad: "not a policy ARN", args: ["ci", "github", "--repo", "acme/app", "--policy", "AdministratorAccess", "--yes"], message: '--policy "AdministratorAccess" is not an IAM managed policy ARN.', noAwsCall: true },
  { input: "ci github --policy", bad: "another account's customer-managed policy", args: ["ci", "github", "--repo", "acme/app", "--policy", "arn:aws:iam::999999999999:policy/deploy", "--yes"], message: "--policy arn:aws:iam::999999999999:policy/deploy is a policy of account 999999999999; the deploy role in dev", noAwsCall: true },
  { input: "ci github --production-from", bad: "neither environment: nor branch:", args: ["ci", "github", "--repo", "acme/app", "--production-from", "main", "--yes"], message: '--production-from "main" is not environment:NAME or branch:NAME.', noAwsCall: true },
  { input: "ci github --subject-format", bad: "immutable without the ids", args: ["ci", "github", "--repo", "acme/app", "--subject-format", "immutable", "--yes"], message: "--subject-format immutable needs the repository's numeric ids.", noAwsCall: true },
  { input: "ci github --role-name", bad: "not an IAM role name", args: ["ci", "github", "--repo", "acme/app", "--role-name", "deploy role", "--yes"], message: '--role-name "deploy role" is not an IAM role name.', noAwsCall: true },
  { input: "add-account STAGE", bad: "wrong characters", args: ["add-account", "Bad Stage", "--yes"], message: 'The stage "Bad Stage" cannot be used.' },
  // One stage rule and message for init and add-account (docs/init.md, docs/add-account.md).
  { input: "--stages", bad: "upper case and underscore", args: init("--stages", "Dev,qa_env"), message: 'The stage "Dev" cannot be used.', noAwsCall: true },
  { input: "--stages", bad: "reserved (the management profile)", args: init("--stages", "dev,management"), message: 'The stage "management" cannot be used.', noAwsCall: true },
  { input: "add-account STAGE", bad: "upper case", args: ["add-account", "QA", "--yes"], message: 'The stage "QA" cannot be used.', noAwsCall: true },
  { input: "close-account STAGE", bad: "path characters", args: ["close-account", "../x", "--yes", "--confirm", "x"], message: 'The stage "../x" cannot be used.' },

  // Emails.
  { input: "--user-email", bad: "wrong format", args: init("--user-email", "ann"), message: '"ann" is not a usable email address: it needs exactly one @ between a name and a domain, as in ann@acme.com.' },
  { input: "--user-email", bad: "too long (65 characters)", args: init("--user-email", `${long(56)}@acme.com`), message: `"${long(56)}@acme.com" is not a usable email address: it has 65 characters; AWS accepts 6 to 64.` },
  { input: "--user-email", bad: "not ASCII", args: init("--user-email", "änn@acme.com"), message: '"änn@acme.com" is not a usable email address: it contains "ä", which is not ASCII (AWS accepts ASCII characters only).' },
  { input: "--account-email", bad: "no {stage} placeholder", args: init("--account-email", "aws@acme.com"), message: 'The account email "aws@acme.com" has no {stage} placeholder.', noAwsCall: true },
  { input: "--account-email", bad: "wrong format", args: init("--account-email", "{stage}"), message: '"dev" is not a usable email address: it needs exactly one @ between a name and a domain, as in ann@acme.com.', noAwsCall: true },
  { input: "add-account --email", bad: "wrong format", args: ["add-account", "qa", "--email", "nope", "--yes"], message: '"nope" is not a usable email address: it needs exactly one @ between a name and a domain, as in ann@acme.com.' },

  // Names, region, durations, URLs.
  { input: "--user-given-name", bad: "empty", args: init("--user-given-name", ""), message: "No terminal to ask questions on, and --user-given-name is missing." },
  { input: "--group", bad: "reserved name", args: init("--group", "AWSAdministrators"), message: 'The group name "AWSAdministrators" cannot be used.' },
  // Refused before any AWS call (docs/errors.md): names as Identity Store takes them, reserved
  // group names in any case, regions where Identity Center exists, the email rule broken.
  { input: "--user-given-name", bad: "only spaces", args: init("--user-given-name", "   "), message: "The given name is empty.", noAwsCall: true },
  { input: "--user-given-name", bad: "a control character (tab)", args: init("--user-given-name", "Ann\tMarie"), message: "The given name contains a control character (a tab, a line break or similar).", noAwsCall: true },
  { input: "--user-family-name", bad: "a control character (escape sequence)", args: init("--user-family-name", "Lee\u001b[2J"), message: "The family name contains a control character (a tab, a line break or similar).", noAwsCall: true },
  { input: "--user-family-name", bad: "too long (1,025 characters)", args: init("--user-family-name", long(1025)), message: "The family name is longer than 1024 characters (AWS's limit).", noAwsCall: true },
  {
    input: "--user-given-name + --user-family-name",
    bad: "display name over 1,024 characters",
    args: init("--user-given-name", long(600), "--user-family-name", long(600)),
    message: "The display name (given and family name with a space, 1201 characters) is longer than 1024 characters (AWS's limit).", noAwsCall: true
  },
  { input: "--group", bad: "reserved name, other case", args: init("--group", "administrator"), message: 'The group name "administrator" cannot be used.', noAwsCall: true },
  { input: "add-user --group", bad: "reserved name, other case", args: ["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo", "--family-name", "Chen", "--group", "awsadministrators"], message: 'The group name "awsadministrators" cannot be used.', noAwsCall: true },
  { input: "add-account --group", bad: "reserved name", args: ["add-account", "qa", "--yes", "--group", "Administrator"], message: 'The group name "Administrator" cannot be used.', noAwsCall: true },
  { input: "add-account --group", bad: "no such group (after reading, before any change)", afterInit: true, args: ["add-account", "qa", "--yes", "--group", "Admins"], message: "The group Admins was not found in IAM Identity Center." },
  { input: "add-account --like", bad: "a stage the config does not have", args: ["add-account", "qa", "--like", "staging", "--yes"], message: "--like: there is no stage staging.", noAwsCall: true },
  { input: "add-account --like", bad: "the new stage itself", args: ["add-account", "qa", "--like", "qa", "--yes"], message: "--like qa names the new stage itself.", noAwsCall: true },
  { input: "add-user --given-name", bad: "a control character (line break)", args: ["add-user", "--yes", "--email", "bo@acme.com", "--given-name", "Bo\nX", "--family-name", "Chen"], message: "The given name contains a control character (a tab, a line break or similar).", noAwsCall: true },
  {
    input: "add-user --given-name + --family-name",
    bad: "display name over 1,024 characters",
    args: ["add-user", "--yes", "--email", "bo@acme.com", "--given-name", long(512), "--family-name", long(512)],
    message: "The display name (given and family name with a space, 1025 characters) is longer than 1024 characters (AWS's limit).", noAwsCall: true
  },
  { input: "--sso-region", bad: "a region code where Identity Center does not exist", args: init("--sso-region", "eu-west-9"), message: 'IAM Identity Center is not available in "eu-west-9".', noAwsCall: true },
  { input: "--user-email", bad: "domain without a dot", args: init("--user-email", "ann@localhost"), message: '"ann@localhost" is not a usable email address: its domain "localhost" is not a domain name with a dot, such as acme.com.', noAwsCall: true },
  { input: "--user-email", bad: "a space", args: init("--user-email", "ann lee@acme.com"), message: '"ann lee@acme.com" is not a usable email address: it contains a space.', noAwsCall: true },
  { input: "--group", bad: "too long (1,025 characters)", args: init("--group", long(1025, "G")), message: `The group name "${long(60, "G")}…" cannot be used.` },
  { input: "--sso-region", bad: "wrong format", args: init("--sso-region", "moon-1"), message: '"moon-1" is not an AWS region code.' },
  { input: "--sso-region", bad: "upper case", args: init("--sso-region", "US-EAST-1"), message: '"US-EAST-1" is not an AWS region code.' },
  { input: "--region", bad: "not a region code", args: init("--region", "Europe"), message: '"Europe" is not an AWS region code.' },
  { input: "add-account --region", bad: "not a region code", afterInit: true, args: ["add-account", "qa", "--yes", "--region", "eu_west_1"], message: '"eu_west_1" is not an AWS region code.' },
  {
    input: "~/.aws/config",
    bad: "a profile's region differs from --region, unattended",
    afterInit: true,
    args: init("--region", "eu-central-1"),
    message: '[profile acme-dev] region is "us-east-1", this run would write "eu-central-1"',
  },
  { input: "--session-duration", bad: "too long (PT13H)", args: init("--session-duration", "PT13H"), message: 'Session duration "PT13H" is not allowed.' },
  { input: "--session-duration", bad: "too short (PT30M)", args: init("--session-duration", "PT30M"), message: 'Session duration "PT30M" is not allowed.' },
  { input: "--session-duration", bad: "wrong format (12h)", args: init("--session-duration", "12h"), message: 'Session duration "12h" is not allowed.' },
  { input: "--permission-sets", bad: "unknown preset", args: init("--permission-sets", "superuser"), message: 'Unknown permission set "superuser".' },
  { input: "--start-url", bad: "not a URL", args: init("--start-url", "not a url"), message: '"not a url" is not a URL.' },
  { input: "--start-url", bad: "not https", args: init("--start-url", "http://d-1234567890.awsapps.com/start"), message: "The start URL must use https: http://d-1234567890.awsapps.com/start" },

  // Profile and session names.
  { input: "--sso-session", bad: "wrong characters (space)", args: ["login", "--sso-session", "bad name"], message: '"bad name" is not a valid sso-session name.' },
  { input: "--sso-session", bad: "not in the config", args: ["login", "--sso-session", "nope"], message: "There is no [sso-session nope] in" },
  { input: "--sso-session", bad: "several in the config, none chosen", config: `${validConfig}\n[sso-session beta]\nsso_start_url = https://d-2234567890.awsapps.com/start\nsso_region = us-east-1\n`, args: ["add-account", "qa", "--yes"], message: "has several sso-sessions (acme, beta)." },
  { input: "--profile", bad: "missing", args: ["env"], message: "--profile is required." },
  { input: "--profile", bad: "not in the config", args: ["env", "--profile", "nope"], message: "There is no [profile nope] in" },
  { input: "day-two --profile", bad: "in neither the config nor the credentials file", args: ["status", "--profile", "nope"], message: "There is no profile nope in" },
  { input: "--profile", bad: "not an SSO profile", config: "[profile plain]\nregion = us-east-1\n", args: ["env", "--profile", "plain"], message: "Profile plain is not an SSO profile (it needs sso_account_id and sso_role_name)." },
  { input: "--format", bad: "unknown", args: ["env", "--profile", "acme-dev", "--format", "xml"], message: '--format must be one of sh, fish, powershell, json, got "xml".' },
  { input: "exec command", bad: "missing", args: ["exec", "--profile", "acme-dev"], message: "No command to run." },
  { input: "profiles --start-url", bad: "not https", config: null, args: ["profiles", "--start-url", "http://example.com/start", "--sso-region", "us-east-1"], message: "The start URL must use https: http://example.com/start" },
  { input: "profiles --sso-region", bad: "no Identity Center there", config: null, args: ["profiles", "--start-url", "https://d-1234567890.awsapps.com/start", "--sso-region", "moon-1"], message: '"moon-1" is not an AWS region code.' },
  { input: "profiles --management-account", bad: "not 12 digits", args: ["profiles", "--management-account", "12"], message: '--management-account "12" is not an AWS account id.' },
  { input: "profiles session", bad: "no [sso-session] and no --start-url", config: null, args: ["profiles"], message: "No [sso-session] block in" },
  { input: "profiles --start-url", bad: "differs from the config's session", args: ["profiles", "--sso-session", "acme", "--start-url", "https://d-9999999999.awsapps.com/start"], message: "has sso_start_url https://d-1234567890.awsapps.com/start, not https://d-9999999999.awsapps.com/start." },
  { input: "console --destination", bad: "not a console page", args: ["console", "--profile", "acme-dev", "--destination", "https://evil.example.com/"], message: "--destination must be a page of the AWS console (https://…console.aws.amazon.com/…), got https://evil.example.com." },
  { input: "sandbox --port", bad: "not a number", args: ["sandbox", "--port", "abc"], message: '--port must be a number from 0 to 65535, got "abc".' },

  // File paths.
  { input: "--config-file", bad: "a directory", args: init("--config-file", "/tmp"), message: "Cannot read /tmp: it is a directory, not a file." },
  { input: "--config-file", bad: "symlink loop", setup: "ln -s loop2 .aws/loop1 && ln -s loop1 .aws/loop2", args: init("--config-file", "../.aws/loop1"), message: "Cannot read ~/.aws/loop1: it is a symbolic link loop." },
  { input: "--config-file", bad: "a directory (reading commands)", args: ["status", "--config-file", "/"], message: "Cannot read /: it is a directory, not a file." },
  { input: "--project-dir", bad: "does not exist", args: init("--project-dir", "/nonexistent/app"), message: "/nonexistent/app is not a directory." },

  // ~/.aws/config.
  { input: "~/.aws/config", bad: "missing (day-two commands)", config: null, args: ["add-account", "qa", "--yes"], message: "No [sso-session] block in" },
  { input: "~/.aws/config", bad: "corrupt section header", config: "[profile acme-dev\nregion = us-east-1\n", args: init(), message: "Cannot safely edit ~/.aws/config:" },
  { input: "~/.aws/config", bad: "a line that is not key = value", config: "[default]\nthis is not a key\n", args: init(), message: "Cannot safely edit ~/.aws/config:" },
  { input: "~/.aws/config", bad: "a section twice", config: "[default]\nregion = us-east-1\n[default]\nregion = us-east-2\n", args: init(), message: "Cannot safely edit ~/.aws/config:" },
  // The AWS CLI and the SDKs would read these differently (src/local/awsConfig.ts has the table).
  { input: "~/.aws/config", bad: "the same sso-session quoted and unquoted", config: '[sso-session "acme"]\nsso_region = us-east-1\n\n[sso-session acme]\nsso_start_url = https://d-1234567890.awsapps.com/start\n', args: init(), message: "[sso-session acme] is sso-session acme again for the AWS CLI (first on line 1)" },
  { input: "~/.aws/config", bad: "a header only the AWS CLI reads as our profile", config: "[profile  acme-dev]\nregion = us-east-1\n", args: init(), message: "is profile acme-dev for the AWS CLI but not for the AWS SDKs." },
  { input: "~/.aws/config", bad: "an indented header after a key", config: "[default]\nregion = us-east-1\n  [profile b]\nregion = us-east-2\n", args: init(), message: "as a section header, the AWS CLI as part of the setting above it" },
  { input: "~/.aws/config", bad: "a directory instead of a file", setup: "rm .aws/config && mkdir .aws/config", args: init(), message: "Cannot read ~/.aws/config: it is a directory, not a file." },
  { input: "~/.aws/config", bad: "unreadable (mode 0000, another owner)", setup: "chmod 000 .aws/config", asNobody: true, args: init(), message: "Cannot read ~/.aws/config: permission denied." },
  { input: "~/.aws/config", bad: "not UTF-8", setup: "printf '[default]\\nregion = \\xff\\xfe\\n' > .aws/config", args: init(), message: "Cannot edit ~/.aws/config: it is not UTF-8 text." },
  { input: "~/.aws/config", bad: "different values, unattended", config: "[sso-session acme]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n", args: init(), message: "Some local files already have different values; nothing was changed in AWS or on disk." },
  // The instance exists already (a re-run): its start URL is read from AWS, before any change.
  {
    input: "~/.aws/config",
    bad: "[sso-session] with another start URL than the existing instance's, unattended",
    afterInit: true,
    setup: "sed -i 's|^sso_start_url = .*|sso_start_url = https://d-9999999999.awsapps.com/start|' .aws/config",
    args: init(),
    message: '~/.aws/config: [sso-session acme] sso_start_url is "https://d-9999999999.awsapps.com/start", this run would write "https://d-',
  },
  // No instance yet: the one init enables gets a new identity store, so any start URL differs.
  {
    input: "~/.aws/config",
    bad: "[sso-session] with a start URL, Identity Center still to be enabled, unattended",
    config: "[sso-session acme]\nsso_start_url = https://d-9999999999.awsapps.com/start\nsso_region = us-east-1\n",
    args: init(),
    message: '~/.aws/config: [sso-session acme] sso_start_url is "https://d-9999999999.awsapps.com/start", this run would write the start URL of the IAM Identity Center it enables in us-east-1',
  },
  { input: "~/.aws/config", bad: "corrupt (reading commands)", config: "[sso-session acme\nsso_region = us-east-1\n", args: ["status"], message: "has no usable [sso-session] block:" },
  { input: "~/.aws/config", bad: "a directory (reading commands)", setup: "rm .aws/config && mkdir .aws/config", args: ["login"], message: "/.aws/config: it is a directory, not a file." },
  { input: "~/.aws/config", bad: "sso-session without sso_region", config: "[sso-session acme]\nsso_start_url = https://d-1234567890.awsapps.com/start\n", args: ["login"], message: "[sso-session acme] has no sso_region" },
  { input: "~/.aws/config", bad: "sso-session without sso_start_url", config: "[sso-session acme]\nsso_region = us-east-1\n", args: ["status"], message: "[sso-session acme] has no sso_start_url" },

  // Project files.
  { input: "package.json", bad: "corrupt JSON", setup: "echo '{oops' > project/package.json", args: init(), message: "package.json is not valid JSON" },
  { input: "package.json", bad: "a directory instead of a file", setup: "rm project/package.json && mkdir project/package.json", args: init(), message: "Cannot read package.json: it is a directory, not a file." },
  { input: "package.json", bad: "a different sso script, unattended", setup: `echo '{"scripts":{"sso":"other"}}' > project/package.json`, args: init(), message: 'package.json: scripts.sso is "other"' },
  { input: "sst.config.ts", bad: "a directory instead of a file", setup: "mkdir project/sst.config.ts", args: init(), message: "Cannot read sst.config.ts: it is a directory, not a file." },
  {
    input: "sst.config.ts",
    bad: "a profile of the person's own, unattended",
    config: null,
    setup: `printf 'export default $config({\n  app(input) {\n    return { name: "app", providers: { aws: { profile: "something-else" } } };\n  },\n  async run() {},\n});\n' > project/sst.config.ts`,
    args: init(),
    message: 'sst.config.ts: providers.aws.profile is ""something-else"", this run would write',
  },
  {
    input: "~/.aws/config",
    bad: "a stage's profile points at an account, the stage's account is still to be created",
    config: "[profile acme-dev]\nsso_session = acme\nsso_account_id = 123456789012\nsso_role_name = AdministratorAccess\nregion = us-east-1\n",
    args: init(),
    message: '[profile acme-dev] sso_account_id is "123456789012", this run would write the id of the account it creates, acme-dev',
  },
  {
    input: "~/.aws/config",
    bad: "add-account: the new stage's profile points at an account already",
    afterInit: true,
    setup: "printf '\\n[profile acme-qa]\\nsso_session = acme\\nsso_account_id = 999999999999\\nsso_role_name = AdministratorAccess\\nregion = us-east-1\\n' >> .aws/config",
    args: ["add-account", "qa", "--yes"],
    message: '[profile acme-qa] sso_account_id is "999999999999", this run would write the id of the account it creates, acme-qa',
  },

  // The SSO token cache.
  {
    input: "token cache",
    bad: "writable by other users",
    setup: `mkdir -p .aws/sso/cache && echo '{}' > ${cacheFile} && chmod 666 ${cacheFile}`,
    args: ["login", "--device-code", "--no-browser"],
    message: "other users can change it.",
  },
  // The day-two commands' own inputs.
  { input: "add-user --email", bad: "not an email", args: ["add-user", "--yes", "--email", "not-an-email", "--given-name", "Bo", "--family-name", "Chen"], message: '"not-an-email" is not a usable email address: it needs exactly one @ between a name and a domain, as in ann@acme.com.' },
  { input: "add-user flags", bad: "unattended, --given-name missing", args: ["add-user", "--yes", "--email", "bo@acme.com", "--family-name", "Chen"], message: "No terminal to ask on, and --given-name is missing." },
  { input: "add-user --given-name", bad: "too long (1,025 characters)", args: ["add-user", "--yes", "--email", "bo@acme.com", "--given-name", long(1025), "--family-name", "Chen"], message: "The given name is longer than 1024 characters (AWS's limit)." },
  // --access and --force: checked against the config's stages (validConfig has dev) before any AWS call.
  ...(
    [
      ["add-user --access", "not STAGE=SET", ["--access", "dev"], '--access: "dev" is not STAGE=SET.'],
      ["add-user --access", "a stage twice", ["--access", "dev=readonly,dev=admin"], "--access names stage dev twice."],
      ["add-user --access", "a stage the config does not have", ["--access", "qa=readonly"], "--access: there is no stage qa."],
      ["add-user --access", "empty", ["--access", ","], "--access is empty."],
      ["add-user --access + --permission-set", "both given", ["--access", "dev=readonly", "--permission-set", "admin"], "--permission-set and --access both say what the group gets."],
      ["add-user --force", "without --access (before any question or AWS call)", ["--force"], "--force changes an existing group's access, and only --access says what it becomes."],
    ] as const
  ).map(([input, bad, extra, message]) => ({ input, bad, args: ["add-user", "--yes", "--email", "di@acme.com", "--given-name", "Di", "--family-name", "Eze", "--group", "Developers", ...extra], message, noAwsCall: true })),
  { input: "init --access-preset", bad: "not a preset", args: init("--access-preset", "everyone"), message: '--access-preset "everyone" is not a preset.', noAwsCall: true },
  // guardrails: every value is judged before any AWS call (the stages come from the config: dev).
  { input: "guardrails --regions", bad: "an unknown region", args: ["guardrails", "--regions", "eu-west-9", "--yes"], message: "Unknown AWS region: eu-west-9.", noAwsCall: true },
  { input: "guardrails --budget", bad: "negative", args: ["guardrails", "--budget=-5", "--yes"], message: 'The budget "-5" is not a budget amount.', noAwsCall: true },
  { input: "guardrails --budget", bad: "not a number", args: ["guardrails", "--budget", "ten", "--yes"], message: 'The budget "ten" is not a budget amount.', noAwsCall: true },
  { input: "guardrails --budget", bad: "a stage with no account", args: ["guardrails", "--budget", "qa=5", "--yes"], message: 'There is no stage "qa" in this organization.', noAwsCall: true },
  { input: "guardrails --budget-email", bad: "not an email", args: ["guardrails", "--budget", "5", "--budget-email", "billing", "--yes"], message: '"billing" is not a usable email address: it needs exactly one @ between a name and a domain, as in ann@acme.com.', noAwsCall: true },
  { input: "guardrails --remove", bad: "not a guardrail", args: ["guardrails", "--remove", "everything", "--yes"], message: 'There is no guardrail "everything".', noAwsCall: true },
  { input: "guardrails flags", bad: "no terminal, no selection, no --yes", args: ["guardrails"], message: "No terminal to choose guardrails on.", noAwsCall: true },
  { input: "remove-user EMAIL", bad: "not an email", args: ["remove-user", "nope", "--yes"], message: '"nope" is not a usable email address: it needs exactly one @ between a name and a domain, as in ann@acme.com.' },
  {
    input: "remove-user EMAIL",
    bad: "the admin group's last member, without --force",
    afterInit: true,
    args: ["remove-user", "ann@acme.com", "--yes"],
    message: "ann@acme.com is the last member of Administrators: without them nobody could sign in to administer the organization through SSO.",
  },
  { input: "doctor --credentials-file", bad: "a directory", setup: "mkdir -p project/creds-dir", args: ["doctor", "--offline", "--credentials-file", "creds-dir"], message: "Cannot read the AWS credentials file: it is a directory, not a file." },
];
