/**
 * Request validation shared by the emulated control-plane services. Each service reports bad input
 * its own way, so the checks take a factory for the service's error:
 * - Organizations: `InvalidInputException` with a `Reason` (INPUT_REQUIRED, MAX_LENGTH_EXCEEDED,
 *   MIN_LENGTH_EXCEEDED, INVALID_PATTERN, INVALID_ENUM, INVALID_NEXT_TOKEN, ...), per the
 *   Organizations API reference "InvalidInputException";
 * - SSO Admin and Identity Store: `ValidationException` with the Smithy-style
 *   "1 validation error detected: Value ... at '...' failed to satisfy constraint: ..." message.
 */
import { paginate } from "../paging.js";
import type { SandboxState } from "../state.js";
import { AwsError } from "../types.js";

export type InvalidInput = (message: string, reason: string) => AwsError;

export const organizationsInvalid: InvalidInput = (message, reason) =>
  new AwsError("InvalidInputException", message, 400, { Reason: reason });

export const validationInvalid: InvalidInput = (message) => new AwsError("ValidationException", message, 400);

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** One of these values exactly (an enum in the API model). */
  oneOf?: readonly string[];
}

function constraint(field: string, value: unknown, text: string): string {
  return `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${text}`;
}

/** A required string member: present, within length, matching the pattern or enum. */
export function requireString(input: Record<string, unknown>, field: string, rule: StringRule, invalid: InvalidInput): string {
  const value = input[field];
  if (value === undefined || value === null || value === "") {
    throw invalid(constraint(field, null, "Member must not be null"), "INPUT_REQUIRED");
  }
  return checkString(value, field, rule, invalid);
}

/** An optional string member: checked only when present. */
export function optionalString(input: Record<string, unknown>, field: string, rule: StringRule, invalid: InvalidInput): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  return checkString(value, field, rule, invalid);
}

function checkString(value: unknown, field: string, rule: StringRule, invalid: InvalidInput): string {
  if (typeof value !== "string") throw invalid(constraint(field, value, "Member must be a string"), "INVALID_INPUT");
  if (rule.min !== undefined && value.length < rule.min) {
    throw invalid(constraint(field, value, `Member must have length greater than or equal to ${rule.min}`), "MIN_LENGTH_EXCEEDED");
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw invalid(constraint(field, value, `Member must have length less than or equal to ${rule.max}`), "MAX_LENGTH_EXCEEDED");
  }
  if (rule.oneOf && !rule.oneOf.includes(value)) {
    throw invalid(constraint(field, value, `Member must satisfy enum value set: [${rule.oneOf.join(", ")}]`), "INVALID_ENUM");
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw invalid(constraint(field, value, `Member must satisfy regular expression pattern: ${rule.pattern.source}`), "INVALID_PATTERN");
  }
  return value;
}

/**
 * One page of a List operation: at most the AWS maximum for that API, and never more than the
 * sandbox's small `maxPageSize`, so callers that ignore NextToken fail their tests.
 */
export function pageOf<T>(
  items: T[],
  input: { NextToken?: string; MaxResults?: number } & Record<string, unknown>,
  awsMax: number,
  state: SandboxState,
  invalid: InvalidInput,
): { page: T[]; nextToken?: string } {
  if (input.MaxResults !== undefined && (!Number.isInteger(input.MaxResults) || input.MaxResults < 1 || input.MaxResults > awsMax)) {
    throw invalid(constraint("maxResults", input.MaxResults, `Member must have value between 1 and ${awsMax}`), "INVALID_INPUT");
  }
  try {
    return paginate(items, input, Math.min(awsMax, state.maxPageSize));
  } catch (err) {
    if (err instanceof AwsError) throw invalid("The NextToken is not valid.", "INVALID_NEXT_TOKEN");
    throw err;
  }
}
