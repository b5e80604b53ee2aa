/**
 * A believable restaurant day, as a deterministic discrete-event simulation:
 * the same seed and start time give the same events. No timers and no I/O —
 * `advanceTo(t)` runs everything due up to simulated time `t` and returns the
 * event drafts it produced; the simulator source drives it from the real
 * clock (./simulator-source.ts).
 *
 * Every event is recorded in the shift's ledger as it is emitted, so the
 * reports (computed from the ledger) agree with the events that were sent.
 */
import type { Item, OrderRef, Ref } from "../../../src/protocol/common";
import type { OrderExport } from "../../../src/protocol/orders";
import type { AgentEventType } from "../../../src/protocol/events";
import type { ReportKind } from "../../../src/protocol/report";
import { type DeletionKind, emptyLedger, type LedgerCheck, type LedgerItem, type ShiftLedger } from "../ledger/ledger";
import { computeReport, resolvePeriod } from "../ledger/reports";
import type { EventDraft } from "../source";
import { Rng } from "../util/rng";
import { localToEpoch, toZonedIso, wallClockAt } from "../util/zoned-time";
import {
  ARRIVALS_PER_HOUR,
  CHECK_DELETE_REASONS,
  CHECK_UNDO_REASONS,
  CLOSE_AT,
  DISCOUNTS,
  DISH_DELETE_REASONS,
  type Dish,
  type DiscountSpec,
  DRINK_CATEGORIES,
  FAST_FOOD_CATEGORY,
  FAST_FOOD_PER_HOUR,
  KITCHEN_CATEGORIES,
  LAST_ORDER_HOUR,
  LOYALTY,
  LOYALTY_HOLDERS,
  MENU,
  OPEN_HOUR,
  PAYMENT_METHODS,
  type Person,
  PRECHECK_CANCEL_REASONS,
  STAFF,
  type StationRef,
  STATIONS,
} from "./catalog";

const MIN = 60_000;

export interface WorldOptions {
  seed: number;
  /** Simulated epoch ms to start at. */
  startMs: number;
  timezone: string;
  currency: string;
  /** Prefix of event ids: different per run so a restarted demo is not taken for duplicates. */
  runId: string;
  autoReports: ReportKind[];
  /** Number of the first common shift (default derived from the seed). */
  firstShiftNumber?: number;
  /** Closed shifts kept for reports. */
  keepShifts?: number;
}

interface Line {
  dish: Dish;
  quantity: number;
  saved: boolean;
}

interface AppliedDiscount {
  spec: DiscountSpec;
  card?: { number: string; holder: string; system: string };
}

interface Order {
  id: string;
  number: number;
  table: string;
  guests: number;
  waiter: Person;
  station: StationRef;
  lines: Line[];
  discounts: AppliedDiscount[];
  precheck: boolean;
  kind: "dine" | "fast" | "banquet" | "delivery";
  closed: boolean;
  lastCheck?: LedgerCheck;
}

interface Action {
  at: number;
  n: number;
  run: () => void;
}

export class SimWorld {
  private readonly rng: Rng;
  private nowMs: number;
  private queue: Action[] = [];
  private actionCounter = 0;
  private eventCounter = 0;
  private out: EventDraft[] = [];
  private orderCounter = 0;
  private checkCounter = 0;
  private shiftNumber: number;
  private shiftOpen = false;
  private orders = new Map<string, Order>();
  private onDuty: Person[] = [];
  private offline = new Set<string>();
  private exports = 0;
  current: ShiftLedger | undefined;
  readonly closed: ShiftLedger[] = [];

  constructor(private readonly opts: WorldOptions) {
    this.rng = new Rng(opts.seed);
    this.nowMs = opts.startMs;
    this.shiftNumber = (opts.firstShiftNumber ?? 100 + (opts.seed % 500)) - 1;
    const local = wallClockAt(this.nowMs, opts.timezone);
    const minutes = local.hour * 60 + local.minute;
    if (minutes >= OPEN_HOUR * 60 && minutes < CLOSE_AT.hour * 60 + CLOSE_AT.minute - 30) this.schedule(this.nowMs, () => this.openShift());
    else this.schedule(this.nextLocal(OPEN_HOUR, 0), () => this.openShift());
  }

  get now(): number {
    return this.nowMs;
  }

  get isShiftOpen(): boolean {
    return this.shiftOpen;
  }

  stationStatus(): Array<{ code: string; name: string; online: boolean }> {
    return STATIONS.map((s) => ({ code: s.code, name: s.name, online: this.shiftOpen && !this.offline.has(s.code) }));
  }

  /** Runs every action due up to `ms` and returns the events they made. */
  advanceTo(ms: number): EventDraft[] {
    while (this.queue.length > 0 && this.queue[0]!.at <= ms) {
      const a = this.pop()!;
      this.nowMs = Math.max(this.nowMs, a.at);
      a.run();
    }
    this.nowMs = Math.max(this.nowMs, ms);
    const out = this.out;
    this.out = [];
    return out;
  }

  /** When the next action is due (for tests and fast-forwarding). */
  nextActionAt(): number | undefined {
    return this.queue[0]?.at;
  }

  report(kind: ReportKind, period: Parameters<typeof resolvePeriod>[0]) {
    const resolved = resolvePeriod(period, this.current, this.closed, this.iso(this.nowMs));
    if ("error" in resolved) return resolved;
    return computeReport(kind, resolved, this.opts.currency, this.opts.timezone);
  }

  /** An order from the cloud "created" in the simulated POS: cooked, then paid. */
  createExportedOrder(order: OrderExport): string {
    const posOrderId = `SIM-${this.opts.runId}-${++this.exports}`;
    const o = this.newOrder("delivery", STATIONS[2], this.staffBy("cashier")[0]!, "Доставка", 1);
    o.lines = order.items.map((i) => ({
      dish: { code: i.code ?? "", name: i.name, category: "Доставка", price: i.discountedPrice ?? i.price, printer: "Кухня" },
      quantity: i.quantity,
      saved: false,
    }));
    this.saveOrder(o, `Доставка ${order.number}`, "Доставка");
    const payAt = this.nowMs + this.rng.int(20, 40) * MIN;
    this.schedule(payAt, () => this.pay(o, [[order.paid ? "Онлайн-оплата" : "Наличные курьеру", 100]]));
    return posOrderId;
  }

  // ── shift ────────────────────────────────────────────────────────────────

  private openShift(): void {
    this.shiftNumber++;
    this.shiftOpen = true;
    this.offline.clear();
    this.current = emptyLedger(this.shiftNumber, this.iso(this.nowMs), this.opts.currency, this.opts.timezone);
    for (const s of STATIONS) this.emit("pos.started", { station: ref(s) }, { shift: this.shiftNumber });
    const waiters = this.shuffle(this.staffBy("waiter")).slice(0, this.rng.int(3, 4));
    this.onDuty = [...waiters, ...this.staffBy("bartender"), ...this.staffBy("cashier"), this.rng.pick(this.staffBy("manager"))];
    for (const p of this.onDuty) this.emit("employee.login", { employee: ref(p), station: ref(this.homeStation(p)) });

    this.scheduleArrival("dine");
    this.scheduleArrival("fast");
    this.schedule(this.todayAt(this.rng.int(12, 19), this.rng.int(0, 59)), () => this.restartCashProgram());
    this.schedule(this.todayAt(16, this.rng.int(0, 59)), () => this.handOver());
    this.schedule(this.todayAt(18, this.rng.int(0, 20)), () => this.banquet());
    this.schedule(this.todayAt(CLOSE_AT.hour, CLOSE_AT.minute - 10), () => this.closeRemainingOrders());
    this.schedule(this.todayAt(CLOSE_AT.hour, CLOSE_AT.minute), () => this.closeShift());
  }

  private closeRemainingOrders(): void {
    for (const o of [...this.orders.values()]) {
      if (o.closed) continue;
      if (o.lines.every((l) => !l.saved)) {
        this.orders.delete(o.id);
        continue;
      }
      this.saveUnsaved(o);
      if (!o.precheck) this.precheck(o);
      this.pay(o);
    }
  }

  private closeShift(): void {
    if (!this.shiftOpen || !this.current) return;
    for (const p of this.onDuty) this.emit("employee.logout", { employee: ref(p), station: ref(this.homeStation(p)) });
    this.onDuty = [];
    this.shiftOpen = false;
    const closedAt = this.iso(this.nowMs);
    this.current.shift.closedAt = closedAt;
    const ledger = this.current;
    this.emit("shift.closed", {}, { shift: { number: ledger.shift.number, openedAt: ledger.shift.openedAt, closedAt } });
    for (const kind of this.opts.autoReports) {
      const resolved = resolvePeriod({ shift: "current" }, ledger, this.closed, closedAt);
      if ("error" in resolved) continue;
      const report = computeReport(kind, resolved, this.opts.currency, this.opts.timezone);
      this.emit("report.shift", {}, { report, reportKind: kind, shiftNumber: ledger.shift.number });
    }
    this.closed.push(ledger);
    if (this.closed.length > (this.opts.keepShifts ?? 60)) this.closed.shift();
    this.current = undefined;
    this.orders.clear();
    this.schedule(this.nextLocal(OPEN_HOUR, 0), () => this.openShift());
  }

  private restartCashProgram(): void {
    if (!this.shiftOpen) return;
    const s = this.rng.pick(STATIONS.slice(0, 2));
    this.offline.add(s.code);
    this.emit("pos.stopped", { station: ref(s) }, { reason: "Перезапуск кассовой программы" });
    this.schedule(this.nowMs + this.rng.int(1, 3) * MIN, () => {
      this.offline.delete(s.code);
      this.emit("pos.started", { station: ref(s) }, { shift: this.shiftNumber, restart: true });
    });
  }

  private handOver(): void {
    if (!this.shiftOpen) return;
    const waiters = this.onDuty.filter((p) => p.role === "waiter");
    const resting = this.staffBy("waiter").filter((p) => !this.onDuty.includes(p));
    if (waiters.length === 0 || resting.length === 0) return;
    const leaving = this.rng.pick(waiters);
    const coming = this.rng.pick(resting);
    // The leaving waiter's open orders go to the one coming in.
    for (const o of this.orders.values()) if (o.waiter === leaving) o.waiter = coming;
    this.onDuty = this.onDuty.filter((p) => p !== leaving).concat(coming);
    this.emit("employee.logout", { employee: ref(leaving), station: ref(STATIONS[0]) });
    this.emit("employee.login", { employee: ref(coming), station: ref(STATIONS[0]) });
  }

  // ── guests and orders ────────────────────────────────────────────────────

  private scheduleArrival(kind: "dine" | "fast"): void {
    const hour = wallClockAt(this.nowMs, this.opts.timezone).hour;
    const rate = kind === "dine" ? (ARRIVALS_PER_HOUR[hour] ?? 1) : FAST_FOOD_PER_HOUR;
    const at = this.nowMs + Math.max(MIN / 2, this.rng.exp(3600_000 / rate));
    const last = this.todayAt(LAST_ORDER_HOUR, 59);
    if (at > last) return;
    this.schedule(at, () => {
      if (!this.shiftOpen) return;
      if (kind === "dine") this.dineIn();
      else this.fastFood();
      this.scheduleArrival(kind);
    });
  }

  private dineIn(): void {
    const atBar = this.rng.chance(0.15);
    const station = atBar ? STATIONS[1] : STATIONS[0];
    const waiter = atBar ? this.staffBy("bartender")[0]! : this.rng.pick(this.onDuty.filter((p) => p.role === "waiter"));
    const guests = atBar ? this.rng.int(1, 2) : this.rng.weighted([[1, 2], [2, 5], [3, 2], [4, 2], [5, 1], [6, 1]] as const);
    const table = atBar ? `Бар ${this.rng.int(1, 8)}` : String(this.rng.int(1, 24));
    const o = this.newOrder("dine", station, waiter, table, guests);
    const t = this.nowMs;

    this.schedule(t + this.rng.int(2, 6) * MIN, () => {
      if (this.rng.chance(0.04)) {
        // Opened the order, typed something, left without saving.
        this.addLines(o, 1, atBar ? DRINK_CATEGORIES : KITCHEN_CATEGORIES);
        o.lines = o.lines.filter((l) => l.saved);
        this.emit("order.exited_unsaved", this.orderFields(o));
      }
      this.addLines(o, atBar ? guests : guests + this.rng.int(0, guests), atBar ? DRINK_CATEGORIES : KITCHEN_CATEGORIES);
      this.addLines(o, this.rng.int(0, guests), DRINK_CATEGORIES);
      if (this.rng.chance(0.03)) this.deleteUnsaved(o);
      this.saveOrder(o);
    });
    if (this.rng.chance(0.45)) {
      this.schedule(t + this.rng.int(20, 40) * MIN, () => {
        if (o.closed) return;
        this.addLines(o, this.rng.int(1, guests), this.rng.chance(0.5) ? ["Десерты"] : DRINK_CATEGORIES);
        this.saveOrder(o);
      });
    }
    if (this.rng.chance(0.06)) this.schedule(t + this.rng.int(12, 35) * MIN, () => this.deleteSaved(o));
    if (this.rng.chance(0.03)) this.schedule(t + this.rng.int(15, 40) * MIN, () => this.moveDish(o));
    const billAt = t + this.rng.int(45, 110) * MIN;
    const discount = this.rng.next();
    if (discount < 0.1) this.schedule(billAt - 2 * MIN, () => this.addDiscount(o, this.rng.pick(DISCOUNTS)));
    else if (discount < 0.25) this.schedule(billAt - 2 * MIN, () => this.addLoyalty(o));
    if (discount < 0.25 && this.rng.chance(0.1)) this.schedule(billAt - MIN, () => this.removeDiscount(o));
    this.schedule(billAt, () => this.precheckAndPay(o, this.rng.chance(0.05)));
  }

  private precheckAndPay(o: Order, cancelFirst: boolean): void {
    if (o.closed) return;
    this.saveUnsaved(o);
    this.precheck(o);
    if (cancelFirst) {
      this.schedule(this.nowMs + this.rng.int(1, 4) * MIN, () => {
        if (o.closed) return;
        const manager = this.manager();
        o.precheck = false;
        const amount = this.totals(o).total;
        const reason = this.rng.pick(PRECHECK_CANCEL_REASONS);
        const ev = this.emit("precheck.cancelled", { ...this.orderFields(o), manager: ref(manager), reason, amount, currency: this.opts.currency });
        this.recordDeletion("precheck.cancelled", o, [], amount, manager, reason, ev.id);
        if (reason === "Гость дозаказал") {
          this.addLines(o, 1, DRINK_CATEGORIES);
          this.saveOrder(o);
        }
        this.schedule(this.nowMs + this.rng.int(2, 5) * MIN, () => this.precheckAndPay(o, false));
      });
      return;
    }
    this.schedule(this.nowMs + this.rng.int(2, 8) * MIN, () => this.pay(o));
  }

  private fastFood(): void {
    const cashier = this.staffBy("cashier")[0]!;
    const o = this.newOrder("fast", STATIONS[2], cashier, "Фаст-фуд", 1);
    this.addLines(o, this.rng.int(1, 3), [FAST_FOOD_CATEGORY]);
    this.addLines(o, this.rng.int(0, 1), ["Напитки"]);
    if (this.rng.chance(0.2)) this.deleteUnsaved(o);
    this.saveOrder(o);
    this.schedule(this.nowMs + this.rng.int(1, 3) * MIN, () => this.pay(o));
  }

  private banquet(): void {
    if (!this.shiftOpen) return;
    const manager = this.manager();
    const waiter = this.rng.pick(this.onDuty.filter((p) => p.role === "waiter"));
    const guests = this.rng.int(15, 30);
    const o = this.newOrder("banquet", STATIONS[0], waiter, "Банкетный зал", guests);
    for (const category of ["Салаты", "Горячее", "Гарниры", "Напитки", "Бар"]) {
      for (const dish of this.shuffle(MENU.filter((m) => m.category === category)).slice(0, 2)) {
        o.lines.push({ dish, quantity: Math.ceil(guests / this.rng.int(2, 4)), saved: false });
      }
    }
    this.saveOrder(o, `БАНКЕТ · ${guests} гостей · ${manager.name}`, "Банкет");
    this.schedule(this.todayAt(22, this.rng.int(0, 40)), () => {
      this.precheck(o);
      this.pay(o, [["Банковская карта", 100]]);
    });
  }

  private newOrder(kind: Order["kind"], station: StationRef, waiter: Person, table: string, guests: number): Order {
    const n = ++this.orderCounter;
    const o: Order = {
      id: `${this.opts.runId}-o${n}`,
      number: n,
      table,
      guests,
      waiter,
      station,
      lines: [],
      discounts: [],
      precheck: false,
      kind,
      closed: false,
    };
    this.orders.set(o.id, o);
    return o;
  }

  private addLines(o: Order, count: number, categories: readonly string[]): void {
    const choices = MENU.filter((m) => categories.includes(m.category));
    for (let i = 0; i < count; i++) {
      const dish = this.rng.pick(choices);
      const existing = o.lines.find((l) => l.dish === dish && !l.saved);
      if (existing) existing.quantity += 1;
      else o.lines.push({ dish, quantity: 1, saved: false });
    }
  }

  private saveUnsaved(o: Order): void {
    if (o.lines.some((l) => !l.saved)) this.saveOrder(o);
  }

  private saveOrder(o: Order, printTitle?: string, purpose = "Сервис-печать"): void {
    const fresh = o.lines.filter((l) => !l.saved && l.quantity > 0);
    for (const l of fresh) l.saved = true;
    this.emit("order.saved", this.orderFields(o), { newLines: fresh.length });
    for (const printer of ["Кухня", "Бар"] as const) {
      const lines = fresh.filter((l) => l.dish.printer === printer);
      if (lines.length === 0) continue;
      const title = printTitle ?? `Заказ ${o.number} · Стол ${o.table} · ${o.waiter.name}`;
      this.emit(
        "service_print",
        { station: ref(o.station), employee: ref(o.waiter), order: this.orderRef(o) },
        {
          document: {
            printer,
            purpose,
            title,
            lines: [title, `Гостей: ${o.guests}`, ...lines.map((l) => `${l.dish.name} × ${formatQty(l.quantity)}`)],
          },
        },
      );
    }
  }

  private deleteUnsaved(o: Order): void {
    const unsaved = o.lines.filter((l) => !l.saved && l.quantity > 0);
    if (unsaved.length === 0) return;
    const line = this.rng.pick(unsaved);
    const item = this.item(line.dish, line.quantity);
    line.quantity = 0;
    o.lines = o.lines.filter((l) => l.quantity > 0);
    const ev = this.emit("dish.deleted_unsaved", { ...this.orderFields(o), items: [item], amount: item.amount ?? 0, currency: this.opts.currency });
    this.recordDeletion("dish.deleted_unsaved", o, [item], item.amount ?? 0, undefined, undefined, ev.id);
  }

  private deleteSaved(o: Order): void {
    if (o.closed || o.precheck) return;
    const saved = o.lines.filter((l) => l.saved && l.quantity > 0);
    if (saved.length === 0) return;
    const line = this.rng.pick(saved);
    const qty = line.quantity > 1 && this.rng.chance(0.5) ? 1 : line.quantity;
    line.quantity -= qty;
    o.lines = o.lines.filter((l) => l.quantity > 0);
    const item = this.item(line.dish, qty);
    const manager = this.manager();
    const reason = this.rng.pick(DISH_DELETE_REASONS);
    const ev = this.emit("dish.deleted_saved", {
      ...this.orderFields(o),
      items: [item],
      manager: ref(manager),
      reason,
      amount: item.amount ?? 0,
      currency: this.opts.currency,
    });
    this.recordDeletion("dish.deleted_saved", o, [item], item.amount ?? 0, manager, reason, ev.id);
  }

  private moveDish(from: Order): void {
    if (from.closed || from.precheck) return;
    const targets = [...this.orders.values()].filter((t) => t !== from && !t.closed && !t.precheck && t.kind === "dine");
    const lines = from.lines.filter((l) => l.saved && l.quantity > 0);
    if (targets.length === 0 || lines.length === 0) return;
    const to = this.rng.pick(targets);
    const line = this.rng.pick(lines);
    line.quantity -= 1;
    from.lines = from.lines.filter((l) => l.quantity > 0);
    to.lines.push({ dish: line.dish, quantity: 1, saved: true });
    const item = this.item(line.dish, 1);
    this.emit("dish.moved_out", { ...this.orderFields(from), items: [item] }, { toOrder: this.orderRef(to) });
    this.emit("dish.moved_in", { ...this.orderFields(to), items: [item] }, { fromOrder: this.orderRef(from) });
  }

  private addDiscount(o: Order, spec: DiscountSpec): void {
    if (o.closed || o.discounts.some((d) => d.spec.code === spec.code)) return;
    o.discounts.push({ spec });
    this.emit("discount.added", { ...this.orderFields(o), manager: ref(this.manager()) }, { discount: this.discountData(o, { spec }) });
  }

  private addLoyalty(o: Order): void {
    if (o.closed || o.discounts.some((d) => d.card)) return;
    const card = { number: `**** ${String(this.rng.int(0, 9999)).padStart(4, "0")}`, holder: this.rng.pick(LOYALTY_HOLDERS), system: LOYALTY.system };
    const d: AppliedDiscount = { spec: LOYALTY, card };
    o.discounts.push(d);
    this.emit("loyalty_discount.added", this.orderFields(o), { card, discount: this.discountData(o, d) });
  }

  private removeDiscount(o: Order): void {
    if (o.closed || o.discounts.length === 0) return;
    const d = o.discounts.pop()!;
    const data = this.discountData(o, d);
    const employee = o.waiter;
    if (d.card) this.emit("loyalty_discount.removed", this.orderFields(o), { card: d.card, discount: data });
    else this.emit("discount.removed", { ...this.orderFields(o), manager: ref(this.manager()) }, { discount: data });
    this.current?.discountRemovals.push({
      at: this.iso(this.nowMs),
      orderNumber: String(o.number),
      discount: { code: d.spec.code, name: d.spec.name, amount: data.amount, ...(d.card ? { card: d.card.number } : {}) },
      employee: ref(employee),
      loyalty: Boolean(d.card),
    });
  }

  private precheck(o: Order): void {
    o.precheck = true;
    const { total } = this.totals(o);
    this.emit("precheck.printed", { ...this.orderFields(o), amount: total, currency: this.opts.currency });
  }

  private pay(o: Order, methods?: Array<[string, number]>): void {
    if (o.closed) return;
    if (o.lines.every((l) => l.quantity <= 0)) {
      this.orders.delete(o.id);
      return;
    }
    this.saveUnsaved(o);
    const { gross, discounts, total } = this.totals(o);
    const split = methods ?? this.paymentSplit();
    const payments = splitAmount(total, split);
    const n = ++this.checkCounter;
    const items = o.lines.filter((l) => l.quantity > 0).map((l) => this.item(l.dish, l.quantity));
    const ledgerCheck: LedgerCheck = {
      id: `${this.opts.runId}-c${n}`,
      number: String(n),
      orderId: o.id,
      orderNumber: String(o.number),
      table: o.table,
      guests: o.guests,
      closedAt: this.iso(this.nowMs),
      waiter: ref(o.waiter),
      station: ref(o.station),
      items: items.map((i) => ({ code: i.code, name: i.name, category: i.category, quantity: i.quantity, price: i.price ?? 0, amount: i.amount ?? 0 })),
      discounts: discounts.map((d) => ({ code: d.spec.code, name: d.spec.name, amount: d.amount, ...(d.card ? { card: d.card.number } : {}) })),
      payments,
      total,
      state: "closed",
    };
    o.closed = true;
    o.lastCheck = ledgerCheck;
    this.current?.checks.push(ledgerCheck);
    this.emit(
      "check.closed",
      { ...this.orderFields(o), items, amount: total, currency: this.opts.currency },
      { payments, checkNumber: String(n), gross, discount: gross - total },
    );
    if (o.kind === "dine" && this.rng.chance(0.01)) this.schedule(this.nowMs + this.rng.int(1, 10) * MIN, () => this.deleteCheck(o));
    else if (o.kind === "dine" && this.rng.chance(0.01)) this.schedule(this.nowMs + this.rng.int(1, 5) * MIN, () => this.annulCheck(o));
    else this.schedule(this.nowMs + MIN, () => this.orders.delete(o.id));
  }

  private deleteCheck(o: Order): void {
    const c = o.lastCheck;
    if (!c || c.state !== "closed" || !this.current?.checks.includes(c)) return;
    c.state = "deleted";
    const manager = this.manager();
    const reason = this.rng.pick(CHECK_DELETE_REASONS);
    const ev = this.emit("check.deleted", { ...this.orderFields(o), manager: ref(manager), reason, amount: c.total, currency: this.opts.currency }, { checkNumber: c.number });
    this.recordDeletion("check.deleted", o, [], c.total, manager, reason, ev.id);
    this.orders.delete(o.id);
  }

  private annulCheck(o: Order): void {
    const c = o.lastCheck;
    if (!c || c.state !== "closed" || !this.current?.checks.includes(c)) return;
    c.state = "annulled";
    const manager = this.manager();
    const reason = this.rng.pick(CHECK_UNDO_REASONS);
    const ev = this.emit("check.annulled", { ...this.orderFields(o), manager: ref(manager), reason, amount: c.total, currency: this.opts.currency }, { checkNumber: c.number });
    this.recordDeletion("check.annulled", o, [], c.total, manager, reason, ev.id);
    // The order is open again and is paid anew, usually another way.
    o.closed = false;
    this.schedule(this.nowMs + this.rng.int(2, 5) * MIN, () => this.pay(o));
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private recordDeletion(kind: DeletionKind, o: Order, items: Item[], amount: number, manager: Person | undefined, reason: string | undefined, eventId: string): void {
    this.current?.deletions.push({
      at: this.iso(this.nowMs),
      kind,
      orderNumber: String(o.number),
      table: o.table,
      items: items.map((i): LedgerItem => ({ code: i.code, name: i.name, category: i.category, quantity: i.quantity, price: i.price ?? 0, amount: i.amount ?? 0 })),
      amount,
      employee: ref(o.waiter),
      ...(manager ? { manager: ref(manager) } : {}),
      ...(reason ? { reason } : {}),
      eventId,
    });
  }

  private totals(o: Order) {
    const gross = o.lines.reduce((s, l) => s + l.dish.price * l.quantity, 0);
    const discounts = o.discounts.map((d) => ({ ...d, amount: Math.round((gross * d.spec.percent) / 100) }));
    const total = Math.max(0, gross - discounts.reduce((s, d) => s + d.amount, 0));
    return { gross, discounts, total };
  }

  private discountData(o: Order, d: AppliedDiscount) {
    const gross = o.lines.reduce((s, l) => s + l.dish.price * l.quantity, 0);
    return { code: d.spec.code, name: d.spec.name, percent: d.spec.percent, amount: Math.round((gross * d.spec.percent) / 100) };
  }

  private paymentSplit(): Array<[string, number]> {
    if (this.rng.chance(0.04)) {
      const share = this.rng.int(30, 70);
      return [
        ["Наличные", share],
        ["Банковская карта", 100 - share],
      ];
    }
    return [[this.rng.weighted(PAYMENT_METHODS), 100]];
  }

  private item(dish: Dish, quantity: number): Item {
    return { code: dish.code, name: dish.name, category: dish.category, quantity, price: dish.price, amount: Math.round(dish.price * quantity) };
  }

  private orderRef(o: Order): OrderRef {
    return { id: o.id, number: String(o.number), table: o.table, guests: o.guests, waiter: ref(o.waiter), total: this.totals(o).total };
  }

  private orderFields(o: Order): Pick<EventDraft, "order" | "station" | "employee"> {
    return { order: this.orderRef(o), station: ref(o.station), employee: ref(o.waiter) };
  }

  private manager(): Person {
    return this.onDuty.find((p) => p.role === "manager") ?? this.staffBy("manager")[0]!;
  }

  private staffBy(role: Person["role"]): Person[] {
    return STAFF.filter((p) => p.role === role);
  }

  private homeStation(p: Person): StationRef {
    return p.role === "bartender" ? STATIONS[1] : p.role === "cashier" ? STATIONS[2] : STATIONS[0];
  }

  private shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  private emit(type: AgentEventType, fields: Partial<EventDraft>, data?: Record<string, unknown>): EventDraft {
    const draft: EventDraft = {
      id: `${this.opts.runId}-${++this.eventCounter}`,
      type,
      occurredAt: this.iso(this.nowMs),
      ...fields,
      data: { source: "simulator", ...(data ?? {}) },
    };
    this.out.push(draft);
    return draft;
  }

  private iso(ms: number): string {
    return toZonedIso(ms, this.opts.timezone);
  }

  /** Epoch ms of hh:mm today (local), or tomorrow if that moment has passed today and `next` is set. */
  private todayAt(hour: number, minute: number): number {
    const w = wallClockAt(this.nowMs, this.opts.timezone);
    const local = `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(hour)}:${pad(minute)}:00`;
    return localToEpoch(local, this.opts.timezone)!;
  }

  private nextLocal(hour: number, minute: number): number {
    const today = this.todayAt(hour, minute);
    if (today > this.nowMs) return today;
    const w = wallClockAt(this.nowMs + 24 * 3600_000, this.opts.timezone);
    return localToEpoch(`${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(hour)}:${pad(minute)}:00`, this.opts.timezone)!;
  }

  private schedule(at: number, run: () => void): void {
    const a: Action = { at: Math.max(at, this.nowMs), n: ++this.actionCounter, run };
    const q = this.queue;
    q.push(a);
    let i = q.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(q[p]!, a)) break;
      q[i] = q[p]!;
      i = p;
    }
    q[i] = a;
  }

  private pop(): Action | undefined {
    const q = this.queue;
    const top = q[0];
    const last = q.pop();
    if (q.length === 0 || !last) return top;
    q[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < q.length && before(q[l]!, q[m]!)) m = l;
      if (r < q.length && before(q[r]!, q[m]!)) m = r;
      if (m === i) break;
      [q[i], q[m]] = [q[m]!, q[i]!];
      i = m;
    }
    return top;
  }
}

function before(a: Action, b: Action): boolean {
  return a.at < b.at || (a.at === b.at && a.n < b.n);
}

function ref(x: { code: string; name: string }): Ref {
  return { code: x.code, name: x.name };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function formatQty(q: number): string {
  return Number.isInteger(q) ? String(q) : q.toFixed(3).replace(/0+$/, "");
}

/** Splits `total` by percentage shares; the last share takes the rounding. */
export function splitAmount(total: number, shares: Array<[string, number]>): Array<{ method: string; amount: number }> {
  const sumShares = shares.reduce((s, [, w]) => s + w, 0);
  let left = total;
  return shares.map(([method, w], i) => {
    const amount = i === shares.length - 1 ? left : Math.round((total * w) / sumShares);
    left -= amount;
    return { method, amount };
  });
}
