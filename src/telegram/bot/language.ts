/**
 * Which language the bot answers in: a linked chat's setting; before linking,
 * the language of the person who wrote, if we speak it; otherwise Russian.
 */
import { LANGUAGES, type Language } from "../../domain/chat-settings";

export function languageOfUser(languageCode: string | undefined | null): Language {
  const base = (languageCode ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : "ru";
}
