/**
 * The Tillwatch bot: grammY on the Worker, one Composer per feature. The
 * webhook route (src/routes/telegram.ts) builds it once per isolate with
 * `getBot(env)` and hands it each update.
 *
 * Adding a feature: write `src/telegram/bot/<feature>.ts` exporting a
 * `Composer<BotContext>` and add one line to FEATURES below. A feature that
 * answers a command lists it in `commands`, which puts it in the command menu
 * and /help (`/report` is offered only once its composer is registered). The
 * reports feature may also give `reportTitle`, which turns on the /settings
 * screen choosing the reports a chat offers:
 *   { composer: report, commands: ["report"], reportTitle },
 * Callback data prefixes in use: `st:` settings, `ul:` unlink, `pb:` problem buttons, `rp:` reports.
 */
import { Api, Bot, Composer } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { migrateChat, setChatStatus } from "../../db/chats";
import { database } from "../../db/client";
import type { Env } from "../../env";
import { botToken, telegramClientOptions } from "../transport";
import { loadBotInfo, refreshBotInfo } from "./bot-info";
import { chatEvents } from "./chat-events";
import { deactivateChatObject, resumeChatObject } from "./chat-object";
import { commandMenuVersion, commandNames, setCommandMenu } from "./commands";
import { attachTillwatch, type BotContext, type BotFeatures } from "./context";
import { link } from "./link";
import { problems } from "./problems";
import { report, reportTitle } from "./report";
import { settings } from "./settings";
import { start } from "./start";
import { status } from "./status";
import { unlink } from "./unlink";
import { kvGet, kvPut } from "./kv";

export type { BotContext } from "./context";

interface Feature {
  composer: Composer<BotContext>;
  commands?: Array<"report">;
  reportTitle?: BotFeatures["reportTitle"];
}

const FEATURES: Feature[] = [
  { composer: chatEvents },
  { composer: start },
  { composer: link },
  { composer: unlink },
  { composer: status },
  { composer: settings },
  { composer: problems },
  { composer: report, commands: ["report"], reportTitle },
];

export function botFeatures(): BotFeatures {
  const reportTitle = FEATURES.find((f) => f.reportTitle)?.reportTitle;
  return { report: FEATURES.some((f) => f.commands?.includes("report")), ...(reportTitle ? { reportTitle } : {}) };
}

export function createBot(env: Env, botInfo: UserFromGetMe): Bot<BotContext> {
  const features = botFeatures();
  const bot = new Bot<BotContext>(botToken(env), { botInfo, client: telegramClientOptions(env) });
  retryBriefly(bot.api);
  watchChatFailures(bot.api, env);
  bot.use((ctx, next) => {
    attachTillwatch(ctx, env, features);
    return next();
  });
  for (const f of FEATURES) bot.use(f.composer);
  // A tap on a button nobody handles (an old menu, a forged payload): stop the spinner, change nothing.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery());
  return bot;
}

/**
 * A reply that hits Telegram's per-chat pace (429) is sent again after the
 * wait Telegram asks for, when that wait is short: the webhook must answer
 * within seconds, and a person who typed a command should get the answer.
 */
function retryBriefly(api: Api): void {
  api.config.use(async (prev, method, payload, signal) => {
    let res = await prev(method, payload, signal);
    for (let attempt = 0; attempt < MAX_REPLY_RETRIES && !res.ok && res.error_code === 429; attempt++) {
      const wait = res.parameters?.retry_after ?? 1;
      if (wait > MAX_REPLY_WAIT_S) break;
      await new Promise((r) => setTimeout(r, wait * 1000));
      res = await prev(method, payload, signal);
    }
    return res;
  });
}
const MAX_REPLY_RETRIES = 2;
const MAX_REPLY_WAIT_S = 3;

/**
 * Telegram's answers to any call about a chat tell us about the chat too:
 * 403 means the bot was removed or blocked (the chat goes inactive), and a
 * migrated group names its new id.
 */
function watchChatFailures(api: Api, env: Env): void {
  api.config.use(async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    const chatId = payload && typeof payload === "object" && "chat_id" in payload ? Number(payload.chat_id) : NaN;
    if (res.ok || !Number.isSafeInteger(chatId)) return res;
    try {
      const db = database(env.DB);
      if (res.error_code === 403) {
        const reason = /blocked/i.test(res.description) ? "blocked" : /kicked/i.test(res.description) ? "kicked" : "forbidden";
        const chat = await setChatStatus(db, chatId, "inactive", reason, "telegram");
        if (chat) await deactivateChatObject(env, chat.id, reason);
      } else if (res.parameters?.migrate_to_chat_id) {
        const chat = await migrateChat(db, chatId, res.parameters.migrate_to_chat_id);
        if (chat) await resumeChatObject(env, chat);
      }
    } catch (err) {
      console.error(`telegram ${method}: could not record the chat's state:`, err);
    }
    return res;
  });
}

const bots = new WeakMap<Env, Promise<Bot<BotContext>>>();

/** The bot for this isolate (its getMe answer loaded once; see bot-info.ts). */
export function getBot(env: Env): Promise<Bot<BotContext>> {
  let bot = bots.get(env);
  if (!bot) {
    bot = loadBotInfo(env, botApi(env), botToken(env)).then((info) => createBot(env, info));
    bot.catch(() => bots.delete(env));
    bots.set(env, bot);
  }
  return bot;
}

/** A bare API client (setup, getMe), routed like the bot's. */
export function botApi(env: Env): Api {
  return new Api(botToken(env), telegramClientOptions(env));
}

const MENU_KEY = "telegram.commands";
const menuSet = new Set<string>();

/** Sets the command menu unless this version was set already (kv-versioned, so once per deployment that changes it). */
export async function ensureCommandMenu(env: Env, api: Api = botApi(env)): Promise<boolean> {
  const features = botFeatures();
  const version = commandMenuVersion(features);
  if (menuSet.has(version)) return false;
  if ((await kvGet(env, MENU_KEY)) === version) {
    menuSet.add(version);
    return false;
  }
  await setCommandMenu(api, features);
  await kvPut(env, MENU_KEY, version);
  menuSet.add(version);
  return true;
}

/**
 * `POST /admin/api/telegram/setup`: the command menu now (ru default, ru/uk/en),
 * and the webhook at `<publicUrl>/telegram/webhook` with the secret token
 * Telegram must echo back (none without TELEGRAM_WEBHOOK_SECRET: the webhook
 * would refuse every update).
 */
export async function setupTelegram(
  env: Env,
  publicUrl: string,
): Promise<{ commands: string[]; webhook: string | null; bot: { id: number; username: string } }> {
  const api = botApi(env);
  const me = await refreshBotInfo(env, api, botToken(env));
  const features = botFeatures();
  await setCommandMenu(api, features);
  await kvPut(env, MENU_KEY, commandMenuVersion(features));
  let webhook: string | null = null;
  if (env.TELEGRAM_WEBHOOK_SECRET) {
    webhook = `${publicUrl.replace(/\/+$/, "")}/telegram/webhook`;
    await api.setWebhook(webhook, {
      secret_token: env.TELEGRAM_WEBHOOK_SECRET,
      allowed_updates: ["message", "callback_query", "my_chat_member"],
    });
  }
  return { commands: commandNames(features), webhook, bot: { id: me.id, username: me.username } };
}
