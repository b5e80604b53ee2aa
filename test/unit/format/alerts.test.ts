/**
 * Every alert, in every chat language, says what happened, where, who, which
 * order, what items, how much, why and when (in the restaurant's zone), as
 * Telegram HTML that Telegram accepts.
 */
import { describe, expect, it } from "vitest";
import type { EventType, TillEvent } from "../../../src/protocol/events";
import { CATALOGUE } from "../../../src/domain/catalogue";
import { LANGUAGES, type Language } from "../../../src/domain/chat-settings";
import { renderAlert, type AlertContext } from "../../../src/domain/format/alert";
import { texts } from "../../../src/domain/format/i18n";
import { formatMoney } from "../../../src/domain/format/money";
import { formatDate, formatDateTime } from "../../../src/domain/format/time";
import { ALL_TYPES, sample } from "./samples";
import { telegramHtmlProblems, visibleText } from "./telegram-html";

const ctx = (lang: Language, over: Partial<AlertContext> = {}): AlertContext => ({
  restaurantName: "Ресторан «Центральный»",
  timezone: "Europe/Moscow",
  currency: "RUB",
  lang,
  ...over,
});

const money = (minor: number, lang: Language, currency = "RUB") => formatMoney(minor, currency, lang);

/** What each type must say beyond the facts every event carries (see `commonFacts`). */
function particular(type: EventType, lang: Language): string[] {
  const t = texts(lang);
  switch (type) {
    case "dish.moved_in":
      return [t.fromOrder(`${t.orderRef("118")}, ${t.table("3")}`), "Стейк рибай × 1"];
    case "dish.moved_out":
      return [t.toOrder(`${t.orderRef("124")}, ${t.table("7")}`), "Стейк рибай × 1"];
    case "check.annulled":
      return [t.check("0042")];
    case "check.closed":
      return [`Наличные — ${money(150000, lang)}`, `Карта — ${money(100000, lang)}`];
    case "shift.closed":
      return [
        formatDateTime("2026-11-22T10:00:00+03:00", "Europe/Moscow", lang),
        formatDateTime("2026-11-22T23:05:00+03:00", "Europe/Moscow", lang),
        { ru: "13 ч 5 мин", uk: "13 год 5 хв", en: "13 h 5 min" }[lang],
      ];
    case "discount.added":
    case "discount.removed":
      return [`${t.label.discount}: Скидка 10% — ${money(25000, lang)}`];
    case "loyalty_discount.added":
      return ["****1234 · Сидоров В.", `Скидка 10% — ${money(25000, lang)}`];
    case "loyalty_discount.removed":
      return ["****1234"];
    case "service_print":
      return ["Заказ банкета №7", `${t.label.printer}: Кухня`, `${t.label.purpose}: Банкет`];
    case "report.shift":
      return [formatDateTime("2026-11-22T10:00:00+03:00", "Europe/Moscow", lang)];
    case "pos.unclassified":
      return ["rkeeper7.notify", "unknown situation 42", '<a Situation="42"/>'];
    case "agent.warning":
      return ["Spool is 85% full", "spool_high"];
    case "connection.lost":
      // Silent since 18:03:30 Moscow time, noticed at 18:05.
      return [{ ru: "1 мин 30 с", uk: "1 хв 30 с", en: "1 min 30 s" }[lang], "18:03", t.nothingLost, "Касса 1"];
    case "connection.restored":
      return [t.outage({ ru: "1 ч 5 мин", uk: "1 год 5 хв", en: "1 h 5 min" }[lang], "18:03", "19:08"), "Касса 1"];
    case "license.expiring":
      // 21:30 UTC on the 29th is already the 30th in Moscow.
      return [formatDate("2026-11-30T12:00:00+03:00", "Europe/Moscow", lang), { ru: "через 7 дней", uk: "через 7 днів", en: "in 7 days" }[lang], "Касса 1"];
    case "license.expired":
      return [formatDate("2026-11-30T12:00:00+03:00", "Europe/Moscow", lang), t.licensePaused];
    case "order.problem":
      return [t.problemState.new!, t.culprit.courier!, "Курьер опоздал на 40 минут", "Оператор Анна", t.order("A-77")];
    case "order.payment":
      return [money(125050, lang, "UAH"), t.paymentMethod.online!, `${t.paymentState.pending} → ${t.paymentState.on_hold}`, t.order("A-78")];
    case "order.pos_export_failed":
      return [t.exportFailed(t.order("A-79")), "18:02 касса отказала: блюдо 1001 не найдено", "Блюдо 1001 не найдено", t.exportAdvice];
    default:
      return [];
  }
}

/** Who, which order, what items, how much and why: whatever the event says must be shown. */
function commonFacts(e: TillEvent, lang: Language): string[] {
  const facts: string[] = [];
  if (e.station) facts.push(e.station.name);
  if (e.employee) facts.push(e.employee.name);
  if (e.manager && e.manager.code !== e.employee?.code) facts.push(e.manager.name);
  if (e.order?.number) facts.push(e.order.number);
  if (e.order?.table) facts.push(texts(lang).table(e.order.table));
  for (const item of e.items ?? []) facts.push(item.name);
  if (e.amount != null) facts.push(money(e.amount, lang, e.currency ?? "RUB"));
  if (e.reason) facts.push(e.reason);
  return facts;
}

function headline(type: EventType, lang: Language): string {
  const t = texts(lang);
  if (type === "shift.closed") return t.shiftClosed("12");
  if (type === "report.shift") return t.shiftReport("12", undefined);
  return t.events[type];
}

describe.each(LANGUAGES)("alerts in %s", (lang) => {
  it.each(ALL_TYPES)("%s says what, where, who, how much, why and when", (type) => {
    const e = sample(type);
    const { html } = renderAlert(e, ctx(lang));
    expect(telegramHtmlProblems(html)).toEqual([]);
    const lines = html.split("\n");
    const text = visibleText(html);

    // What happened: the icon and the bold headline first, risky operations marked.
    expect(lines[0]).toContain(`<b>${headline(type, lang)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")}</b>`);
    expect(lines[0]!.startsWith("❗")).toBe(CATALOGUE[type].risky);
    // Where: the restaurant on the second line, always.
    expect(visibleText(lines[1]!)).toContain("Ресторан «Центральный»");
    // When: the last line, in the restaurant's zone.
    expect(visibleText(lines.at(-1)!)).toBe(`🕒 ${formatDateTime(e.occurredAt, "Europe/Moscow", lang)}`);

    for (const fact of [...commonFacts(e, lang), ...particular(type, lang)]) expect(text).toContain(fact);
  });
});

describe("what a Russian manager reads", () => {
  it("a saved dish deleted: order, table, guests, people, item, money and reason", () => {
    const { html } = renderAlert(sample("dish.deleted_saved"), ctx("ru"));
    expect(visibleText(html)).toBe(
      [
        "❗ 🗑 Удаление сохранённого блюда",
        "🏠 Ресторан «Центральный» · 🖥 Касса бар",
        "",
        "🧾 Заказ №123 · стол 5 · 2 гостя",
        "",
        "👤 Сотрудник: Иванова А.",
        "🔑 Менеджер: Петров С.",
        "",
        "• Стейк рибай × 1 — 2\u00a0500\u00a0₽",
        "",
        "💰 Сумма: 2\u00a0500\u00a0₽",
        "",
        "💬 Причина: Ошибка официанта",
        "",
        "🕒 22.11.2026, 18:03",
      ].join("\n"),
    );
  });

  it("shows the time in the restaurant's zone, not the till's offset or the server's", () => {
    const e = sample("check.deleted", { occurredAt: "2026-11-22T15:03:11Z" });
    expect(renderAlert(e, ctx("ru", { timezone: "Asia/Yekaterinburg" })).html).toMatch(/🕒 22\.11\.2026, 20:03$/);
    expect(renderAlert(e, ctx("ru", { timezone: "Europe/Kaliningrad" })).html).toMatch(/🕒 22\.11\.2026, 17:03$/);
    expect(renderAlert(e, ctx("uk", { timezone: "Europe/Kyiv" })).html).toMatch(/🕒 22\.11\.2026, 17:03$/);
    expect(renderAlert(e, ctx("en", { timezone: "America/New_York" })).html).toMatch(/🕒 22\/11\/2026, 10:03$/);
  });

  it("formats money in the event's currency, else the restaurant's, in the chat's language", () => {
    const inHryvnias = sample("check.deleted", { amount: 1234550, currency: "UAH" });
    expect(visibleText(renderAlert(inHryvnias, ctx("uk")).html)).toContain("Сума: 12\u00a0345,50\u00a0₴");
    const noCurrency = sample("check.deleted", { amount: 1234500, currency: undefined });
    expect(visibleText(renderAlert(noCurrency, ctx("en", { currency: "EUR" })).html)).toContain("Amount: €12,345");
    // The currency's sign in every language, never its code.
    const inRoubles = sample("check.deleted", { amount: 250000, currency: "RUB" });
    expect(visibleText(renderAlert(inRoubles, ctx("en")).html)).toContain("Amount: ₽2,500");
    expect(visibleText(renderAlert(inRoubles, ctx("uk")).html)).toContain("Сума: 2\u00a0500\u00a0₽");
  });

  it("names the authorising manager only when it is someone else, and the waiter only when not the employee", () => {
    const self = sample("dish.deleted_saved", { manager: { code: "17", name: "Иванова А." } });
    expect(visibleText(renderAlert(self, ctx("ru")).html)).not.toContain("Менеджер");
    const other = sample("dish.deleted_saved", {
      employee: { code: "5", name: "Кассир Б." },
      order: { number: "9", waiter: { code: "17", name: "Иванова А." } },
    });
    const text = visibleText(renderAlert(other, ctx("ru")).html);
    expect(text).toContain("👤 Сотрудник: Кассир Б.");
    expect(text).toContain("🤵 Официант: Иванова А.");
  });

  it("adds up the items when the till sent no amount", () => {
    const e = sample("dish.deleted_unsaved", {
      items: [
        { name: "Суп", quantity: 2, price: 35000 },
        { name: "Хлеб", quantity: 0.5, price: 10000 },
      ],
    });
    const text = visibleText(renderAlert(e, ctx("ru")).html);
    expect(text).toContain("• Суп × 2 — 700\u00a0₽");
    expect(text).toContain("• Хлеб × 0,5 — 50\u00a0₽");
    expect(text).toContain("💰 Сумма: 750\u00a0₽");
  });

  it("caps a long item list and says how many more there were", () => {
    const items = Array.from({ length: 14 }, (_, i) => ({ name: `Блюдо ${i + 1}`, quantity: 1, amount: 10000 }));
    const text = visibleText(renderAlert(sample("dish.deleted_saved", { items, amount: 140000 }), ctx("ru")).html);
    expect(text).toContain("• Блюдо 10 × 1");
    expect(text).not.toContain("Блюдо 11 ");
    expect(text).toContain("…и ещё 4 позиции");
  });

  it("keeps a service-print document's monospace layout in <pre>", () => {
    const lines = ["   БАНКЕТ  №7   ", "Стейк рибай      x20", "Вино <красное> & co  x5", ""];
    const e = sample("service_print", { data: { document: { printer: "Кухня", title: "Банкет", lines } } });
    const { html } = renderAlert(e, ctx("ru"));
    expect(html).toContain("<pre>   БАНКЕТ  №7   \nСтейк рибай      x20\nВино &lt;красное&gt; &amp; co  x5\n</pre>");
  });

  it("says so when a printed document is empty", () => {
    const e = sample("service_print", { data: { document: { title: "Пусто", lines: [] } } });
    expect(visibleText(renderAlert(e, ctx("en")).html)).toContain("(empty document)");
  });

  it("a restored connection that lasted over a night shows dates, not only clock times", () => {
    const e = sample("connection.restored", {
      occurredAt: "2026-11-23T06:00:00Z",
      data: { agentId: "a", lostAt: "2026-11-22T20:01:30Z", lastSeenAt: "2026-11-22T20:00:00Z", outageSeconds: 36000 },
    });
    expect(visibleText(renderAlert(e, ctx("ru")).html)).toContain("Связи не было 10 ч (22.11.2026, 23:00–23.11.2026, 09:00).");
  });
});
