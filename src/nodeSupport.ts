/**
 * The AWS SDK prints a multi-line `NodeVersionSupportWarning` on stderr under Node 20 at the first
 * call of every process. Repeated on every command it drowns the messages users need, so the CLI
 * drops that one warning and says it once where it belongs: `doctor` and docs/README.md.
 */
/**
 * The Node.js versions we support and test (`.ci/run` runs the suites on 20 and on 24, the current
 * LTS); `engines` in package.json says the same. Node 20 reached end of life in April 2026, and
 * AWS SDK for JavaScript releases after the first week of January 2027 require Node 22 or later
 * (the SDK's own `NodeVersionSupportWarning`, in @aws-sdk/core, links https://a.co/c895JFp).
 */
export const MIN_NODE_MAJOR = 20;
export const SUPPORTED_NODE = "20, 22 and 24 (22 or later from January 2027, when the AWS SDK drops 20)";
/** Majors that still run but are past their end of life. */
export const END_OF_LIFE_NODE_MAJORS = [20];

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
