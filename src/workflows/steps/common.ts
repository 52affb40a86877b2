/**
 * What the step kinds of src/workflows/steps/ share: the identity-center step's result (the
 * instance and its adapters, which every Identity Center step reads), and `Ref`, a value a step
 * either knows when planned or reads from a step it needs (an account id that exists only once
 * the account step has created it).
 */
import type { IdentityStoreApi } from "../../aws/identityStore.js";
import type { IdentityCenterInstance, SsoAdminApi } from "../../aws/ssoAdmin.js";
import type { StepContext } from "../executor.js";

/** The id of the step whose result is `IdentityCenter`: found (day two) or enabled and opened (init). */
export const IDENTITY_CENTER = "identity-center";

export interface IdentityCenter {
  instance: IdentityCenterInstance;
  ssoAdmin: SsoAdminApi;
  identityStore: IdentityStoreApi;
}

/** A value known when planned, or picked from the result of a step this one needs. */
export type Ref<T> = { value: T } | { step: string; pick(result: any): T };

export const known = <T>(value: T): Ref<T> => ({ value });
export const fromStep = <R, T>(step: string, pick: (result: R) => T): Ref<T> => ({ step, pick });

export function resolve<T>(ref: Ref<T>, ctx: Pick<StepContext<unknown>, "result">): T {
  return "value" in ref ? ref.value : ref.pick(ctx.result(ref.step));
}

/** The steps these refs read: the `needs` of a step that uses them. */
export function needsOf(...refs: Ref<unknown>[]): string[] {
  return [...new Set(refs.flatMap((r) => ("step" in r ? [r.step] : [])))];
}

/** "1 access assignment", "3 access assignments". */
export const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** The identity-center step of a day-two command: found, with the adapters the command opened. */
export function identityCenterFound(org: IdentityCenter): { id: string; kind: string; input: { region: string }; found: IdentityCenter } {
  return { id: IDENTITY_CENTER, kind: "identity-center", input: { region: org.instance.region }, found: { instance: org.instance, ssoAdmin: org.ssoAdmin, identityStore: org.identityStore } };
}
