/**
 * The fake Bot API's port for a test run: FAKE_TELEGRAM_PORT when given, else
 * 18790 when free, else any free port (several runs on one machine at once
 * must not collide). Written back to the environment for the globalSetup.
 */
import { createServer } from "node:net";

function tryPort(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", () => resolve(null));
    srv.listen(port, "127.0.0.1", () => {
      const addr = srv.address();
      const got = typeof addr === "object" && addr ? addr.port : null;
      srv.close(() => resolve(got));
    });
  });
}

export async function fakeTelegramPort(): Promise<number> {
  const fromEnv = Number(process.env.FAKE_TELEGRAM_PORT);
  const port = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : ((await tryPort(18790)) ?? (await tryPort(0))!);
  process.env.FAKE_TELEGRAM_PORT = String(port);
  return port;
}
