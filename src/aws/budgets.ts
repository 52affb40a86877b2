/**
 * AWS Budgets adapter: the monthly cost budgets of the guardrails, kept in the management (payer)
 * account and each filtered to one linked account (docs/aws-facts.md, Guardrails: AWS Budgets).
 * Budgets has one global endpoint, signed for us-east-1 whatever the command's region.
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";
import { isAwsError, nameFailedOperations } from "./errors.js";
import { collectPages } from "./paging.js";
import { mapLimit } from "./waiting.js";

/** An e-mail alert: at `thresholdPercent` of the limit, on actual or forecasted spend. */
export interface BudgetAlert {
  kind: "ACTUAL" | "FORECASTED";
  thresholdPercent: number;
  emails: string[];
}

export interface CostBudget {
  name: string;
  /** Decimal text, as AWS keeps it ("50", "50.0"). */
  amount: string;
  unit: string;
  /** The linked account the budget is filtered to, when it is filtered to exactly one. */
  linkedAccountId?: string;
  alerts: BudgetAlert[];
  tags: Record<string, string>;
}

export interface NewCostBudget {
  name: string;
  amount: string;
  linkedAccountId: string;
  alerts: BudgetAlert[];
  tags: Record<string, string>;
}

export interface BudgetsApi {
  /** Every budget of the account, with its alerts and tags. */
  listCostBudgets(accountId: string): Promise<CostBudget[]>;
  /** Creates the budget with its alerts; one of that name already there is left to the caller (returns false). */
  createCostBudget(accountId: string, budget: NewCostBudget): Promise<boolean>;
  /** Sets the amount and filter; alerts are changed one by one (UpdateBudget does not touch them). */
  updateCostBudget(accountId: string, budget: NewCostBudget): Promise<void>;
  replaceAlerts(accountId: string, name: string, before: BudgetAlert[], after: BudgetAlert[]): Promise<void>;
  /** Deletes a budget; one already gone is success. */
  deleteBudget(accountId: string, name: string): Promise<void>;
}

export async function openBudgets(ctx: AwsContext): Promise<BudgetsApi> {
  const sdk = await import("@aws-sdk/client-budgets");
  const client = new sdk.BudgetsClient(clientConfig(ctx, { region: "us-east-1" }));
  nameFailedOperations(client);

  const budgetShape = (b: NewCostBudget) => ({
    BudgetName: b.name,
    BudgetType: "COST" as const,
    TimeUnit: "MONTHLY" as const,
    BudgetLimit: { Amount: b.amount, Unit: "USD" },
    // FilterExpression + Metrics: CostFilters is the older form (docs/aws-facts.md, Budgets).
    FilterExpression: { Dimensions: { Key: "LINKED_ACCOUNT" as const, Values: [b.linkedAccountId] } },
    Metrics: ["UnblendedCost" as const],
  });
  const notificationShape = (a: BudgetAlert) => ({
    NotificationType: a.kind,
    ComparisonOperator: "GREATER_THAN" as const,
    Threshold: a.thresholdPercent,
    ThresholdType: "PERCENTAGE" as const,
  });

  const api: BudgetsApi = {
    async listCostBudgets(accountId) {
      let raw: import("@aws-sdk/client-budgets").Budget[];
      try {
        raw = await collectPages(async (token) => {
          const out = await client.send(new sdk.DescribeBudgetsCommand({ AccountId: accountId, NextToken: token, ShowFilterExpression: true }));
          return { items: out.Budgets, next: out.NextToken };
        });
      } catch (err) {
        // Older answers for an account without budgets.
        if (isAwsError(err, "NotFoundException")) return [];
        throw err;
      }
      return mapLimit(raw, 4, async (b): Promise<CostBudget> => {
        const name = b.BudgetName ?? "";
        const [notifications, tags] = await Promise.all([
          collectPages(async (token) => {
            const out = await client.send(new sdk.DescribeNotificationsForBudgetCommand({ AccountId: accountId, BudgetName: name, NextToken: token }));
            return { items: out.Notifications, next: out.NextToken };
          }),
          client.send(new sdk.ListTagsForResourceCommand({ ResourceARN: `arn:aws:budgets::${accountId}:budget/${name}` })),
        ]);
        const alerts = await mapLimit(notifications, 2, async (n): Promise<BudgetAlert> => {
          const subscribers = await collectPages(async (token) => {
            const out = await client.send(new sdk.DescribeSubscribersForNotificationCommand({ AccountId: accountId, BudgetName: name, Notification: n, NextToken: token }));
            return { items: out.Subscribers, next: out.NextToken };
          });
          return {
            kind: (n.NotificationType ?? "ACTUAL") as BudgetAlert["kind"],
            thresholdPercent: n.Threshold ?? 0,
            emails: subscribers.filter((s) => s.SubscriptionType === "EMAIL").map((s) => s.Address ?? ""),
          };
        });
        const values = b.FilterExpression?.Dimensions?.Key === "LINKED_ACCOUNT" ? (b.FilterExpression.Dimensions.Values ?? []) : (b.CostFilters?.LinkedAccount ?? []);
        return {
          name,
          amount: b.BudgetLimit?.Amount ?? "",
          unit: b.BudgetLimit?.Unit ?? "USD",
          ...(values.length === 1 ? { linkedAccountId: values[0] } : {}),
          alerts,
          tags: Object.fromEntries((tags.ResourceTags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
        };
      });
    },

    async createCostBudget(accountId, budget) {
      try {
        await client.send(
          new sdk.CreateBudgetCommand({
            AccountId: accountId,
            Budget: budgetShape(budget),
            NotificationsWithSubscribers: budget.alerts.map((a) => ({
              Notification: notificationShape(a),
              Subscribers: a.emails.map((Address) => ({ SubscriptionType: "EMAIL" as const, Address })),
            })),
            ResourceTags: Object.entries(budget.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        return true;
      } catch (err) {
        // The SDK retried our own call after a dropped connection, or a run before us made it.
        if (isAwsError(err, "DuplicateRecordException")) return false;
        throw err;
      }
    },

    async updateCostBudget(accountId, budget) {
      await client.send(new sdk.UpdateBudgetCommand({ AccountId: accountId, NewBudget: budgetShape(budget) }));
    },

    async replaceAlerts(accountId, name, before, after) {
      const key = (a: BudgetAlert) => `${a.kind} ${a.thresholdPercent} ${[...a.emails].sort().join(",")}`;
      const keep = new Set(after.map(key));
      for (const a of before.filter((b) => !keep.has(key(b)))) {
        try {
          await client.send(new sdk.DeleteNotificationCommand({ AccountId: accountId, BudgetName: name, Notification: notificationShape(a) }));
        } catch (err) {
          if (!isAwsError(err, "NotFoundException")) throw err;
        }
      }
      const had = new Set(before.map(key));
      for (const a of after.filter((b) => !had.has(key(b)))) {
        try {
          await client.send(
            new sdk.CreateNotificationCommand({
              AccountId: accountId,
              BudgetName: name,
              Notification: notificationShape(a),
              Subscribers: a.emails.map((Address) => ({ SubscriptionType: "EMAIL" as const, Address })),
            }),
          );
        } catch (err) {
          if (!isAwsError(err, "DuplicateRecordException")) throw err;
        }
      }
    },

    async deleteBudget(accountId, name) {
      try {
        await client.send(new sdk.DeleteBudgetCommand({ AccountId: accountId, BudgetName: name }));
      } catch (err) {
        if (!isAwsError(err, "NotFoundException")) throw err;
      }
    },
  };
  return api;
}
