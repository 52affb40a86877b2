/**
 * STS adapter: who is calling, and role credentials for another account. The SDK client is
 * loaded on first use so `--help` stays fast.
 */
import { clientConfig, type AwsContext, type AwsCredentials } from "./clientConfig.js";
import { nameFailedOperations } from "./errors.js";

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
  /** The account's root user: `GetCallerIdentity().Arn` ends in `:root` (docs/aws-facts.md, The caller). */
  isRoot: boolean;
}

export interface AssumeRoleRequest {
  roleArn: string;
  /** Shown in CloudTrail and in the assumed role's ARN: 2–64 characters of `[\w+=,.@-]`. */
  sessionName: string;
  /** 900–3600 for a role reached from another role (role chaining caps it at one hour). */
  durationSeconds?: number;
}

export interface StsApi {
  getCallerIdentity(): Promise<CallerIdentity>;
  /** Temporary credentials of a role (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html). */
  assumeRole(request: AssumeRoleRequest): Promise<Required<AwsCredentials>>;
}

export async function openSts(ctx: AwsContext): Promise<StsApi> {
  const { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } = await import("@aws-sdk/client-sts");
  const client = new STSClient(clientConfig(ctx));
  nameFailedOperations(client);
  return {
    async getCallerIdentity() {
      const out = await client.send(new GetCallerIdentityCommand({}));
      const arn = out.Arn ?? "";
      return { accountId: out.Account ?? "", arn, userId: out.UserId ?? "", isRoot: isRootArn(arn) };
    },
    async assumeRole(request) {
      const out = await client.send(
        new AssumeRoleCommand({ RoleArn: request.roleArn, RoleSessionName: request.sessionName, DurationSeconds: request.durationSeconds }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error("AssumeRole answered without credentials");
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    },
  };
}

export function isRootArn(arn: string): boolean {
  return /^arn:aws[\w-]*:iam::\d{12}:root$/.test(arn);
}
