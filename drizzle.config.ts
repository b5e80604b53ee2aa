// drizzle-kit only writes SQL migrations; wrangler applies them (locally, remotely and in tests).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
