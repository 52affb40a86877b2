/**
 * Trust policies, as emulated IAM checks them when a role is created or its trust policy changed,
 * and as emulated STS evaluates them for AssumeRoleWithWebIdentity
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 *
 * Kept: Allow/Deny statements, `Action` (string or list, `*` wildcards), `Principal.Federated`,
 * the condition operators StringEquals, StringLike, StringNotEquals, StringNotLike (with
 * `IfExists`), values as a string or a list (any one matches), and `<issuer>:<claim>` keys read
 * from the token's claims. An operator we do not model makes its statement never match, so
 * nothing is let in by accident.
 *
 * IAM's secure-by-default rule for shared OIDC providers such as GitHub's: a role trusted by the
 * provider must condition on `:sub` (or `:job_workflow_ref`) with StringEquals/StringLike, not
 * scoped to everything, or CreateRole and UpdateAssumeRolePolicy answer MalformedPolicyDocument
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html; docs/aws-facts.md).
 */
import { malformedPolicy } from "./iamState.js";

type Values = string | string[];
interface Statement {
  Effect: "Allow" | "Deny";
  Action: Values;
  Principal?: { Federated?: Values; AWS?: Values; Service?: Values } | "*";
  Condition?: Record<string, Record<string, Values>>;
}

/** Shared OIDC providers AWS applies the `:sub` rule to (GitHub's is the one this product uses). */
const SHARED_PROVIDERS = ["token.actions.githubusercontent.com"];
const SCOPING_CLAIMS = ["sub", "job_workflow_ref"];

const list = (v: Values | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Parses a trust policy the way IAM refuses a bad one: invalid JSON, no statements, statements without Effect/Action/Principal. */
export function parseTrustPolicy(text: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("This policy contains invalid Json");
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw malformedPolicy("Syntax errors in policy.");
  const raw = (doc as { Statement?: unknown }).Statement;
  const statements = Array.isArray(raw) ? raw : raw && typeof raw === "object" ? [raw] : [];
  if (statements.length === 0) throw malformedPolicy("Syntax errors in policy.");
  for (const s of statements as Statement[]) {
    if (!s || typeof s !== "object" || (s.Effect !== "Allow" && s.Effect !== "Deny")) throw malformedPolicy("Syntax errors in policy.");
    if (list(s.Action).length === 0) throw malformedPolicy("Syntax errors in policy.");
    if (s.Principal === undefined) throw malformedPolicy("AssumeRolepolicy contained an invalid principal: Principal is missing.");
    if (s.Condition !== undefined && (typeof s.Condition !== "object" || Array.isArray(s.Condition))) throw malformedPolicy("Syntax errors in policy.");
  }
  return statements as Statement[];
}

/** The OIDC provider host a federated principal ARN names (`arn:aws:iam::<acct>:oidc-provider/<host>`). */
export function providerHost(principalArn: string): string | undefined {
  return /^arn:aws:iam::\d{12}:oidc-provider\/(.+)$/.exec(principalArn)?.[1];
}

export function federatedPrincipals(s: Statement): string[] {
  return s.Principal && s.Principal !== "*" ? list(s.Principal.Federated) : [];
}

const actionMatches = (patterns: string[], action: string) => patterns.some((p) => globMatch(p.toLowerCase(), action.toLowerCase()));

/** A value that lets any subject in: only wildcards and GitHub's fixed `repo:` and `:` around them. */
function matchesEverything(value: string): boolean {
  return value.replace(/[*?]/g, "").replace(/^repo:/, "").replace(/:/g, "") === "";
}

/**
 * IAM's refusal of a role trusted by a shared provider without a `:sub` condition. `providerExists`
 * checks each federated principal against the account's providers: IAM refuses a trust policy
 * naming a provider that does not exist.
 */
export function checkTrustPolicy(text: string, providerExists: (arn: string) => boolean): void {
  const statements = parseTrustPolicy(text);
  for (const s of statements) {
    for (const principal of federatedPrincipals(s)) {
      const host = providerHost(principal);
      if (host && !providerExists(principal)) throw malformedPolicy(`Invalid principal in policy: "Federated":"${principal}"`);
      if (!host || s.Effect !== "Allow" || !SHARED_PROVIDERS.includes(host)) continue;
      if (!actionMatches(list(s.Action), "sts:AssumeRoleWithWebIdentity")) continue;
      const scoped = Object.entries(s.Condition ?? {}).some(([operator, keys]) =>
        /^String(Equals|Like)$/.test(operator) &&
        Object.entries(keys ?? {}).some(([key, values]) => {
          const [keyHost, claim] = splitKey(key);
          return keyHost === host && SCOPING_CLAIMS.includes(claim) && list(values).length > 0 && !list(values).some(matchesEverything);
        }),
      );
      if (!scoped) {
        throw malformedPolicy(
          `Trust policy of a role federated with ${host} must restrict ${host}:sub (or ${host}:job_workflow_ref) with StringEquals or StringLike to specific subjects.`,
        );
      }
    }
  }
}

function splitKey(key: string): [string, string] {
  const i = key.lastIndexOf(":");
  return i < 0 ? ["", key.toLowerCase()] : [key.slice(0, i).toLowerCase(), key.slice(i + 1).toLowerCase()];
}

/** `*` any run, `?` one character; everything else literal (IAM's StringLike). */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
  return re.test(value);
}

function conditionHolds(operator: string, keys: Record<string, Values>, claimOf: (key: string) => string[] | undefined): boolean {
  const m = /^(StringEquals|StringLike|StringNotEquals|StringNotLike)(IfExists)?$/.exec(operator);
  if (!m) return false;
  const [, op, ifExists] = m;
  return Object.entries(keys ?? {}).every(([key, expected]) => {
    const actual = claimOf(key);
    if (actual === undefined) return op.startsWith("StringNot") || Boolean(ifExists);
    const match = (a: string) => list(expected).some((e) => (op.endsWith("Like") ? globMatch(e, a) : e === a));
    return op.startsWith("StringNot") ? !actual.some(match) : actual.some(match);
  });
}

/**
 * Does this trust policy let a token from `providerArn` with these claims assume the role with
 * AssumeRoleWithWebIdentity? Allowed when an Allow statement matches and no Deny statement does.
 */
export function allowsWebIdentity(text: string, providerArn: string, claims: Record<string, unknown>): boolean {
  let statements: Statement[];
  try {
    statements = parseTrustPolicy(text);
  } catch {
    return false;
  }
  const host = providerHost(providerArn)?.toLowerCase();
  const claimOf = (key: string): string[] | undefined => {
    const [keyHost, claim] = splitKey(key);
    if (keyHost !== host) return undefined;
    const value = claims[claim];
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value.map(String) : [String(value)];
  };
  const applies = (s: Statement) =>
    actionMatches(list(s.Action), "sts:AssumeRoleWithWebIdentity") &&
    federatedPrincipals(s).includes(providerArn) &&
    Object.entries(s.Condition ?? {}).every(([operator, keys]) => conditionHolds(operator, keys, claimOf));
  return statements.some((s) => s.Effect === "Allow" && applies(s)) && !statements.some((s) => s.Effect === "Deny" && applies(s));
}
