/**
 * What every POS source gives the agent. One implementation per POS:
 * `simulator`, `rkeeper7`; iiko would be a third (its iikoServer events
 * journal, polled with `from_rev`, maps onto the same drafts — see
 * docs/AGENT.md "Adding a POS").
 */
import type { AgentEventType } from "../../src/protocol/events";
import type { OrderExport } from "../../src/protocol/orders";
import type { Report, ReportKind, ReportPeriodRequest } from "../../src/protocol/report";
import type { Item, OrderRef, Ref } from "../../src/protocol/common";

/** An event before the spool numbers it. `id` must be deterministic for the POS fact it describes. */
export interface EventDraft {
  id: string;
  type: AgentEventType;
  occurredAt: string;
  station?: Ref;
  employee?: Ref;
  manager?: Ref;
  order?: OrderRef;
  items?: Item[];
  reason?: string;
  amount?: number;
  currency?: string;
  data?: Record<string, unknown>;
}

export interface EventSink {
  /** Resolves once every draft is durably spooled (or turned into `pos.unclassified` if it was malformed). */
  emit(drafts: EventDraft[]): Promise<void>;
}

export interface PosStatus {
  kind: string;
  version?: string;
  /** Is the POS answering the agent right now? */
  online: boolean;
  detail?: string;
  stations: Array<{ code: string; name: string; online?: boolean }>;
}

export interface ExportOutcome {
  status: "created" | "failed";
  posOrderId?: string;
  log?: string[];
}

export interface Source {
  readonly kind: string;
  start(sink: EventSink): Promise<void>;
  stop(): Promise<void>;
  status(): PosStatus;
  report(kind: ReportKind, period: ReportPeriodRequest): Promise<Report>;
  exportOrder(order: OrderExport, requestId: string): Promise<ExportOutcome>;
  /** The cloud told us the restaurant's zone (heartbeat config). */
  setTimezone?(timezone: string): void;
}

/** A report request the source cannot answer (bad period, no data): the message goes back to the chat. */
export class ReportUnavailable extends Error {}
