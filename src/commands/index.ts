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
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}
