import type { InitAnswers } from "../../../src/plan/desired.js";

/** The answers of the unattended example in docs/init.md. */
export const answers: InitAnswers = {
  orgName: "acme",
  ssoRegion: "us-east-1",
  stages: ["dev", "production"],
  user: { email: "ann@acme.com", givenName: "Ann", familyName: "Lee" },
  group: "Administrators",
  permissionSets: ["admin"],
  sessionDuration: "PT12H",
};
