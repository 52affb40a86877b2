/**
 * Files someone else arranged (docs/security.md, "Files on your machine"; docs/errors.md, "Hostile
 * files"): a link planted in the token cache, a named pipe, device, socket or directory where a
 * file belongs, another user's or a read-only file, a byte order mark, a full disk, a directory at
 * a temp path. Each case runs the built CLI in its own HOME against the emulated AWS and checks
 * what a person would notice: the exit code, the one error line, the bytes, mode and owner of
 * every file involved, and which AWS calls were made.
 *
 * The cases that need root (a device node, another user's file, a small file system to fill)
 * run where the tests run as root, as on CI, and are skipped elsewhere.
 */
import { execFileSync } from "node:child_process";
import { promises as fs, statfsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { tokenCachePath } from "../../src/local/tokenCache.js";
import { startSandbox, type Sandbox } from "../../src/sandbox/server.js";
import { timingPresets } from "../../src/sandbox/state.js";
import { callLog, childEnv, control } from "../helpers/sandbox.js";
import { runCliApproving, unwrapped, type ApprovedRun } from "../helpers/loginCli.js";
import { seedSsoWorld } from "../helpers/ssoSeed.js";
import { init } from "./badInput.cases.js";
import { ssoConfigText } from "../helpers/configText.js";

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ identityCenterEnabled: true, timings: timingPresets.none });
});
afterAll(() => sandbox.close());

const homes: string[] = [];
afterEach(async () => {
  for (const home of homes.splice(0)) await fs.rm(home, { recursive: true, force: true }).catch(() => {});
});

interface Home {
  home: string;
  project: string;
  aws: string;
  config: string;
  env: NodeJS.ProcessEnv;
}

async function makeHome(root = os.tmpdir()): Promise<Home> {
  const home = await fs.mkdtemp(path.join(root, "ob-hostile-"));
  homes.push(home);
  const project = path.join(home, "project");
  await fs.mkdir(project);
  await fs.writeFile(path.join(project, "package.json"), '{\n  "name": "app"\n}\n');
  const aws = path.join(home, ".aws");
  await fs.mkdir(aws, { mode: 0o700 });
  return { home, project, aws, config: path.join(aws, "config"), env: childEnv(sandbox, { HOME: home }) };
}

type Run = ApprovedRun;

/** The built CLI in this suite's world; a device code it prints is approved, as a person would. */
function runCli(args: string[], h: Home, options: { uid?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return runCliApproving(sandbox.url, args, { env: options.env ?? h.env, cwd: h.project, ...(options.uid !== undefined ? { uid: options.uid } : {}) });
}

/** The `✖` lines (wrapped ones joined), with HOME written as `~`. */
function errorLines(run: Run, h: Home): string[] {
  return unwrapped(run.stderr)
    .replaceAll(h.home, "~")
    .split("\n")
    .filter((l) => l.startsWith("✖"));
}

function expectRefused(run: Run, h: Home, message: string) {
  expect(run.hung, "the command hung").toBe(false);
  expect(run.code, run.stderr).toBe(2);
  const lines = errorLines(run, h);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toContain(message);
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

async function resetWorld() {
  await control(sandbox, "POST", "/reset", { identityCenterEnabled: true });
}

const mutatingCalls = async () => (await callLog(sandbox)).filter((c) => c.mutating).map((c) => c.operation);

/** A file's bytes, mode and owner: what must not change. */
async function fileState(file: string) {
  const stat = await fs.lstat(file);
  return { bytes: (await fs.readFile(file)).toString("base64"), mode: (stat.mode & 0o7777).toString(8), uid: stat.uid, gid: stat.gid };
}

const sessionConfig = ssoConfigText();

/** Every refusal these tests expect, as printed; docs/errors.md lists each (last test). */
const M = {
  fifoConfig: "Cannot read ~/.aws/config: it is a named pipe (FIFO), not a file.",
  fifoCredentials: "Cannot read the AWS credentials file: it is a named pipe (FIFO), not a file.",
  fifoPackageJson: "Cannot read package.json: it is a named pipe (FIFO), not a file.",
  fifoSstConfig: "Cannot read sst.config.ts: it is a named pipe (FIFO), not a file.",
  linkToFifo: "Cannot read ~/.aws/config: it is a symbolic link to a named pipe (FIFO), not a file.",
  linkToDevice: "Cannot read ~/.aws/config: it is a symbolic link to a character device, not a file.",
  socket: "Cannot read ~/.aws/config: it is a socket, not a file.",
  linkToDirectory: "Cannot read ~/.aws/config: it is a symbolic link to a directory, not a file.",
  cacheDirOpen: "Refusing to keep SSO tokens in ~/.aws/sso/cache: other users can write to it (mode 0777).",
  linkInCache: "it is a symbolic link, not a file the AWS CLI wrote.",
  awsDirOpen: "Refusing to keep SSO tokens in ~/.aws: other users can write to it (mode 0775).",
  readOnlyConfig: "Refusing to change ~/.aws/config: it is read-only (mode 0400).",
  readOnlyPackageJson: "Refusing to change package.json: it is read-only (mode 0444).",
  othersConfig: "Refusing to change ~/.aws/config: it belongs to root (uid 0), and rewriting it would make it yours.",
  linkAtBackup: "Cannot keep a backup at ~/.aws/config.org-bootstrap.bak: it is a symbolic link.",
  awsDirReadOnly: "Cannot write ~/.aws/config: the directory ~/.aws is not writable (mode 0500).",
  homeReadOnly: "Cannot write ~/.aws/config: ~/.aws does not exist, and the directory ~ is not writable (mode 0500).",
  awsDirAFile: "Cannot read ~/.aws/config: a part of its path is not a directory.",
  projectReadOnlyPackageJson: "Cannot write package.json: the directory ~/project is not writable (mode 0500).",
  projectReadOnlySstConfig: "Cannot write sst.config.ts: the directory ~/project is not writable (mode 0500).",
};

describe("a named pipe, device, socket or directory where a file belongs: exit 2 before any AWS call, never a hang", () => {
  for (const args of [init(), ["status"], ["login", "--device-code", "--no-browser"], ["env", "--profile", "acme-dev"], ["doctor"]]) {
    it(`mkfifo ~/.aws/config, then ${args[0]}`, async () => {
      await resetWorld();
      const h = await makeHome();
      execFileSync("mkfifo", [h.config]);
      await control(sandbox, "DELETE", "/calls");
      const run = await runCli(args, h);
      expectRefused(run, h, M.fifoConfig);
      expect(await callLog(sandbox)).toEqual([]);
      expect((await fs.lstat(h.config)).isFIFO()).toBe(true);
    });
  }

  const cases: { name: string; args: string[]; setup: (h: Home) => Promise<string>; message: string; rootOnly?: boolean }[] = [
    {
      name: "a named pipe at ~/.aws/credentials",
      args: ["status"],
      setup: async (h) => {
        await fs.writeFile(h.config, sessionConfig);
        execFileSync("mkfifo", [path.join(h.aws, "credentials")]);
        return path.join(h.aws, "credentials");
      },
      message: M.fifoCredentials,
    },
    {
      name: "a named pipe at the project's package.json",
      args: init(),
      setup: async (h) => {
        const file = path.join(h.project, "package.json");
        await fs.rm(file);
        execFileSync("mkfifo", [file]);
        return file;
      },
      message: M.fifoPackageJson,
    },
    {
      name: "a named pipe at the project's sst.config.ts",
      args: init(),
      setup: async (h) => {
        const file = path.join(h.project, "sst.config.ts");
        execFileSync("mkfifo", [file]);
        return file;
      },
      message: M.fifoSstConfig,
    },
    {
      name: "~/.aws/config, a link to a named pipe",
      args: ["login", "--device-code", "--no-browser"],
      setup: async (h) => {
        const pipe = path.join(h.home, "pipe");
        execFileSync("mkfifo", [pipe]);
        await fs.symlink(pipe, h.config);
        return pipe;
      },
      message: M.linkToFifo,
    },
    {
      name: "~/.aws/config, a link to a device node (which a write used to replace)",
      args: init(),
      rootOnly: true,
      setup: async (h) => {
        const device = path.join(h.home, "null-device");
        execFileSync("mknod", [device, "c", "1", "3"]);
        await fs.symlink(device, h.config);
        return device;
      },
      message: M.linkToDevice,
    },
    {
      name: "a socket at ~/.aws/config",
      args: ["status"],
      setup: async (h) => {
        const server = net.createServer();
        await new Promise<void>((r) => server.listen(h.config, r));
        server.unref();
        return h.config;
      },
      message: M.socket,
    },
    {
      name: "~/.aws/config, a link to a directory",
      args: ["status"],
      setup: async (h) => {
        const dir = path.join(h.home, "somewhere");
        await fs.mkdir(dir);
        await fs.symlink(dir, h.config);
        return dir;
      },
      message: M.linkToDirectory,
    },
  ];
  for (const c of cases) {
    it.skipIf(c.rootOnly && !asRoot)(`${c.name}: ${c.args[0]}`, async () => {
      await resetWorld();
      const h = await makeHome();
      const special = await c.setup(h);
      const kind = (await fs.lstat(special)).mode & 0o170000;
      await control(sandbox, "DELETE", "/calls");
      const run = await runCli(c.args, h);
      expectRefused(run, h, c.message);
      expect(await callLog(sandbox)).toEqual([]);
      // Still what it was: never read, never replaced.
      expect((await fs.lstat(special)).mode & 0o170000).toBe(kind);
    });
  }
});

describe("the token cache never follows a link and is refused where others can write", () => {
  async function loginHome() {
    sandbox.reset();
    seedSsoWorld(sandbox.state);
    const h = await makeHome();
    await fs.writeFile(h.config, sessionConfig.replace("https://d-1234567890.awsapps.com/start", `https://${[...sandbox.state.instances.values()][0].IdentityStoreId}.awsapps.com/start`));
    const env = { ...h.env };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const bashrc = path.join(h.home, ".bashrc");
    await fs.writeFile(bashrc, "export PATH=$HOME/bin:$PATH\n", { mode: 0o644 });
    await fs.chmod(bashrc, 0o644);
    return { h: { ...h, env }, bashrc, cache: path.dirname(tokenCachePath(h.home, "acme")) };
  }

  it("another user plants <sha1>.json -> ~/.bashrc in a cache directory anyone can write: login refuses, says the chmod, ~/.bashrc is untouched", async () => {
    const { h, bashrc, cache } = await loginHome();
    await fs.mkdir(cache, { recursive: true, mode: 0o700 });
    await fs.chmod(cache, 0o777);
    await fs.symlink(bashrc, tokenCachePath(h.home, "acme"));
    const before = await fileState(bashrc);
    const run = await runCli(["login", "--device-code", "--no-browser"], h);
    expectRefused(run, h, M.cacheDirOpen);
    expect(unwrapped(run.stderr)).toContain(`chmod go-w "${cache}"`);
    expect(await fileState(bashrc)).toEqual(before);
  });

  it("a link at the token's path in our own cache directory: login refuses it and writes nowhere", async () => {
    const { h, bashrc, cache } = await loginHome();
    await fs.mkdir(cache, { recursive: true, mode: 0o700 });
    await fs.symlink(bashrc, tokenCachePath(h.home, "acme"));
    const before = await fileState(bashrc);
    const run = await runCli(["login", "--device-code", "--no-browser"], h);
    expectRefused(run, h, M.linkInCache);
    expect(await fileState(bashrc)).toEqual(before);
    expect((await fs.lstat(tokenCachePath(h.home, "acme"))).isSymbolicLink()).toBe(true);
  });

  it("reading the cache never chmods a link's target", async () => {
    const { h, cache } = await loginHome();
    await fs.mkdir(cache, { recursive: true, mode: 0o700 });
    const notes = path.join(h.home, "notes.txt");
    await fs.writeFile(notes, "mine\n");
    await fs.chmod(notes, 0o644);
    await fs.symlink(notes, tokenCachePath(h.home, "acme"));
    const before = await fileState(notes);
    const run = await runCli(["login", "--device-code", "--no-browser"], h);
    expect(run.code, run.stderr).toBe(2);
    expect(await fileState(notes)).toEqual(before);
  });

  it("~/.aws writable by its group: login refuses and says the chmod", async () => {
    const { h } = await loginHome();
    await fs.chmod(h.aws, 0o775);
    const run = await runCli(["login", "--device-code", "--no-browser"], h);
    expectRefused(run, h, M.awsDirOpen);
    expect(unwrapped(run.stderr)).toContain(`chmod go-w "${h.aws}"`);
    await expect(fs.access(tokenCachePath(h.home, "acme"))).rejects.toThrow();
  });
});

describe("config, sst.config.ts and package.json keep their owner and mode, and a read-only file is refused", () => {

  it.skipIf(!asRoot)("as root, a nobody-owned config stays nobody's, with its mode; so does the backup", async () => {
    await resetWorld();
    const h = await makeHome();
    await fs.writeFile(h.config, theirs, { mode: 0o640 });
    await fs.chmod(h.config, 0o640);
    await fs.chown(h.config, NOBODY, NOBODY);
    const run = await runCli(init(), h);
    expect(run.code, run.stderr).toBe(0);
    const after = await fs.stat(h.config);
    expect([after.uid, after.gid, (after.mode & 0o7777).toString(8)]).toEqual([NOBODY, NOBODY, "640"]);
    expect(await fs.readFile(h.config, "utf8")).toContain("[profile acme-dev]");
    const backup = await fs.stat(`${h.config}.org-bootstrap.bak`);
    expect([backup.uid, backup.gid, (backup.mode & 0o777).toString(8)]).toEqual([NOBODY, NOBODY, "600"]);
    expect(await fs.readFile(`${h.config}.org-bootstrap.bak`, "utf8")).toBe(theirs);
  });

  it.skipIf(!asRoot)("as root, a nobody-owned read-only (0400) config is refused before any AWS call", async () => {
    await resetWorld();
    const h = await makeHome();
    await fs.writeFile(h.config, theirs, { mode: 0o400 });
    await fs.chown(h.config, NOBODY, NOBODY);
    const before = await fileState(h.config);
    await control(sandbox, "DELETE", "/calls");
    const run = await runCli(init(), h);
    expectRefused(run, h, M.readOnlyConfig);
    expect(unwrapped(run.stderr)).toContain(`chmod u+w "${h.config}"`);
    // It has no [sso-session acme] yet: the write is certain, so it is refused before any call.
    expect(await callLog(sandbox)).toEqual([]);
    expect(await fileState(h.config)).toEqual(before);
    expect(await fs.readdir(h.aws)).toEqual(["config"]);
  });

  it("a package.json the user made read-only is refused, not replaced", async () => {
    await resetWorld();
    const h = await makeHome();
    const pkg = path.join(h.project, "package.json");
    await fs.chmod(pkg, 0o444);
    const before = await fileState(pkg);
    await control(sandbox, "DELETE", "/calls");
    const run = await runCli(init(), h);
    expectRefused(run, h, M.readOnlyPackageJson);
    expect(await mutatingCalls()).toEqual([]);
    expect(await fileState(pkg)).toEqual(before);
  });

  it.skipIf(!asRoot)("not root, another user's config (writable by all) is refused, naming its owner, instead of becoming ours", async () => {
    await resetWorld();
    const h = await makeHome();
    await fs.writeFile(h.config, theirs, { mode: 0o666 });
    await fs.chmod(h.config, 0o666);
    // HOME, ~/.aws and the project are nobody's; only the config belongs to root.
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, h.home]);
    await fs.chown(h.config, 0, 0);
    const before = await fileState(h.config);
    await control(sandbox, "DELETE", "/calls");
    const run = await runCli(init(), h, { uid: NOBODY });
    expectRefused(run, h, M.othersConfig);
    expect(await mutatingCalls()).toEqual([]);
    expect(await fileState(h.config)).toEqual(before);
  });
});

const theirs = "[default]\nregion = eu-west-1\n";

describe("a file whose directory the write cannot land in: refused before AWS changes anything (before any AWS call when the write is certain)", () => {
  // Run as nobody, owner of HOME: root would write in a 0500 directory (and so do we then).
  const sstConfig = path.join(import.meta.dirname, "../fixtures/sst/v3-aws-object.sst.config.ts.fixture");

  async function nobodysHome(setup: (h: Home) => Promise<void> = async () => {}) {
    await resetWorld();
    const h = await makeHome();
    await setup(h);
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, h.home]);
    return h;
  }

  /** Every file under HOME with its bytes and mode, directories included. */
  async function tree(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const entry of await fs.readdir(dir, { recursive: true })) {
      const file = path.join(dir, entry);
      const stat = await fs.lstat(file);
      out[entry] = `${(stat.mode & 0o7777).toString(8)} ${stat.isFile() ? (await fs.readFile(file)).toString("base64") : stat.isDirectory() ? "dir" : "other"}`;
    }
    return out;
  }

  const initCases: { name: string; setup: (h: Home) => Promise<void>; message: string; noAwsCall: boolean }[] = [
    { name: "~/.aws is 0500, no config yet", setup: async (h) => fs.chmod(h.aws, 0o500), message: M.awsDirReadOnly, noAwsCall: true },
    {
      name: "~/.aws is 0500, a config of other profiles",
      setup: async (h) => {
        await fs.writeFile(h.config, theirs, { mode: 0o600 });
        await fs.chmod(h.aws, 0o500);
      },
      message: M.awsDirReadOnly,
      noAwsCall: true,
    },
    {
      name: "no ~/.aws and HOME is 0500",
      setup: async (h) => {
        await fs.rm(h.aws, { recursive: true });
        await fs.chmod(h.home, 0o500);
      },
      message: M.homeReadOnly,
      noAwsCall: true,
    },
    {
      name: "~/.aws is a file",
      setup: async (h) => {
        await fs.rm(h.aws, { recursive: true });
        await fs.writeFile(h.aws, "not a directory\n");
      },
      message: M.awsDirAFile,
      noAwsCall: true,
    },
    {
      name: "a read-only (0400) config of other profiles",
      setup: async (h) => fs.writeFile(h.config, theirs, { mode: 0o400 }),
      message: M.readOnlyConfig,
      noAwsCall: true,
    },
    { name: "the project directory is 0500 (package.json gets the sso script)", setup: async (h) => fs.chmod(h.project, 0o500), message: M.projectReadOnlyPackageJson, noAwsCall: false },
    {
      name: "the project directory is 0500 (sst.config.ts gets the selector)",
      setup: async (h) => {
        // No package.json (left alone then): the one write is sst.config.ts's.
        await fs.rm(path.join(h.project, "package.json"));
        await fs.copyFile(sstConfig, path.join(h.project, "sst.config.ts"));
        await fs.chmod(h.project, 0o500);
      },
      message: M.projectReadOnlySstConfig,
      noAwsCall: false,
    },
  ];
  for (const c of initCases) {
    it.skipIf(!asRoot)(`init, ${c.name}: exit 2, ${c.noAwsCall ? "no AWS call" : "no AWS change"}, no file changed`, async () => {
      const h = await nobodysHome(c.setup);
      const before = await tree(h.home);
      await control(sandbox, "DELETE", "/calls");
      const run = await runCli(init(), h, { uid: NOBODY });
      expectRefused(run, h, c.message);
      if (c.noAwsCall) expect(await callLog(sandbox)).toEqual([]);
      else expect(await mutatingCalls()).toEqual([]);
      expect(await tree(h.home)).toEqual(before);
    });
  }

  /** A clean init as nobody, with an sst.config.ts to edit; then the case's change. */
  async function afterInit(then: (h: Home) => Promise<void>) {
    const h = await nobodysHome(async (x) => fs.copyFile(sstConfig, path.join(x.project, "sst.config.ts")));
    const first = await runCli(init(), h, { uid: NOBODY });
    expect(first.code, first.stderr).toBe(0);
    await then(h);
    await control(sandbox, "DELETE", "/calls");
    return h;
  }

  const addAccountCases: { name: string; then: (h: Home) => Promise<void>; message: string; noAwsCall: boolean }[] = [
    { name: "~/.aws is 0500", then: async (h) => fs.chmod(h.aws, 0o500), message: M.awsDirReadOnly, noAwsCall: true },
    {
      name: "the config is read-only (0400)",
      then: async (h) => fs.chmod(h.config, 0o400),
      message: M.readOnlyConfig,
      noAwsCall: true,
    },
    { name: "the project directory is 0500", then: async (h) => fs.chmod(h.project, 0o500), message: M.projectReadOnlySstConfig, noAwsCall: false },
  ];
  for (const c of addAccountCases) {
    it.skipIf(!asRoot)(`add-account qa, ${c.name}: exit 2 before the account is created, no file changed`, async () => {
      const h = await afterInit(c.then);
      const before = await tree(h.home);
      const run = await runCli(["add-account", "qa", "--yes"], h, { uid: NOBODY });
      expectRefused(run, h, c.message);
      if (c.noAwsCall) expect(await callLog(sandbox)).toEqual([]);
      else expect(await mutatingCalls()).toEqual([]);
      expect(await tree(h.home)).toEqual(before);
    });
  }

  it.skipIf(!asRoot)("a re-run that changes nothing is not stopped by a read-only config, ~/.aws or project", async () => {
    const h = await afterInit(async (x) => {
      await fs.chmod(x.config, 0o400);
      await fs.chmod(x.aws, 0o500);
      await fs.chmod(x.project, 0o500);
    });
    const before = await tree(h.home);
    const run = await runCli(init(), h, { uid: NOBODY });
    expect(run.code, run.stderr).toBe(0);
    expect(await mutatingCalls()).toEqual([]);
    expect(await tree(h.home)).toEqual(before);
  });
});

describe("backups and temp files", () => {
  it("a UTF-8 byte order mark is kept, in the backup (the exact original bytes) and in the edited files", async () => {
    await resetWorld();
    const h = await makeHome();
    const original = Buffer.concat([BOM, Buffer.from("[default]\nregion = eu-west-1\n")]);
    await fs.writeFile(h.config, original, { mode: 0o600 });
    const pkg = path.join(h.project, "package.json");
    const pkgOriginal = Buffer.concat([BOM, Buffer.from('{\n  "name": "app"\n}\n')]);
    await fs.writeFile(pkg, pkgOriginal);
    const run = await runCli(init(), h);
    expect(run.code, run.stderr).toBe(0);
    expect(await fs.readFile(`${h.config}.org-bootstrap.bak`)).toEqual(original);
    expect(await fs.readFile(`${pkg}.org-bootstrap.bak`)).toEqual(pkgOriginal);
    const config = await fs.readFile(h.config);
    expect(config.subarray(0, 3)).toEqual(BOM);
    expect(config.toString("utf8")).toContain("[profile acme-dev]");
    const edited = await fs.readFile(pkg);
    expect(edited.subarray(0, 3)).toEqual(BOM);
    expect(JSON.parse(edited.subarray(3).toString("utf8")).scripts.sso).toContain("login");
  });

  it("an empty backup left by a write interrupted by a full disk is not kept as the original", async () => {
    await resetWorld();
    const h = await makeHome();
    await fs.writeFile(h.config, "[default]\nregion = eu-west-1\n", { mode: 0o600 });
    await fs.writeFile(`${h.config}.org-bootstrap.bak`, "", { mode: 0o600 });
    const run = await runCli(init(), h);
    expect(run.code, run.stderr).toBe(0);
    expect(await fs.readFile(`${h.config}.org-bootstrap.bak`, "utf8")).toBe("[default]\nregion = eu-west-1\n");
  });

  it("a link at the backup's path is refused before AWS changes anything, not reported as the original kept", async () => {
    await resetWorld();
    const h = await makeHome();
    await fs.writeFile(h.config, "[default]\nregion = eu-west-1\n", { mode: 0o600 });
    const elsewhere = path.join(h.home, "elsewhere");
    await fs.writeFile(elsewhere, "not a backup\n");
    await fs.symlink(elsewhere, `${h.config}.org-bootstrap.bak`);
    await control(sandbox, "DELETE", "/calls");
    const run = await runCli(init(), h);
    expectRefused(run, h, M.linkAtBackup);
    expect(await mutatingCalls()).toEqual([]);
    expect(await fs.readFile(elsewhere, "utf8")).toBe("not a backup\n");
  });

  it("a directory at a temp file's path (a dead writer's name) never blocks the write", async () => {
    await resetWorld();
    const h = await makeHome();
    await fs.writeFile(h.config, "[default]\nregion = eu-west-1\n", { mode: 0o600 });
    // pid 4194305 is above Linux's highest possible pid: that writer is surely gone.
    const planted = path.join(h.aws, ".config.4194305.0123456789ab.tmp");
    await fs.mkdir(planted);
    await fs.writeFile(path.join(planted, "inside"), "x");
    for (const attempt of [1, 2]) {
      const run = await runCli(init(), h);
      expect(run.code, `run ${attempt}: ${run.stderr}`).toBe(0);
    }
    expect(await fs.readFile(h.config, "utf8")).toContain("[profile acme-dev]");
    expect(await fs.readFile(path.join(planted, "inside"), "utf8")).toBe("x");
  });

  describe.skipIf(!asRoot)("a full disk (a small file system of its own)", () => {
    let mount: string | undefined;
    beforeAll(async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ob-full-"));
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", dir], { stdio: "ignore" });
        mount = dir;
      } catch {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
    afterAll(async () => {
      if (!mount) return;
      execFileSync("umount", ["-l", mount], { stdio: "ignore" });
      await fs.rm(mount, { recursive: true, force: true });
    });

    /** Fills the file system but `free` bytes. */
    async function fill(dir: string, free: number): Promise<string> {
      const filler = path.join(dir, "filler");
      const { bavail, bsize } = statfsSync(dir);
      await fs.writeFile(filler, Buffer.alloc(Math.max(0, bavail * bsize - free)));
      return filler;
    }

    const leftovers = async (dir: string) => (await fs.readdir(dir)).filter((f) => f.endsWith(".tmp") || f.endsWith(".bak"));

    it("disk full while backing up: no backup, no temp file, config unchanged; with space again the backup is the exact original", async (ctx) => {
      if (!mount) return ctx.skip();
      await resetWorld();
      const h = await makeHome(mount);
      const original = Array.from({ length: 1500 }, (_, i) => `[profile theirs-${i}]\nregion = eu-west-1\n`).join("\n");
      await fs.writeFile(h.config, original, { mode: 0o600 });
      const filler = await fill(mount, 16 * 1024);
      const full = await runCli(init(), h);
      expect(full.code).not.toBe(0);
      expect(await leftovers(h.aws)).toEqual([]);
      expect(await fs.readFile(h.config, "utf8")).toBe(original);

      await fs.rm(filler);
      const again = await runCli(init(), h);
      expect(again.code, again.stderr).toBe(0);
      expect(await fs.readFile(`${h.config}.org-bootstrap.bak`, "utf8")).toBe(original);
      expect(await fs.readFile(h.config, "utf8")).toContain("[profile acme-dev]");
    });

    it("disk full while writing the edited config: no temp file left, the config unchanged", async (ctx) => {
      if (!mount) return ctx.skip();
      await resetWorld();
      const h = await makeHome(mount);
      const original = Array.from({ length: 1500 }, (_, i) => `[profile theirs-${i}]\nregion = eu-west-1\n`).join("\n");
      await fs.writeFile(h.config, original, { mode: 0o600 });
      // The backup is there already (from an earlier run): the write that fails is the config's.
      await fs.writeFile(`${h.config}.org-bootstrap.bak`, original, { mode: 0o600 });
      const filler = await fill(mount, 16 * 1024);
      const full = await runCli(init(), h);
      expect(full.code).not.toBe(0);
      // The machine's error, translated at the entry (docs/errors.md, "The machine").
      expect(errorLines(full, h)[0]).toMatch(/^✖ Cannot write ~\/\.aws\/config: no space left on the device\. Free some space on the file system holding ~\/\.aws/);
      expect(full.stderr).not.toMatch(/looks like a bug/);
      expect((await fs.readdir(h.aws)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      expect(await fs.readFile(h.config, "utf8")).toBe(original);
      await fs.rm(filler);
    });
  });
});

describe("docs/errors.md", () => {
  it("lists every refusal these tests expect", async () => {
    const doc = await fs.readFile(new URL("../../docs/errors.md", import.meta.url), "utf8");
    expect(Object.values(M).filter((text) => !doc.includes(text))).toEqual([]);
  });
});
