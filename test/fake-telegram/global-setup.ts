/**
 * vitest globalSetup of the worker project: starts the fake Bot API server on
 * the port vitest.config.ts chose (FAKE_TELEGRAM_PORT) and bound into the
 * Worker as TELEGRAM_API_ROOT, and stops it when the run ends.
 */
import { startFakeTelegram } from "./server";

export default async function setup(): Promise<() => Promise<void>> {
  const port = Number(process.env.FAKE_TELEGRAM_PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error("FAKE_TELEGRAM_PORT is not set (vitest.config.ts sets it)");
  const fake = await startFakeTelegram({ port });
  return () => fake.close();
}
