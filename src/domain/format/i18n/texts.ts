/**
 * Everything a chat reads, per language. One object per language typed as
 * `Texts`, so a phrase missing in one language is a compile error.
 *
 * Texts are plain words: no `<`, `>` or `&` (a test holds this), so the same
 * phrase serves HTML messages and plain summaries. Functions interpolate
 * whatever they are given: pass escaped HTML when building HTML.
 */
import type { EventType } from "../../../protocol/events";
import type { Group } from "../../catalogue";
import type { PluralForms } from "./plural";

export interface Texts {
  /** Each event type's name: the alert's headline and its /settings label. */
  events: Record<EventType, string>;
  /** Each catalogue group's name in /settings. */
  groups: Record<Group, string>;

  /** Counted nouns; `{n}` is replaced by the formatted number. */
  count: {
    guests: PluralForms;
    moreItems: PluralForms;
    moreLines: PluralForms;
    events: PluralForms;
    days: PluralForms;
  };

  /** Units of `formatDuration`: days, hours, minutes, seconds. */
  units: { d: string; h: string; min: string; s: string };

  label: {
    employee: string;
    manager: string;
    waiter: string;
    amount: string;
    orderTotal: string;
    reason: string;
    discount: string;
    card: string;
    cardHolder: string;
    loyaltySystem: string;
    payment: string;
    printer: string;
    purpose: string;
    opened: string;
    closed: string;
    shiftLength: string;
    status: string;
    culprit: string;
    description: string;
    author: string;
    method: string;
    source: string;
    why: string;
    code: string;
    cashServer: string;
    period: string;
    updated: string;
  };

  /** Inline buttons under a delivery problem. */
  buttons: { take: string; resolve: string; reject: string };

  /** "Заказ №123": `n` is the order number. */
  order(n: string): string;
  /** "№123", the short form for digests and references. */
  orderRef(n: string): string;
  /** A name in quotation marks: «Касса 1» / “Till 1”. */
  quote(s: string): string;
  /** "Чек №0042" */
  check(n: string): string;
  /** "стол 5" */
  table(t: string): string;
  /** "Из заказа №45" */
  fromOrder(ref: string): string;
  /** "В заказ №46" */
  toOrder(ref: string): string;
  /** "Смена №12" */
  shift(n: string): string;

  /** Connection lost: how long it has been silent and the last sign of life. */
  silentFor(duration: string, lastSeen: string): string;
  /** Connection lost: why nobody should panic about lost data. */
  nothingLost: string;
  /** Connection restored: "Связи не было 1 ч 5 мин (17:58–19:03)." */
  outage(duration: string, from: string, to: string): string;
  /** The outage in a digest line: "нет связи 1 ч 5 мин". */
  offlineFor(duration: string): string;

  /** Shift closed headline: "Закрытие общей смены №12". */
  shiftClosed(n: string): string;
  /** Shift report headline; `revenue` is formatted money when the report has it. */
  shiftReport(n: string | undefined, revenue: string | undefined): string;

  /** "через 3 дня" / "завтра" / "сегодня". */
  inDays(n: number, formatted: string): string;
  licenseExpiring(server: string, date: string, inDays: string): string;
  licenseRenew: string;
  licenseExpired(server: string, date: string): string;
  licensePaused: string;

  exportFailed(order: string): string;
  exportAdvice: string;

  emptyDocument: string;

  /** Words of the delivery panel; codes not listed are shown as sent. */
  problemState: Record<string, string>;
  culprit: Record<string, string>;
  paymentMethod: Record<string, string>;
  paymentState: Record<string, string>;

  /** Digest header (HTML): "Сводка: 12 событий" and why the alerts were collected. */
  digestHeader(count: string): string;
}
