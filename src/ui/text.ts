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

/**
 * The columns `text` takes once shown: our colour codes take none, and every other control
 * character takes the six of the `\uXXXX` that `escapeControls` shows in its place. Wrapping runs
 * before the output streams escape, so it has to count what will be shown, not what it was given.
 */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- colour codes are what we strip
  const uncoloured = text.replace(/\u001b\[\d+m/g, "");
  return uncoloured.length + 5 * (uncoloured.match(controlCharacters) ?? []).length;
}

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

/**
 * Characters a terminal obeys instead of showing: C0 controls but tab and newline (ESC starts
 * sequences that set the window title, move the cursor, rewrite the screen, make hyperlinks),
 * DEL, C1 controls (U+0080–U+009F, some terminals read U+009B as ESC [), and the bidirectional
 * overrides that reorder what is shown (https://unicode.org/reports/tr9/, "Trojan Source").
 */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const controlCharacter = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The only sequences we write ourselves: Output.style's colours and resets, and the spinner's redraw. */
// eslint-disable-next-line no-control-regex -- our own escape sequences
const ownSequence = /^(?:\u001b\[(?:1|2|22|31|32|33|36|39)m|\r\u001b\[2K)/;
const controlCharacters = new RegExp(controlCharacter.source, "g");

export interface OwnSequences {
  /** Our colour codes pass (colour is on for this stream). */
  colour: boolean;
  /** Our "return, clear line" passes (the stream is a terminal we animate on). */
  redraw: boolean;
}

/**
 * Text for a terminal: every control character shown as `\uXXXX` (also a valid JSON escape, so a
 * `--json` document means the same), except the sequences we wrote ourselves. Names from AWS or
 * from the user (a given name `Ann\e]0;PWNED\a`) are then seen, never obeyed (docs/security.md).
 */
export function escapeControls(text: string, own: OwnSequences = { colour: false, redraw: false }): string {
  if (!controlCharacter.test(text)) return text;
  let result = "";
  let last = 0;
  controlCharacters.lastIndex = 0;
  for (let m = controlCharacters.exec(text); m; m = controlCharacters.exec(text)) {
    const at = m.index;
    if (at < last) continue;
    const mine = ownSequence.exec(text.slice(at, at + 8))?.[0];
    if (mine && (mine.startsWith("\r") ? own.redraw : own.colour)) {
      result += text.slice(last, at + mine.length);
      last = at + mine.length;
      controlCharacters.lastIndex = last;
      continue;
    }
    result += `${text.slice(last, at)}\\u${m[0].charCodeAt(0).toString(16).padStart(4, "0")}`;
    last = at + 1;
  }
  return result + text.slice(last);
}
