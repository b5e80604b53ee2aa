/**
 * The bot-wide send budget (Telegram: ~30 messages/s per bot token), one
 * object per bot: every chat object takes a token before each send. State is
 * in memory on purpose: a fresh object starts with a full bucket, which is
 * exactly what an object evicted after being idle would have had.
 */
import { DurableObject } from "cloudflare:workers";
import { fullBucket, take, type Bucket } from "../../domain/delivery/bot-budget";
import { BOT_BURST, BOT_MESSAGES_PER_SECOND } from "../../domain/delivery/limits";
import type { Env } from "../../env";

export class BotBudgetObject extends DurableObject<Env> {
  private bucket: Bucket | null = null;

  /** 0 = send now (a token was taken); otherwise ask again after this many ms. */
  async take(now = Date.now()): Promise<number> {
    const r = take(this.bucket ?? fullBucket(BOT_BURST, now), now, BOT_MESSAGES_PER_SECOND, BOT_BURST);
    this.bucket = r.bucket;
    return r.waitMs;
  }
}
