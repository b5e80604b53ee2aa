/**
 * Reports as a chat reads them: aligned tables in <pre>, money in the
 * report's currency written the chat's way, a totals row, and long reports
 * continued in further messages at row boundaries only.
 */
import { describe, expect, it } from "vitest";
import { renderReport } from "../../../src/domain/reports/render";
import { displayWidth } from "../../../src/domain/reports/width";
import { telegramHtmlProblems, visibleText } from "../format/telegram-html";
import { BALANCE, DELETIONS, dishes, hourly } from "./samples";

const ctx = { restaurantName: "Бистро «Тест» <Центр>", timezone: "Europe/Moscow" } as const;
/** Spaces of any kind (Intl groups thousands with no-break spaces) read as one space. */
const plain = (s: string) => s.replace(/[\u00A0\u202F]/g, " ");
const preLines = (html: string) => [...html.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].flatMap((m) => visibleText(m[1]!).split("\n"));

describe("a report in the chat's language", () => {
  it("reads in Russian with ruble amounts written 187 540,50", () => {
    const [html] = renderReport(BALANCE, { ...ctx, lang: "ru" });
    const text = plain(visibleText(html!));
    expect(text).toContain("📊 Балансовый отчёт");
    expect(text).toContain("Смена №128 · 22.11.2026, 09:00–23:10");
    expect(text).toMatch(/Сумма, ₽ +187 540,50/);
    expect(text).toMatch(/Банковская карта +65 +136 340,50/);
    expect(text).toMatch(/Итого +96 +187 540,50/);
  });

  it("reads in English with 187,540.50 and the till's words translated", () => {
    const [html] = renderReport(BALANCE, { ...ctx, lang: "en" });
    const text = plain(visibleText(html!));
    expect(text).toContain("📊 Balance report");
    expect(text).toContain("Shift #128");
    expect(text).toMatch(/Amount, ₽ +187,540\.50/);
    expect(text).toMatch(/Bank card +65 +136,340\.50/);
    expect(text).toMatch(/Total +96 +187,540\.50/);
    expect(text).not.toMatch(/Итого|Наличные/);
  });

  it("reads in Ukrainian, hryvnia amounts included", () => {
    const [html] = renderReport(DELETIONS, { ...ctx, lang: "uk" });
    const text = plain(visibleText(html!));
    expect(text).toContain("📊 Видалення");
    expect(text).toContain("Зміна №128");
    expect(text).toMatch(/Сума, ₴ +2 500,00/);
    expect(text).toMatch(/Операція +Разом/);
    expect(text).toMatch(/Сума, ₴ +14 500,50/);
    // Names and reasons are shown as the till wrote them.
    expect(text).toContain("Иванова А.");
  });

  it("shows times in the restaurant's zone", () => {
    const [html] = renderReport(DELETIONS, { ...ctx, timezone: "Asia/Yekaterinburg", lang: "ru" });
    expect(visibleText(html!)).toMatch(/Время +20:03/);
  });
});

describe("tables", () => {
  it("line up: every row of a table is as wide as its rule, numbers right-aligned", () => {
    const [html] = renderReport(hourly(), { ...ctx, lang: "ru" });
    const lines = preLines(html!).filter((l) => l !== "");
    const rule = lines.find((l) => l.startsWith("─"))!;
    const rows = lines.filter((l) => /^\d\d:00/.test(l) || l.startsWith("Итого"));
    expect(rows).toHaveLength(15);
    for (const row of rows) expect(displayWidth(row)).toBe(displayWidth(rule));
    expect(lines.filter((l) => l.startsWith("─"))).toHaveLength(2);
    expect(plain(rows.at(-1)!)).toMatch(/^Итого +133 +128 198,00$/);
  });

  it("fit a phone's screen: no line in a <pre> is wider than 48 cells", () => {
    for (const report of [BALANCE, hourly(), DELETIONS, dishes(30)])
      for (const lang of ["ru", "uk", "en"] as const)
        for (const part of renderReport(report, { ...ctx, lang })) for (const line of preLines(part)) expect(displayWidth(line)).toBeLessThanOrEqual(48);
  });

  it("are valid Telegram HTML, with every till and restaurant string escaped", () => {
    for (const report of [BALANCE, hourly(), DELETIONS, dishes(10)]) {
      for (const part of renderReport(report, { ...ctx, lang: "ru" })) {
        expect(telegramHtmlProblems(part)).toEqual([]);
        expect(part).not.toContain("<Центр>");
        expect(part).not.toContain("<b>очень");
      }
    }
  });

  it("say 'no data' for an empty section instead of an empty table", () => {
    const empty = { ...hourly(), sections: [{ ...hourly().sections[0]!, rows: [], totals: undefined }] };
    const [html] = renderReport(empty, { ...ctx, lang: "en" });
    expect(visibleText(html!)).toContain("no data");
    expect(html).not.toContain("<pre>");
  });
});

describe("a long report", () => {
  const parts = renderReport(dishes(300), { ...ctx, lang: "ru" });

  it("is split into messages under Telegram's 4,096 characters", () => {
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(telegramHtmlProblems(p)).toEqual([]);
    }
  });

  it("is split at row boundaries: every dish row appears whole, once, in order", () => {
    const rows = parts.flatMap(preLines).filter((l) => l.startsWith("Горячее"));
    expect(rows).toHaveLength(300);
    rows.forEach((row, i) => expect(row).toMatch(new RegExp(`^Горячее +Блюдо дня <№${i + 1}>.*\\s\\d+\\s+[\\d  ]+,\\d\\d$`)));
  });

  it("repeats the title and the column header in every part, and numbers the parts", () => {
    parts.forEach((p, i) => {
      const text = visibleText(p);
      expect(text).toContain(`часть ${i + 1} из ${parts.length}`);
      expect(text).toContain("Бистро «Тест» <Центр>");
      expect(text).toMatch(/Категория +Блюдо/);
      if (i > 0) expect(text).toContain("(продолжение)");
    });
    expect(visibleText(parts.at(-1)!)).toMatch(/Итого\s+1.197\s+538.650,00/);
  });

  it("honours a smaller limit too, never cutting a row", () => {
    const small = renderReport(DELETIONS, { ...ctx, lang: "ru", limit: 560 });
    expect(small.length).toBeGreaterThan(1);
    for (const p of small) expect(p.length).toBeLessThanOrEqual(560);
    const text = small.map(visibleText).join("\n");
    expect(text).toContain("Ошибка официанта");
    expect(text).toContain("Удаление чека");
  });
});
