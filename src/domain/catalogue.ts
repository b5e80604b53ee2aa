/**
 * What each event type means to a chat: which settings group it belongs to,
 * whether it is on by default, and whether a chat may switch it off at all.
 * "Everything risky on, high-volume routine events off."
 */
import { EVENT_TYPES, type EventType } from "../protocol/events";

export const GROUPS = ["deletions", "discounts", "orders", "staff", "pos", "service_print", "shift", "delivery", "system"] as const;
export type Group = (typeof GROUPS)[number];

export interface CatalogueEntry {
  group: Group;
  /** On for a newly linked chat. */
  defaultOn: boolean;
  /** False for notices a chat must always get (license). */
  switchable: boolean;
  /** Risky operations are highlighted in messages and digests. */
  risky: boolean;
}

const e = (group: Group, defaultOn: boolean, risky = false, switchable = true): CatalogueEntry => ({
  group,
  defaultOn,
  switchable,
  risky,
});

export const CATALOGUE: Record<EventType, CatalogueEntry> = {
  "precheck.cancelled": e("deletions", true, true),
  "check.annulled": e("deletions", true, true),
  "check.deleted": e("deletions", true, true),
  "dish.moved_in": e("deletions", true, true),
  "dish.moved_out": e("deletions", true, true),
  "dish.deleted_unsaved": e("deletions", true, true),
  "dish.deleted_saved": e("deletions", true, true),
  "discount.added": e("discounts", true, true),
  "discount.removed": e("discounts", true, true),
  "loyalty_discount.added": e("discounts", true),
  "loyalty_discount.removed": e("discounts", true),
  "check.closed": e("orders", false),
  "order.saved": e("orders", false),
  // Leaving an order without saving can hide dishes that were rung up and dropped: on, like deletions.
  "order.exited_unsaved": e("orders", true),
  "precheck.printed": e("orders", false),
  "employee.login": e("staff", true),
  "employee.logout": e("staff", true),
  "pos.started": e("pos", true),
  "pos.stopped": e("pos", true, true),
  "connection.lost": e("pos", true, true),
  "connection.restored": e("pos", true),
  "agent.warning": e("pos", true),
  "pos.unclassified": e("pos", false),
  // Governed by the chat's service-print filter rather than an on/off switch.
  service_print: e("service_print", false),
  "shift.closed": e("shift", true),
  "report.shift": e("shift", true),
  "order.problem": e("delivery", true, true),
  "order.payment": e("delivery", false),
  "order.pos_export_failed": e("delivery", true, true),
  "license.expiring": e("system", true, false, false),
  "license.expired": e("system", true, false, false),
};

export function typesInGroup(group: Group): EventType[] {
  return EVENT_TYPES.filter((t) => CATALOGUE[t].group === group);
}
