import type { SSTConfig } from "sst";

// SST v2 (for SST v3 and v4, see sst.config.v3.ts). The AWS profile follows the stage: `sst
// deploy --stage production` uses the production account's SSO profile, every other stage the
// dev account's. Under CI (CI or GITHUB_ACTIONS set) no profile is chosen, so the pipeline's own
// credentials are used: a profile in this file would override them
// (https://sst.dev/docs/iam-credentials). SST_AWS_NO_PROFILE, which makes SST v3 and v4 drop the
// profile, is not read by SST v2: the CI guard is what keeps the profile out there.
export default {
  config(input) {
    return {
      name: "__APP_NAME__",
      region: "us-east-1",
      profile: "__PROFILE_SELECTOR__",
    };
  },
  stacks(app) {
    void app;
  },
} satisfies SSTConfig;
