import { describe, expect, it } from "vitest";
import { EXIT, explainSystemError, OperationError, UserError } from "../../src/errors.js";

/** An error shaped as Node gives it (fs, net): code, syscall and the path or address. */
function nodeError(code: string, fields: Record<string, unknown>): Error {
  const message = `${code}: ${String(fields.syscall)} ${String(fields.path ?? `${String(fields.address)}:${String(fields.port)}`)}`;
  return Object.assign(new Error(message), { code, errno: -1, ...fields });
}

const explained = (err: unknown, env: NodeJS.ProcessEnv = {}, context = "") => {
  const e = explainSystemError(err, env, context);
  if (!e) throw new Error("not explained");
  return { message: e.message, hint: e.hint, exit: e.exitCode, typed: e instanceof UserError || e instanceof OperationError };
};

describe("the machine's errors, one table", () => {
  it("a deleted current directory (process.cwd() fails) is the person's to fix, exit 2", () => {
    const e = explained(Object.assign(new Error("ENOENT: no such file or directory, uv_cwd"), { code: "ENOENT", errno: -2, syscall: "uv_cwd" }));
    expect(e.message).toBe("The current directory no longer exists (it was deleted or moved after the shell entered it).");
    expect(e.hint).toMatch(/^Change to a directory that exists .*run again\.$/);
    expect(e.exit).toBe(EXIT.usage);
    // Any other missing file is the command's to explain, not this table's.
    expect(explainSystemError(Object.assign(new Error("ENOENT"), { code: "ENOENT", syscall: "open", path: "/x" }))).toBeUndefined();
  });

  const file = "/home/ann/.aws/config";
  it.each([
    ["EACCES", "open", "Cannot open /home/ann/.aws/config: permission denied.", 'ls -ld "/home/ann/.aws/config"', EXIT.usage],
    ["EPERM", "chmod", "Cannot change the mode of /home/ann/.aws/config: operation not permitted.", "lsattr", EXIT.usage],
    ["EROFS", "open", "Cannot open /home/ann/.aws/config: the file system is read-only.", "read-write", EXIT.usage],
    ["ENOSPC", "write", "Cannot write /home/ann/.aws/config: no space left on the device.", 'df -h "/home/ann/.aws"', EXIT.failed],
    ["EISDIR", "open", "Cannot open /home/ann/.aws/config: it is a directory, not a file.", "Move the directory /home/ann/.aws/config away", EXIT.usage],
    ["ENOTDIR", "open", "Cannot open /home/ann/.aws/config: a part of its path is a file, not a directory.", "Move away the file", EXIT.usage],
  ])("%s (%s) names the path and the fix, exit 1 or 2", (code, syscall, message, fix, exit) => {
    const e = explained(nodeError(code, { syscall, path: file }));
    expect(e.message).toBe(message);
    expect(e.hint).toContain(fix);
    expect(e.hint).toMatch(/run again/);
    expect(e.exit).toBe(exit);
    expect(e.typed).toBe(true);
  });

  it("creating an entry names the directory whose permission is missing", () => {
    const e = explained(nodeError("EACCES", { syscall: "mkdir", path: "/home/ann/.aws/sso" }));
    expect(e.message).toBe("Cannot create the directory /home/ann/.aws/sso: permission denied.");
    expect(e.hint).toContain('Give your user access to /home/ann/.aws (ls -ld "/home/ann/.aws"');
  });

  it("our temp file is named as the file it becomes, in its directory; a rename names where it was going", () => {
    const temp = explained(nodeError("ENOSPC", { syscall: "open", path: "/home/ann/.aws/.config.4242.0123456789ab.tmp" }));
    expect(temp.message).toBe("Cannot open /home/ann/.aws/config: no space left on the device.");
    expect(temp.hint).toContain('df -h "/home/ann/.aws"');
    const rename = explained(nodeError("EACCES", { syscall: "rename", path: "/home/ann/.aws/.config.1.0123456789ab.tmp", dest: file }));
    expect(rename.message).toBe("Cannot replace /home/ann/.aws/config: permission denied.");
  });

  it("a busy port says which, and how to choose another (exit 2)", () => {
    const e = explained(nodeError("EADDRINUSE", { syscall: "listen", address: "127.0.0.1", port: 4566 }));
    expect(e.message).toBe("Cannot listen on 127.0.0.1:4566: the port is already in use.");
    expect(e.hint).toContain("--port");
    expect(e.exit).toBe(EXIT.usage);
  });

  it("a refused connection names the endpoint and every AWS_ENDPOINT_URL variable pointing there (exit 1)", () => {
    const refused = nodeError("ECONNREFUSED", { syscall: "connect", address: "127.0.0.1", port: 1 });
    const env = { AWS_ENDPOINT_URL: "http://localhost:1", AWS_ENDPOINT_URL_SSO_OIDC: "http://127.0.0.1:1/", AWS_ENDPOINT_URL_STS: "http://127.0.0.1:2", HOME: "/x" };
    const e = explained(refused, env, "Getting credentials for profile acme-dev");
    expect(e.message).toBe("Getting credentials for profile acme-dev: cannot reach 127.0.0.1:1: the connection was refused (nothing is listening there).");
    expect(e.hint).toBe("AWS_ENDPOINT_URL=http://localhost:1, AWS_ENDPOINT_URL_SSO_OIDC=http://127.0.0.1:1/ point there: start what should listen there, or correct or unset them, then run again.");
    expect(e.exit).toBe(EXIT.failed);
    expect(explained(refused, {}).hint).toMatch(/network connection, any proxy and AWS_ENDPOINT_URL/);
    const ipv6 = explained(nodeError("ECONNREFUSED", { syscall: "connect", address: "::1", port: 443 }), { AWS_ENDPOINT_URL: "https://[::1]" });
    expect(ipv6.message).toContain("Cannot reach [::1]:443");
    expect(ipv6.hint).toContain("AWS_ENDPOINT_URL=https://[::1] points there");
  });

  it("finds the errno error behind a cause or inside an AggregateError (a name tried on several addresses)", () => {
    const inner = nodeError("ECONNREFUSED", { syscall: "connect", address: "127.0.0.1", port: 9 });
    expect(explained(new AggregateError([nodeError("ECONNREFUSED", { syscall: "connect", address: "::1", port: 9 }), inner])).message).toContain("[::1]:9");
    expect(explained(new Error("wrapped", { cause: inner })).message).toContain("127.0.0.1:9");
  });

  it("leaves everything else alone: other codes, AWS errors, plain errors", () => {
    expect(explainSystemError(nodeError("ENOENT", { syscall: "open", path: file }))).toBeUndefined();
    expect(explainSystemError(Object.assign(new Error("x"), { name: "ConflictException", $metadata: {} }))).toBeUndefined();
    expect(explainSystemError(new Error("boom"))).toBeUndefined();
    expect(explainSystemError(undefined)).toBeUndefined();
  });
});
