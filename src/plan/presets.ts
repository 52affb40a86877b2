/**
 * Permission sets the wizard offers, as data (docs/architecture.md, Habits): the common role ladder built from AWS
 * managed policies. AdministratorAccess is always created; the others on request.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html
 */
export const permissionSetPresets = {
  admin: {
    name: "AdministratorAccess",
    description: "Full access to AWS services and resources",
    managedPolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
  },
  poweruser: {
    name: "PowerUserAccess",
    description: "Full access except managing IAM users, groups and organizations",
    managedPolicyArn: "arn:aws:iam::aws:policy/PowerUserAccess",
  },
  readonly: {
    name: "ReadOnlyAccess",
    description: "Read-only access to AWS services and resources",
    managedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
  },
  viewonly: {
    name: "ViewOnlyAccess",
    description: "View resources and basic metadata across AWS services",
    managedPolicyArn: "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
  },
} as const;

export type PresetKey = keyof typeof permissionSetPresets;

export const presetKeys = Object.keys(permissionSetPresets) as PresetKey[];

export function isPresetKey(value: string): value is PresetKey {
  return value in permissionSetPresets;
}

/** The defaults docs/init.md lists for the wizard and the unattended flags. */
export const initDefaults = {
  stages: ["dev", "production"],
  sessionDuration: "PT12H",
  group: "Administrators",
  permissionSets: ["admin"] as PresetKey[],
} as const;
