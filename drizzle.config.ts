import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL from src/db/schema into migrations/ (committed, append-only).
// Generating needs no database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
