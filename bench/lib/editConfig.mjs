/**
 * Run by figure 6 as its own process: plans init's edit of the config file given as argument (the
 * `[sso-session acme]` block and three profiles, with --force) and writes it, with the functions
 * the CLI uses (dist/local/fileChange.js). Prints what it did as JSON.
 */
import { applyFileChange, planAwsConfigChange } from "../../dist/local/fileChange.js";

const [configFile] = process.argv.slice(2);
const profile = (stage, id) => ({
  kind: "profile",
  name: `acme-${stage}`,
  values: { sso_session: "acme", sso_account_id: id, sso_role_name: "AdministratorAccess", region: "us-east-1" },
});
const sections = [
  { kind: "sso-session", name: "acme", values: { sso_start_url: "https://d-1234567890.awsapps.com/start", sso_region: "us-east-1", sso_registration_scopes: "sso:account:access" } },
  profile("dev", "222222222222"),
  profile("production", "333333333333"),
  profile("management", "111111111111"),
];
const planned = await planAwsConfigChange({ configFile, sections, force: true });
const applied = await applyFileChange(planned);
process.stdout.write(`${JSON.stringify({ status: planned.status, conflicts: planned.conflicts.length, diffLines: planned.diff.split("\n").length, written: applied.written })}\n`);
