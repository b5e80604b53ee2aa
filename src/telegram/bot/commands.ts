/**
 * The bot's command menu in ru, uk and en (Telegram shows the one matching
 * the user's app language; Russian is the default). `/report` is offered only
 * once the reports feature registers its composer (src/telegram/bot/index.ts).
 */
import type { Api } from "grammy";
import type { BotCommand } from "grammy/types";
import { LANGUAGES, type Language } from "../../domain/chat-settings";
import type { BotFeatures } from "./context";
import { botTexts } from "./texts";

type CommandName = keyof ReturnType<typeof botTexts>["commands"];

export function commandNames(features: BotFeatures): CommandName[] {
  return ["start", "help", "link", "unlink", "status", ...(features.report ? (["report"] as const) : []), "settings"];
}

export function commandMenu(lang: Language, features: BotFeatures): BotCommand[] {
  const t = botTexts(lang).commands;
  return commandNames(features).map((c) => ({ command: c, description: t[c] }));
}

/** Changes whenever the menu would: stored in D1 `kv` so the menu is set once per version, not per update. */
export function commandMenuVersion(features: BotFeatures): string {
  return `v1:${LANGUAGES.map((l) => JSON.stringify(commandMenu(l, features))).join("|")}`;
}

export async function setCommandMenu(api: Api, features: BotFeatures): Promise<void> {
  await api.setMyCommands(commandMenu("ru", features));
  for (const lang of LANGUAGES) await api.setMyCommands(commandMenu(lang, features), { language_code: lang });
}
