/**
 * What every handler of the bot gets besides grammY's context: the Worker's
 * bindings, D1, the chat's record (loaded once per update, on demand), the
 * language to answer in, and who may change things. Composers of other
 * features (reports, problem buttons) use the same `BotContext`.
 */
import type { Context } from "grammy";
import { type ChatRow, findChat } from "../../db/chats";
import { database, type Db } from "../../db/client";
import { type Language, readChatSettings } from "../../domain/chat-settings";
import type { Env } from "../../env";
import type { ReportKind } from "../../protocol/report";
import { later } from "./background";
import { languageOfUser } from "./language";
import { type BotTexts, botTexts } from "./texts";

export interface BotFeatures {
  /** True once a composer answering /report is registered (the command menu and help offer it only then). */
  report: boolean;
  /** A report's name in a language, from the reports feature (the /settings reports screen shows only when it is given). */
  reportTitle?: (kind: ReportKind, lang: Language) => string;
}

export interface Tillwatch {
  env: Env;
  db: Db;
  features: BotFeatures;
  /** The chat's record, or null for a chat that was never linked. */
  chat(): Promise<ChatRow | null>;
  /** Forgets the loaded record after a handler changed it. */
  reloadChat(): void;
  /** The chat's language; before linking, the writer's (ru/uk/en, else ru). */
  lang(): Promise<Language>;
  texts(): Promise<BotTexts>;
  /** May the sender link, unlink and change settings here? (Always in a private chat; admins only in groups.) */
  canManage(): Promise<boolean>;
  /** Finishes `work` after the webhook has answered (see background.ts); awaits it when there is no webhook. */
  later(work: () => Promise<void>): Promise<void>;
}

export type BotContext = Context & { tillwatch: Tillwatch };

/** Telegram's stand-in sender for anonymous group administrators. */
const GROUP_ANONYMOUS_BOT = 1087968824;

export function attachTillwatch(ctx: Context, env: Env, features: BotFeatures): asserts ctx is BotContext {
  const db = database(env.DB);
  let chat: Promise<ChatRow | null> | null = null;
  let admin: Promise<boolean> | null = null;
  const tw: Tillwatch = {
    env,
    db,
    features,
    chat: () => (chat ??= ctx.chat ? findChat(db, ctx.chat.id) : Promise.resolve(null)),
    reloadChat: () => {
      chat = null;
    },
    lang: async () => {
      const row = await tw.chat();
      return row ? readChatSettings(row.settings).language : languageOfUser(ctx.from?.language_code);
    },
    texts: async () => botTexts(await tw.lang()),
    canManage: () => (admin ??= isChatAdmin(ctx)),
    later: (work) => later(ctx.update.update_id, work),
  };
  (ctx as BotContext).tillwatch = tw;
}

async function isChatAdmin(ctx: Context): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat) return false;
  if (chat.type === "private") return true;
  // An anonymous admin writes as the group itself.
  if (ctx.senderChat?.id === chat.id && ctx.from?.id === GROUP_ANONYMOUS_BOT) return true;
  if (!ctx.from) return false;
  const member = await ctx.api.getChatMember(chat.id, ctx.from.id);
  return member.status === "creator" || member.status === "administrator";
}
