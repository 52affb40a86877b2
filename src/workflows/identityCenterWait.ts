/**
 * The wait of init's Identity Center step (docs/init.md): the person presses "Enable" on the
 * console page, and we poll `ListInstances` in the chosen region until the instance is ACTIVE.
 * People sometimes enable it in another region than the one they chose (the console opens in
 * whichever region it was last used in), and an organization has at most one instance, so every
 * `otherRegionsEveryMs` (about 30 s) the other regions are looked at too: an instance found
 * there is the one, and the wait goes on with it instead of polling the chosen region for 30
 * minutes. Nothing here prints; the caller shows progress through `onLook`.
 */
import { OperationError } from "../errors.js";
import type { IdentityCenterInstance } from "../aws/ssoAdmin.js";
import { backoffDelay, sleep as abortableSleep, throwIfAborted, type Backoff } from "../aws/waiting.js";

export interface IdentityCenterWatch {
  /** The region the person was asked to enable it in. */
  region: string;
  /** Every region where Identity Center may be enabled (the chosen one is skipped in the scan). */
  regions: readonly string[];
  /** The instances of one region (an error in an opt-in region that is off counts as none). */
  listInstances(region: string): Promise<IdentityCenterInstance[]>;
  timeoutMs: number;
  /** How often the other regions are looked at (default 30 s). */
  otherRegionsEveryMs?: number;
  backoff?: Backoff;
  signal?: AbortSignal;
  timeoutHint?: string;
  /** After each look: how long it has been, and whether the other regions were looked at too. */
  onLook?(look: { elapsedMs: number; region: string; scannedOtherRegions: boolean }): void;
  /** Clock and sleep, for tests that must not wait 30 s. */
  now?(): number;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export const OTHER_REGIONS_EVERY_MS = 30_000;

const first = (instances: IdentityCenterInstance[]) => instances.find((i) => i.status === "ACTIVE") ?? instances[0];

/** Resolves with the ACTIVE instance, in whichever region it was enabled. */
export async function watchForIdentityCenter(w: IdentityCenterWatch): Promise<IdentityCenterInstance> {
  const now = w.now ?? Date.now;
  const sleep = w.sleep ?? abortableSleep;
  const every = w.otherRegionsEveryMs ?? OTHER_REGIONS_EVERY_MS;
  const started = now();
  let region = w.region;
  let lastScan = started;
  const others = w.regions.filter((r) => r !== w.region);
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(w.signal);
    const here = first(await w.listInstances(region));
    if (here?.status === "ACTIVE") return here;
    let scanned = false;
    // Once an instance shows up anywhere (even still being created), only its region matters.
    if (!here && region === w.region && now() - lastScan >= every) {
      lastScan = now();
      scanned = true;
      const found = (await Promise.all(others.map((r) => w.listInstances(r).catch(() => [])))).map(first).find(Boolean);
      if (found?.status === "ACTIVE") return found;
      if (found) region = found.region;
    }
    const elapsed = now() - started;
    w.onLook?.({ elapsedMs: elapsed, region, scannedOtherRegions: scanned });
    if (elapsed >= w.timeoutMs) {
      throw new OperationError(
        `Timed out after ${Math.round(elapsed / 1000)} s waiting for IAM Identity Center to be enabled in ${region}.`,
        w.timeoutHint ?? "Enable it in the console, then run the same command again: everything done so far is kept.",
      );
    }
    await sleep(Math.min(backoffDelay(attempt, w.backoff), Math.max(0, w.timeoutMs - elapsed)), w.signal);
  }
}
