/**
 * The /settings menu as text and inline keyboard, one screen at a time: a pure
 * function of the chat's settings, so the same screen is drawn again after
 * every tap (the message is edited in place).
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { CATALOGUE } from "../../domain/catalogue";
import { type ChatSettings, isEnabled, type Language } from "../../domain/chat-settings";
import { escapeHtml } from "../../domain/format/html";
import { eventTitle, groupTitle } from "../../domain/format/i18n";
import { EVENT_TYPES } from "../../protocol/events";
import type { ReportKind } from "../../protocol/report";
import { isToggleable, SETTINGS_GROUPS, type SettingsGroup, settingsData } from "./callback-data";
import { botTexts } from "./texts";

export type SettingsScreen =
  | { kind: "main" }
  | { kind: "group"; group: SettingsGroup }
  | { kind: "languages" }
  | { kind: "print" }
  | { kind: "reports" };

export interface SettingsView {
  text: string;
  keyboard: InlineKeyboardMarkup;
}

const LANGUAGE_NAMES: Record<Language, string> = { ru: "Русский", uk: "Українська", en: "English" };
const ON = "✅";
const OFF = "▫️";

const button = (text: string, data: string): InlineKeyboardButton => ({ text, callback_data: data });

export const toggleableTypes = (group: SettingsGroup) => EVENT_TYPES.filter((t) => CATALOGUE[t].group === group && isToggleable(t));

/** Reports the chat may offer in /report, named by the reports feature; none while that feature is absent. */
export interface ReportChoices {
  kinds: readonly ReportKind[];
  title: (kind: ReportKind, lang: Language) => string;
}
export const NO_REPORTS: ReportChoices = { kinds: [], title: (k) => k };

export function renderSettings(screen: SettingsScreen, settings: ChatSettings, reports: ReportChoices = NO_REPORTS): SettingsView {
  const lang = settings.language;
  const t = botTexts(lang).settings;
  const back = [button(t.back, settingsData({ kind: "main" }))];
  switch (screen.kind) {
    case "main": {
      const rows: InlineKeyboardButton[][] = [];
      const groupButtons = SETTINGS_GROUPS.map((g) => {
        const types = toggleableTypes(g);
        const on = types.filter((type) => isEnabled(settings, type)).length;
        return button(`${groupTitle(g, lang)} ${on}/${types.length}`, settingsData({ kind: "group", group: g }));
      });
      for (let i = 0; i < groupButtons.length; i += 2) rows.push(groupButtons.slice(i, i + 2));
      rows.push([button(t.print, settingsData({ kind: "print" })), button(t.language, settingsData({ kind: "languages" }))]);
      if (reports.kinds.length > 0) rows.push([button(t.reports, settingsData({ kind: "reports" }))]);
      rows.push([button(t.done, settingsData({ kind: "close" }))]);
      return { text: `<b>${escapeHtml(t.title)}</b>\n${escapeHtml(t.intro)}`, keyboard: { inline_keyboard: rows } };
    }
    case "group": {
      const rows = toggleableTypes(screen.group).map((type) => [
        button(`${isEnabled(settings, type) ? ON : OFF} ${eventTitle(type, lang)}`, settingsData({ kind: "toggle", type })),
      ]);
      return { text: t.groupIntro(groupTitle(screen.group, lang)), keyboard: { inline_keyboard: [...rows, back] } };
    }
    case "languages": {
      const rows = (Object.keys(LANGUAGE_NAMES) as Language[]).map((l) => [
        button(`${l === lang ? "● " : ""}${LANGUAGE_NAMES[l]}`, settingsData({ kind: "language", language: l })),
      ]);
      return { text: escapeHtml(t.languageIntro), keyboard: { inline_keyboard: [...rows, back] } };
    }
    case "print": {
      const f = settings.servicePrint;
      const mark = (m: typeof f.mode, label: string) => button(`${f.mode === m ? "● " : ""}${label}`, settingsData({ kind: "printMode", mode: m }));
      return {
        text: t.printIntro(f.mode, f.words),
        keyboard: {
          inline_keyboard: [
            [mark("all", t.printAll)],
            [mark("match", t.printMatch)],
            [mark("none", t.printNone)],
            [button(t.printSetWords, settingsData({ kind: "printWords" }))],
            back,
          ],
        },
      };
    }
    case "reports": {
      const rows = reports.kinds.map((k) => [
        button(`${settings.reports.includes(k) ? ON : OFF} ${reports.title(k, lang)}`, settingsData({ kind: "report", report: k })),
      ]);
      return { text: escapeHtml(t.reportsIntro), keyboard: { inline_keyboard: [...rows, back] } };
    }
  }
}

/** "банкет, Banquet ; VIP" → ["банкет", "Banquet", "VIP"]: trimmed, de-duplicated, within the settings' limits. */
export function parsePrintWords(input: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const raw of input.split(/[,;\n]+/)) {
    const w = Array.from(raw.trim().replace(/\s+/g, " ")).slice(0, 64).join("");
    if (!w || seen.has(w.toLocaleLowerCase("ru"))) continue;
    seen.add(w.toLocaleLowerCase("ru"));
    words.push(w);
    if (words.length === 20) break;
  }
  return words;
}
