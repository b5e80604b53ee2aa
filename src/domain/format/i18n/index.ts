/** The chat's language picks one `Texts`; labels for /settings come from here too. */
import type { EventType } from "../../../protocol/events";
import type { Group } from "../../catalogue";
import type { Language } from "../../chat-settings";
import { formatNumber } from "../money";
import { en } from "./en";
import { pluralForm, type PluralForms } from "./plural";
import { ru } from "./ru";
import type { Texts } from "./texts";
import { uk } from "./uk";

export type { Texts } from "./texts";
export type { PluralForms } from "./plural";

const TEXTS: Record<Language, Texts> = { ru, uk, en };

export function texts(lang: Language): Texts {
  return TEXTS[lang] ?? ru;
}

/** The name of an event type in the chat's language ("Удаление чека"). */
export function eventTitle(type: EventType, lang: Language): string {
  return texts(lang).events[type];
}

/** The name of a settings group in the chat's language ("Скидки"). */
export function groupTitle(group: Group, lang: Language): string {
  return texts(lang).groups[group];
}

/** "3 позиции", "21 гость", "1,5 дня": the number formatted for the language, the noun agreeing with it. */
export function counted(lang: Language, forms: PluralForms, n: number): string {
  return pluralForm(lang, n, forms).replace("{n}", formatNumber(n, lang));
}
