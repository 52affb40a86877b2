/**
 * The assignment step: give a principal a permission set in an account, or take it away, and
 * wait until AWS has done it ("assign, wait, report, fail on FAILED", for every command). At most
 * 10 assignment operations are outstanding, creations and deletions together (docs/aws-facts.md,
 * Request rates): one pool. Every wait joins one ListAccountAssignment…Status poll
 * (src/aws/ssoAdmin.ts). A FAILED operation is reported with AWS's reason and fails the step, so
 * what needs it (a user deleted after their access) does not run.
 */
import { OperationError } from "../../errors.js";
import { explainAwsError } from "../../aws/errors.js";
import { MAX_OUTSTANDING_ASSIGNMENTS, type Assignment, type AssignmentResult } from "../../aws/ssoAdmin.js";
import type { Backoff } from "../../aws/waiting.js";
import type { StepContext, StepKind } from "../executor.js";
import { IDENTITY_CENTER, needsOf, plural, resolve, type IdentityCenter, type Ref } from "./common.js";

export interface AssignmentInput {
  change: "create" | "delete";
  accountId: Ref<string>;
  permissionSetArn: Ref<string>;
  principalType: Assignment["principalType"];
  principalId: Ref<string>;
  /** For lines: "acme-dev", "AdministratorAccess", "group Administrators". */
  account: string;
  permissionSet: string;
  principal: string;
}

/** The steps an assignment needs: Identity Center and whatever its refs read. */
export function assignmentNeeds(a: AssignmentInput): string[] {
  return [...new Set([IDENTITY_CENTER, ...needsOf(a.accountId, a.permissionSetArn, a.principalId)])];
}

export interface AssignmentKindOptions {
  /** How the waits poll (default: src/aws/ssoAdmin.ts's). */
  backoff?: Backoff;
  /** Said after a failed removal: what was kept because of it ("The user was kept, …"). */
  removalFailureNote?: string;
}

export function assignmentKind(options: AssignmentKindOptions = {}): StepKind<AssignmentInput, AssignmentResult, unknown> {
  // One line for all of them: how many are still outstanding.
  const outstanding = { create: 0, delete: 0 };
  const show = (status: StepContext<unknown>["status"], change: AssignmentInput["change"]) => {
    const n = outstanding[change];
    const text = n === 0 ? undefined : change === "create" ? `Waiting for ${plural(n, "access assignment")} to finish` : `Removing ${plural(n, "access assignment")} (AWS does this asynchronously)`;
    status(text, `assignments-${change}`);
  };
  const target = (a: AssignmentInput, ctx: Pick<StepContext<unknown>, "result">): Assignment => ({
    accountId: resolve(a.accountId, ctx),
    permissionSetArn: resolve(a.permissionSetArn, ctx),
    principalType: a.principalType,
    principalId: resolve(a.principalId, ctx),
  });
  return {
    kind: "assignment",
    pool: "assignment-operations",
    concurrency: MAX_OUTSTANDING_ASSIGNMENTS,
    describe: (a) => `Access: ${a.principal} → ${a.permissionSet} in ${a.account}`,
    async apply(a, ctx) {
      const { instance, ssoAdmin } = ctx.result<IdentityCenter>(IDENTITY_CENTER);
      const assignment = target(a, ctx);
      const line = `Access: ${a.principal} → ${a.permissionSet} in ${a.account}`;
      outstanding[a.change] += 1;
      show(ctx.status, a.change);
      let result: AssignmentResult;
      try {
        result = await (a.change === "create" ? ssoAdmin.assign : ssoAdmin.unassign)(instance.instanceArn, assignment, { signal: ctx.signal, ...(options.backoff ? { backoff: options.backoff } : {}) }).catch((err: unknown) => {
          throw explainAwsError(err, a.change === "create" ? "Assigning access" : "Removing access");
        });
      } finally {
        outstanding[a.change] -= 1;
      }
      const failed = result.status === "FAILED";
      const reason = result.failureReason ?? (failed ? "no reason given" : "");
      ctx.report(a.change === "create" ? `${line}${failed ? ` FAILED (${reason})` : ""}` : `${line}: ${failed ? `FAILED (${reason})` : "removed"}`, !failed);
      show(ctx.status, a.change);
      if (!failed) return result;
      const because = result.failureReason ?? "AWS gave no reason";
      if (a.change === "delete") {
        throw new OperationError(
          `Removing ${a.permissionSet} from ${a.principal} in account ${assignment.accountId} failed: ${because}.${options.removalFailureNote ? ` ${options.removalFailureNote}` : ""}`,
          "Run the command again; what was removed stays removed.",
        );
      }
      throw new OperationError(
        `Assigning ${a.permissionSet} to ${a.principal} in account ${assignment.accountId} failed: ${because}.`,
        "AWS provisions the role in the account asynchronously and reported the reason above. Check the account is ACTIVE " +
          "(org-bootstrap status) and the assignment in IAM Identity Center → AWS accounts, then run again; finished steps are kept.",
      );
    },
    async verify(a, ctx) {
      const { instance, ssoAdmin } = ctx.result<IdentityCenter>(IDENTITY_CENTER);
      const assignment = target(a, ctx);
      const present = await ssoAdmin.hasAssignment(instance.instanceArn, assignment);
      return present === (a.change === "create") ? { ...assignment, status: "SUCCEEDED" } : undefined;
    },
  };
}
