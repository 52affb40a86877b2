/**
 * The regions where IAM Identity Center exists: one list for the wizard's question, the
 * `--sso-region` flag and the scan for an existing instance. Taken from the AWS endpoints data
 * botocore ships (`botocore/data/endpoints.json`, service `sso` — sso-admin's endpoint prefix —
 * per partition; botocore 1.43.11), which test/unit/plan/regions.test.ts compares with the
 * installed botocore. AWS's own page: https://docs.aws.amazon.com/singlesignon/latest/userguide/regions.html
 *
 * Credentials work in one partition only, so the scan looks in the chosen region's partition.
 */
export const identityCenterRegionsByPartition = {
  aws: [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
    "us-west-1", "us-west-2",
  ],
  "aws-cn": ["cn-north-1", "cn-northwest-1"],
  "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
} as const satisfies Record<string, readonly string[]>;

/** The commercial partition's regions (what the scan covers for a commercial region). */
export const identityCenterRegions: readonly string[] = identityCenterRegionsByPartition.aws;

const all: readonly string[] = Object.values(identityCenterRegionsByPartition).flat();

export function isIdentityCenterRegion(region: string): boolean {
  return all.includes(region);
}

/** Every Identity Center region of `region`'s partition (the regions to scan for an instance). */
export function identityCenterRegionsLike(region: string): readonly string[] {
  return Object.values(identityCenterRegionsByPartition).find((list: readonly string[]) => list.includes(region)) ?? identityCenterRegions;
}
