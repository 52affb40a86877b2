/** A temporary HOME with a project (a bare package.json), and the environment that points the CLI at moto. */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";

/** moto accepts any keys; these are the ones its docs use. */
export const motoCredentials = { accessKeyId: "testing", secretAccessKey: "testing" };

export async function makeMotoHome(motoUrl: string): Promise<{ home: string; project: string; env: NodeJS.ProcessEnv }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "ob-moto-home-"));
  const project = path.join(home, "project");
  await fs.mkdir(project);
  await fs.writeFile(path.join(project, "package.json"), '{\n  "name": "app"\n}\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    NO_COLOR: "1",
    AWS_ENDPOINT_URL: motoUrl,
    AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey,
    AWS_REGION: "us-east-1",
  };
  return { home, project, env };
}
