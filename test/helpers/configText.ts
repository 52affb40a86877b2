/**
 * The ~/.aws/config init writes for one stage, as literal text: an `[sso-session acme]` and the
 * `[profile acme-dev]` that uses it. Tests that start from "init already ran" write this.
 */
export function ssoConfigText({ region = "us-east-1", accountId = "222233334444" }: { region?: string; accountId?: string } = {}): string {
  return `[sso-session acme]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = ${region}
sso_registration_scopes = sso:account:access

[profile acme-dev]
sso_session = acme
sso_account_id = ${accountId}
sso_role_name = AdministratorAccess
region = ${region}
`;
}
