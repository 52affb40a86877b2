/**
 * One place that decides how every AWS SDK client is configured: region, retries, no SDK
 * logging (it could include secrets). The endpoint is never set here: the SDK reads the
 * standard `AWS_ENDPOINT_URL` itself, which is how tests and the sandbox reach the emulator.
 */
export interface AwsContext {
  /** Region for regional services (Identity Center, Identity Store, SSO OIDC, portal). */
  region: string;
  /** Named profile for the caller's credentials, when not from the environment. */
  profile?: string;
}

export function clientConfig(ctx: AwsContext, overrides: { region?: string; maxAttempts?: number } = {}) {
  return {
    region: overrides.region ?? ctx.region,
    ...(ctx.profile ? { profile: ctx.profile } : {}),
    // Standard retries back off on throttling and 5xx; 6 attempts ride out a 10% fault rate.
    retryMode: "standard" as const,
    maxAttempts: overrides.maxAttempts ?? 6,
  };
}
