/**
 * `org-bootstrap close-account <stage>`: closes member account `<org>-<stage>` after a typed
 * confirmation of its name (or `--yes --confirm NAME` unattended), explains what AWS does next
 * (suspension, 90 days to reopen, the closure quota), then removes the `[profile <org>-<stage>]`
 * block and the stage from the sst.config.ts selector. Idempotent: an account already closing
 * or gone makes no AWS call, and the local clean-up is simply (re)done.
 */
import { CancelledError, UserError } from "../errors.js";
import { explainAwsError } from "../aws/errors.js";
import { applyCloseAccount, CLOSING_STATES, observeCloseAccount } from "../workflows/closeAccount.js";
import type { MemberAccount } from "../aws/organizations.js";
import { planAwsConfigRemoval, planSstConfigChange, type FileChange } from "../local/fileChange.js";
import { loadOrgConfig, type OrgConfig } from "../local/orgConfig.js";
import { validateStage } from "../plan/desired.js";
import { closeAccountExplanation } from "../ui/accountPlan.js";
import { renderFileChange } from "../ui/diff.js";
import { applyFiles } from "./init.js";
import { dayTwoFlags, projectDirFlag, stringFlag, type DayTwoOptions } from "./dayTwoFlags.js";
import { openManagementContext } from "./managementAccess.js";
import type { CommandInput } from "./types.js";

export interface CloseAccountOptions extends DayTwoOptions {
  stage: string;
  /** `--confirm NAME`: the account name, typed in advance for unattended runs. */
  confirm?: string;
  projectDir: string;
  home: string;
}

export interface CloseAccountSummary {
  stage: string;
  accountName: string;
  accountId?: string;
  /** closed: CloseAccount accepted now; already-closing / not-found: no AWS call was needed. */
  aws: "closed" | "already-closing" | "not-found";
  files: { path: string; label: string; status: string; backup?: string }[];
}

async function planFiles(o: CloseAccountOptions, config: OrgConfig, stage: string): Promise<FileChange[]> {
  const changes = await Promise.all([
    planAwsConfigRemoval({ configFile: o.configFile, kind: "profile", name: `${config.orgName}-${stage}`, home: o.home }),
    // Only the closed stage leaves the selector; every other entry stays as it is.
    planSstConfigChange({ projectDir: o.projectDir, org: config.orgName, stages: [], drop: [stage] }),
  ]);
  return (
    changes
      // No sst.config.ts: nothing to take the stage out of (unlike init, no snippet to offer).
      .filter((c) => !(c.status === "skipped" && c.before === null))
      // A profile the person wrote in sst.config.ts is theirs to change; the closure does not wait on it.
      .map((c) =>
        c.status === "conflict" && c.label === "sst.config.ts"
          ? { ...c, status: "skipped" as const, conflicts: [], message: `sst.config.ts selects a profile of its own; left as it is (take stage ${stage} out of it yourself).`, snippet: undefined }
          : c,
      )
  );
}

/** The typed confirmation: `--confirm` must match; otherwise a person types the name. */
async function confirmName(o: CloseAccountOptions, account: MemberAccount): Promise<void> {
  if (o.confirm !== undefined) {
    if (o.confirm !== account.name) throw new UserError(`--confirm ${o.confirm} does not match the account name ${account.name}; nothing was closed.`, `Run: org-bootstrap close-account ${o.stage} --yes --confirm ${account.name}`);
    if (o.yes || !o.interactive) return;
  }
  if (!o.interactive) {
    throw new UserError(`Closing ${account.name} needs a typed confirmation, and there is no terminal to type it on.`, `Run: org-bootstrap close-account ${o.stage} --yes --confirm ${account.name}`);
  }
  const typed = await o.prompter.text(
    { message: `Type the account name (${account.name}) to close account ${account.id}`, placeholder: account.name },
  );
  if (typed !== account.name) throw new CancelledError(`"${typed}" is not ${account.name}; nothing was closed.`);
}

export async function closeAccount(o: CloseAccountOptions): Promise<CloseAccountSummary | undefined> {
  const { out } = o;
  const config = await loadOrgConfig(o.configFile, { orgName: o.orgName, ssoSession: o.ssoSession });
  // A stage with a profile in the config can always be closed (older versions allowed other
  // names); any other name must be one init and add-account accept.
  const profile = config.profiles.find((p) => p.stage === o.stage);
  const stage = profile ? o.stage : validateStage(o.stage, "<stage>");
  const accountName = `${config.orgName}-${stage}`;

  const org = await openManagementContext({ ...o, config });
  const account = await observeCloseAccount(org, accountName, profile?.accountId).catch((err: unknown) => {
    throw explainAwsError(err, "Listing the organization's accounts");
  });
  if (account?.id === org.organization.managementAccountId) {
    throw new UserError(`${account.name} is the management account; it cannot be closed with the API.`, "Close member accounts only.");
  }
  if (!account && !profile) {
    throw new UserError(`There is no account ${accountName} in the organization and no profile ${accountName} in ${config.file}.`, "Run org-bootstrap status to see the stages.");
  }

  const closing = account && CLOSING_STATES.has(account.state);
  if (!account) out.line(`No account ${accountName} in the organization (any more); only the local files are cleaned up.`);
  else if (closing) out.line(`Account ${account.name} (${account.id}) is already ${account.state}; only the local files are cleaned up.`);
  else out.line(`${out.style("red", "- close")}  Account ${account.name} (${account.id}, ${account.email}), state ${account.state}`);

  const files = await planFiles(o, config, stage);
  if (o.dryRun) {
    for (const change of files) for (const l of renderFileChange(change, out)) out.line(l);
    out.line("Dry run: nothing was changed.");
    if (out.json) out.printJson({ dryRun: true, accountName, accountId: account?.id, state: account?.state, files: files.map((f) => ({ path: f.path, status: f.status })) });
    return undefined;
  }

  let aws: CloseAccountSummary["aws"] = !account ? "not-found" : "already-closing";
  if (account && !closing) {
    await confirmName(o, account);
    aws = await applyCloseAccount(org, account, { signal: o.signal });
    out.success(`Closing ${account.name} (${account.id}).`);
    for (const line of closeAccountExplanation(account.name)) out.line(`  ${line}`);
  }
  // The person already confirmed the closure; the profile and selector follow it without asking again.
  const written = await applyFiles({ out, prompter: o.prompter, force: false, interactive: o.interactive, yes: true }, files, () => planFiles(o, config, stage));
  const summary: CloseAccountSummary = { stage, accountName, ...(account ? { accountId: account.id } : {}), aws, files: written };
  if (out.json) out.printJson(summary);
  return summary;
}

export async function run(input: CommandInput): Promise<number> {
  await closeAccount({ ...dayTwoFlags(input),
    projectDir: projectDirFlag(input), stage: input.positionals[0], confirm: stringFlag(input, "confirm") });
  return 0;
}
