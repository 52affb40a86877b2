import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Test files spend much of their time waiting: on the CLI children they spawn and on the emulated
// AWS's delays. vitest's default (one worker per core, less one) leaves a 2-core machine one file at
// a time; one more worker than cores runs the main suites in about 70 % of the time there.
const busyWorkers = Math.min(4, availableParallelism() + 1);

// The installed command's warm path is CommonJS (src/bin.cts and the .cts modules it loads, so that
// Node skips its ES-module loader there): vite strips types from .ts and .mts only unless told.
const oxc = { include: /\.(m?ts|cts|[jt]sx)$/ };

export default defineConfig({
  test: {
    projects: [
      {
        oxc,
        test: {
          name: "default",
          maxWorkers: busyWorkers,
          setupFiles: ["test/setup.ts"],
          globalSetup: ["test/globalSetup.ts"],
          include: ["test/unit/**/*.test.ts", "test/sandbox/**/*.test.ts", "test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        oxc,
        test: {
          // Crash at every step, faults, bad input, secrets (docs/security.md, docs/errors.md).
          name: "reliability",
          maxWorkers: busyWorkers,
          setupFiles: ["test/setup.ts"],
          globalSetup: ["test/globalSetup.ts"],
          include: ["test/reliability/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        oxc,
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
        oxc,
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
