import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../src/sandbox/server.js";
import { clientConfig, openSandbox, scenario } from "../helpers/sandbox.js";

describe("emulated STS", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await openSandbox();
  });
  afterAll(() => sandbox.close());

  it("answers GetCallerIdentity as the root user by default", async () => {
    const sts = new STSClient(clientConfig(sandbox));
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe("111111111111");
    expect(id.Arn).toBe("arn:aws:iam::111111111111:root");
  });

  it("can be told the caller is an IAM user or a member account", async () => {
    const sts = new STSClient(clientConfig(sandbox));
    await scenario(sandbox, { caller: "iam-user" });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toMatch(/:user\/admin$/);
    await scenario(sandbox, { caller: "member" });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("222222222222");
  });

  it("answers throttling with the STS error name, which the SDK retries", async () => {
    const sts = new STSClient({ ...clientConfig(sandbox), maxAttempts: 1 });
    await fetch(`${sandbox.url}/_sandbox/control/faults`, { method: "POST", body: JSON.stringify({ throttleRate: 1 }) });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "Throttling" });
    await fetch(`${sandbox.url}/_sandbox/control/faults`, { method: "POST", body: JSON.stringify({ throttleRate: 0 }) });
  });
});
