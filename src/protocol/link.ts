/**
 * Frames on the agent link (`GET /agent/v1/link`, a WebSocket the agent dials
 * out to, because restaurants sit behind NAT). JSON text frames both ways.
 */
import { z } from "zod";
import { PosText } from "./common";
import { OrderExport } from "./orders";
import { Report, ReportKind, ReportPeriodRequest } from "./report";

const RequestId = z.string().min(1).max(64);

export const Ping = z.object({ type: z.literal("ping") });
export const Pong = z.object({ type: z.literal("pong") });
/** The exact bytes of a ping; the object answers it without waking (auto-response). */
export const PING_FRAME = '{"type":"ping"}';
export const PONG_FRAME = '{"type":"pong"}';

export const ReportRequest = z.object({
  type: z.literal("report.request"),
  requestId: RequestId,
  report: ReportKind,
  period: ReportPeriodRequest,
});
export const OrderExportRequest = z.object({
  type: z.literal("order.export"),
  requestId: RequestId,
  order: OrderExport,
});

export const ReportResult = z.object({ type: z.literal("report.result"), requestId: RequestId, report: Report });
export const ReportError = z.object({ type: z.literal("report.error"), requestId: RequestId, message: PosText });
export const OrderExportResult = z.object({
  type: z.literal("order.export.result"),
  requestId: RequestId,
  /** `pending` means "still working on it, ask again later"; the other two are final. */
  status: z.enum(["created", "failed", "pending"]),
  posOrderId: z.string().max(64).optional(),
  log: z.array(z.string().max(2000)).max(100).optional(),
});

export const CloudFrame = z.discriminatedUnion("type", [ReportRequest, OrderExportRequest, Ping, Pong]);
export type CloudFrame = z.infer<typeof CloudFrame>;
export const AgentFrame = z.discriminatedUnion("type", [ReportResult, ReportError, OrderExportResult, Ping, Pong]);
export type AgentFrame = z.infer<typeof AgentFrame>;
export type ReportRequestFrame = z.infer<typeof ReportRequest>;
export type OrderExportRequestFrame = z.infer<typeof OrderExportRequest>;
export type OrderExportResultFrame = z.infer<typeof OrderExportResult>;
