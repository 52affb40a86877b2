/**
 * The AWS SDK prints a multi-line `NodeVersionSupportWarning` on stderr under Node 20 at the first
 * call of every process. Repeated on every command it drowns the messages users need, so the CLI
 * drops that one warning and says it once where it belongs: `doctor` and docs/README.md.
 */
export const SUPPORTED_NODE = ">=20 (the AWS SDK asks for Node 22 or later from January 2027)";

export function isSdkNodeVersionWarning(warning: string | Error): boolean {
  const text = typeof warning === "string" ? warning : `${warning.name}: ${warning.message}`;
  return text.includes("NodeVersionSupportWarning");
}

export function silenceSdkNodeVersionWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (isSdkNodeVersionWarning(warning)) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}
