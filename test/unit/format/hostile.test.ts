/**
 * Whatever the till sends (markup, entities, bidi overrides, broken UTF-16,
 * emoji, kilobytes of junk, hundreds of items) arrives as text, never as
 * markup, and never makes a message Telegram would refuse.
 */
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../../src/domain/chat-settings";
import { DIGEST_LINE_MAX, renderAlert, type AlertContext } from "../../../src/domain/format/alert";
import type { EventType } from "../../../src/protocol/events";
import { ALL_TYPES, sample } from "./samples";
import { telegramHtmlProblems, visibleText } from "./telegram-html";

const NASTY = `<script>alert("x")</script> &amp; &lt;b&gt; <b>bold</b> </pre> \u202Eevil\u202C \u2066iso\u2069 lone\uD800 🍕👨‍👩‍👧 \u0007bell`;
const junk = (n: number) => (NASTY + " Ж&<>".repeat(n)).slice(0, n);

/** Keys whose values are not free text (times, ids, enums): left as the sample has them. */
const KEEP = new Set(["type", "occurredAt", "currency", "lastSeenAt", "lostAt", "expiresAt", "expiredAt", "openedAt", "closedAt", "report", "state", "previousState", "culprit", "method"]);
/** Schema bounds of the short strings. */
const SHORT = new Set(["code", "number", "table", "id", "orderId", "problemId", "paymentId", "agentId", "source"]);

/** Every free-text field of the sample replaced with hostile text as long as the schema allows. */
function poison(value: unknown, key = "", lineMax = 4000): unknown {
  if (KEEP.has(key)) return value;
  if (typeof value === "string") {
    if (KEEP.has(key)) return value;
    if (SHORT.has(key)) return junk(64);
    return junk(lineMax);
  }
  if (Array.isArray(value)) return value.map((v) => poison(v, key, key === "lines" ? 500 : key === "log" ? 2000 : lineMax));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k, lineMax)]));
  }
  return value;
}

function hostile(type: EventType): ReturnType<typeof sample> {
  const base = sample(type) as unknown as Record<string, unknown>;
  const overrides = poison(base) as Record<string, unknown>;
  delete overrides.seq;
  return sample(type, overrides);
}

const ctx = (lang: (typeof LANGUAGES)[number]): AlertContext => ({
  restaurantName: junk(300),
  timezone: "Europe/Moscow",
  currency: "RUB",
  lang,
});

describe.each(LANGUAGES)("hostile POS strings (%s)", (lang) => {
  it.each(ALL_TYPES)("%s stays valid Telegram HTML under 4,096 characters", (type) => {
    const { html, digestLine } = renderAlert(hostile(type), ctx(lang));
    expect(telegramHtmlProblems(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<b>bold|<\/pre> /);
    const text = visibleText(html);
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u0007]/);
    expect(telegramHtmlProblems(digestLine, DIGEST_LINE_MAX)).toEqual([]);
    expect(digestLine).not.toContain("\n");
  });
});

describe("escaping", () => {
  it("shows markup and entities from the till literally", () => {
    const e = sample("dish.deleted_saved", {
      reason: 'Гость сказал <b>"нет"</b> & ушёл &amp; всё',
      items: [{ name: "Суп <горячий>", quantity: 1, amount: 100 }],
    });
    const { html } = renderAlert(e, { restaurantName: "Bar & Grill <1>", timezone: "UTC", currency: "RUB", lang: "ru" });
    expect(html).toContain("Гость сказал &lt;b&gt;&quot;нет&quot;&lt;/b&gt; &amp; ушёл &amp;amp; всё");
    expect(html).toContain("Суп &lt;горячий&gt;");
    expect(html).toContain("<b>Bar &amp; Grill &lt;1&gt;</b>");
    expect(visibleText(html)).toContain('Гость сказал <b>"нет"</b> & ушёл &amp; всё');
  });

  it("keeps emoji whole and replaces broken UTF-16 instead of sending it", () => {
    const e = sample("dish.deleted_saved", { reason: "🍕".repeat(500), employee: { name: "Аня\uDC00" } });
    const { html } = renderAlert(e, { restaurantName: "R", timezone: "UTC", currency: "RUB", lang: "ru" });
    expect(telegramHtmlProblems(html)).toEqual([]);
    expect(html).toContain("Аня\uFFFD");
    expect(html).toMatch(/🍕…<\/i>/);
  });

  it("puts a multi-line name on one line", () => {
    const e = sample("employee.login", { employee: { name: "Иванова\n\nА.\tстарший" } });
    const { html } = renderAlert(e, { restaurantName: "R", timezone: "UTC", currency: "RUB", lang: "ru" });
    expect(html).toContain("👤 Сотрудник: Иванова А. старший");
  });
});

describe("volume", () => {
  const ru: AlertContext = { restaurantName: "Ресторан", timezone: "Europe/Moscow", currency: "RUB", lang: "ru" };

  it("300 items with 2,000-character names: header, reason, money and time survive, the list is cut with a count", () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ name: `${i + 1} ${junk(2000)}`, quantity: 1, amount: 100 }));
    const { html } = renderAlert(sample("dish.deleted_saved", { items, amount: 30000, reason: junk(4000) }), ru);
    expect(telegramHtmlProblems(html)).toEqual([]);
    expect(html.split("\n")[0]).toBe("❗ 🗑 <b>Удаление сохранённого блюда</b>");
    expect(html).toContain("💰 Сумма: <b>300\u00a0₽</b>");
    expect(html).toContain("💬 Причина: <i>");
    expect(html).toMatch(/…и ещё 29\d позиц/);
    expect(html).toMatch(/🕒 22\.11\.2026, 18:03$/);
  });

  it("a 1,000-line printed document is cut by whole lines inside <pre> and says how many lines are left", () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${String(i + 1).padStart(4)}  Стейк рибай        x1`);
    const { html } = renderAlert(sample("service_print", { data: { document: { title: "Банкет", lines } } }), ru);
    expect(telegramHtmlProblems(html)).toEqual([]);
    const pre = /<pre>([\s\S]*)<\/pre>\n(…и ещё (\d+) строк[аи]?)/.exec(html);
    expect(pre).not.toBeNull();
    const shown = pre![1]!.split("\n");
    expect(shown.at(-1)).toBe(lines[shown.length - 1]);
    expect(Number(pre![3])).toBe(1000 - shown.length);
    expect(html).toMatch(/🕒 22\.11\.2026, 18:03$/);
  });

  it("a 200,000-character raw POS payload shows only its head", () => {
    const e = sample("pos.unclassified", { data: { source: "rk7", raw: "<x/>".repeat(50_000) } });
    const { html } = renderAlert(e, ru);
    expect(telegramHtmlProblems(html)).toEqual([]);
    expect(html.length).toBeLessThan(4096);
  });
});
