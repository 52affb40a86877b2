/**
 * A real pseudo-terminal (tmux) for tests that answer prompts the way a person types: each
 * answer is sent only once its question is on screen. `hasTmux` lets a suite skip where tmux is
 * missing (`.ci/run` installs it).
 */
import { execFileSync } from "node:child_process";
import { CLI, startProcess, type Running } from "./loginCli.js";

export const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Single-quotes a value for the shell line tmux runs. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Terminal {
  /** Runs `command` in the shell of a new 160×50 terminal; the window stays open afterwards. */
  start(command: string): void;
  screen(): string;
  keys(...keys: string[]): void;
  waitForScreen(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Waits for `question`, pauses as a reader would, then types. */
  answer(question: RegExp, ...typed: string[]): Promise<void>;
  close(): void;
}

export function openTerminal(session: string): Terminal {
  const screen = () => execFileSync("tmux", ["capture-pane", "-p", "-t", session, "-S", "-200"], { encoding: "utf8" });
  const keys = (...k: string[]) => void execFileSync("tmux", ["send-keys", "-t", session, ...k]);
  const waitForScreen = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (pattern.test(screen())) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never showed ${pattern}:\n${screen()}`);
  };
  return {
    start: (command) => void execFileSync("tmux", ["new-session", "-d", "-s", session, "-x", "160", "-y", "50", command]),
    screen,
    keys,
    waitForScreen,
    async answer(question, ...typed) {
      await waitForScreen(question);
      // A moment for the prompt to take the terminal, as a person would take to read it.
      await new Promise((r) => setTimeout(r, 150));
      for (const k of typed) keys(k);
    },
    close() {
      try {
        execFileSync("tmux", ["kill-session", "-t", session], { stdio: "ignore" });
      } catch {
        // already gone
      }
    },
  };
}

/** `cd DIR && env -i VARS node CLI ARGS; echo "EXIT=$?"; sleep 60`: the line a terminal test runs. */
export function cliCommandLine(cwd: string, env: NodeJS.ProcessEnv, cli: string, args: string[]): string {
  const assignments = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(String(v))}`).join(" ");
  return `cd ${shellQuote(cwd)} && env -i ${assignments} ${shellQuote(process.execPath)} ${shellQuote(cli)} ${args.map(shellQuote).join(" ")}; echo "EXIT=$?"; sleep 60`;
}

export const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The built CLI in a pseudo-terminal of 160 columns (util-linux `script`), for what only a
 * terminal gets: live lines redrawn in place. `stdout()` is everything written to the terminal,
 * raw: each redraw is there as `\r`, erase-line and the new text.
 */
export function startCliInPty(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Running {
  const line = `stty cols 160 rows 50; exec ${shellQuote(process.execPath)} ${shellQuote(CLI)} ${args.map(shellQuote).join(" ")}`;
  return startProcess("script", ["-qfec", line, "/dev/null"], env, cwd);
}

/** What stays on screen of each raw line: the text after its last redraw (`\r` + erase-line). */
export function visibleLines(raw: string): string[] {
  return raw
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((l) => l.split("\r\u001b[2K").at(-1)!.replace(/\r$/, ""));
}
