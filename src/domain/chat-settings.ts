/**
 * A chat's settings: one zod schema, stored as JSON in D1 (`chats.settings`).
 * Only overrides of the catalogue defaults are stored, so a type added later
 * reaches existing chats with its default.
 */
import { z } from "zod";
import { EVENT_TYPES, type EventType } from "../protocol/events";
import { REPORT_KINDS, ReportKind } from "../protocol/report";
import { CATALOGUE } from "./catalogue";

export const LANGUAGES = ["ru", "uk", "en"] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const ServicePrintFilter = z.object({
  /** none: nothing; all: every document; match: documents whose printer, purpose or title contains one of `words`. */
  mode: z.enum(["none", "all", "match"]).default("none"),
  words: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export type ServicePrintFilter = z.infer<typeof ServicePrintFilter>;

export const ChatSettings = z.object({
  language: Language.default("ru"),
  /** Overrides of the catalogue's defaults, by event type. */
  notifications: z.partialRecord(z.enum(EVENT_TYPES as [EventType, ...EventType[]]), z.boolean()).default({}),
  servicePrint: ServicePrintFilter.default({ mode: "none", words: [] }),
  /** Reports this chat offers in /report. */
  reports: z.array(ReportKind).default([...REPORT_KINDS]),
});
export type ChatSettings = z.infer<typeof ChatSettings>;

export const DEFAULT_CHAT_SETTINGS: ChatSettings = ChatSettings.parse({});

/** Reads a stored settings JSON, falling back to defaults for anything missing or broken. */
export function readChatSettings(json: string | null | undefined): ChatSettings {
  if (!json) return DEFAULT_CHAT_SETTINGS;
  try {
    const parsed = ChatSettings.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : DEFAULT_CHAT_SETTINGS;
  } catch {
    return DEFAULT_CHAT_SETTINGS;
  }
}

/** Is this type switched on for the chat? (The service-print filter is applied by routing.) */
export function isEnabled(settings: ChatSettings, type: EventType): boolean {
  const entry = CATALOGUE[type];
  if (!entry.switchable) return true;
  if (type === "service_print") return settings.servicePrint.mode !== "none";
  return settings.notifications[type] ?? entry.defaultOn;
}
