import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "default",
          setupFiles: ["test/setup.ts"],
          globalSetup: ["test/globalSetup.ts"],
          include: ["test/unit/**/*.test.ts", "test/sandbox/**/*.test.ts", "test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // Crash at every step, faults, bad input, secrets (docs/security.md, docs/errors.md).
          name: "reliability",
          setupFiles: ["test/setup.ts"],
          globalSetup: ["test/globalSetup.ts"],
          include: ["test/reliability/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "interop",
          setupFiles: ["test/setup.ts"],
          globalSetup: ["test/globalSetup.ts"],
          include: ["test/interop/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "moto",
          setupFiles: ["test/setup.ts"],
          globalSetup: ["test/globalSetup.ts"],
          include: ["test/moto/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
