import type { SSTConfig } from "sst";

// SST v2. The AWS profile follows the stage: `sst deploy --stage production` uses the production
// account's SSO profile, every other stage the dev account's. Under CI (CI or GITHUB_ACTIONS set)
// no profile is chosen, so the pipeline's own credentials are used: a profile in this file would
// override them (https://sst.dev/docs/iam-credentials).
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
