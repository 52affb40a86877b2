/**
 * Emulated AWS Budgets (JSON 1.1, target prefix `AWSBudgetServiceGateway`, one global endpoint),
 * as the Budgets API reference and botocore's model describe it (docs/aws-facts.md, Budgets):
 * budgets belong to the account that signs (AccountId must be it), names are 1–100 characters
 * without `:` or `\` (nor `/action/`), unique per account (`DuplicateRecordException`); a COST
 * budget needs a BudgetLimit; FilterExpression + Metrics or CostFilters + CostTypes, not both;
 * at most 10 notifications a budget, each with 1 SNS and up to 10 e-mail subscribers
 * (`CreationLimitExceededException` beyond); `NotFoundException` for what does not exist;
 * DescribeBudgets pages (MaxResults ≤ 1000) and DescribeNotificationsForBudget (≤ 100).
 */
import { accessKeyFromAuthorization, epochSeconds } from "../protocols.js";
import type { SandboxState } from "../state.js";
import { AwsError, type CallContext, type ServiceOperations } from "../types.js";
import { paginate } from "../paging.js";

interface Notification {
  NotificationType: string;
  ComparisonOperator: string;
  Threshold: number;
  ThresholdType: string;
  NotificationState?: string;
}

interface Subscriber {
  SubscriptionType: "SNS" | "EMAIL";
  Address: string;
}

interface StoredBudget {
  budget: Record<string, unknown>;
  notifications: { notification: Notification; subscribers: Subscriber[] }[];
  tags: { Key: string; Value: string }[];
}

/** Account id → budget name → budget. */
export type BudgetWorld = Map<string, Map<string, StoredBudget>>;

const MAX_NOTIFICATIONS = 10;
const MAX_EMAIL_SUBSCRIBERS = 10;
const MAX_SNS_SUBSCRIBERS = 1;
/** "Budgets per account: 20,000" (Budgets quotas, Billing and Cost Management user guide). */
const MAX_BUDGETS = 20_000;
const DESCRIBE_BUDGETS_MAX = 1000;
const NOTIFICATIONS_MAX = 100;

const BUDGET_TYPES = ["USAGE", "COST", "RI_UTILIZATION", "RI_COVERAGE", "SAVINGS_PLANS_UTILIZATION", "SAVINGS_PLANS_COVERAGE"];
const TIME_UNITS = ["DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY", "CUSTOM"];
const METRICS = ["BlendedCost", "UnblendedCost", "AmortizedCost", "NetUnblendedCost", "NetAmortizedCost", "UsageQuantity", "NormalizedUsageAmount", "Hours"];
const DIMENSIONS = ["AZ", "INSTANCE_TYPE", "LINKED_ACCOUNT", "LINKED_ACCOUNT_NAME", "OPERATION", "PURCHASE_TYPE", "REGION", "SERVICE", "SERVICE_CODE", "USAGE_TYPE", "USAGE_TYPE_GROUP", "RECORD_TYPE", "OPERATING_SYSTEM", "TENANCY", "SCOPE", "PLATFORM", "SUBSCRIPTION_ID", "LEGAL_ENTITY_NAME", "INVOICING_ENTITY", "DEPLOYMENT_OPTION", "DATABASE_ENGINE", "CACHE_ENGINE", "INSTANCE_TYPE_FAMILY", "BILLING_ENTITY", "RESERVATION_ID", "RESOURCE_ID", "RIGHTSIZING_TYPE", "SAVINGS_PLANS_TYPE", "SAVINGS_PLAN_ARN", "PAYMENT_OPTION", "RESERVATION_MODIFIED", "TAG_KEY", "COST_CATEGORY_NAME"];
// BudgetName: 1–100 characters, no ':' or '\\', no "/action/" substring (botocore's pattern).
const BUDGET_NAME = /^[^:\\]{1,100}$/;

const invalid = (message: string) => new AwsError("InvalidParameterException", message, 400);
const notFound = (message: string) => new AwsError("NotFoundException", message, 400);

function world(state: SandboxState): BudgetWorld {
  return (state.budgets ??= new Map());
}

/** The account whose credentials signed the call (a role session the emulator issued, else the scenario's caller). */
function signerAccount(ctx: CallContext): string {
  const header = ctx.headers.authorization;
  const keyId = accessKeyFromAuthorization(Array.isArray(header) ? header[0] : header);
  const session = keyId ? ctx.state.roleSessions.get(keyId) : undefined;
  return session?.accountId ?? ctx.state.caller.accountId;
}

function accountBudgets(input: Record<string, unknown>, ctx: CallContext): Map<string, StoredBudget> {
  const id = input.AccountId;
  if (typeof id !== "string" || !/^\d{12}$/.test(id)) throw invalid("AccountId must be a 12-digit account id.");
  if (id !== signerAccount(ctx)) throw new AwsError("AccessDeniedException", `You are not authorized to manage the budgets of account ${id}.`, 400);
  const all = world(ctx.state);
  let mine = all.get(id);
  if (!mine) all.set(id, (mine = new Map()));
  return mine;
}

function budgetName(value: unknown): string {
  if (typeof value !== "string" || !BUDGET_NAME.test(value) || value.includes("/action/")) {
    throw invalid("BudgetName must be 1 to 100 characters, without ':' or '\\' or '/action/'.");
  }
  return value;
}

function oneOf(value: unknown, allowed: string[], field: string): string {
  if (typeof value !== "string" || !allowed.includes(value)) throw invalid(`${field} must be one of ${allowed.join(", ")}.`);
  return value;
}

function spend(value: unknown, field: string): void {
  const s = value as Record<string, unknown> | undefined;
  if (!s || typeof s !== "object") throw invalid(`${field} must have an Amount and a Unit.`);
  if (typeof s.Amount !== "string" || !/^([0-9]*\.)?[0-9]+$/.test(s.Amount)) throw invalid(`${field}.Amount must be a non-negative decimal number.`);
  if (typeof s.Unit !== "string" || s.Unit.length === 0) throw invalid(`${field}.Unit is required.`);
}

function expression(value: unknown): void {
  if (!value || typeof value !== "object") throw invalid("FilterExpression must be an object.");
  const e = value as Record<string, unknown>;
  for (const key of ["And", "Or"]) {
    if (e[key] !== undefined) {
      if (!Array.isArray(e[key])) throw invalid(`FilterExpression.${key} must be a list.`);
      (e[key] as unknown[]).forEach(expression);
    }
  }
  if (e.Not !== undefined) expression(e.Not);
  if (e.Dimensions !== undefined) {
    const d = e.Dimensions as Record<string, unknown>;
    oneOf(d.Key, DIMENSIONS, "FilterExpression.Dimensions.Key");
    if (!Array.isArray(d.Values) || d.Values.some((v) => typeof v !== "string")) throw invalid("FilterExpression.Dimensions.Values must be a list of strings.");
  }
}

/** The Budget data type's rules that CreateBudget and UpdateBudget share. */
function checkBudget(value: unknown, now: number): Record<string, unknown> {
  if (!value || typeof value !== "object") throw invalid("Budget is required.");
  const b = { ...(value as Record<string, unknown>) };
  budgetName(b.BudgetName);
  oneOf(b.TimeUnit, TIME_UNITS, "TimeUnit");
  const type = oneOf(b.BudgetType, BUDGET_TYPES, "BudgetType");
  if (b.BudgetLimit !== undefined && b.PlannedBudgetLimits !== undefined) throw invalid("Only one of BudgetLimit or PlannedBudgetLimits can be present.");
  if (b.BudgetLimit !== undefined) spend(b.BudgetLimit, "BudgetLimit");
  else if ((type === "COST" || type === "USAGE") && b.PlannedBudgetLimits === undefined && b.AutoAdjustData === undefined) {
    throw invalid("BudgetLimit is required for cost and usage budgets.");
  }
  const modern = b.FilterExpression !== undefined || b.Metrics !== undefined;
  const legacy = b.CostFilters !== undefined || b.CostTypes !== undefined;
  if (modern && legacy) throw invalid("Use either FilterExpression and Metrics or CostFilters and CostTypes, not both.");
  if (b.FilterExpression !== undefined) expression(b.FilterExpression);
  if (b.Metrics !== undefined) {
    if (!Array.isArray(b.Metrics) || b.Metrics.length > 1) throw invalid("Metrics must be a list of at most one metric.");
    b.Metrics.forEach((m) => oneOf(m, METRICS, "Metrics"));
  }
  const start = new Date(now);
  b.TimePeriod ??= { Start: epochSeconds(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)), End: epochSeconds(Date.UTC(2087, 5, 15)) };
  const unit = (b.BudgetLimit as { Unit?: string } | undefined)?.Unit ?? "USD";
  b.CalculatedSpend = { ActualSpend: { Amount: "0", Unit: unit }, ForecastedSpend: { Amount: "0", Unit: unit } };
  b.LastUpdatedTime = epochSeconds(now);
  return b;
}

function checkNotification(value: unknown): Notification {
  const n = value as Record<string, unknown> | undefined;
  if (!n || typeof n !== "object") throw invalid("Notification is required.");
  const threshold = n.Threshold;
  if (typeof threshold !== "number" || !(threshold >= 0) || threshold > 15_000_000_000_000) throw invalid("Threshold must be a number from 0.");
  const thresholdType = n.ThresholdType === undefined ? "PERCENTAGE" : oneOf(n.ThresholdType, ["PERCENTAGE", "ABSOLUTE_VALUE"], "ThresholdType");
  return {
    NotificationType: oneOf(n.NotificationType, ["ACTUAL", "FORECASTED"], "NotificationType"),
    ComparisonOperator: oneOf(n.ComparisonOperator, ["GREATER_THAN", "LESS_THAN", "EQUAL_TO"], "ComparisonOperator"),
    Threshold: threshold,
    ThresholdType: thresholdType,
    ...(n.NotificationState !== undefined ? { NotificationState: oneOf(n.NotificationState, ["OK", "ALARM"], "NotificationState") } : {}),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkSubscribers(value: unknown): Subscriber[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid("A notification needs at least one subscriber.");
  const subs = value.map((s: Record<string, unknown>) => {
    const type = oneOf(s?.SubscriptionType, ["SNS", "EMAIL"], "SubscriptionType") as Subscriber["SubscriptionType"];
    if (typeof s.Address !== "string" || s.Address.length === 0) throw invalid("Subscriber Address is required.");
    if (type === "EMAIL" && !EMAIL.test(s.Address)) throw invalid(`Invalid email address: ${s.Address}`);
    if (type === "SNS" && !s.Address.startsWith("arn:")) throw invalid(`Invalid SNS topic ARN: ${s.Address}`);
    return { SubscriptionType: type, Address: s.Address };
  });
  if (subs.filter((s) => s.SubscriptionType === "EMAIL").length > MAX_EMAIL_SUBSCRIBERS || subs.filter((s) => s.SubscriptionType === "SNS").length > MAX_SNS_SUBSCRIBERS) {
    throw new AwsError("CreationLimitExceededException", "You've exceeded the subscriber limit: a notification has at most 1 SNS topic and 10 email subscribers.", 400);
  }
  const keys = subs.map((s) => `${s.SubscriptionType} ${s.Address}`);
  if (new Set(keys).size !== keys.length) throw new AwsError("DuplicateRecordException", "A subscriber is listed twice for this notification.", 400);
  return subs;
}

const sameNotification = (a: Notification, b: Notification) =>
  a.NotificationType === b.NotificationType && a.ComparisonOperator === b.ComparisonOperator && a.Threshold === b.Threshold && a.ThresholdType === b.ThresholdType;

function findBudget(budgets: Map<string, StoredBudget>, name: unknown): StoredBudget {
  const stored = budgets.get(budgetName(name));
  if (!stored) throw notFound(`Unable to get budget: ${String(name)} - the budget doesn't exist.`);
  return stored;
}

function budgetOut(stored: StoredBudget, input: Record<string, unknown>) {
  const { FilterExpression: _filter, Metrics: _metrics, ...rest } = stored.budget;
  // DescribeBudget(s) return FilterExpression and Metrics only when ShowFilterExpression is true (API reference).
  return input.ShowFilterExpression === true ? stored.budget : rest;
}

function page<T>(items: T[], input: Record<string, unknown>, max: number, state: SandboxState) {
  const requested = input.MaxResults;
  if (requested !== undefined && (!Number.isInteger(requested) || (requested as number) < 1 || (requested as number) > max)) {
    throw invalid(`MaxResults must be between 1 and ${max}.`);
  }
  try {
    return paginate(items, input as { NextToken?: string; MaxResults?: number }, Math.min(max, state.maxPageSize));
  } catch {
    throw new AwsError("InvalidNextTokenException", "The pagination token is invalid.", 400);
  }
}

export const budgetsOperations: ServiceOperations = {
  CreateBudget: {
    mutating: true,
    handle: (input: Record<string, unknown>, ctx) => {
      const budgets = accountBudgets(input, ctx);
      const budget = checkBudget(input.Budget, ctx.now());
      const list = (input.NotificationsWithSubscribers ?? []) as Record<string, unknown>[];
      if (!Array.isArray(list)) throw invalid("NotificationsWithSubscribers must be a list.");
      if (list.length > MAX_NOTIFICATIONS) throw new AwsError("CreationLimitExceededException", `You've exceeded the notification limit: at most ${MAX_NOTIFICATIONS} per budget.`, 400);
      const notifications = list.map((n: Record<string, unknown>) => ({ notification: checkNotification(n?.Notification), subscribers: checkSubscribers(n?.Subscribers) }));
      notifications.forEach((n, i) => {
        if (notifications.slice(0, i).some((m) => sameNotification(m.notification, n.notification))) {
          throw new AwsError("DuplicateRecordException", "The same notification is listed twice.", 400);
        }
      });
      const tags = (input.ResourceTags ?? []) as { Key: string; Value: string }[];
      if (!Array.isArray(tags) || tags.length > 200 || tags.some((t) => typeof t?.Key !== "string" || t.Key.length === 0 || typeof t.Value !== "string")) {
        throw invalid("ResourceTags must be at most 200 tags, each with a Key and a Value.");
      }
      const name = budget.BudgetName as string;
      if (budgets.has(name)) throw new AwsError("DuplicateRecordException", `Error creating budget: ${name} - the budget already exists.`, 400);
      if (budgets.size >= MAX_BUDGETS) throw new AwsError("ServiceQuotaExceededException", "You've reached the limit of budgets for this account.", 400);
      budgets.set(name, { budget, notifications, tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) });
      return {};
    },
  },
  DescribeBudget: {
    mutating: false,
    handle: (input: Record<string, unknown>, ctx) => ({ Budget: budgetOut(findBudget(accountBudgets(input, ctx), input.BudgetName), input) }),
  },
  DescribeBudgets: {
    mutating: false,
    handle: (input: Record<string, unknown>, ctx) => {
      const all = [...accountBudgets(input, ctx).values()].map((b) => budgetOut(b, input));
      const { page: items, nextToken } = page(all, input, DESCRIBE_BUDGETS_MAX, ctx.state);
      return { Budgets: items, NextToken: nextToken };
    },
  },
  UpdateBudget: {
    mutating: true,
    handle: (input: Record<string, unknown>, ctx) => {
      const budgets = accountBudgets(input, ctx);
      const next = checkBudget(input.NewBudget, ctx.now());
      const stored = findBudget(budgets, next.BudgetName);
      stored.budget = { ...next, TimePeriod: (input.NewBudget as Record<string, unknown>).TimePeriod ?? stored.budget.TimePeriod };
      return {};
    },
  },
  DeleteBudget: {
    mutating: true,
    handle: (input: Record<string, unknown>, ctx) => {
      const budgets = accountBudgets(input, ctx);
      findBudget(budgets, input.BudgetName);
      budgets.delete(input.BudgetName as string);
      return {};
    },
  },
  DescribeNotificationsForBudget: {
    mutating: false,
    handle: (input: Record<string, unknown>, ctx) => {
      const stored = findBudget(accountBudgets(input, ctx), input.BudgetName);
      const { page: items, nextToken } = page(
        stored.notifications.map((n) => n.notification),
        input,
        NOTIFICATIONS_MAX,
        ctx.state,
      );
      return { Notifications: items, NextToken: nextToken };
    },
  },
  DescribeSubscribersForNotification: {
    mutating: false,
    handle: (input: Record<string, unknown>, ctx) => {
      const stored = findBudget(accountBudgets(input, ctx), input.BudgetName);
      const wanted = checkNotification(input.Notification);
      const found = stored.notifications.find((n) => sameNotification(n.notification, wanted));
      if (!found) throw notFound("The notification doesn't exist.");
      const { page: items, nextToken } = page(found.subscribers, input, NOTIFICATIONS_MAX, ctx.state);
      return { Subscribers: items, NextToken: nextToken };
    },
  },
  CreateNotification: {
    mutating: true,
    handle: (input: Record<string, unknown>, ctx) => {
      const stored = findBudget(accountBudgets(input, ctx), input.BudgetName);
      const notification = checkNotification(input.Notification);
      const subscribers = checkSubscribers(input.Subscribers);
      if (stored.notifications.some((n) => sameNotification(n.notification, notification))) {
        throw new AwsError("DuplicateRecordException", "The notification already exists.", 400);
      }
      if (stored.notifications.length >= MAX_NOTIFICATIONS) throw new AwsError("CreationLimitExceededException", `You've exceeded the notification limit: at most ${MAX_NOTIFICATIONS} per budget.`, 400);
      stored.notifications.push({ notification, subscribers });
      return {};
    },
  },
  DeleteNotification: {
    mutating: true,
    handle: (input: Record<string, unknown>, ctx) => {
      const stored = findBudget(accountBudgets(input, ctx), input.BudgetName);
      const wanted = checkNotification(input.Notification);
      const index = stored.notifications.findIndex((n) => sameNotification(n.notification, wanted));
      if (index < 0) throw notFound("The notification doesn't exist.");
      stored.notifications.splice(index, 1);
      return {};
    },
  },
  ListTagsForResource: {
    mutating: false,
    handle: (input: Record<string, unknown>, ctx) => {
      const arn = typeof input.ResourceARN === "string" ? input.ResourceARN : "";
      const match = /^arn:aws:budgets::(\d{12}):budget\/(.+)$/.exec(arn);
      if (!match) throw invalid("ResourceARN must be a budget ARN.");
      const stored = accountBudgets({ AccountId: match[1] }, ctx).get(match[2]);
      if (!stored) throw notFound(`Unable to get budget: ${match[2]} - the budget doesn't exist.`);
      return { ResourceTags: stored.tags };
    },
  },
};
