/**
 * The simulator as a POS source: runs the simulated restaurant (./world.ts)
 * against the real clock at `speed` simulated seconds per second, and hands
 * each batch of events to the agent, waiting until they are spooled before
 * simulating further.
 */
import { createHash, randomBytes } from "node:crypto";
import type { OrderExport } from "../../../src/protocol/orders";
import type { Report, ReportKind, ReportPeriodRequest } from "../../../src/protocol/report";
import type { Logger } from "../log";
import { type EventSink, type ExportOutcome, type PosStatus, ReportUnavailable, type Source } from "../source";
import { SimWorld } from "./world";
import { RESTAURANT_NAME } from "./catalog";

export interface SimulatorOptions {
  seed: number;
  speed: number;
  startMs?: number;
  timezone: string;
  currency: string;
  autoReports: ReportKind[];
  log: Logger;
  /** Real milliseconds between simulation steps. */
  tickMs?: number;
  runId?: string;
  /** Real milliseconds an export takes (default 1500). */
  exportDelayMs?: number;
}

export class SimulatorSource implements Source {
  readonly kind = "simulator";
  readonly world: SimWorld;
  private timer: NodeJS.Timeout | null = null;
  private realStart = 0;
  private simStart: number;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  emitted = 0;

  constructor(private readonly opts: SimulatorOptions) {
    this.simStart = opts.startMs ?? Date.now();
    const runId = opts.runId ?? `sim${randomBytes(3).toString("hex")}`;
    this.world = new SimWorld({
      seed: opts.seed,
      startMs: this.simStart,
      timezone: opts.timezone,
      currency: opts.currency,
      runId,
      autoReports: opts.autoReports,
    });
  }

  async start(sink: EventSink): Promise<void> {
    this.realStart = Date.now();
    this.opts.log.info(`simulating ${RESTAURANT_NAME}`, { seed: this.opts.seed, speed: this.opts.speed, start: new Date(this.simStart).toISOString() });
    const tick = () => {
      if (this.stopped) return;
      this.running = this.step(sink).finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.tickMs ?? 200);
      });
    };
    tick();
  }

  /** Simulated now, from the real clock. */
  simNow(): number {
    return this.simStart + (Date.now() - this.realStart) * this.opts.speed;
  }

  private async step(sink: EventSink): Promise<void> {
    const drafts = this.world.advanceTo(this.simNow());
    if (drafts.length === 0) return;
    try {
      await sink.emit(drafts);
      this.emitted += drafts.length;
    } catch (e) {
      this.opts.log.error("could not spool simulated events", { error: e });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  status(): PosStatus {
    return { kind: this.kind, version: "tillwatch-simulator 1", online: true, stations: this.world.stationStatus() };
  }

  async report(kind: ReportKind, period: ReportPeriodRequest): Promise<Report> {
    const r = this.world.report(kind, period);
    if ("error" in r) throw new ReportUnavailable(r.error);
    return r;
  }

  /**
   * Like a real till: the order appears after a short delay; about one in ten
   * is refused (a dish on the stop list), decided by the order id so a
   * re-asked export gets the same answer.
   */
  async exportOrder(order: OrderExport, requestId: string): Promise<ExportOutcome> {
    await new Promise((r) => setTimeout(r, this.opts.exportDelayMs ?? 1500));
    const h = createHash("sha256").update(`${this.opts.seed}:${order.orderId}`).digest();
    if (h[0]! % 10 === 0) {
      const dish = order.items[h[1]! % order.items.length]!;
      return {
        status: "failed",
        log: [`Заказ ${order.number}: касса не приняла заказ (запрос ${requestId})`, `Блюдо «${dish.name}» в стоп-листе`],
      };
    }
    const posOrderId = this.world.createExportedOrder(order);
    return { status: "created", posOrderId, log: [`Заказ ${order.number} создан в симуляторе как ${posOrderId}`] };
  }
}
