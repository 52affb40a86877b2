/**
 * The command table: every command's name, help and flags, and a lazy loader.
 * Help is rendered from this table alone, so `--help` never loads an AWS SDK client (DESIGN §7).
 * Commands appear here only once they work: no stubs.
 */
import type { CommandSpec, OptionSpec } from "./types.js";

/** Flags every mutating command takes (DESIGN §2). */
export const mutatingOptions: Record<string, OptionSpec> = {
  "dry-run": { type: "boolean", description: "Show what would change, change nothing" },
  yes: { type: "boolean", short: "y", description: "Answer yes to every confirmation (unattended runs)" },
};

export const jsonOption: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "Print one JSON document on stdout and nothing else" },
};

export const commands: CommandSpec[] = [
  {
    name: "sandbox",
    summary: "Run the emulated AWS locally and print how to point AWS tools at it",
    usage: "org-bootstrap sandbox [--port N] [--delays none|fast|aws] [--identity-center enabled|disabled]",
    details: [
      "Starts the built-in emulated AWS (STS, Organizations, IAM Identity Center, Identity Store,",
      "SSO OIDC and the access portal) on 127.0.0.1 in the foreground. Point the AWS CLI, the SDKs or",
      "org-bootstrap itself at it with AWS_ENDPOINT_URL and the dummy credentials it prints.",
      "Stop it with Ctrl-C; its state lives in memory only.",
    ].join("\n"),
    options: {
      port: { type: "string", value: "N", description: "Port to listen on (default: a free one)" },
      delays: { type: "string", value: "MODE", description: "none, fast (default) or aws: how long async work takes" },
      "identity-center": { type: "string", value: "STATE", description: "enabled or disabled (default) at start" },
      caller: { type: "string", value: "KIND", description: "root (default), iam-user or member: who GetCallerIdentity says you are" },
    },
    load: () => import("./sandbox.js"),
  },
  {
    name: "login",
    summary: "Log in to IAM Identity Center (SSO) for the AWS CLI, SDKs and SST — no AWS CLI needed",
    usage: "org-bootstrap login [--sso-session NAME] [--device-code | --pkce] [--no-browser] [--force]",
    details: [
      "Uses the cached SSO token while it has more than 15 minutes left, refreshes it silently while",
      "the refresh token is valid, and otherwise signs in in the browser (authorization code with PKCE,",
      "redirected to 127.0.0.1) or with a device code. The device code flow is chosen automatically in",
      "SSH sessions, containers and WSL, where a browser may not reach this machine's 127.0.0.1.",
      "Writes ~/.aws/sso/cache/<sha1 of the session name>.json, the cache `aws sso login` writes.",
      "The session comes from --sso-session, else the only [sso-session] in the config, else a question.",
    ].join("\n"),
    options: {
      "sso-session": { type: "string", value: "NAME", description: "The [sso-session NAME] block to log in with" },
      "device-code": { type: "boolean", description: "Use the device code flow (approve on any device)" },
      pkce: { type: "boolean", description: "Use the browser flow even where the device code flow would be chosen" },
      "no-browser": { type: "boolean", description: "Do not open a browser; print the URL to open" },
      force: { type: "boolean", description: "Log in again even if the cached token is still valid" },
      "config-file": { type: "string", value: "FILE", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
      ...jsonOption,
    },
    load: () => import("./login.js"),
  },
  {
    name: "logout",
    summary: "End the SSO portal session and remove its cached token",
    usage: "org-bootstrap logout [--sso-session NAME]",
    options: {
      "sso-session": { type: "string", value: "NAME", description: "The [sso-session NAME] to log out of" },
      "config-file": { type: "string", value: "FILE", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
      ...jsonOption,
    },
    load: () => import("./logout.js"),
  },
  {
    name: "env",
    summary: "Print temporary credentials of an SSO profile as exports or credential_process JSON",
    usage: "org-bootstrap env --profile NAME [--format sh|fish|powershell|json]",
    details: [
      "For tools that cannot read SSO profiles: eval \"$(org-bootstrap env --profile acme-dev)\".",
      "--format json prints the credential_process document (Version 1, with Expiration), so a profile",
      "can use: credential_process = org-bootstrap env --profile acme-dev --format json",
      "Logs in first when the session has expired and a terminal is present.",
    ].join("\n"),
    options: {
      profile: { type: "string", value: "NAME", description: "The SSO profile whose role to use" },
      format: { type: "string", value: "FORMAT", description: "sh (default), fish, powershell or json" },
      "device-code": { type: "boolean", description: "If a login is needed, use the device code flow" },
      pkce: { type: "boolean", description: "If a login is needed, use the browser flow" },
      "no-browser": { type: "boolean", description: "If a login is needed, print the URL instead of opening a browser" },
      "config-file": { type: "string", value: "FILE", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
    },
    load: () => import("./env.js"),
  },
  {
    name: "exec",
    summary: "Run a command with an SSO profile's temporary credentials in its environment",
    usage: "org-bootstrap exec --profile NAME -- COMMAND [ARGS...]",
    details: "Passes the command's exit code through. Logs in first when the session has expired and a terminal is present.",
    options: {
      profile: { type: "string", value: "NAME", description: "The SSO profile whose role to use" },
      "device-code": { type: "boolean", description: "If a login is needed, use the device code flow" },
      pkce: { type: "boolean", description: "If a login is needed, use the browser flow" },
      "no-browser": { type: "boolean", description: "If a login is needed, print the URL instead of opening a browser" },
      "config-file": { type: "string", value: "FILE", description: "AWS config file (default: $AWS_CONFIG_FILE or ~/.aws/config)" },
    },
    acceptsRest: true,
    load: () => import("./exec.js"),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}
