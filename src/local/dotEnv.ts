/**
 * The `AWS_PROFILE` line of a project's `.env`, which SST loads into its environment — and since
 * late 2024 an `AWS_PROFILE` there wins over sst.config.ts's per-stage profile
 * (https://sst.dev/docs/iam-credentials). The dotenv syntax SST reads: `KEY=value`, optionally
 * `export KEY=value`, values optionally quoted, `#` comments. Pure.
 */
export function findDotEnvProfile(text: string): { line: number; value: string } | undefined {
  const lines = text.split(/\r?\n/);
  let found: { line: number; value: string } | undefined;
  lines.forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?AWS_PROFILE\s*=\s*(.*)$/.exec(raw);
    if (!m) return;
    let value = m[1].trim();
    // A quoted value ends at its closing quote (a comment may follow); a bare one at ` #`.
    const quoted = /^(["'`])(.*?)\1/.exec(value);
    value = quoted ? quoted[2] : value.replace(/(^|\s+)#.*$/, "").trim();
    // The last assignment wins, as dotenv reads the file; an empty value sets no profile.
    found = value ? { line: i + 1, value } : undefined;
  });
  return found;
}
