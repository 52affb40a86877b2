/**
 * Plain-text layout shared by every view: the width we lay out for, and word-wrapping with a
 * hanging indent, so long lines break between words instead of wherever the terminal cuts them.
 */

/** Views are laid out for 80 columns: readable in any terminal, and in pasted logs. */
export const TERMINAL_WIDTH = 80;

// eslint-disable-next-line no-control-regex -- colour codes are what we strip
const visibleLength = (text: string) => text.replace(/\u001b\[\d+m/g, "").length;

/** Word-wraps `text` to 80 columns (colour codes take no room); lines after the first get `hang` (indentation). */
export function wrap(text: string, first: string, hang: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ")) {
    const sep = line === first || line === hang ? "" : " ";
    if (visibleLength(line) + sep.length + visibleLength(word) > TERMINAL_WIDTH && line.trim() !== "") {
      lines.push(line);
      line = hang + word;
    } else line += sep + word;
  }
  lines.push(line);
  return lines;
}
