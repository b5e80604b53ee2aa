/**
 * Changes a chat makes in /settings, applied to the stored JSON of overrides
 * (chats.settings): only what differs from the defaults is kept, so a type or
 * report added later still reaches the chat with its default.
 */
import { CATALOGUE } from "../../domain/catalogue";
import { ChatSettings, isEnabled, type Language, readChatSettings } from "../../domain/chat-settings";
import type { EventType } from "../../protocol/events";
import { REPORT_KINDS, type ReportKind } from "../../protocol/report";

export type SettingsChange =
  | { kind: "toggle"; type: EventType }
  | { kind: "language"; language: Language }
  | { kind: "printMode"; mode: "all" | "none" | "match" }
  | { kind: "printWords"; words: string[] }
  | { kind: "report"; report: ReportKind };

type Overrides = Record<string, unknown>;

function parseOverrides(json: string | null | undefined): Overrides {
  try {
    const v: unknown = JSON.parse(json || "{}");
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Overrides) : {};
  } catch {
    return {};
  }
}

/** The new stored JSON, or null when the change leaves the settings as they are. */
export function applySettingsChange(json: string | null | undefined, change: SettingsChange): string | null {
  const current = readChatSettings(json);
  // Start from what is valid: a broken stored value is replaced, not carried on.
  const raw = ChatSettings.safeParse(parseOverrides(json)).success ? parseOverrides(json) : {};
  const next: Overrides = { ...raw };
  switch (change.kind) {
    case "toggle": {
      const notifications = { ...current.notifications };
      const on = !isEnabled(current, change.type);
      if (on === CATALOGUE[change.type].defaultOn) delete notifications[change.type];
      else notifications[change.type] = on;
      next.notifications = notifications;
      break;
    }
    case "language":
      if (current.language === change.language) return null;
      next.language = change.language;
      break;
    case "printMode":
      if (current.servicePrint.mode === change.mode) return null;
      next.servicePrint = { ...current.servicePrint, mode: change.mode };
      break;
    case "printWords":
      next.servicePrint = { mode: change.words.length > 0 ? "match" : current.servicePrint.mode, words: change.words };
      break;
    case "report": {
      const has = current.reports.includes(change.report);
      const reports = REPORT_KINDS.filter((k) => (k === change.report ? !has : current.reports.includes(k)));
      if (reports.length === REPORT_KINDS.length) delete next.reports;
      else next.reports = reports;
      break;
    }
  }
  const checked = ChatSettings.safeParse(next);
  if (!checked.success) return null;
  const out = JSON.stringify(next);
  return out === JSON.stringify(raw) ? null : out;
}
