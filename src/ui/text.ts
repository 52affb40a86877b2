/**
 * Plain-text layout shared by every view: the width we lay out for, and word-wrapping with a
 * hanging indent, so long lines break between words instead of wherever the terminal cuts them.
 */

/** Views are laid out for 80 columns: readable in any terminal, and in pasted logs. */
export const TERMINAL_WIDTH = 80;

/** Narrower than this, wrapping makes things worse (one word a line): lay out for this instead. */
const MIN_WIDTH = 40;

/** The width to wrap at: the terminal's, or 80 when the stream is not a terminal (pipes, logs, CI). */
export function widthOf(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY && stream.columns ? Math.max(MIN_WIDTH, stream.columns) : TERMINAL_WIDTH;
}

// eslint-disable-next-line no-control-regex -- colour codes are what we strip
export const visibleLength = (text: string) => text.replace(/\u001b\[\d+m/g, "").length;

/**
 * The words of a line. A short bracketed group (`[--org-name NAME]`, `[sso-session acme]`,
 * `<identity store id>`) stays one word, so a usage line or a block name never breaks inside it.
 */
function wordsOf(text: string): string[] {
  return text.match(/\S*\[[^[\]\n]{0,40}\]\S*|\S*<[^<>\n]{0,40}>\S*|\S+/g) ?? [];
}

/** Word-wraps `text` to `width` columns (colour codes take no room); lines after the first get `hang` (indentation). */
export function wrap(text: string, first: string, hang: string, width: number = TERMINAL_WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of wordsOf(text)) {
    const sep = empty ? "" : " ";
    if (!empty && visibleLength(line) + sep.length + visibleLength(word) > width) {
      lines.push(line);
      line = hang + word;
    } else line += sep + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * A message of one or more lines, each wrapped to `width`: the first line starts with `first` and
 * continues under `hang`; later lines start with `later` plus their own indentation and continue
 * two columns further in. Lines that fit are left exactly as they are.
 */
export function wrapMessage(text: string, first: string, hang: string, width: number = TERMINAL_WIDTH, later: string = first): string[] {
  return text.split("\n").flatMap((raw, i) => {
    const indent = /^\s*/.exec(raw)?.[0] ?? "";
    const lead = i === 0 ? first : later;
    if (visibleLength(lead + raw) <= width) return [lead + raw];
    return wrap(raw.slice(indent.length), lead + indent, i === 0 ? hang + indent : `${later}${indent}  `, width);
  });
}

/**
 * A shell command line broken between words with ` \` continuations, so the result still pastes
 * as one command.
 */
export function wrapCommand(text: string, first: string, hang: string, width: number = TERMINAL_WIDTH): string[] {
  const lines = wrap(text, first, hang, width - 2);
  return lines.map((l, i) => (i < lines.length - 1 ? `${l} \\` : l));
}
