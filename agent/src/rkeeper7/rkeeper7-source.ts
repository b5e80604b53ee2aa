/**
 * r_keeper 7 as a POS source. Two feeds, one classifier:
 *
 *  - HTTP Order Notify: the cash server POSTs each cash-station event to the
 *    local receiver; it is fsynced in the inbox, then classified (with the
 *    order as last seen) into contract events and spooled.
 *  - the XML interface: `GetSystemInfo2` (health, common shift number, 2172
 *    "shift is closing"), `GetRefData` (delete reasons, operation names),
 *    and `GetOrderList` with `lastversion` plus `GetOrder` for every order
 *    whose version moved — catching what the notify driver missed (its queue
 *    holds 256 events and dies with the cash server). Both feeds name a POS
 *    fact with the same event id, so it is sent once.
 *
 * Reports come from a ledger of the shift built from the events this source
 * emitted (../ledger/recorder.ts), persisted with the order snapshots, so the
 * auto-report can be built after r_keeper has closed the shift.
 */
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { OrderExport } from "../../../src/protocol/orders";
import type { Report, ReportKind, ReportPeriodRequest } from "../../../src/protocol/report";
import type { AgentConfig } from "../config/config";
import { emptyLedger, type ShiftLedger } from "../ledger/ledger";
import { recordDraft } from "../ledger/recorder";
import { computeReport, resolvePeriod } from "../ledger/reports";
import type { Logger } from "../log";
import { type EventDraft, type EventSink, type ExportOutcome, type PosStatus, ReportUnavailable, type Source } from "../source";
import { readJsonFile, writeFileAtomic } from "../util/atomic-file";
import { sleep, Wakeup } from "../util/sleep";
import { toZonedIso } from "../util/zoned-time";
import { classifyNotify, type ClassifyContext, diffOrder, factId, type VoidReasonFlags } from "./classify";
import { type NotifyDoc, parseNotify } from "./notify-doc";
import { NotifyInbox, type InboxEntry } from "./notify-inbox";
import { NotifyReceiver } from "./notify-receiver";
import { readOrder, type RkOrder } from "./order-model";
import { guidKey, localTime } from "./units";
import { escapeXml, readOrderList, readRefItems, readSystemInfo, Rk7Client, Rk7Error, RK7_SHIFT_CLOSING } from "./xml-client";
import { child } from "./xml-tree";

export interface RKeeper7Options {
  config: AgentConfig;
  timezone: string;
  log: Logger;
  /** Replaces the XML client (tests). */
  client?: Rk7Client;
  /** Directory for the inbox and state (default: <spool>/rk7). */
  dir?: string;
}

interface Rk7State {
  v: 1;
  restCode?: string;
  shift?: { number: number; openedAt: string };
  current?: ShiftLedger;
  closed: ShiftLedger[];
  /** Last seen content of the current shift's orders, by guid. */
  orders: Record<string, RkOrder>;
  versions: Record<string, number>;
  lastVersion?: number;
  /** When the XML poll last completed: facts after it are new on a first sight. */
  syncedAt?: number;
  stations: Record<string, { code: string; name: string }>;
}

const KEEP_CLOSED_SHIFTS = 14;
const REFDATA_EVERY_MS = 3600_000;

export class RKeeper7Source implements Source {
  readonly kind = "rkeeper7";
  private readonly client: Rk7Client;
  private readonly dir: string;
  private state: Rk7State = { v: 1, closed: [], orders: {}, versions: {}, stations: {} };
  private inbox!: NotifyInbox;
  private receiver!: NotifyReceiver;
  private sink!: EventSink;
  private readonly abort = new AbortController();
  private readonly wake = new Wakeup();
  private loops: Promise<void>[] = [];
  private timezone: string;
  private voidReasons = new Map<string, VoidReasonFlags>();
  private operationNames = new Map<string, string>();
  private refDataAt = 0;
  /** Serialises everything that touches the state (inbox processing, polls, shift changes). */
  private chain: Promise<unknown> = Promise.resolve();
  private health: { online: boolean; detail?: string; version?: string; closing?: boolean } = { online: false, detail: "not checked yet" };
  /** Port the notify receiver listens on (after start). */
  notifyPort = 0;

  constructor(private readonly opts: RKeeper7Options) {
    const c = opts.config;
    this.timezone = opts.timezone;
    this.dir = opts.dir ?? path.join(c.spool, "rk7");
    this.client =
      opts.client ??
      new Rk7Client({
        url: c.rk7Url!,
        user: c.rk7User!,
        password: c.rk7Password!,
        timeoutMs: c.rk7TimeoutSeconds * 1000,
        ciphers: c.rk7TlsCiphers,
        certSha256: c.rk7CertSha256,
      });
  }

  setTimezone(timezone: string): void {
    this.timezone = timezone;
  }

  async start(sink: EventSink): Promise<void> {
    this.sink = sink;
    await mkdir(this.dir, { recursive: true });
    this.state = { ...this.state, ...(await readJsonFile<Partial<Rk7State>>(this.file, {}).catch(() => ({}))) } as Rk7State;
    this.inbox = await NotifyInbox.open(this.dir);
    const c = this.opts.config;
    this.receiver = new NotifyReceiver({
      host: c.notifyHost,
      port: c.notifyPort,
      path: c.notifyPath,
      inbox: this.inbox,
      log: this.opts.log.child("notify"),
      onStored: () => this.wake.notify(),
    });
    this.notifyPort = await this.receiver.start();
    this.opts.log.info("listening for r_keeper HTTP Order Notify", { url: `http://${c.notifyHost}:${this.notifyPort}${c.notifyPath}` });
    const signal = this.abort.signal;
    this.loops = [this.inboxLoop(signal), this.pollLoop(signal)];
  }

  private get file(): string {
    return path.join(this.dir, "state.json");
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.chain.then(f, f);
    this.chain = run.catch(() => {});
    return run;
  }

  private ctx(): ClassifyContext {
    return { timezone: this.timezone, currency: this.opts.config.currency, operMap: this.opts.config.rk7OperMap, voidReasons: this.voidReasons };
  }

  // ── the notify inbox ───────────────────────────────────────────────────────

  private async inboxLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const n = await this.processInbox();
        if (n > 0) continue;
      } catch (e) {
        this.opts.log.error("processing r_keeper notify events failed; will retry", { error: e });
        await sleep(5000, signal);
      }
      await this.wake.wait(1000, signal);
    }
  }

  /** Classifies and spools what the inbox holds; returns how many inbox entries were done. */
  processInbox(): Promise<number> {
    return this.serial(async () => {
      const entries = await this.inbox.read(100);
      if (entries.length === 0) return 0;
      for (const e of entries) await this.processEntry(e);
      await this.saveState();
      await this.inbox.done(entries);
      return entries.length;
    });
  }

  private async processEntry(e: InboxEntry): Promise<void> {
    let doc: NotifyDoc;
    try {
      doc = parseNotify(e.xml, this.timezone, new Date(e.receivedAt));
    } catch (err) {
      await this.emit([
        {
          id: factId(`${guidKey(e.guid) || e.guid}:bad`),
          type: "pos.unclassified",
          occurredAt: toZonedIso(Date.parse(e.receivedAt), this.timezone),
          data: { source: "rk7.notify", raw: e.xml.slice(0, 190_000), why: `unreadable notify event: ${err instanceof Error ? err.message : String(err)}` },
        },
      ]);
      return;
    }
    if (doc.restCode) this.state.restCode = doc.restCode;
    if (doc.station?.code) this.state.stations[doc.station.code] = { code: doc.station.code, name: doc.station.name };
    if (doc.shiftNum !== undefined) await this.observeShift(doc.shiftNum, undefined, doc.at);
    for (const c of doc.changes) if (c.oper && !c.oper.name) c.oper.name = this.operationNames.get(c.oper.id) ?? "";
    const prev = doc.order ? this.state.orders[doc.order.guid] : undefined;
    const { drafts } = classifyNotify(doc, e.xml, prev, this.ctx());
    await this.emit(drafts);
    if (doc.order) this.state.orders[doc.order.guid] = doc.order;
  }

  /** Records into the shift ledger, then spools (resolves once durable). */
  private async emit(drafts: EventDraft[]): Promise<void> {
    if (drafts.length === 0) return;
    await this.sink.emit(drafts);
    if (this.state.current) for (const d of drafts) recordDraft(this.state.current, d);
  }

  // ── the XML interface ──────────────────────────────────────────────────────

  private async pollLoop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.poll().catch((e) => this.opts.log.error("r_keeper poll failed", { error: e }));
      await sleep(this.opts.config.rk7PollSeconds * 1000, signal);
    }
  }

  /** One round: health and shift, reference data when due, changed orders. */
  poll(): Promise<void> {
    return this.serial(async () => {
      const log = this.opts.log;
      const started = Date.now();
      try {
        const info = readSystemInfo(await this.client.command("GetSystemInfo2"));
        const wasDown = !this.health.online;
        this.health = { online: true, version: info.version };
        if (wasDown) log.info("cash server answers", { host: this.client.host, version: info.version, shift: info.shiftNum });
        if (info.restCode) this.state.restCode = info.restCode;
        if (info.shiftNum !== undefined) await this.observeShift(info.shiftNum, localTime(info.shiftStartTime, this.timezone));
        if (Date.now() - this.refDataAt > REFDATA_EVERY_MS) await this.loadRefData();
        await this.pollOrders(started);
      } catch (e) {
        this.noteXmlFailure(e);
      }
      await this.saveState();
    });
  }

  private noteXmlFailure(e: unknown): void {
    if (e instanceof Rk7Error && e.errorCode === RK7_SHIFT_CLOSING) {
      if (!this.health.closing) this.opts.log.info("r_keeper is closing the common shift");
      this.health = { ...this.health, online: true, closing: true, detail: "r_keeper закрывает общую смену" };
      return;
    }
    const detail = e instanceof Error ? e.message : String(e);
    if (this.health.online || this.health.detail !== detail) this.opts.log.warn("cash server XML interface failed", { error: detail });
    this.health = { online: false, detail: detail.slice(0, 500), version: this.health.version };
  }

  private async loadRefData(): Promise<void> {
    try {
      const voids = readRefItems(await this.client.command("GetRefData", { RefName: "ORDERVOIDS", OnlyActive: "0" }));
      const map = new Map<string, VoidReasonFlags>();
      for (const v of voids) {
        const flags: VoidReasonFlags = { checkUndo: v.ImplOnCheckUndo === "1" || v.ImplOnCheckUndo === "true" };
        if (v.Ident) map.set(v.Ident, flags);
        if (v.Code) map.set(`code:${v.Code}`, flags);
      }
      this.voidReasons = map;
      const ops = readRefItems(await this.client.command("GetRefData", { RefName: "OPERATIONS", OnlyActive: "0" }));
      this.operationNames = new Map(ops.filter((o) => o.Ident && o.Name).map((o) => [o.Ident!, o.Name!]));
      this.refDataAt = Date.now();
    } catch (e) {
      if (e instanceof Rk7Error && (e.unreachable || e.errorCode === RK7_SHIFT_CLOSING)) throw e;
      this.refDataAt = Date.now() - REFDATA_EVERY_MS + 5 * 60_000; // retry in 5 minutes
      this.opts.log.warn("reading r_keeper reference data failed; classifying without it", { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async pollOrders(started: number): Promise<void> {
    const list = await this.client.command("GetOrderList", { lastversion: this.state.lastVersion });
    if (list.status === "No changes") {
      this.state.syncedAt = started;
      return;
    }
    const { lastVersion, orders } = readOrderList(list);
    for (const entry of orders) {
      if (entry.version !== undefined && this.state.versions[entry.guid] === entry.version) continue;
      const answer = await this.client.command("GetOrder", {}, `<Order guid="${escapeXml(entry.guid)}"/>`);
      const node = child(answer.root, "Order");
      if (!node) continue;
      const next = readOrder(node, this.timezone);
      const prev = this.state.orders[next.guid];
      const drafts = diffOrder(
        prev,
        next,
        { ...this.ctx(), source: "rk7.xml", raw: answer.text, at: toZonedIso(Date.now(), this.timezone), ...(next.station ? { station: next.station } : {}) },
        { unsavedDeletions: false, since: this.state.syncedAt },
      );
      await this.emit(drafts);
      this.state.orders[next.guid] = next;
      if (entry.version !== undefined) this.state.versions[entry.guid] = entry.version;
    }
    if (lastVersion !== undefined) this.state.lastVersion = lastVersion;
    this.state.syncedAt = started;
  }

  // ── the common shift ───────────────────────────────────────────────────────

  /**
   * A shift number seen (notify envelope or GetSystemInfo2). A higher number
   * than the current one means the previous shift was closed: `shift.closed`
   * then one `report.shift` per configured kind, from the ledger kept while
   * the shift was open.
   */
  private async observeShift(num: number, openedAt: string | undefined, at?: string): Promise<void> {
    const cur = this.state.shift;
    if (cur && num <= cur.number) return;
    const now = at ?? toZonedIso(Date.now(), this.timezone);
    if (cur && this.state.current) await this.closeShift(this.state.current, now);
    this.health = { ...this.health, closing: false, detail: undefined };
    const opened = openedAt ?? now;
    this.state.shift = { number: num, openedAt: opened };
    this.state.current = emptyLedger(num, opened, this.opts.config.currency, this.timezone);
    this.state.orders = {};
    this.state.versions = {};
    this.state.lastVersion = undefined;
    this.opts.log.info("common shift", { number: num, openedAt: opened });
  }

  private async closeShift(ledger: ShiftLedger, closedAt: string): Promise<void> {
    ledger.shift.closedAt = closedAt;
    const key = `shift:${this.state.restCode ?? "0"}:${ledger.shift.number}`;
    const drafts: EventDraft[] = [
      {
        id: factId(`${key}:closed`),
        type: "shift.closed",
        occurredAt: closedAt,
        data: { source: "rk7.xml", shift: { number: ledger.shift.number, openedAt: ledger.shift.openedAt, closedAt } },
      },
    ];
    for (const kind of this.opts.config.autoReports) {
      const resolved = resolvePeriod({ shift: "current" }, ledger, this.state.closed, closedAt);
      if ("error" in resolved) continue;
      const report = computeReport(kind, resolved, this.opts.config.currency, this.timezone);
      drafts.push({ id: factId(`${key}:report:${kind}`), type: "report.shift", occurredAt: closedAt, data: { source: "rk7.xml", report, reportKind: kind, shiftNumber: ledger.shift.number } });
    }
    await this.sink.emit(drafts);
    this.state.closed.push(ledger);
    if (this.state.closed.length > KEEP_CLOSED_SHIFTS) this.state.closed.shift();
    this.state.current = undefined;
    this.opts.log.info("common shift closed; auto-report spooled", { number: ledger.shift.number, reports: drafts.length - 1 });
  }

  private saveState(): Promise<void> {
    return writeFileAtomic(this.file, JSON.stringify(this.state));
  }

  // ── Source ─────────────────────────────────────────────────────────────────

  status(): PosStatus {
    return {
      kind: this.kind,
      ...(this.health.version ? { version: this.health.version } : {}),
      online: this.health.online,
      ...(this.health.detail ? { detail: this.health.detail } : {}),
      stations: Object.values(this.state.stations),
    };
  }

  async report(kind: ReportKind, period: ReportPeriodRequest): Promise<Report> {
    const resolved = resolvePeriod(period, this.state.current, this.state.closed, toZonedIso(Date.now(), this.timezone));
    if ("error" in resolved) throw new ReportUnavailable(resolved.error);
    return computeReport(kind, resolved, this.opts.config.currency, this.timezone);
  }

  /**
   * Creates the order in r_keeper over XML (CreateOrder, then SaveOrder with
   * the dishes by code). Writing orders needs r_keeper's XML SaveOrder
   * licence; without it, or without a table to put orders on, the answer is
   * `failed` with a log that says what to do.
   */
  async exportOrder(order: OrderExport, requestId: string): Promise<ExportOutcome> {
    const table = this.opts.config.rk7ExportTable;
    if (!table) {
      return { status: "failed", log: ["Экспорт заказов в r_keeper выключен: не задан стол для заказов (--rk7-export-table). Нужна также лицензия XML SaveOrder."] };
    }
    const log: string[] = [];
    const guid = deterministicGuid(requestId);
    try {
      const type = this.opts.config.rk7ExportOrderType;
      await this.client.command(
        "CreateOrder",
        {},
        `<Order guid="${guid}" persistentComment="${escapeXml(`${order.source} ${order.number}${order.comment ? `: ${order.comment}` : ""}`.slice(0, 200))}"><Table code="${table}"/>${type ? `<OrderType code="${type}"/>` : ""}<Guests><Guest guestLabel="1"/></Guests></Order>`,
      );
      log.push(`CreateOrder: заказ ${guid} создан`);
      const dishes = order.items.map((i) => `<Dish code="${escapeXml(i.code ?? "")}" quantity="${Math.round(i.quantity * 1000)}"/>`).join("");
      await this.client.command("SaveOrder", {}, `<Order guid="${guid}"/><Session>${dishes}</Session>`);
      log.push(`SaveOrder: ${order.items.length} блюд сохранено`);
      return { status: "created", posOrderId: guid, log };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log.push(`r_keeper отказал: ${msg}`);
      if (/licen|лиценз/i.test(msg)) log.push("Для создания заказов через XML нужна лицензия r_keeper «XML SaveOrder» (RKeeper 7 Write XML Order). Без неё экспорт невозможен.");
      this.opts.log.warn("order export to r_keeper failed", { requestId, error: msg });
      return { status: "failed", log };
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.receiver?.stop();
    await Promise.allSettled(this.loops);
    await this.chain;
    await this.saveState().catch(() => {});
    await this.inbox?.close();
    this.client.close();
  }
}

function deterministicGuid(seed: string): string {
  const h = createHash("sha256").update(`tillwatch-export:${seed}`).digest("hex").toUpperCase();
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}`;
}
