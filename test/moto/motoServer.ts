/**
 * moto's server (a second AWS emulator we did not write) for the moto suite, behind a small
 * recording proxy so the tests can count the AWS calls — and the mutating ones — a run makes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  operation: string;
  mutating: boolean;
}

export interface Moto {
  /** The proxy's URL: point AWS_ENDPOINT_URL here. */
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

/** Read-only operations start with these verbs; everything else the CLI calls changes something. */
const READ_ONLY = /^(Get|List|Describe|Is)/;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function operationOf(headers: Record<string, string | string[] | undefined>, body: string): string {
  const target = headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop() ?? target;
  return new URLSearchParams(body).get("Action") ?? "unknown";
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const motoUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${motoUrl}/moto-api/`);
      break;
    } catch {
      if (i > 150 || child.exitCode !== null) throw new Error("moto server did not start (is moto installed in python3?)");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const calls: RecordedCall[] = [];
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req.headers, body.toString("utf8"));
      calls.push({ operation, mutating: !READ_ONLY.test(operation) });
      const upstream = request(`${motoUrl}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 500, up.headers);
        up.pipe(res);
      });
      upstream.on("error", () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    close: async () => {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      child.kill();
    },
  };
}
