/**
 * Reports on demand for a chat: which restaurants and reports it may ask for,
 * and asking one restaurant's object (which asks its agent over the link).
 * Authorisation lives here, not in the menu: a chat gets a report only for a
 * restaurant it is linked to, directly or through its account, and only a
 * report its settings offer — whatever a button's payload says.
 */
import { type VisibleRestaurant, visibleRestaurants } from "../db/chats";
import type { Db } from "../db/client";
import type { ChatSettings } from "../domain/chat-settings";
import { type LocalDate, type PeriodChoice, periodRequest } from "../domain/reports/period";
import { config, type Env } from "../env";
import type { ReportKind, ReportPeriodRequest } from "../protocol/report";
import type { ReportAnswer } from "../objects/restaurant/link-requests";

export type { VisibleRestaurant } from "../db/chats";

/** Restaurants a chat may ask reports of (the same list /status shows). */
export function reportRestaurants(db: Db, chatId: string): Promise<VisibleRestaurant[]> {
  return visibleRestaurants(db, chatId);
}

/** Reports the chat offers, in the catalogue's order. */
export function offeredReports(settings: ChatSettings): ReportKind[] {
  return settings.reports;
}

export type ReportPermission = { ok: true; restaurant: VisibleRestaurant } | { ok: false };

/** May this chat ask this restaurant for this report? */
export async function mayRequest(db: Db, chatId: string, settings: ChatSettings, restaurantId: string, kind: ReportKind): Promise<ReportPermission> {
  if (!settings.reports.includes(kind)) return { ok: false };
  const restaurant = (await visibleRestaurants(db, chatId)).find((r) => r.id === restaurantId);
  return restaurant ? { ok: true, restaurant } : { ok: false };
}

/** The period as the till is asked for it, in the restaurant's zone. */
export function resolvePeriod(choice: PeriodChoice | { date: LocalDate }, timezone: string, now = Date.now()): ReportPeriodRequest {
  return periodRequest(choice, timezone, now);
}

/**
 * Asks the restaurant's object and waits for the agent's answer (at most
 * REPORT_TIMEOUT_MS). A failed call to the object itself reads as no answer.
 */
export async function askRestaurant(env: Env, restaurantId: string, report: ReportKind, period: ReportPeriodRequest): Promise<ReportAnswer> {
  try {
    return await env.RESTAURANT.getByName(restaurantId).requestReport({ report, period });
  } catch (err) {
    console.error(`report ${report} of ${restaurantId}: the restaurant object failed:`, err instanceof Error ? err.message : err);
    return { ok: false, reason: "timeout" };
  }
}

export function reportTimeoutMs(env: Env): number {
  return config(env).reportTimeoutMs;
}
