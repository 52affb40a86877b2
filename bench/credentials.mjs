/**
 * Figure 7: role credentials for tools (`env --format json`, the `credential_process` contract).
 * A signed-in teammate in a temp HOME; then, interleaved so that the machine's load hits all alike:
 * `node -e 0` (the floor of any Node program), a warm `env --format json` (cached credentials),
 * a cold one (its cache file removed first: one portal GetRoleCredentials), and where the AWS CLI
 * can reach the emulator, `aws configure export-credentials` (its own cache removed first, as a
 * first `aws` call after a login would find it). The emulator's call log counts the warm runs' calls.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, startProcessForCode, timeCli, timeProcess } from "./lib/processes.mjs";

/** The installed command's entry (package.json `bin`): it answers a warm `env` itself (src/bin.cts). */
const BIN = fileURLToPath(new URL("../dist/bin.cjs", import.meta.url));
const timeBin = (args, options) => timeProcess(process.execPath, [BIN, ...args], options);
import { AWS_CLI } from "./startup.mjs";

/** Debian's AWS CLI 2.9 reads no endpoint variable: this wrapper points its SSO portal client at the emulator. */
const AWS_CLI_WITH_SSO_ENDPOINT = fileURLToPath(new URL("../test/helpers/aws-sso-endpoint.py", import.meta.url));

export async function benchCredentials(emulator, { runs = 11, warmup = 2 } = {}) {
  await emulator.reset({});
  await emulator.scenario({ seed: { accounts: 1, users: 1, groups: 1, permissionSets: 1, assignmentsPerAccount: 1 } });
  const state = await emulator.state();
  const storeId = state.instances[0].IdentityStoreId;
  const account = state.accounts.find((a) => a.Name === "seed-0001");
  const home = mkdtempSync(path.join(os.tmpdir(), "ob-bench-creds-"));
  mkdirSync(path.join(home, ".aws"), { recursive: true, mode: 0o700 });
  writeFileSync(
    path.join(home, ".aws", "config"),
    `[sso-session bench]\nsso_start_url = https://${storeId}.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n` +
      `[profile bench-dev]\nsso_session = bench\nsso_account_id = ${account.Id}\nsso_role_name = PermissionSet0001\nregion = eu-west-1\n`,
  );
  const env = { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", ...emulator.env };
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  try {
    const login = await startProcessForCode(["login", "--device-code", "--no-browser"], env, /code ([A-Z]{4}-[A-Z]{4})/);
    await globalThis.fetch(`${emulator.url}/device`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new globalThis.URLSearchParams({ user_code: login.match[1], username: "user0001@example.com", decision: "approve" }).toString(),
    });
    if ((await login.exit) !== 0) throw new Error(`login failed: ${login.output()}`);

    const ourCache = path.join(home, ".aws", "org-bootstrap", "cache");
    const cliCache = path.join(home, ".aws", "cli", "cache");
    const envArgs = ["env", "--profile", "bench-dev", "--format", "json"];
    const hasAwsCli = existsSync(AWS_CLI) && existsSync("/usr/lib/python3/dist-packages/awscli");
    const cases = [
      { name: "node -e 0", cpu: true, run: (o) => timeProcess(process.execPath, ["-e", "0"], { env, ...o }) },
      { name: "env --format json, warm", warm: true, cpu: true, run: (o) => timeBin(envArgs, { env, ...o }) },
      {
        name: "env --format json, cold",
        cpu: true,
        run: (o) => {
          rmSync(ourCache, { recursive: true, force: true });
          return timeBin(envArgs, { env, ...o });
        },
      },
    ];
    if (hasAwsCli) {
      cases.push({
        name: "aws configure export-credentials, cold",
        run: () => {
          rmSync(cliCache, { recursive: true, force: true });
          return timeProcess("/usr/bin/python3", [AWS_CLI_WITH_SSO_ENDPOINT, emulator.url, "configure", "export-credentials", "--profile", "bench-dev", "--format", "process"], {
            env: { ...env, PYTHONPATH: "/usr/lib/python3/dist-packages" },
          });
        },
      });
      cases.push({
        name: "aws configure export-credentials, warm",
        run: () =>
          timeProcess("/usr/bin/python3", [AWS_CLI_WITH_SSO_ENDPOINT, emulator.url, "configure", "export-credentials", "--profile", "bench-dev", "--format", "process"], {
            env: { ...env, PYTHONPATH: "/usr/lib/python3/dist-packages" },
          }),
      });
    }
    // The first call after the login fills the cache: every "warm" run after it finds it.
    if ((await timeCli(envArgs, { env })).code !== 0) throw new Error("env --format json failed after the login");
    const samples = new Map(cases.map((c) => [c.name, []]));
    const cpu = new Map(cases.map((c) => [c.name, []]));
    let warmCalls = 0;
    for (let i = 0; i < warmup + runs; i++) {
      for (const c of cases) {
        if (c.warm) await emulator.clearCalls();
        const r = await c.run();
        if (r.code !== 0) throw new Error(`${c.name} exited ${r.code}: ${r.stderr}`);
        if (c.warm) warmCalls += (await emulator.calls()).length;
        if (i >= warmup) samples.get(c.name).push(r.wallMs);
      }
    }
    // CPU time in runs of their own: the measuring hook (lib/peakRss.mjs) would add to the wall times above.
    for (let i = 0; i < runs; i++) {
      for (const c of cases.filter((x) => x.cpu)) {
        const r = await c.run({ peakRss: true });
        if (r.cpuMs !== undefined) cpu.get(c.name).push(r.cpuMs);
      }
    }
    const medians = Object.fromEntries([...samples].map(([name, s]) => [name, median(s)]));
    // CPU time (user + system, lib/peakRss.mjs) follows the machine's load less than wall time does.
    const cpuMedians = Object.fromEntries([...cpu].filter(([, s]) => s.length).map(([name, s]) => [name, median(s)]));
    return { runs, medians, cpuMedians, warmCalls, awsCli: hasAwsCli ? undefined : { skipped: `no AWS CLI v2 at ${AWS_CLI}` } };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
