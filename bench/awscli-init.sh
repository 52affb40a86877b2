#!/usr/bin/env bash
# The AWS side of `org-bootstrap init`, written the way a person would script it with the AWS CLI:
# one command after another, a sleep-and-poll loop for each asynchronous step, then the config
# blocks appended to the AWS config file. The benchmark runs it against the same emulated AWS,
# with the same delays, as `org-bootstrap init` (bench/README.md, figure 3).
#
#   AWS_ENDPOINT_URL=http://127.0.0.1:PORT ORG_NAME=acme STAGES="dev production" \
#   ACCOUNT_EMAIL='aws+{stage}@acme.com' USER_EMAIL=ann@acme.com GIVEN_NAME=Ann FAMILY_NAME=Lee \
#   AWS_CONFIG_FILE=/tmp/x/config bash bench/awscli-init.sh
#
# Uses /usr/bin/aws (Debian's AWS CLI v2) with --endpoint-url: this CLI predates AWS_ENDPOINT_URL.
# Credentials and region come from the usual AWS_* variables.
set -euo pipefail

AWS_BIN="${AWS_CLI:-/usr/bin/aws}"
: "${AWS_ENDPOINT_URL:?set AWS_ENDPOINT_URL to the emulated AWS}"
ORG_NAME="${ORG_NAME:-acme}"
STAGES="${STAGES:-dev production}"
SSO_REGION="${SSO_REGION:-us-east-1}"
ACCOUNT_EMAIL="${ACCOUNT_EMAIL:?e.g. aws+{stage\}@acme.com}"
USER_EMAIL="${USER_EMAIL:?}"
GIVEN_NAME="${GIVEN_NAME:?}"
FAMILY_NAME="${FAMILY_NAME:?}"
GROUP_NAME="${GROUP_NAME:-Administrators}"
CONFIG_FILE="${AWS_CONFIG_FILE:-$HOME/.aws/config}"
# How long to sleep between polls of an asynchronous step.
POLL_SECONDS="${POLL_SECONDS:-5}"

aws() { "$AWS_BIN" --endpoint-url "$AWS_ENDPOINT_URL" --region "$SSO_REGION" --output text "$@"; }

echo "Who am I"
MANAGEMENT_ID=$(aws sts get-caller-identity --query Account)

echo "Organization"
if ! aws organizations describe-organization --query Organization.Id >/dev/null 2>&1; then
  aws organizations create-organization --feature-set ALL --query Organization.Id
fi

echo "IAM Identity Center instance"
read -r INSTANCE_ARN IDENTITY_STORE_ID < <(aws sso-admin list-instances --query 'Instances[0].[InstanceArn,IdentityStoreId]')

echo "Member accounts"
declare -A REQUEST ACCOUNT_ID
for stage in $STAGES; do
  email="${ACCOUNT_EMAIL//\{stage\}/$stage}"
  REQUEST[$stage]=$(aws organizations create-account --account-name "$ORG_NAME-$stage" --email "$email" --query CreateAccountStatus.Id)
done
for stage in $STAGES; do
  while true; do
    read -r state id < <(aws organizations describe-create-account-status --create-account-request-id "${REQUEST[$stage]}" \
      --query 'CreateAccountStatus.[State,AccountId]')
    case "$state" in
      SUCCEEDED) ACCOUNT_ID[$stage]=$id; break ;;
      IN_PROGRESS) sleep "$POLL_SECONDS" ;;
      *) echo "creating $ORG_NAME-$stage: $state" >&2; exit 1 ;;
    esac
  done
  echo "  $ORG_NAME-$stage: ${ACCOUNT_ID[$stage]}"
done

echo "Permission set"
PS_ARN=$(aws sso-admin create-permission-set --instance-arn "$INSTANCE_ARN" --name AdministratorAccess \
  --session-duration PT12H --query PermissionSet.PermissionSetArn)
aws sso-admin attach-managed-policy-to-permission-set --instance-arn "$INSTANCE_ARN" --permission-set-arn "$PS_ARN" \
  --managed-policy-arn arn:aws:iam::aws:policy/AdministratorAccess

echo "Group and user"
GROUP_ID=$(aws identitystore create-group --identity-store-id "$IDENTITY_STORE_ID" --display-name "$GROUP_NAME" --query GroupId)
USER_ID=$(aws identitystore create-user --identity-store-id "$IDENTITY_STORE_ID" --user-name "$USER_EMAIL" \
  --display-name "$GIVEN_NAME $FAMILY_NAME" --name "GivenName=$GIVEN_NAME,FamilyName=$FAMILY_NAME" \
  --emails "Value=$USER_EMAIL,Type=work,Primary=true" --query UserId)
aws identitystore create-group-membership --identity-store-id "$IDENTITY_STORE_ID" --group-id "$GROUP_ID" \
  --member-id "UserId=$USER_ID" --query MembershipId >/dev/null

echo "Access for the group in every account"
for account in "$MANAGEMENT_ID" "${ACCOUNT_ID[@]}"; do
  request=$(aws sso-admin create-account-assignment --instance-arn "$INSTANCE_ARN" --target-id "$account" \
    --target-type AWS_ACCOUNT --permission-set-arn "$PS_ARN" --principal-type GROUP --principal-id "$GROUP_ID" \
    --query AccountAssignmentCreationStatus.RequestId)
  while true; do
    state=$(aws sso-admin describe-account-assignment-creation-status --instance-arn "$INSTANCE_ARN" \
      --account-assignment-creation-request-id "$request" --query AccountAssignmentCreationStatus.Status)
    case "$state" in
      SUCCEEDED) break ;;
      IN_PROGRESS) sleep "$POLL_SECONDS" ;;
      *) echo "assignment in $account: $state" >&2; exit 1 ;;
    esac
  done
  echo "  $account"
done

echo "AWS config: $CONFIG_FILE"
mkdir -p "$(dirname "$CONFIG_FILE")"
{
  printf '[sso-session %s]\nsso_start_url = https://%s.awsapps.com/start\nsso_region = %s\nsso_registration_scopes = sso:account:access\n' \
    "$ORG_NAME" "$IDENTITY_STORE_ID" "$SSO_REGION"
  for stage in $STAGES; do
    printf '\n[profile %s-%s]\nsso_session = %s\nsso_account_id = %s\nsso_role_name = AdministratorAccess\nregion = %s\n' \
      "$ORG_NAME" "$stage" "$ORG_NAME" "${ACCOUNT_ID[$stage]}" "$SSO_REGION"
  done
} >>"$CONFIG_FILE"
echo "Done"
