/**
 * One place that decides how every AWS SDK client is configured: region, credentials, retries, no
 * SDK logging (it could include secrets). The endpoint is set only when the caller fixed one
 * (`AwsContext.endpoint`); otherwise the SDK reads the standard `AWS_ENDPOINT_URL` settings itself,
 * which is how tests reach the emulator.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AwsContext {
  /** Region for regional services (Identity Center, Identity Store, SSO OIDC, portal). */
  region: string;
  /** Named profile for the caller's credentials, when not from the environment. */
  profile?: string;
  /**
   * The caller's credentials, given explicitly (SSO role credentials the command fetched itself):
   * they win over anything in the environment, which is left as it is.
   */
  credentials?: () => Promise<AwsCredentials>;
  /**
   * One endpoint for every service, fixed by the caller (an AWS-compatible server it started
   * itself): it wins over `AWS_ENDPOINT_URL` and friends, so the process environment is never edited.
   */
  endpoint?: string;
}

export function clientConfig(ctx: AwsContext, overrides: { region?: string; maxAttempts?: number } = {}) {
  return {
    region: overrides.region ?? ctx.region,
    ...(ctx.credentials ? { credentials: ctx.credentials } : ctx.profile ? { profile: ctx.profile } : {}),
    ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}),
    // Retries back off on throttling and 5xx; 6 attempts ride out a 10% fault rate. "adaptive"
    // adds the SDK's client-side rate limiter, which slows a client down once AWS throttles it:
    // Identity Center's APIs share about 20 requests per second (docs/aws-facts.md, Request rates), and `status` on an
    // organization of 500 accounts needs ~1,600 calls. With "standard" retries alone it gave up
    // throttled after 80 s; adaptive, it finishes within 1.1× of what 20/s allows (bench/RESULTS.md).
    // Adaptive mode assumes one client per throttled resource, as here: one per service per run.
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
    retryMode: "adaptive" as const,
    maxAttempts: overrides.maxAttempts ?? 6,
  };
}
