/**
 * Reports computed from shift ledgers. Pure: the same ledgers always give the
 * same report. Titles and column names are Russian (the product's language);
 * the cloud's renderer may translate by `kind` and column type.
 */
import type { Report, ReportKind, ReportPeriod, ReportPeriodRequest, Section } from "../../../src/protocol/report";
import { hourIn, toZonedIso } from "../util/zoned-time";
import type { DeletionKind, LedgerCheck, LedgerDeletion, LedgerRef, ShiftLedger } from "./ledger";

type SectionInput = Omit<Section, "columns"> & { columns: Array<{ title: string; type: Section["columns"][number]["type"] }> };

export const REPORT_TITLES: Record<ReportKind, string> = {
  balance: "Балансовый отчёт",
  dishes: "Расход блюд",
  hourly: "Продажи по часам",
  discounts: "Скидки",
  deletions: "Удаления",
  payments: "Оплаты",
  employees: "Сотрудники",
};

export const DELETION_LABELS: Record<DeletionKind, string> = {
  "dish.deleted_saved": "Удаление блюда",
  "dish.deleted_unsaved": "Удаление несохранённого блюда",
  "check.deleted": "Удаление чека",
  "check.annulled": "Аннулирование чека",
  "precheck.cancelled": "Отмена пречека",
};

export interface ResolvedPeriod {
  period: ReportPeriod;
  ledgers: ShiftLedger[];
}

/**
 * Which ledgers a request covers: the open shift, the last closed one, or
 * every ledger overlapping an explicit interval (events filtered to it).
 */
export function resolvePeriod(
  req: ReportPeriodRequest,
  current: ShiftLedger | undefined,
  closed: readonly ShiftLedger[],
  nowIso: string,
): ResolvedPeriod | { error: string } {
  if ("shift" in req) {
    const ledger = req.shift === "current" ? current : closed[closed.length - 1];
    if (!ledger) return { error: req.shift === "current" ? "Общая смена сейчас не открыта" : "Нет данных о закрытых сменах" };
    return {
      ledgers: [ledger],
      period: {
        from: ledger.shift.openedAt,
        to: ledger.shift.closedAt ?? nowIso,
        shift: { number: ledger.shift.number, openedAt: ledger.shift.openedAt, closedAt: ledger.shift.closedAt },
      },
    };
  }
  const from = Date.parse(req.from);
  const to = Date.parse(req.to);
  if (!(to > from)) return { error: "Конец периода должен быть позже начала" };
  const all = current ? [...closed, current] : [...closed];
  const overlapping = all.filter((l) => Date.parse(l.shift.openedAt) < to && (l.shift.closedAt ? Date.parse(l.shift.closedAt) : Infinity) > from);
  const within = (iso: string) => {
    const t = Date.parse(iso);
    return t >= from && t < to;
  };
  return {
    period: { from: req.from, to: req.to },
    ledgers: overlapping.map((l) => ({
      ...l,
      checks: l.checks.filter((c) => within(c.closedAt)),
      deletions: l.deletions.filter((d) => within(d.at)),
      discountRemovals: l.discountRemovals.filter((d) => within(d.at)),
    })),
  };
}

export function computeReport(kind: ReportKind, resolved: ResolvedPeriod, currency: string, timezone: string): Report {
  const checks = resolved.ledgers.flatMap((l) => l.checks);
  const deletions = resolved.ledgers.flatMap((l) => l.deletions).sort(byTime((d) => d.at));
  const ctx: Ctx = { checks, closed: checks.filter((c) => c.state === "closed"), deletions, ledgers: resolved.ledgers, timezone };
  const { sections, meta } = BUILDERS[kind](ctx);
  return {
    kind,
    title: REPORT_TITLES[kind],
    period: resolved.period,
    currency,
    sections: sections as Section[],
    ...(meta ? { meta } : {}),
  };
}

interface Ctx {
  checks: LedgerCheck[];
  closed: LedgerCheck[];
  deletions: LedgerDeletion[];
  ledgers: ShiftLedger[];
  timezone: string;
}

type Builder = (ctx: Ctx) => { sections: SectionInput[]; meta?: Record<string, unknown> };

const col = (title: string, type: Section["columns"][number]["type"] = "text") => ({ title, type });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const gross = (c: LedgerCheck) => sum(c.items.map((i) => i.amount));
const discountOf = (c: LedgerCheck) => sum(c.discounts.map((d) => d.amount));
const who = (r: LedgerRef | undefined) => r?.name ?? "";
const byTime =
  <T>(at: (x: T) => string) =>
  (a: T, b: T) =>
    Date.parse(at(a)) - Date.parse(at(b));
const round1 = (x: number) => Math.round(x * 10) / 10;
const roundQty = (x: number) => Math.round(x * 1000) / 1000;

function hhmm(iso: string, timezone: string): string {
  return toZonedIso(Date.parse(iso), timezone).slice(11, 16);
}

function paymentRows(closed: LedgerCheck[]): Array<[string, number, number]> {
  const m = new Map<string, { checks: Set<string>; amount: number }>();
  for (const c of closed)
    for (const p of c.payments) {
      const e = m.get(p.method) ?? { checks: new Set(), amount: 0 };
      e.checks.add(c.id);
      e.amount += p.amount;
      m.set(p.method, e);
    }
  return [...m.entries()].sort((a, b) => b[1].amount - a[1].amount).map(([method, e]) => [method, e.checks.size, e.amount]);
}

function deletionSummary(deletions: LedgerDeletion[]): Array<[string, number, number]> {
  const order: DeletionKind[] = ["dish.deleted_saved", "dish.deleted_unsaved", "precheck.cancelled", "check.deleted", "check.annulled"];
  return order.map((k) => {
    const ds = deletions.filter((d) => d.kind === k);
    return [DELETION_LABELS[k], ds.length, sum(ds.map((d) => d.amount))];
  });
}

const BUILDERS: Record<ReportKind, Builder> = {
  balance({ closed, deletions }) {
    const grossSum = sum(closed.map(gross));
    const discounts = sum(closed.map(discountOf));
    const revenue = sum(closed.map((c) => c.total));
    const guests = sum(closed.map((c) => c.guests ?? 0));
    const pay = paymentRows(closed);
    const del = deletionSummary(deletions);
    return {
      sections: [
        {
          title: "Выручка",
          columns: [col("Чеков", "int"), col("Гостей", "int"), col("Сумма по меню", "money"), col("Скидки", "money"), col("Выручка", "money"), col("Средний чек", "money")],
          rows: [[closed.length, guests, grossSum, discounts, revenue, closed.length ? Math.round(revenue / closed.length) : 0]],
        },
        {
          title: "Оплаты",
          columns: [col("Способ оплаты"), col("Чеков", "int"), col("Сумма", "money")],
          rows: pay,
          totals: ["Итого", closed.length, sum(pay.map((p) => p[2]))],
        },
        {
          title: "Удаления и отмены",
          columns: [col("Операция"), col("Количество", "int"), col("Сумма", "money")],
          rows: del,
          totals: ["Итого", sum(del.map((d) => d[1])), sum(del.map((d) => d[2]))],
        },
      ],
    };
  },

  dishes({ closed }) {
    const m = new Map<string, { category: string; name: string; quantity: number; amount: number }>();
    for (const c of closed)
      for (const i of c.items) {
        const key = `${i.category ?? ""}\u0000${i.code ?? i.name}`;
        const e = m.get(key) ?? { category: i.category ?? "Без категории", name: i.name, quantity: 0, amount: 0 };
        e.quantity += i.quantity;
        e.amount += i.amount;
        m.set(key, e);
      }
    const rows = [...m.values()]
      .sort((a, b) => a.category.localeCompare(b.category, "ru") || b.amount - a.amount || a.name.localeCompare(b.name, "ru"))
      .map((e) => [e.category, e.name, roundQty(e.quantity), e.amount]);
    return {
      sections: [
        {
          title: "Блюда",
          columns: [col("Категория"), col("Блюдо"), col("Количество", "quantity"), col("Сумма", "money")],
          rows,
          totals: ["Итого", "", roundQty(sum(rows.map((r) => r[2] as number))), sum(rows.map((r) => r[3] as number))],
        },
      ],
    };
  },

  hourly({ closed, timezone }) {
    const m = new Map<number, { checks: number; guests: number; revenue: number }>();
    for (const c of closed) {
      const h = hourIn(Date.parse(c.closedAt), timezone);
      const e = m.get(h) ?? { checks: 0, guests: 0, revenue: 0 };
      e.checks += 1;
      e.guests += c.guests ?? 0;
      e.revenue += c.total;
      m.set(h, e);
    }
    const hours = [...m.keys()].sort((a, b) => a - b);
    const label = (h: number) => `${String(h).padStart(2, "0")}:00–${String((h + 1) % 24).padStart(2, "0")}:00`;
    const rows = hours.map((h) => [label(h), m.get(h)!.checks, m.get(h)!.guests, m.get(h)!.revenue]);
    return {
      sections: [
        {
          title: "По часам",
          columns: [col("Час"), col("Чеков", "int"), col("Гостей", "int"), col("Выручка", "money")],
          rows,
          totals: ["Итого", closed.length, sum(closed.map((c) => c.guests ?? 0)), sum(closed.map((c) => c.total))],
        },
      ],
      meta: { series: hours.map((h) => ({ hour: h, checks: m.get(h)!.checks, revenue: m.get(h)!.revenue })) },
    };
  },

  discounts({ closed, ledgers, timezone }) {
    const m = new Map<string, { name: string; count: number; amount: number; loyalty: boolean }>();
    for (const c of closed)
      for (const d of c.discounts) {
        const key = d.code ?? d.name;
        const e = m.get(key) ?? { name: d.name, count: 0, amount: 0, loyalty: Boolean(d.card) };
        e.count += 1;
        e.amount += d.amount;
        m.set(key, e);
      }
    const rows = [...m.values()].sort((a, b) => b.amount - a.amount).map((e) => [e.name, e.loyalty ? "Лояльность" : "Скидка", e.count, e.amount]);
    const removals = ledgers.flatMap((l) => l.discountRemovals).sort(byTime((r) => r.at));
    return {
      sections: [
        {
          title: "Применённые скидки",
          columns: [col("Скидка"), col("Вид"), col("Применений", "int"), col("Сумма", "money")],
          rows,
          totals: ["Итого", "", sum(rows.map((r) => r[2] as number)), sum(rows.map((r) => r[3] as number))],
        },
        {
          title: "Удалённые скидки",
          columns: [col("Время", "time"), col("Заказ"), col("Скидка"), col("Вид"), col("Сотрудник")],
          rows: removals.map((r) => [hhmm(r.at, timezone), r.orderNumber ?? "", r.discount.name, r.loyalty ? "Лояльность" : "Скидка", who(r.employee)]),
        },
      ],
    };
  },

  deletions({ deletions, timezone }) {
    const rows = deletions.map((d) => [
      hhmm(d.at, timezone),
      DELETION_LABELS[d.kind],
      d.orderNumber ?? "",
      d.items.length > 0 ? d.items.map((i) => i.name).join(", ") : "",
      d.items.length > 0 ? roundQty(sum(d.items.map((i) => i.quantity))) : null,
      d.amount,
      who(d.employee),
      who(d.manager),
      d.reason ?? "",
    ]);
    return {
      sections: [
        {
          title: "Удаления",
          columns: [
            col("Время", "time"),
            col("Операция"),
            col("Заказ"),
            col("Блюда"),
            col("Кол-во", "quantity"),
            col("Сумма", "money"),
            col("Сотрудник"),
            col("Менеджер"),
            col("Причина"),
          ],
          rows,
          totals: ["Итого", String(deletions.length), "", "", null, sum(deletions.map((d) => d.amount)), "", "", ""],
        },
      ],
    };
  },

  payments({ closed }) {
    const pay = paymentRows(closed);
    const total = sum(pay.map((p) => p[2]));
    return {
      sections: [
        {
          title: "Оплаты",
          columns: [col("Способ оплаты"), col("Чеков", "int"), col("Сумма", "money"), col("Доля", "percent")],
          rows: pay.map(([m, n, a]) => [m, n, a, total ? round1((a / total) * 100) : 0]),
          totals: ["Итого", closed.length, total, total ? 100 : 0],
        },
      ],
    };
  },

  employees({ closed, deletions }) {
    const m = new Map<string, { name: string; checks: number; guests: number; revenue: number; deletions: number }>();
    const entry = (r: LedgerRef | undefined) => {
      const key = r ? (r.code ?? r.name) : "—";
      const e = m.get(key) ?? { name: r?.name ?? "—", checks: 0, guests: 0, revenue: 0, deletions: 0 };
      m.set(key, e);
      return e;
    };
    for (const c of closed) {
      const e = entry(c.waiter);
      e.checks += 1;
      e.guests += c.guests ?? 0;
      e.revenue += c.total;
    }
    for (const d of deletions) entry(d.employee).deletions += 1;
    const rows = [...m.values()]
      .sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name, "ru"))
      .map((e) => [e.name, e.checks, e.guests, e.revenue, e.checks ? Math.round(e.revenue / e.checks) : 0, e.deletions]);
    return {
      sections: [
        {
          title: "Сотрудники",
          columns: [col("Сотрудник"), col("Чеков", "int"), col("Гостей", "int"), col("Выручка", "money"), col("Средний чек", "money"), col("Удалений", "int")],
          rows,
          totals: ["Итого", closed.length, sum(closed.map((c) => c.guests ?? 0)), sum(closed.map((c) => c.total)), closed.length ? Math.round(sum(closed.map((c) => c.total)) / closed.length) : 0, deletions.length],
        },
      ],
    };
  },
};
