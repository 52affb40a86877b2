/**
 * Before any command starts: the files it and the AWS SDK will read must be regular files or
 * absent (docs/errors.md, "Hostile files"). The SDK reads the AWS config and credentials files
 * for every client it makes, whatever our flags say, and blocks forever on a named pipe there;
 * init, add-account and close-account also read the project's package.json and sst.config.ts. A
 * named pipe, device, socket or directory at (or behind a link at) one of these paths stops the
 * command with one line, exit 2, before any AWS call.
 *
 * Kept free of heavy imports: it runs on every command's start (not for --help).
 */
import os from "node:os";
import path from "node:path";
import { statRegularFile } from "./regularFile.js";

export interface PreflightInput {
  options: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The command edits the project's files (it takes --project-dir). */
  projectFiles: boolean;
}

export async function checkLocalFilesFirst(input: PreflightInput): Promise<void> {
  const home = input.env.HOME || os.homedir();
  const flag = (name: string) => (typeof input.options[name] === "string" ? (input.options[name] as string) : undefined);
  const expand = (p: string) => (p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p);
  const resolve = (p: string) => path.resolve(input.cwd, expand(p));
  const tilde = (file: string) => (file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file);

  const files = new Map<string, string>();
  const add = (file: string, label: string) => {
    if (!files.has(file)) files.set(file, label);
  };
  const configFlag = flag("config-file");
  if (configFlag) add(resolve(configFlag), tilde(resolve(configFlag)));
  // What the SDK reads, with or without our flags (its own order: the variable, else the default).
  const config = input.env.AWS_CONFIG_FILE ? resolve(input.env.AWS_CONFIG_FILE) : path.join(home, ".aws", "config");
  add(config, tilde(config));
  const credentialsFlag = flag("credentials-file");
  if (credentialsFlag) add(resolve(credentialsFlag), "the AWS credentials file");
  const credentials = input.env.AWS_SHARED_CREDENTIALS_FILE ? resolve(input.env.AWS_SHARED_CREDENTIALS_FILE) : path.join(home, ".aws", "credentials");
  add(credentials, "the AWS credentials file");
  if (input.projectFiles) {
    const projectDir = flag("project-dir") ? resolve(flag("project-dir") as string) : input.cwd;
    add(path.join(projectDir, "package.json"), "package.json");
    add(path.join(projectDir, "sst.config.ts"), "sst.config.ts");
  }
  for (const [file, label] of files) await statRegularFile(file, label);
}
