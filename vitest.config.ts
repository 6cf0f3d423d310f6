import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Yoga and Pothos load graphql's CommonJS build; without this alias a test that imports
    // `graphql` gets the ESM build too, and schemas fail across the two copies ("another realm").
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // One PostgreSQL server and a migrated template per run; each file clones its own database.
    globalSetup: ["test/setup/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: "UTC" },
  },
});
