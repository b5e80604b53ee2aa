/** Reports as the agent sends them (Russian titles, minor units), for the renderer's specs. */
import { Report } from "../../../src/protocol/report";

const SHIFT = { number: 128, openedAt: "2026-11-22T09:00:00+03:00", closedAt: "2026-11-22T23:10:00+03:00" };
const PERIOD = { from: "2026-11-22T09:00:00+03:00", to: "2026-11-22T23:10:00+03:00", shift: SHIFT };

export const BALANCE: Report = Report.parse({
  kind: "balance",
  title: "Системный балансовый отчёт",
  period: PERIOD,
  currency: "RUB",
  sections: [
    {
      title: "Выручка",
      columns: [
        { title: "Сумма", type: "money" },
        { title: "Чеков", type: "int" },
        { title: "Гостей", type: "int" },
        { title: "Средний чек", type: "money" },
      ],
      rows: [[18_754_050, 96, 141, 195_355]],
    },
    {
      title: "Оплаты",
      columns: ["Способ оплаты", { title: "Чеков", type: "int" }, { title: "Сумма", type: "money" }],
      rows: [
        ["Наличные", 31, 5_120_000],
        ["Банковская карта", 65, 13_634_050],
      ],
      totals: ["Итого", 96, 18_754_050],
    },
  ],
  meta: { revenue: 18_754_050 },
});

export function hourly(currency = "RUB"): Report {
  const rows = Array.from({ length: 14 }, (_, i) => [`${String(10 + i).padStart(2, "0")}:00`, 3 + i, (i % 5) * 412_300 + 150_000]);
  return Report.parse({
    kind: "hourly",
    title: "Продажи по часам",
    period: PERIOD,
    currency,
    sections: [
      {
        title: "По часам",
        columns: ["Час", { title: "Чеков", type: "int" }, { title: "Сумма", type: "money" }],
        rows,
        totals: ["Итого", rows.reduce((a, r) => a + (r[1] as number), 0), rows.reduce((a, r) => a + (r[2] as number), 0)],
      },
    ],
  });
}

/** A dish report of `n` rows: long enough to need several messages. */
export function dishes(n: number): Report {
  const rows = Array.from({ length: n }, (_, i) => [`Горячее`, `Блюдо дня <№${i + 1}> & соус`, i % 7 + 1, (i % 7 + 1) * 45_000]);
  return Report.parse({
    kind: "dishes",
    title: "Расход блюд",
    period: PERIOD,
    currency: "RUB",
    sections: [
      {
        title: "Блюда",
        columns: ["Категория", "Блюдо", { title: "Кол-во", type: "quantity" }, { title: "Сумма", type: "money" }],
        rows,
        totals: ["Итого", "", rows.reduce((a, r) => a + (r[2] as number), 0), rows.reduce((a, r) => a + (r[3] as number), 0)],
      },
    ],
  });
}

export const DELETIONS: Report = Report.parse({
  kind: "deletions",
  title: "Удаления",
  period: PERIOD,
  currency: "UAH",
  sections: [
    {
      title: "Удаления",
      columns: [
        { title: "Время", type: "time" },
        "Операция",
        "Заказ",
        "Сотрудник",
        "Менеджер",
        "Причина",
        { title: "Сумма", type: "money" },
      ],
      rows: [
        ["2026-11-22T18:03:11+03:00", "Удаление блюда", "123", "Иванова А.", "Петров С.", "Ошибка официанта — гость передумал, <b>очень</b> длинная причина", 250_000],
        ["2026-11-22T20:41:00+03:00", "Удаление чека", "131", "Сидоров К.", null, "Тест", 1_200_050],
      ],
      totals: [null, "Итого", null, null, null, null, 1_450_050],
    },
  ],
});
