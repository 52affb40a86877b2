import type { ServiceOperations } from "../types.js";

export const stsOperations: ServiceOperations = {
  GetCallerIdentity: {
    mutating: false,
    handle: (_input, { state }) => ({
      UserId: state.caller.userId,
      Account: state.caller.accountId,
      Arn: state.caller.arn,
    }),
  },
};
