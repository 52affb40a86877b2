/**
 * `--help`, rendered from the command table alone (src/commands/index.ts): the usage line is
 * generated from the options and arguments, so it can never miss one, and every line is wrapped
 * between words at the given width with continuation lines indented under what they continue.
 */
import type { CommandSpec, OptionSpec } from "../commands/types.js";
import { TERMINAL_WIDTH, visibleLength, wrap, wrapCommand } from "./text.js";

const globalOptions: Record<string, OptionSpec> = {
  help: { type: "boolean", short: "h", description: "Show help" },
  verbose: { type: "boolean", description: "Show details of failures (never secrets)" },
};

/** The flag column is at most this wide; a longer flag gets its description on the next line. */
const MAX_FLAG_COLUMN = 30;

export function renderGlobalHelp(commands: CommandSpec[], version: string, width: number = TERMINAL_WIDTH): string {
  const nameWidth = Math.max(...commands.map((c) => c.name.length));
  return [
    `org-bootstrap ${version}`,
    ...wrap(
      "From one AWS account to an AWS Organization with IAM Identity Center, dev and production accounts, SSO users and a working ~/.aws/config. No long-lived keys.",
      "",
      "",
      width,
    ),
    "",
    "Usage: org-bootstrap <command> [options]",
    "",
    "Commands:",
    ...commands.flatMap((c) => columns(`  ${c.name.padEnd(nameWidth)}  `, c.summary, width)),
    "",
    "Options:",
    ...columns("  -h, --help     ", "Show help (also: org-bootstrap <command> --help)", width),
    ...columns("  -V, --version  ", "Print the version", width),
    "",
    "Exit codes: 0 done, 1 failed, 2 bad usage or input, 130 cancelled.",
    "Docs: docs/README.md",
  ].join("\n");
}

/** One option as the usage line shows it: `[--group NAME]...`, `--profile NAME`, `[--yes]`. */
function usageWord(name: string, o: OptionSpec): string {
  const flag = `--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
  return `${o.required ? flag : `[${flag}]`}${o.multiple ? "..." : ""}`;
}

/** `org-bootstrap add-account <stage> [--email EMAIL] ... [--json]`, from the table. */
export function usageLine(spec: CommandSpec): string {
  return [
    "org-bootstrap",
    spec.name,
    ...(spec.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[<${p.name}>]`)),
    ...Object.entries(spec.options).map(([name, o]) => usageWord(name, o)),
    ...(spec.usageTail ? [spec.usageTail] : []),
  ].join(" ");
}

/** A two-column row; the text wraps under its own column. */
function columns(left: string, text: string, width: number): string[] {
  return wrap(text, left, " ".repeat(visibleLength(left)), width);
}

/**
 * The details text: lines starting at column 0 are prose, joined into paragraphs and re-wrapped;
 * indented lines (examples) are kept as written, and a command too long for the width is broken
 * with ` \` continuations so it still pastes.
 */
function renderDetails(details: string, width: number): string[] {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(...wrap(paragraph.join(" "), "", "", width));
    paragraph = [];
  };
  for (const line of details.split("\n")) {
    if (line !== "" && !/^\s/.test(line)) {
      paragraph.push(line);
      continue;
    }
    flush();
    if (line.length <= width) out.push(line);
    else {
      const indent = /^\s*/.exec(line)?.[0] ?? "";
      const text = line.slice(indent.length);
      out.push(...(text.startsWith("org-bootstrap ") ? wrapCommand(text, indent, `${indent}    `, width) : wrap(text, indent, `${indent}  `, width)));
    }
  }
  flush();
  return out;
}

export function renderCommandHelp(spec: CommandSpec, width: number = TERMINAL_WIDTH): string {
  const all = { ...spec.options, ...globalOptions };
  const rows = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return [flag, o.description + (o.multiple ? " (repeatable)" : "")] as const;
  });
  const flagWidth = Math.min(MAX_FLAG_COLUMN, Math.max(...rows.map(([f]) => f.length)));
  const descriptionColumn = " ".repeat(2 + flagWidth + 2);
  const lines = [...wrap(usageLine(spec).replace(/^org-bootstrap /, ""), "Usage: org-bootstrap ", " ".repeat(9), width), ""];
  lines.push(...wrap(spec.summary, "", "", width));
  if (spec.details) lines.push("", ...renderDetails(spec.details, width));
  if (spec.positionals?.length) {
    lines.push("", "Arguments:");
    const nameWidth = Math.max(...spec.positionals.map((p) => p.name.length));
    for (const p of spec.positionals) lines.push(...columns(`  ${p.name.padEnd(nameWidth)}  `, `${p.description}${p.required ? "" : " (optional)"}`, width));
  }
  lines.push("", "Options:");
  for (const [flag, description] of rows) {
    if (flag.length > flagWidth) lines.push(`  ${flag}`, ...wrap(description, descriptionColumn, descriptionColumn, width));
    else lines.push(...wrap(description, `  ${flag.padEnd(flagWidth)}  `, descriptionColumn, width));
  }
  return lines.join("\n");
}

/**
 * A group word's help (`ci --help`, `help ci`): its subcommands with their summaries, as the
 * global help lists commands, and where each one's own help is.
 */
export function renderGroupHelp(group: string, subcommands: CommandSpec[], width: number = TERMINAL_WIDTH): string {
  const names = subcommands.map((c) => c.name.slice(group.length + 1));
  const nameWidth = Math.max(...names.map((n) => n.length));
  return [
    `Usage: org-bootstrap ${group} <subcommand> [options]`,
    "",
    "Subcommands:",
    ...subcommands.flatMap((c, i) => columns(`  ${names[i].padEnd(nameWidth)}  `, c.summary, width)),
    "",
    ...wrap(`Run: org-bootstrap ${group} <subcommand> --help`, "", "", width),
  ].join("\n");
}

export { globalOptions };
