/** The emoji in front of each alert's title: what happened, before a word is read. */
import type { EventType } from "../../protocol/events";

export const ICONS: Record<EventType, string> = {
  "precheck.cancelled": "❌",
  "check.annulled": "❌",
  "check.deleted": "🗑",
  "dish.moved_in": "🔀",
  "dish.moved_out": "🔀",
  "dish.deleted_unsaved": "🗑",
  "dish.deleted_saved": "🗑",
  "pos.started": "🟢",
  "pos.stopped": "🔴",
  "check.closed": "💰",
  "order.saved": "💾",
  "order.exited_unsaved": "🚪",
  "precheck.printed": "🧾",
  "shift.closed": "🔒",
  "employee.login": "👤",
  "employee.logout": "👋",
  "discount.added": "💸",
  "discount.removed": "💸",
  "loyalty_discount.added": "💳",
  "loyalty_discount.removed": "💳",
  service_print: "🖨",
  "report.shift": "📊",
  "pos.unclassified": "❔",
  "agent.warning": "⚠️",
  "connection.lost": "🔌",
  "connection.restored": "✅",
  "license.expiring": "⏳",
  "license.expired": "⛔️",
  "order.problem": "🚨",
  "order.payment": "💳",
  "order.pos_export_failed": "📤",
};

/** Marks a risky operation's line in a digest. */
export const RISKY_MARK = "❗";
