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

/**
 * What `org-bootstrap sandbox` tells a person to paste into another terminal: the endpoint for
 * every SDK (the service-specific `AWS_ENDPOINT_URL_SSO` / `_SSO_OIDC` too: Go-based tools such as
 * SST read those, https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), the
 * dummy keys, and a temporary HOME and config files, so following it literally never reads or
 * writes the real ~/.aws. `dir` is that temporary directory.
 */
export function sandboxShellEnvironment(url: string, dir: string, region = "us-east-1"): [string, string][] {
  const { AWS_ENDPOINT_URL, ...rest } = sandboxEnvironment(url, region);
  const home = `${dir}/home`;
  return [
    ["AWS_ENDPOINT_URL", AWS_ENDPOINT_URL],
    ["AWS_ENDPOINT_URL_SSO", url],
    ["AWS_ENDPOINT_URL_SSO_OIDC", url],
    ...Object.entries(rest),
    ["HOME", home],
    ["AWS_CONFIG_FILE", `${home}/.aws/config`],
    ["AWS_SHARED_CREDENTIALS_FILE", `${home}/.aws/credentials`],
  ];
}
