/**
 * grammY needs the bot's own `getMe` answer before it handles an update.
 * Asking Telegram on every cold isolate would cost a round trip per update
 * burst (and could be triggered by forged requests), so it comes from the
 * TELEGRAM_BOT_INFO variable, else from D1 `kv`, else one getMe stored there.
 */
import type { Api } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { z } from "zod";
import type { Env } from "../../env";
import { kvGet, kvPut } from "./kv";

const BotInfo = z.looseObject({ id: z.int(), is_bot: z.literal(true), first_name: z.string(), username: z.string() });

const kvKey = (token: string) => `telegram.bot_info.${token.split(":")[0]}`;

function parse(json: string | null | undefined): UserFromGetMe | null {
  if (!json) return null;
  try {
    const r = BotInfo.safeParse(JSON.parse(json));
    return r.success ? (r.data as unknown as UserFromGetMe) : null;
  } catch {
    return null;
  }
}

export async function loadBotInfo(env: Env, api: Api, token: string): Promise<UserFromGetMe> {
  const fromVar = parse(env.TELEGRAM_BOT_INFO);
  if (fromVar) return fromVar;
  const stored = parse(await kvGet(env, kvKey(token)));
  if (stored) return stored;
  return refreshBotInfo(env, api, token);
}

export async function refreshBotInfo(env: Env, api: Api, token: string): Promise<UserFromGetMe> {
  const me = await api.getMe();
  await kvPut(env, kvKey(token), JSON.stringify(me));
  return me;
}
