/**
 * The environment that points the AWS SDKs and the AWS CLI at a sandbox. The keys are dummies:
 * the emulator does not check signatures, and no real credential is ever involved.
 */
export function sandboxEnvironment(url: string, region = "us-east-1"): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: "AKIASANDBOXEXAMPLE01",
    AWS_SECRET_ACCESS_KEY: "sandbox-secret-not-real",
    AWS_REGION: region,
  };
}
