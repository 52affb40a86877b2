/**
 * Where the user's AWS files are: the home directory, the config and credentials files, the SSO
 * token cache. One place, resolved the way the AWS SDK for JavaScript's loader does
 * (`@smithy/shared-ini-file-loader`: `getHomeDir`, `getConfigFilepath`, `getCredentialsFilepath`,
 * `loadSharedConfigFiles`), so every command reads and writes the files the SDK and the AWS CLI
 * then use (docs/local-files.md, "`~/.aws/config`").
 */
import os from "node:os";
import path from "node:path";

/** `$HOME`, else `$USERPROFILE`, else `$HOMEDRIVE$HOMEPATH`, else the OS's answer: the SDK's `getHomeDir` order. */
export function homeDir(env: NodeJS.ProcessEnv): string {
  if (env.HOME) return env.HOME;
  if (env.USERPROFILE) return env.USERPROFILE;
  if (env.HOMEPATH) return `${env.HOMEDRIVE ?? `C:${path.sep}`}${env.HOMEPATH}`;
  return os.homedir();
}

/**
 * `~/x` is `<home>/x`, as the SDK's loader expands it. A lone `~` is the home directory, as a
 * shell and the AWS CLI (`os.path.expanduser`) read it; reading it then fails as a directory.
 */
export function expandHome(file: string, home: string): string {
  if (file === "~") return home;
  return file.startsWith("~/") ? path.join(home, file.slice(2)) : file;
}

interface FileChoice {
  /** `--config-file` / `--credentials-file`, when given. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  home: string;
  /** Relative paths are relative to this directory. */
  cwd: string;
}

/** The flag, else the variable, else `<home>/.aws/<name>`; an empty flag or variable counts as unset (the SDK uses `||`). */
function chooseFile(choice: FileChoice, variable: string, name: string): string {
  const chosen = choice.flag || choice.env[variable];
  if (!chosen) return path.join(choice.home, ".aws", name);
  return path.resolve(choice.cwd, expandHome(chosen, choice.home));
}

/** `--config-file` > `$AWS_CONFIG_FILE` > `~/.aws/config`. */
export function resolveConfigFile(choice: FileChoice): string {
  return chooseFile(choice, "AWS_CONFIG_FILE", "config");
}

/** `--credentials-file` > `$AWS_SHARED_CREDENTIALS_FILE` > `~/.aws/credentials`. */
export function resolveCredentialsFile(choice: FileChoice): string {
  return chooseFile(choice, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

/** `~/.aws/sso/cache`: the SSO token cache of the AWS CLI and SDKs (the SDK's `getSSOTokenFilepath`). */
export function ssoCacheDir(home: string): string {
  return path.join(home, ".aws", "sso", "cache");
}


/**
 * `~/.aws/org-bootstrap/cache`: the role credentials `env` and `exec` keep between runs
 * (docs/login.md, "Cached credentials"). Ours alone; the AWS CLI keeps its own in `~/.aws/cli/cache`.
 */
export function roleCredentialsCacheDir(home: string): string {
  return path.join(home, ".aws", "org-bootstrap", "cache");
}

/** `~/.aws/cli/cache`: where the AWS CLI keeps the role credentials it obtained (botocore `JSONFileCache`). */
export function awsCliCacheDir(home: string): string {
  return path.join(home, ".aws", "cli", "cache");
}
