/**
 * The critical path of `init`: the longest chain of AWS calls and AWS-side waits that must follow
 * one another, with the delays the emulator imposes. Pure: no I/O, no clock.
 *
 * The chain is modelled explicitly from the flow of docs/init.md (see bench/README.md, "The
 * critical-path model"): each node is one call (its duration: the emulator's latency for that
 * operation) or one piece of asynchronous AWS work (account creation, an account assignment),
 * with the nodes it must wait for, and, for calls AWS paces, the earliest moment AWS accepts it.
 * An ideal client starts every node the moment its inputs exist and polls a finished piece of
 * work with one read at the instant it finishes; nothing real can beat that, so wall time divided
 * by this figure says how much the implementation loses.
 */

/**
 * @typedef {{ id: string, label: string, durationMs: number, deps: string[],
 *   notBefore?: { node: string, offsetMs: number } }} PathNode
 */

/**
 * Earliest start and finish of every node, in the order given (each node after its dependencies),
 * and the longest chain ending at the last-finishing node.
 * @param {PathNode[]} nodes
 */
export function longestPath(nodes) {
  /** @type {Map<string, { start: number, end: number, via?: string }>} */
  const times = new Map();
  for (const node of nodes) {
    let start = 0;
    let via;
    for (const dep of node.deps) {
      const t = times.get(dep);
      if (!t) throw new Error(`critical path: ${node.id} depends on ${dep}, which is not before it`);
      if (t.end > start) {
        start = t.end;
        via = dep;
      }
    }
    if (node.notBefore) {
      const anchor = times.get(node.notBefore.node);
      if (!anchor) throw new Error(`critical path: ${node.id} is paced after ${node.notBefore.node}, which is not before it`);
      const paced = anchor.start + node.notBefore.offsetMs;
      if (paced > start) {
        start = paced;
        via = node.notBefore.node;
      }
    }
    if (times.has(node.id)) throw new Error(`critical path: duplicate node ${node.id}`);
    times.set(node.id, { start, end: start + node.durationMs, via });
  }
  let last;
  for (const node of nodes) if (!last || times.get(node.id).end > times.get(last.id).end) last = node;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const chain = [];
  for (let id = last?.id; id !== undefined; id = times.get(id).via) {
    const t = times.get(id);
    chain.unshift({ id, label: byId.get(id).label, startMs: t.start, endMs: t.end });
  }
  return { totalMs: last ? times.get(last.id).end : 0, chain, times };
}

/**
 * How long a call takes in the emulator: its own latency if one is set, else the common one.
 * @param {{ callLatencyMs: number, latencyByOperation?: Record<string, number> }} timings
 * @param {string} operation
 */
export function latencyOf(timings, operation) {
  return timings.latencyByOperation?.[operation] ?? timings.callLatencyMs;
}

/**
 * When the k-th (0-based) call of a token-bucket-limited operation can start, counted from the
 * first one: the bucket starts full (`burst` calls at once), then refills at `rate` per second.
 * @param {number} k
 * @param {{ rate: number, burst: number }} limit
 */
export function pacingOffsetMs(k, limit) {
  return k < limit.burst ? 0 : Math.ceil(((k - limit.burst + 1) / limit.rate) * 1000);
}

/**
 * The dependency graph of `init` on a fresh account (no organization yet; Identity Center
 * already enabled, since the console step is a person's, not a call), for `stages` new accounts.
 *
 * @param {{
 *   stages: number,
 *   timings: { callLatencyMs: number, latencyByOperation?: Record<string, number>, createAccountMs: number, assignmentMs: number },
 *   createAccountLimit?: { rate: number, burst: number },
 *   maxCreationsInProgress?: number,
 *   maxOutstandingAssignments?: number,
 * }} o
 * @returns {PathNode[]}
 */
export function initGraph(o) {
  const L = (op) => latencyOf(o.timings, op);
  const limit = o.createAccountLimit;
  const inProgressCap = o.maxCreationsInProgress ?? 5;
  const outstandingCap = o.maxOutstandingAssignments ?? 10;
  /** @type {PathNode[]} */
  const nodes = [];
  const call = (id, operation, deps, extra = {}) => nodes.push({ id, label: operation, durationMs: L(operation), deps, ...extra });
  const wait = (id, label, durationMs, deps) => nodes.push({ id, label, durationMs, deps });

  // §3.1–2: who the caller is and whether an organization exists; both needed before creating one.
  call("caller", "GetCallerIdentity", []);
  call("describe-org", "DescribeOrganization", []);
  call("create-org", "CreateOrganization", ["caller", "describe-org"]);

  // §3.3, 5, 6: Identity Center, independent of the organization's accounts. Find-or-create
  // needs one read before each create, so a re-run never creates twice.
  call("instance", "ListInstances", []);
  call("find-sets", "ListPermissionSets", ["instance"]);
  call("create-set", "CreatePermissionSet", ["find-sets"]);
  call("attach-policy", "AttachManagedPolicyToPermissionSet", ["create-set"]);
  call("find-group", "GetGroupId", ["instance"]);
  call("create-group", "CreateGroup", ["find-group"]);
  call("find-user", "GetUserId", ["instance"]);
  call("create-user", "CreateUser", ["find-user"]);
  call("membership", "CreateGroupMembership", ["create-group", "create-user"]);

  // §3.4: accounts need the organization; AWS accepts CreateAccount at its own rate (burst, then
  // paced) and at most `inProgressCap` creations at once; each one is seen by one read once done.
  for (let k = 0; k < o.stages; k++) {
    const deps = ["create-org"];
    if (k >= inProgressCap) deps.push(`account-${k - inProgressCap}-created`);
    const offsetMs = limit ? pacingOffsetMs(k, limit) : 0;
    call(`account-${k}`, "CreateAccount", deps, offsetMs > 0 ? { notBefore: { node: "account-0", offsetMs }, label: `CreateAccount (AWS accepts it ${offsetMs / 1000} s after the first)` } : {});
    wait(`account-${k}-created`, "account creation (AWS)", o.timings.createAccountMs, [`account-${k}`]);
    call(`account-${k}-seen`, "DescribeCreateAccountStatus", [`account-${k}-created`]);
  }

  // §3.7: the group gets the permission set in the management account and every stage account,
  // once the set (with its policy) and the group exist and the account's id is known; at most
  // `outstandingCap` assignment operations at once.
  const targets = [{ id: "management", deps: ["caller"] }, ...Array.from({ length: o.stages }, (_, k) => ({ id: `stage-${k}`, deps: [`account-${k}-seen`] }))];
  targets.forEach((t, j) => {
    const deps = [...t.deps, "attach-policy", "create-group"];
    if (j >= outstandingCap) deps.push(`assign-${targets[j - outstandingCap].id}-done`);
    call(`assign-${t.id}`, "CreateAccountAssignment", deps);
    wait(`assign-${t.id}-done`, "account assignment (AWS)", o.timings.assignmentMs, [`assign-${t.id}`]);
    call(`assign-${t.id}-seen`, "DescribeAccountAssignmentCreationStatus", [`assign-${t.id}-done`]);
  });
  return nodes;
}

/** The critical path of `init` for these settings (see `initGraph`). */
export function initCriticalPath(o) {
  return longestPath(initGraph(o));
}

/** One line per step of a chain: "  0.08 s  CreateOrganization". */
export function describeChain(chain) {
  return chain.map((c) => `${(c.startMs / 1000).toFixed(2).padStart(7)} s → ${(c.endMs / 1000).toFixed(2).padStart(7)} s  ${c.label}`);
}
