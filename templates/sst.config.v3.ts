/// <reference path="./.sst/platform/config.d.ts" />

// SST v3. The AWS profile follows the stage: `sst deploy --stage production` uses the production
// account's SSO profile, every other stage the dev account's. Under CI (CI or GITHUB_ACTIONS set)
// no profile is chosen, so the pipeline's own credentials are used: SST lets a profile in this
// file override environment credentials (https://sst.dev/docs/iam-credentials).
export default $config({
  app(input) {
    return {
      name: "__APP_NAME__",
      removal: input?.stage === "production" ? "retain" : "remove",
      home: "aws",
      providers: {
        aws: {
          profile: "__PROFILE_SELECTOR__",
        },
      },
    };
  },
  async run() {},
});
