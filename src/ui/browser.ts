/**
 * Opens a URL in the person's browser — a convenience, never required: the URL is always printed
 * too, and any failure here is ignored. `$BROWSER` wins when set (as Python's `webbrowser`, which
 * the AWS CLI uses, honours it); otherwise `open` (macOS), `start` (Windows) or `xdg-open`.
 */
import { spawn } from "node:child_process";

export function browserCommand(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): [string, string[]] {
  const custom = env.BROWSER?.split(":")[0]?.trim();
  if (custom) return [custom, [url]];
  if (platform === "darwin") return ["open", [url]];
  // `start` is a cmd builtin; the empty "" is the window title it would otherwise take from the URL.
  if (platform === "win32") return ["cmd", ["/c", "start", '""', url.replace(/&/g, "^&")]];
  return ["xdg-open", [url]];
}

/** Starts the browser and does not wait for it. Resolves false when it could not be started. */
export function openBrowser(url: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const [command, args] = browserCommand(url, env);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { detached: true, stdio: "ignore", env });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
