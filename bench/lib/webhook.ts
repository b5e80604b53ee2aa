/** Posts Telegram updates to a local Worker's webhook as Telegram would, numbering them. */
import type { LocalWorker } from "./worker";

export function webhookPoster(worker: LocalWorker, firstId = 1): { post(update: Record<string, unknown>): Promise<void>; nextId(): number } {
  let updateId = firstId;
  return {
    nextId: () => updateId,
    async post(update) {
      const res = await fetch(`${worker.url}/telegram/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": worker.vars.TELEGRAM_WEBHOOK_SECRET! },
        body: JSON.stringify({ update_id: updateId++, ...update }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`webhook: ${res.status}`);
    },
  };
}
