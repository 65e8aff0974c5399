import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/browser/**", "node_modules/**"],
    reporters: ["default", "./test/support/summary-reporter.ts"],
    // Fails any test in which the bot sent a body Discord's official schema refuses.
    setupFiles: ["./test/support/contract.ts"],
    globalSetup: ["./test/support/build-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
