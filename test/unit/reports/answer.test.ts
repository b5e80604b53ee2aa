/**
 * What a chat reads after asking for a report, in each of its languages: the
 * report itself (with the hourly chart), or one clear sentence saying why not.
 */
import { describe, expect, it } from "vitest";
import { type AnswerContext, renderAnswer, requestingText } from "../../../src/domain/reports/answer";
import { phrase, reportTitle, translateLabel } from "../../../src/domain/reports/i18n";
import { REPORT_KINDS } from "../../../src/protocol/report";
import { LANGUAGES } from "../../../src/domain/chat-settings";
import { telegramHtmlProblems, visibleText } from "../format/telegram-html";
import { BALANCE, dishes, hourly } from "./samples";

const base: AnswerContext = {
  restaurantName: "Бистро <«Центр»>",
  timezone: "Europe/Moscow",
  lang: "ru",
  kind: "balance",
  periodText: "Сегодня",
  timeoutMs: 30_000,
};
// 22.11.2026 18:03 in Moscow.
const LAST_SEEN = Date.parse("2026-11-22T15:03:00Z");

describe("while the till is being asked", () => {
  it("names the report, the restaurant and the period, escaped, in each language", () => {
    expect(requestingText(base)).toBe("📊 <b>Балансовый отчёт</b>\n🏠 Бистро &lt;«Центр»&gt;\n🗓 Сегодня\n\n⏳ Запрашиваю у кассы…");
    expect(requestingText({ ...base, lang: "uk", kind: "dishes" })).toContain("⏳ Запитую в каси…");
    expect(requestingText({ ...base, lang: "uk", kind: "dishes" })).toContain("Витрата страв");
    expect(requestingText({ ...base, lang: "en", kind: "hourly" })).toContain("⏳ Asking the till…");
    expect(requestingText({ ...base, lang: "en", kind: "hourly" })).toContain("Sales by hour");
  });
});

describe("when the till cannot answer", () => {
  it("says it is offline and when it was last seen, in the restaurant's time", async () => {
    const ru = await renderAnswer({ ok: false, reason: "offline", lastSeenAt: LAST_SEEN }, base);
    expect(ru.ok).toBe(false);
    expect(ru.photo).toBeNull();
    expect(ru.messages).toHaveLength(1);
    expect(ru.messages[0]).toContain("Касса ресторана не на связи: отчёт сейчас не получить. Последний раз была на связи 22.11.2026, 18:03.");
    const uk = await renderAnswer({ ok: false, reason: "offline", lastSeenAt: LAST_SEEN }, { ...base, lang: "uk", timezone: "Europe/Kyiv" });
    expect(uk.messages[0]).toContain("Востаннє була на зв'язку 22.11.2026, 17:03.");
    const en = await renderAnswer({ ok: false, reason: "offline", lastSeenAt: LAST_SEEN }, { ...base, lang: "en" });
    expect(en.messages[0]).toContain("The restaurant's till is offline, so the report cannot be made now. Last seen 22/11/2026, 18:03.");
  });

  it("says the till never connected when it has no last-seen time", async () => {
    for (const [lang, words] of [["ru", "ни разу"], ["uk", "жодного разу"], ["en", "never connected"]] as const) {
      const a = await renderAnswer({ ok: false, reason: "offline", lastSeenAt: null }, { ...base, lang });
      expect(a.messages[0]).toContain(words);
    }
  });

  it("says how long it waited when the till did not answer", async () => {
    expect((await renderAnswer({ ok: false, reason: "timeout" }, base)).messages[0]).toContain("Касса не ответила за 30 с.");
    expect((await renderAnswer({ ok: false, reason: "timeout" }, { ...base, lang: "uk" })).messages[0]).toContain("Каса не відповіла за 30 с.");
    expect((await renderAnswer({ ok: false, reason: "timeout" }, { ...base, lang: "en" })).messages[0]).toContain("did not answer within 30 s.");
  });

  it("passes the till's own reason on, cleaned and escaped, on one bounded line", async () => {
    const a = await renderAnswer({ ok: false, reason: "agent_error", message: "Смена <b>не</b> открыта\n\u202Eevil" + "x".repeat(5000) }, base);
    const text = a.messages[0]!;
    expect(text).toContain("Касса не смогла сформировать отчёт: Смена &lt;b&gt;не&lt;/b&gt; открыта");
    expect(text).not.toContain("\u202E");
    expect(text.length).toBeLessThan(1200);
    expect(telegramHtmlProblems(text)).toEqual([]);
  });
});

describe("when the till answers", () => {
  it("gives the report's messages, and no photo for a report without hours", async () => {
    const a = await renderAnswer({ ok: true, report: BALANCE }, base);
    expect(a.ok).toBe(true);
    expect(a.photo).toBeNull();
    expect(a.messages).toHaveLength(1);
    expect(visibleText(a.messages[0]!)).toContain("Балансовый отчёт");
  });

  it("adds the hourly chart as a PNG with a caption in the chat's language", async () => {
    for (const [lang, caption] of [["ru", "выручка по часам"], ["uk", "виторг по годинах"], ["en", "revenue by hour"]] as const) {
      const a = await renderAnswer({ ok: true, report: hourly() }, { ...base, lang, kind: "hourly" });
      expect(a.photo).not.toBeNull();
      expect(a.photo!.caption).toContain(caption);
      expect(Buffer.from(a.photo!.pngBase64, "base64").subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    }
  });

  it("splits a long report into messages that each fit Telegram and are valid HTML", async () => {
    const a = await renderAnswer({ ok: true, report: dishes(400) }, { ...base, kind: "dishes" });
    expect(a.messages.length).toBeGreaterThan(2);
    for (const m of a.messages) {
      expect(m.length).toBeLessThanOrEqual(4096);
      expect(telegramHtmlProblems(m)).toEqual([]);
    }
  });
});

describe("the words of reports", () => {
  it("names every report in every language, each name different from the others", () => {
    for (const lang of LANGUAGES) {
      const names = REPORT_KINDS.map((k) => reportTitle(k, lang));
      expect(names.every((n) => n.length > 0)).toBe(true);
      expect(new Set(names).size).toBe(REPORT_KINDS.length);
    }
  });

  it("fills placeholders and leaves the till's unknown words as they are", () => {
    expect(phrase("part", "en", { n: 2, of: 3 })).toBe("part 2 of 3");
    expect(phrase("part", "uk", { n: 2, of: 3 })).toBe("частина 2 з 3");
    expect(translateLabel("Наличные", "en")).toBe("Cash");
    expect(translateLabel("Наличные", "uk")).toBe("Готівка");
    expect(translateLabel("Наличные", "ru")).toBe("Наличные");
    expect(translateLabel("Стейк рибай", "en")).toBe("Стейк рибай");
  });
});
