import type { CommandSpec, OptionSpec } from "../commands/types.js";

const globalOptions: Record<string, OptionSpec> = {
  help: { type: "boolean", short: "h", description: "Show help" },
  verbose: { type: "boolean", description: "Show details of failures (never secrets)" },
};

export function renderGlobalHelp(commands: CommandSpec[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `org-bootstrap ${version}`,
    "From one AWS account to an AWS Organization with IAM Identity Center, dev and",
    "production accounts, SSO users and a working ~/.aws/config. No long-lived keys.",
    "",
    "Usage: org-bootstrap <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     Show help (also: org-bootstrap <command> --help)",
    "  -V, --version  Print the version",
    "",
    "Exit codes: 0 done, 1 failed, 2 bad usage or input, 130 cancelled.",
    "Docs: docs/README.md",
  ].join("\n");
}

export function renderCommandHelp(spec: CommandSpec): string {
  const all = { ...spec.options, ...globalOptions };
  const rows = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return [flag, o.description + (o.multiple ? " (repeatable)" : "")] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  const lines = [`Usage: ${spec.usage}`, "", spec.summary];
  if (spec.details) lines.push("", spec.details);
  if (spec.positionals?.length) {
    lines.push("", "Arguments:");
    for (const p of spec.positionals) lines.push(`  ${p.name}  ${p.description}${p.required ? "" : " (optional)"}`);
  }
  lines.push("", "Options:", ...rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`));
  return lines.join("\n");
}

export { globalOptions };
