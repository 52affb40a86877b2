/**
 * STS adapter: who is calling. The SDK client is loaded on first use so `--help` stays fast.
 */
import { clientConfig, type AwsContext } from "./clientConfig.js";

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
  /** The account's root user: `GetCallerIdentity().Arn` ends in `:root` (docs/aws-facts.md, The caller). */
  isRoot: boolean;
}

export interface StsApi {
  getCallerIdentity(): Promise<CallerIdentity>;
}

export async function openSts(ctx: AwsContext): Promise<StsApi> {
  const { STSClient, GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  const client = new STSClient(clientConfig(ctx));
  return {
    async getCallerIdentity() {
      const out = await client.send(new GetCallerIdentityCommand({}));
      const arn = out.Arn ?? "";
      return { accountId: out.Account ?? "", arn, userId: out.UserId ?? "", isRoot: isRootArn(arn) };
    },
  };
}

export function isRootArn(arn: string): boolean {
  return /^arn:aws[\w-]*:iam::\d{12}:root$/.test(arn);
}
