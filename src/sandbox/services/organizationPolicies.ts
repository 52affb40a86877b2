/**
 * Emulated Organizations policies (service control policies) and their enforcement, as the
 * Organizations API reference and user guide describe them (docs/aws-facts.md, Guardrails):
 * - EnablePolicyType / DisablePolicyType on the root, asynchronous (`PENDING_ENABLE` → `ENABLED`
 *   in ListRoots' `PolicyTypes`); enabling SCPs attaches the AWS-managed `FullAWSAccess` to the
 *   root and every account (and to accounts created later); disabling detaches every SCP;
 * - Create/Describe/Update/Delete/ListPolicies, Attach/Detach, ListPoliciesForTarget,
 *   ListTargetsForPolicy, ListTagsForResource, with AWS's limits (content ≤ 5,120 characters,
 *   at most 5 and at least 1 SCP per target, 1,000 policies of a type) and errors;
 * - LeaveOrganization, whose caller (a member account's role credentials from AssumeRole) is
 *   judged by the SCPs on the root and on its account: a Deny that matches, or no Allow at some
 *   level, answers AccessDeniedException. SCPs never restrict the management account.
 */
import { accessKeyFromAuthorization } from "../protocols.js";
import { newId, type Organization, type SandboxState } from "../state.js";
import { AwsError, type CallContext, type ServiceOperations } from "../types.js";
import { optionalString, organizationsInvalid as invalid, pageOf, requireString } from "./validate.js";

const SCP = "SERVICE_CONTROL_POLICY";
export const FULL_AWS_ACCESS_ID = "p-FullAWSAccess";
const FULL_AWS_ACCESS_CONTENT = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, null, 4);
/** "Maximum size of a service control policy document: 5,120 characters" (Organizations quotas). */
const SCP_MAX_CHARACTERS = 5120;
/** "Maximum number of SCPs attached to a root, OU or account: 5"; "Policies of a type: 1,000" (quotas). */
const MAX_SCPS_PER_TARGET = 5;
const MAX_POLICIES_PER_TYPE = 1000;
const ORGANIZATIONS_MAX_PAGE = 20;
/** "A newly created account has a waiting period ... at least four days after the account was created" (LeaveOrganization). */
const LEAVE_WAIT_MS = 4 * 24 * 3600 * 1000;

const POLICY_TYPES = [
  "SERVICE_CONTROL_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "TAG_POLICY",
  "BACKUP_POLICY",
  "AISERVICES_OPT_OUT_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
  "SECURITYHUB_POLICY",
  "INSPECTOR_POLICY",
  "UPGRADE_ROLLOUT_POLICY",
  "BEDROCK_POLICY",
  "S3_POLICY",
  "NETWORK_SECURITY_DIRECTOR_POLICY",
] as const;

export interface OrgPolicy {
  Id: string;
  Arn: string;
  Name: string;
  Description: string;
  Type: string;
  AwsManaged: boolean;
  Content: string;
  tags: { Key: string; Value: string }[];
}

export interface PolicyWorld {
  policies: Map<string, OrgPolicy>;
  /** Target id (root or account) → attached policy ids, in attachment order. */
  attachments: Map<string, string[]>;
  /** Policy types of the root: status and when a pending change settles. */
  rootTypes: Map<string, { status: "ENABLED" | "PENDING_ENABLE" | "PENDING_DISABLE"; settlesAt: number }>;
}

/** The policy world of this sandbox, made on first use (with the AWS-managed FullAWSAccess). */
export function policyWorld(state: SandboxState): PolicyWorld {
  if (!state.policies) {
    state.policies = { policies: new Map(), attachments: new Map(), rootTypes: new Map() };
    state.policies.policies.set(FULL_AWS_ACCESS_ID, {
      Id: FULL_AWS_ACCESS_ID,
      Arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
      Name: "FullAWSAccess",
      Description: "Allows access to every operation",
      Type: SCP,
      AwsManaged: true,
      Content: FULL_AWS_ACCESS_CONTENT,
      tags: [],
    });
  }
  return state.policies;
}

const notInUse = () =>
  new AwsError(
    "AWSOrganizationsNotInUseException",
    "Your account is not a member of an organization. To make this request, you must use the credentials of an account that belongs to an organization.",
    400,
  );

const accessDenied = (message = "You don't have permissions to perform the requested operation.") => new AwsError("AccessDeniedException", message, 400);

const constraint = (reason: string, message: string) => new AwsError("ConstraintViolationException", message, 400, { Reason: reason });

/** Who signed the request: a role session the emulator issued (in its account), else the scenario's caller. */
function signerAccount(ctx: CallContext): { accountId: string; roleName?: string; sessionName?: string } {
  const header = ctx.headers.authorization;
  const keyId = accessKeyFromAuthorization(Array.isArray(header) ? header[0] : header);
  const session = keyId ? ctx.state.roleSessions.get(keyId) : undefined;
  if (session) {
    if (session.expiresAt <= ctx.now()) throw new AwsError("ExpiredTokenException", "The security token included in the request is expired", 400);
    return { accountId: session.accountId, roleName: session.roleName, sessionName: session.userName };
  }
  return { accountId: ctx.state.caller.accountId };
}

/** Policy calls are for the management account (or a delegated administrator, not emulated). */
function managed(ctx: CallContext): Organization {
  const { state } = ctx;
  if (state.caller.kind === "member") throw state.foreignOrganization ? accessDenied() : notInUse();
  if (!state.organization) throw notInUse();
  if (signerAccount(ctx).accountId !== state.managementAccount.Id) {
    throw accessDenied("You don't have permissions to perform the requested operation. This operation can be called only from the organization's management account.");
  }
  return state.organization;
}

function typeStatus(state: SandboxState, type: string, now: number): "ENABLED" | "PENDING_ENABLE" | "PENDING_DISABLE" | undefined {
  const world = policyWorld(state);
  const entry = world.rootTypes.get(type);
  if (!entry) return undefined;
  if (entry.settlesAt > now) return entry.status;
  if (entry.status === "PENDING_DISABLE") {
    world.rootTypes.delete(type);
    return undefined;
  }
  entry.status = "ENABLED";
  return "ENABLED";
}

/** The root's PolicyTypes member, as ListRoots and Enable/DisablePolicyType answer it. */
export function rootPolicyTypes(state: SandboxState, now: number): { Type: string; Status: string }[] {
  const out: { Type: string; Status: string }[] = [];
  for (const type of [...policyWorld(state).rootTypes.keys()]) {
    const status = typeStatus(state, type, now);
    if (status) out.push({ Type: type, Status: status });
  }
  return out;
}

function rootOut(state: SandboxState, org: Organization, now: number, override?: { Type: string; Status: string }) {
  const types = rootPolicyTypes(state, now).filter((t) => t.Type !== override?.Type);
  if (override && override.Status !== "") types.push(override);
  return { Id: org.rootId, Arn: `arn:aws:organizations::${org.MasterAccountId}:root/${org.Id}/${org.rootId}`, Name: "Root", PolicyTypes: types };
}

function scpEnabled(state: SandboxState, now: number): boolean {
  return typeStatus(state, SCP, now) === "ENABLED";
}

/**
 * Policies attached to a target. An account that has never been looked at while SCPs are
 * enabled starts with FullAWSAccess, as AWS attaches it to every account, including ones created
 * or invited later (Organizations user guide, "Enabling a policy type").
 */
function attachedTo(state: SandboxState, targetId: string): string[] {
  const world = policyWorld(state);
  let list = world.attachments.get(targetId);
  if (!list) {
    list = world.rootTypes.has(SCP) ? [FULL_AWS_ACCESS_ID] : [];
    world.attachments.set(targetId, list);
  }
  return list;
}

/** How many policies of `type` the attachment list `ids` holds (AWS's per-target limits count by type). */
function countOfType(state: SandboxState, ids: string[], type: string): number {
  const { policies } = policyWorld(state);
  return ids.filter((id) => policies.get(id)?.Type === type).length;
}

const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
const TARGET_ID = /^(r-[0-9a-z]{4,32})$|^(\d{12})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

function findPolicy(state: SandboxState, input: Record<string, unknown>): OrgPolicy {
  const id = requireString(input, "PolicyId", { max: 130, pattern: POLICY_ID }, invalid);
  const policy = policyWorld(state).policies.get(id);
  if (!policy) throw new AwsError("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.", 400);
  return policy;
}

function findTarget(state: SandboxState, org: Organization, input: Record<string, unknown>): { id: string; name: string; type: "ROOT" | "ACCOUNT"; arn: string } {
  const id = requireString(input, "TargetId", { max: 100, pattern: TARGET_ID }, invalid);
  if (id === org.rootId) return { id, name: "Root", type: "ROOT", arn: `arn:aws:organizations::${org.MasterAccountId}:root/${org.Id}/${org.rootId}` };
  const account = state.accounts.get(id);
  if (!account) throw new AwsError("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.", 400);
  return { id, name: account.Name, type: "ACCOUNT", arn: account.Arn };
}

function policyType(input: Record<string, unknown>, field: string): string {
  return requireString(input, field, { oneOf: POLICY_TYPES }, invalid);
}

function summaryOut(p: OrgPolicy) {
  return { Id: p.Id, Arn: p.Arn, Name: p.Name, Description: p.Description, Type: p.Type, AwsManaged: p.AwsManaged };
}

function policyOut(p: OrgPolicy) {
  return { PolicySummary: summaryOut(p), Content: p.Content };
}

const malformed = (why: string) => new AwsError("MalformedPolicyDocumentException", `The provided policy document doesn't meet the requirements of the specified policy type. ${why}`, 400);

/**
 * SCP syntax (Organizations user guide, "SCP syntax"): JSON with Version and Statement; each
 * statement has Effect Allow|Deny, Action or NotAction, and no Principal or NotPrincipal.
 */
function checkScpContent(content: string): void {
  if (content.length > SCP_MAX_CHARACTERS) {
    throw constraint("POLICY_CONTENT_LIMIT_EXCEEDED", `The policy content exceeds the maximum size of ${SCP_MAX_CHARACTERS} characters.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw malformed("The policy is not valid JSON.");
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw malformed("The policy must be a JSON object.");
  const { Version, Statement } = doc as Record<string, unknown>;
  if (Version !== undefined && Version !== "2012-10-17" && Version !== "2008-10-17") throw malformed("Version is not valid.");
  const statements = Array.isArray(Statement) ? Statement : [Statement];
  if (Statement === undefined || statements.length === 0) throw malformed("The policy has no Statement.");
  for (const s of statements) {
    if (!s || typeof s !== "object") throw malformed("A statement must be an object.");
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") throw malformed("Effect must be Allow or Deny.");
    if ((st.Action === undefined) === (st.NotAction === undefined)) throw malformed("A statement needs exactly one of Action or NotAction.");
    if (st.Principal !== undefined || st.NotPrincipal !== undefined) throw malformed("SCPs don't support Principal or NotPrincipal.");
  }
}

function tagsOf(input: Record<string, unknown>): { Key: string; Value: string }[] {
  const tags = input.Tags;
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw invalid("Tags must be a list.", "INVALID_INPUT");
  if (tags.length > 50) throw constraint("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum number of tags allowed on this resource.");
  return tags.map((t: Record<string, unknown>) => ({
    Key: requireString(t, "Key", { min: 1, max: 128 }, invalid),
    Value: optionalString(t, "Value", { max: 256 }, invalid) ?? "",
  }));
}

function nameTaken(world: PolicyWorld, type: string, name: string, except?: string): boolean {
  return [...world.policies.values()].some((p) => p.Type === type && p.Name === name && p.Id !== except);
}

const duplicatePolicy = () => new AwsError("DuplicatePolicyException", "A policy with the same name already exists.", 400);

// ---- policy evaluation, for the one call that a guardrail must be seen to stop ----

/** `*` and `?` wildcards, case-insensitive, as IAM matches action names. */
function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return re.test(value);
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * Conditions on the keys a request to LeaveOrganization carries (aws:RequestedRegion,
 * aws:PrincipalArn). An operator or key we do not model makes the statement not apply: a
 * sandbox that denied more than AWS would hide a bug as surely as one that denied less.
 */
function conditionsHold(condition: unknown, keys: Record<string, string>): boolean {
  if (condition === undefined) return true;
  if (!condition || typeof condition !== "object") return false;
  for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
    if (!block || typeof block !== "object") return false;
    for (const [rawKey, wanted] of Object.entries(block as Record<string, unknown>)) {
      const value = keys[rawKey.toLowerCase()];
      if (value === undefined) return false;
      const values = list(wanted);
      const equals = values.some((w) => w === value);
      const like = values.some((w) => wildcard(w, value));
      const ok: Record<string, boolean> = {
        StringEquals: equals,
        StringNotEquals: !equals,
        StringLike: like,
        StringNotLike: !like,
        ArnEquals: equals,
        ArnLike: like,
        ArnNotEquals: !equals,
        ArnNotLike: !like,
      };
      if (!(operator in ok) || !ok[operator]) return false;
    }
  }
  return true;
}

function statementMatches(st: Record<string, unknown>, action: string, keys: Record<string, string>): boolean {
  const actionMatch = st.Action !== undefined ? list(st.Action).some((a) => wildcard(a, action)) : !list(st.NotAction).some((a) => wildcard(a, action));
  return actionMatch && conditionsHold(st.Condition, keys);
}

/**
 * SCP evaluation (IAM user guide, "Policy evaluation logic", SCPs): at every level from the root
 * to the account, some attached SCP must allow the action, and no attached SCP may deny it.
 */
export function scpDecision(state: SandboxState, accountId: string, action: string, keys: Record<string, string>): "allow" | "explicit-deny" | "implicit-deny" {
  const org = state.organization;
  if (!org || accountId === state.managementAccount.Id || !scpEnabled(state, Date.now())) return "allow";
  const world = policyWorld(state);
  let decision: "allow" | "explicit-deny" | "implicit-deny" = "allow";
  for (const target of [org.rootId, accountId]) {
    let allowed = false;
    for (const id of attachedTo(state, target)) {
      const policy = world.policies.get(id);
      if (!policy || policy.Type !== SCP) continue;
      const doc = JSON.parse(policy.Content) as { Statement: unknown };
      const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Record<string, unknown>[];
      for (const st of statements) {
        if (!statementMatches(st, action, keys)) continue;
        if (st.Effect === "Deny") return "explicit-deny";
        allowed = true;
      }
    }
    if (!allowed) decision = "implicit-deny";
  }
  return decision;
}

function leaveOrganization(_input: Record<string, unknown>, ctx: CallContext) {
  const { state } = ctx;
  const signer = signerAccount(ctx);
  if (!signer.roleName) {
    if (state.caller.kind === "member" && state.foreignOrganization) {
      // A member of an organization managed elsewhere (no SCPs modelled there) leaves it.
      state.foreignOrganization = undefined;
      return {};
    }
    if (!state.organization) throw notInUse();
    throw new AwsError("MasterCannotLeaveOrganizationException", "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization.", 400);
  }
  const account = state.accounts.get(signer.accountId);
  if (!state.organization || !account) throw notInUse();
  const principalArn = `arn:aws:iam::${signer.accountId}:role/${signer.roleName}`;
  const callerArn = `arn:aws:sts::${signer.accountId}:assumed-role/${signer.roleName}/${signer.sessionName ?? "session"}`;
  const decision = scpDecision(state, signer.accountId, "organizations:LeaveOrganization", {
    "aws:requestedregion": ctx.region,
    "aws:principalarn": principalArn,
  });
  if (decision !== "allow") {
    const how = decision === "explicit-deny" ? "with an explicit deny in a service control policy" : "because no service control policy allows the organizations:LeaveOrganization action";
    throw accessDenied(`User: ${callerArn} is not authorized to perform: organizations:LeaveOrganization on resource: ${account.Arn} ${how}`);
  }
  if (account.JoinedMethod === "CREATED" && ctx.now() - account.JoinedTimestamp < LEAVE_WAIT_MS) {
    throw constraint("WAIT_PERIOD_ACTIVE", "You can't remove a newly created account from the organization until at least four days after it was created.");
  }
  state.accounts.delete(account.Id);
  policyWorld(state).attachments.delete(account.Id);
  return {};
}

export const organizationPolicyOperations: ServiceOperations = {
  EnablePolicyType: {
    mutating: true,
    handle: (input, ctx) => {
      const rootId = requireString(input, "RootId", { max: 34, pattern: /^r-[0-9a-z]{4,32}$/ }, invalid);
      const type = policyType(input, "PolicyType");
      const org = managed(ctx);
      if (rootId !== org.rootId) throw new AwsError("RootNotFoundException", "We can't find a root with the RootId that you specified.", 400);
      if (org.FeatureSet !== "ALL") {
        throw new AwsError("PolicyTypeNotAvailableForOrganizationException", "You can't use this policy type in this organization: it needs all features enabled.", 400);
      }
      const now = ctx.now();
      const status = typeStatus(ctx.state, type, now);
      if (status === "ENABLED" || status === "PENDING_ENABLE") {
        throw new AwsError("PolicyTypeAlreadyEnabledException", "The specified policy type is already enabled.", 400);
      }
      if (status === "PENDING_DISABLE") throw new AwsError("PolicyChangesInProgressException", "Changes to the policy type are still in progress. Try again later.", 400);
      const world = policyWorld(ctx.state);
      world.rootTypes.set(type, { status: "PENDING_ENABLE", settlesAt: now + (ctx.state.timings.policyTypeMs ?? 0) });
      if (type === SCP) {
        // FullAWSAccess goes onto the root and every account (accounts seen later get it lazily).
        world.attachments.set(org.rootId, [FULL_AWS_ACCESS_ID]);
        for (const id of ctx.state.accounts.keys()) world.attachments.set(id, [FULL_AWS_ACCESS_ID]);
      }
      // Asynchronous: the answer always says PENDING_ENABLE (EnablePolicyType, API reference).
      return { Root: rootOut(ctx.state, org, now, { Type: type, Status: "PENDING_ENABLE" }) };
    },
  },
  DisablePolicyType: {
    mutating: true,
    handle: (input, ctx) => {
      const rootId = requireString(input, "RootId", { max: 34, pattern: /^r-[0-9a-z]{4,32}$/ }, invalid);
      const type = policyType(input, "PolicyType");
      const org = managed(ctx);
      if (rootId !== org.rootId) throw new AwsError("RootNotFoundException", "We can't find a root with the RootId that you specified.", 400);
      const now = ctx.now();
      const status = typeStatus(ctx.state, type, now);
      if (status !== "ENABLED") throw new AwsError("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.", 400);
      const world = policyWorld(ctx.state);
      // "All policies of that type are automatically detached from all entities in the root" (DisablePolicyType).
      for (const [target, ids] of world.attachments) {
        world.attachments.set(target, ids.filter((id) => world.policies.get(id)?.Type !== type));
      }
      const delay = ctx.state.timings.policyTypeMs ?? 0;
      if (delay > 0) world.rootTypes.set(type, { status: "PENDING_DISABLE", settlesAt: now + delay });
      else world.rootTypes.delete(type);
      return { Root: rootOut(ctx.state, org, now, delay > 0 ? { Type: type, Status: "PENDING_DISABLE" } : undefined) };
    },
  },
  CreatePolicy: {
    mutating: true,
    handle: (input, ctx) => {
      const content = requireString(input, "Content", { min: 1 }, invalid);
      if (typeof input.Description !== "string") throw invalid("1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null", "INPUT_REQUIRED");
      const description = optionalString(input, "Description", { max: 512 }, invalid) ?? "";
      const name = requireString(input, "Name", { min: 1, max: 128 }, invalid);
      const type = policyType(input, "Type");
      const tags = tagsOf(input);
      const org = managed(ctx);
      const world = policyWorld(ctx.state);
      if (type === SCP) checkScpContent(content);
      if (nameTaken(world, type, name)) throw duplicatePolicy();
      if ([...world.policies.values()].filter((p) => p.Type === type && !p.AwsManaged).length >= MAX_POLICIES_PER_TYPE) {
        throw constraint("POLICY_NUMBER_LIMIT_EXCEEDED", "You have exceeded the number of policies of this type allowed in the organization.");
      }
      const id = `p-${newId("", 10)}`;
      const policy: OrgPolicy = {
        Id: id,
        Arn: `arn:aws:organizations::${org.MasterAccountId}:policy/${org.Id}/${type.toLowerCase()}/${id}`,
        Name: name,
        Description: description,
        Type: type,
        AwsManaged: false,
        Content: content,
        tags,
      };
      world.policies.set(id, policy);
      return { Policy: policyOut(policy) };
    },
  },
  DescribePolicy: {
    mutating: false,
    handle: (input, ctx) => {
      managed(ctx);
      return { Policy: policyOut(findPolicy(ctx.state, input)) };
    },
  },
  UpdatePolicy: {
    mutating: true,
    handle: (input, ctx) => {
      const name = optionalString(input, "Name", { min: 1, max: 128 }, invalid);
      const description = optionalString(input, "Description", { max: 512 }, invalid);
      const content = optionalString(input, "Content", { min: 1 }, invalid);
      managed(ctx);
      const policy = findPolicy(ctx.state, input);
      if (policy.AwsManaged) throw accessDenied("You can't modify an AWS managed policy.");
      if (content !== undefined && policy.Type === SCP) checkScpContent(content);
      if (name !== undefined && nameTaken(policyWorld(ctx.state), policy.Type, name, policy.Id)) throw duplicatePolicy();
      if (name !== undefined) policy.Name = name;
      if (description !== undefined) policy.Description = description;
      if (content !== undefined) policy.Content = content;
      return { Policy: policyOut(policy) };
    },
  },
  DeletePolicy: {
    mutating: true,
    handle: (input, ctx) => {
      managed(ctx);
      const policy = findPolicy(ctx.state, input);
      if (policy.AwsManaged) throw accessDenied("You can't delete an AWS managed policy.");
      const world = policyWorld(ctx.state);
      if ([...world.attachments.values()].some((ids) => ids.includes(policy.Id))) {
        throw new AwsError("PolicyInUseException", "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.", 400);
      }
      world.policies.delete(policy.Id);
      return {};
    },
  },
  ListPolicies: {
    mutating: false,
    handle: (input, ctx) => {
      const type = policyType(input, "Filter");
      managed(ctx);
      const all = [...policyWorld(ctx.state).policies.values()].filter((p) => p.Type === type).map(summaryOut);
      const { page, nextToken } = pageOf(all, input, ORGANIZATIONS_MAX_PAGE, ctx.state, invalid);
      return { Policies: page, NextToken: nextToken };
    },
  },
  AttachPolicy: {
    mutating: true,
    handle: (input, ctx) => {
      const org = managed(ctx);
      const policy = findPolicy(ctx.state, input);
      const target = findTarget(ctx.state, org, input);
      if (typeStatus(ctx.state, policy.Type, ctx.now()) !== "ENABLED") {
        throw new AwsError("PolicyTypeNotEnabledException", "This operation can be performed only for enabled policy types.", 400);
      }
      const ids = attachedTo(ctx.state, target.id);
      if (ids.includes(policy.Id)) throw new AwsError("DuplicatePolicyAttachmentException", "The selected policy is already attached to the specified target.", 400);
      if (countOfType(ctx.state, ids, policy.Type) >= MAX_SCPS_PER_TARGET) {
        throw constraint("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", `You attempted to attach more than ${MAX_SCPS_PER_TARGET} policies of this type to the target.`);
      }
      ids.push(policy.Id);
      return {};
    },
  },
  DetachPolicy: {
    mutating: true,
    handle: (input, ctx) => {
      const org = managed(ctx);
      const policy = findPolicy(ctx.state, input);
      const target = findTarget(ctx.state, org, input);
      const ids = attachedTo(ctx.state, target.id);
      if (!ids.includes(policy.Id)) throw new AwsError("PolicyNotAttachedException", "The policy isn't attached to the specified target in the specified root.", 400);
      if (policy.Type === SCP && countOfType(ctx.state, ids, SCP) <= 1) {
        throw constraint("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You attempted to detach the last service control policy from a target: every root, OU and account must have at least one.");
      }
      policyWorld(ctx.state).attachments.set(target.id, ids.filter((id) => id !== policy.Id));
      return {};
    },
  },
  ListPoliciesForTarget: {
    mutating: false,
    handle: (input, ctx) => {
      const type = policyType(input, "Filter");
      const org = managed(ctx);
      const target = findTarget(ctx.state, org, input);
      const world = policyWorld(ctx.state);
      const found = attachedTo(ctx.state, target.id)
        .map((id) => world.policies.get(id))
        .filter((p): p is OrgPolicy => p !== undefined && p.Type === type)
        .map(summaryOut);
      const { page, nextToken } = pageOf(found, input, ORGANIZATIONS_MAX_PAGE, ctx.state, invalid);
      return { Policies: page, NextToken: nextToken };
    },
  },
  ListTargetsForPolicy: {
    mutating: false,
    handle: (input, ctx) => {
      const org = managed(ctx);
      const policy = findPolicy(ctx.state, input);
      const targets = [org.rootId, ...ctx.state.accounts.keys()]
        .filter((id) => attachedTo(ctx.state, id).includes(policy.Id))
        .map((id) => {
          const t = findTarget(ctx.state, org, { TargetId: id });
          return { TargetId: t.id, Arn: t.arn, Name: t.name, Type: t.type };
        });
      const { page, nextToken } = pageOf(targets, input, ORGANIZATIONS_MAX_PAGE, ctx.state, invalid);
      return { Targets: page, NextToken: nextToken };
    },
  },
  ListTagsForResource: {
    mutating: false,
    handle: (input, ctx) => {
      const id = requireString(input, "ResourceId", { max: 130 }, invalid);
      managed(ctx);
      const policy = policyWorld(ctx.state).policies.get(id);
      if (!policy) throw new AwsError("TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.", 400);
      const { page, nextToken } = pageOf(policy.tags, input, ORGANIZATIONS_MAX_PAGE, ctx.state, invalid);
      return { Tags: page, NextToken: nextToken };
    },
  },
  LeaveOrganization: { mutating: true, handle: leaveOrganization },
};
