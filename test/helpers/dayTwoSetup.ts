/**
 * The set-up every day-two end-to-end test starts from: one emulated AWS per test file and,
 * before each test, a reset world with Identity Center enabled and a fresh temporary HOME and
 * project — then, unless `init: false`, an unattended `init` (calls cleared afterwards, so a
 * test's call log holds only its own command's calls).
 */
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { makeInitHome, runInit, type InitHome } from "../e2e/initHarness.js";
import { control, openSandbox } from "./sandbox.js";

export interface DayTwoSetup {
  sandbox: Sandbox;
  h: InitHome;
}

export function useDayTwoSetup(options: { init?: boolean; initArgs?: string[]; afterInit?: (setup: DayTwoSetup) => Promise<void> } = {}): DayTwoSetup {
  const setup = {} as DayTwoSetup;
  beforeAll(async () => {
    setup.sandbox = await openSandbox();
  });
  afterAll(() => setup.sandbox.close());
  beforeEach(async () => {
    await control(setup.sandbox, "POST", "/reset", { identityCenterEnabled: true });
    setup.h = await makeInitHome(setup.sandbox);
    if (options.init === false) return;
    const init = await runInit(setup.h, options.initArgs ?? []);
    expect(init.code, init.stderr).toBe(0);
    await options.afterInit?.(setup);
    await control(setup.sandbox, "DELETE", "/calls");
  });
  return setup;
}
