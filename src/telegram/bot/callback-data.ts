/**
 * Inline-button payloads of the bot's own menus: short (Telegram allows 64
 * bytes), and parsed strictly so a forged or outdated payload is recognised and
 * answered harmlessly. The prefixes `st:` (settings) and `ul:` (unlink) are
 * ours; `pb:` belongs to the problem buttons of the orders feature.
 */
import { CATALOGUE, GROUPS, type Group } from "../../domain/catalogue";
import { LANGUAGES, type Language } from "../../domain/chat-settings";
import { EVENT_TYPES, type EventType } from "../../protocol/events";
import { REPORT_KINDS, type ReportKind } from "../../protocol/report";

/** Groups a chat switches in /settings; service print has its own screen, license notices cannot be switched off. */
export const SETTINGS_GROUPS = GROUPS.filter((g): g is Exclude<Group, "service_print" | "system"> => g !== "service_print" && g !== "system");
export type SettingsGroup = (typeof SETTINGS_GROUPS)[number];

/** A type with its own on/off switch in /settings. */
export function isToggleable(type: EventType): boolean {
  const entry = CATALOGUE[type];
  return entry.switchable && (SETTINGS_GROUPS as readonly string[]).includes(entry.group);
}

export type SettingsAction =
  | { kind: "main" }
  | { kind: "close" }
  | { kind: "group"; group: SettingsGroup }
  | { kind: "toggle"; type: EventType }
  | { kind: "languages" }
  | { kind: "language"; language: Language }
  | { kind: "print" }
  | { kind: "printMode"; mode: "all" | "none" | "match" }
  | { kind: "printWords" }
  | { kind: "reports" }
  | { kind: "report"; report: ReportKind };

export type UnlinkAction = { kind: "unlink"; linkId: string } | { kind: "cancel" };

const PRINT_MODES = ["all", "none", "match"] as const;
// Any link id that fits Telegram's 64-byte button payload after "ul:"; it is matched against the chat's own links anyway.
const LINK_ID = /^lnk_[0-9A-Za-z_-]{1,57}$/;

const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | null =>
  v !== undefined && (values as readonly string[]).includes(v) ? (v as T) : null;

export function settingsData(a: SettingsAction): string {
  switch (a.kind) {
    case "main":
      return "st:m";
    case "close":
      return "st:x";
    case "group":
      return `st:g:${a.group}`;
    case "toggle":
      return `st:t:${a.type}`;
    case "languages":
      return "st:l";
    case "language":
      return `st:l:${a.language}`;
    case "print":
      return "st:p";
    case "printMode":
      return `st:p:${a.mode}`;
    case "printWords":
      return "st:pw";
    case "reports":
      return "st:r";
    case "report":
      return `st:r:${a.report}`;
  }
}

export function parseSettingsData(data: string): SettingsAction | null {
  const [prefix, what, arg, ...rest] = data.split(":");
  if (prefix !== "st" || rest.length > 0) return null;
  switch (what) {
    case "m":
      return arg === undefined ? { kind: "main" } : null;
    case "x":
      return arg === undefined ? { kind: "close" } : null;
    case "g": {
      const group = oneOf(SETTINGS_GROUPS, arg);
      return group ? { kind: "group", group } : null;
    }
    case "t": {
      const type = oneOf(EVENT_TYPES, arg);
      return type && isToggleable(type) ? { kind: "toggle", type } : null;
    }
    case "l": {
      if (arg === undefined) return { kind: "languages" };
      const language = oneOf(LANGUAGES, arg);
      return language ? { kind: "language", language } : null;
    }
    case "p": {
      if (arg === undefined) return { kind: "print" };
      const mode = oneOf(PRINT_MODES, arg);
      return mode ? { kind: "printMode", mode } : null;
    }
    case "pw":
      return arg === undefined ? { kind: "printWords" } : null;
    case "r": {
      if (arg === undefined) return { kind: "reports" };
      const report = oneOf(REPORT_KINDS, arg);
      return report ? { kind: "report", report } : null;
    }
    default:
      return null;
  }
}

export function unlinkData(a: UnlinkAction): string {
  return a.kind === "cancel" ? "ul:x" : `ul:${a.linkId}`;
}

export function parseUnlinkData(data: string): UnlinkAction | null {
  if (data === "ul:x") return { kind: "cancel" };
  const m = /^ul:(.+)$/.exec(data);
  return m && LINK_ID.test(m[1]!) ? { kind: "unlink", linkId: m[1]! } : null;
}
