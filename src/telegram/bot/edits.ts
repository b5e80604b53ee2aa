import { GrammyError } from "grammy";

/** Telegram refuses an edit that changes nothing (a double tap); that is not an error for us. */
export async function ignoreUnchanged(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
    throw err;
  }
}
