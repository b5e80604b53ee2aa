/**
 * Work a handler finishes after the webhook has answered. Telegram delivers a
 * chat's updates one after another and waits for each answer, so a handler
 * that waits on a till (a report: up to REPORT_TIMEOUT_MS) would hold every
 * later tap in that chat — and a connection Telegram gives up on would cancel
 * the work with it. The webhook registers the request's `waitUntil` for the
 * update it hands the bot; a handler's `later(work)` runs the work under it.
 * Without a registration (the admin page's stand-in, tests calling the bot
 * directly) `later` simply awaits the work.
 */
type WaitUntil = (promise: Promise<unknown>) => void;

const registered = new Map<number, WaitUntil>();

/** Runs `handle` with `waitUntil` available to the handlers of update `updateId`. */
export async function withBackground<T>(updateId: number, waitUntil: WaitUntil | undefined, handle: () => Promise<T>): Promise<T> {
  if (!waitUntil) return handle();
  registered.set(updateId, waitUntil);
  try {
    return await handle();
  } finally {
    registered.delete(updateId);
  }
}

/** Runs `work` after the answer when the update came through the webhook, else now. Failures are logged. */
export async function later(updateId: number, work: () => Promise<void>): Promise<void> {
  const waitUntil = registered.get(updateId);
  if (!waitUntil) return work();
  waitUntil(
    work().catch((err) => {
      console.error(`telegram update ${updateId}: background work failed:`, err);
    }),
  );
}
