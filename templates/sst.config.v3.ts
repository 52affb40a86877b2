/// <reference path="./.sst/platform/config.d.ts" />

// SST v3 and v4 (v4 keeps v3's config shape). The AWS profile follows the stage: `sst deploy
// --stage production` uses the production account's SSO profile, every other stage the dev
// account's; the region is the profile's. Under CI (CI or GITHUB_ACTIONS set) no profile is
// chosen, so the pipeline's own credentials are used: SST lets a profile in this file override
// environment credentials (https://sst.dev/docs/iam-credentials). Elsewhere, SST_AWS_NO_PROFILE
// set to any value makes SST itself drop this profile and use the environment's credentials
// (SST's AWS provider, pkg/project/provider/aws.go; SST Console's Autodeploy sets it).
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
