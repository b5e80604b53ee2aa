/**
 * Answers the cloud's requests on the link.
 *
 * `order.export` must be idempotent: the cloud re-asks every minute with the
 * same `requestId` until it has a final answer, so the first outcome is kept
 * (on disk, surviving restarts) and repeated; while the work is still running
 * the answer is `pending`.
 */
import path from "node:path";
import { Report } from "../../../src/protocol/report";
import type { AgentFrame, OrderExportRequestFrame, OrderExportResultFrame, ReportRequestFrame } from "../../../src/protocol/link";
import type { Logger } from "../log";
import { ReportUnavailable, type ExportOutcome, type Source } from "../source";
import { readJsonFile, writeFileAtomic } from "../util/atomic-file";

const KEEP_RESULTS = 1000;

export class ExportMemo {
  private done = new Map<string, OrderExportResultFrame>();
  private running = new Map<string, Promise<OrderExportResultFrame>>();
  private saving: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(dir: string): Promise<ExportMemo> {
    const memo = new ExportMemo(path.join(dir, "exports.json"));
    const saved = await readJsonFile<OrderExportResultFrame[]>(memo.file, []).catch(() => []);
    for (const r of saved) memo.done.set(r.requestId, r);
    return memo;
  }

  /**
   * The answer for `requestId`: the stored final one, or `pending` while work
   * runs longer than `waitMs`. `onFinal` hears the final answer when it comes
   * later, so it can be pushed without waiting for the next re-ask.
   */
  async answer(
    requestId: string,
    work: () => Promise<ExportOutcome>,
    waitMs: number,
    onFinal?: (frame: OrderExportResultFrame) => void,
  ): Promise<OrderExportResultFrame> {
    const known = this.done.get(requestId);
    if (known) return known;
    let run = this.running.get(requestId);
    if (!run) {
      run = work()
        .catch((e): ExportOutcome => ({ status: "failed", log: [`export failed: ${e instanceof Error ? e.message : String(e)}`] }))
        .then(async (outcome) => {
          const frame: OrderExportResultFrame = {
            type: "order.export.result",
            requestId,
            status: outcome.status,
            ...(outcome.posOrderId ? { posOrderId: outcome.posOrderId } : {}),
            ...(outcome.log ? { log: outcome.log.slice(0, 100).map((l) => l.slice(0, 2000)) } : {}),
          };
          this.done.set(requestId, frame);
          this.running.delete(requestId);
          await this.save();
          return frame;
        });
      this.running.set(requestId, run);
      if (onFinal) void run.then(onFinal);
    }
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), waitMs).unref());
    const result = await Promise.race([run, timeout]);
    return result ?? { type: "order.export.result", requestId, status: "pending" };
  }

  private save(): Promise<void> {
    const entries = [...this.done.values()].slice(-KEEP_RESULTS);
    this.saving = this.saving.then(() => writeFileAtomic(this.file, JSON.stringify(entries))).catch(() => {});
    return this.saving;
  }
}

export interface RequestHandlerOptions {
  source: Source;
  memo: ExportMemo;
  log: Logger;
  exportWaitMs?: number;
  reportTimeoutMs?: number;
}

export function makeRequestHandler(opts: RequestHandlerOptions) {
  const { source, memo, log } = opts;
  return (frame: ReportRequestFrame | OrderExportRequestFrame, reply: (f: AgentFrame) => void): void => {
    if (frame.type === "report.request") {
      void answerReport(frame).then(reply);
      return;
    }
    let finalPushed = false;
    void memo
      .answer(frame.requestId, () => source.exportOrder(frame.order, frame.requestId), opts.exportWaitMs ?? 10_000, (final) => {
        if (!finalPushed) reply(final);
      })
      .then((answer) => {
        if (answer.status !== "pending") finalPushed = true;
        log.info("order export answered", { requestId: frame.requestId, status: answer.status, posOrderId: answer.posOrderId });
        reply(answer);
      });
  };

  async function answerReport(frame: ReportRequestFrame): Promise<AgentFrame> {
    const started = Date.now();
    try {
      const report = await withTimeout(source.report(frame.report, frame.period), opts.reportTimeoutMs ?? 60_000);
      const checked = Report.safeParse(report);
      if (!checked.success) {
        log.error("report failed validation; not sent", { kind: frame.report, issues: checked.error.issues.slice(0, 5) });
        return { type: "report.error", requestId: frame.requestId, message: "Отчёт не удалось сформировать (ошибка агента)" };
      }
      log.info("report answered", { requestId: frame.requestId, kind: frame.report, ms: Date.now() - started });
      return { type: "report.result", requestId: frame.requestId, report: checked.data };
    } catch (e) {
      const message = e instanceof ReportUnavailable ? e.message : `Отчёт не удалось получить: ${e instanceof Error ? e.message : String(e)}`;
      log.warn("report request failed", { requestId: frame.requestId, kind: frame.report, error: message });
      return { type: "report.error", requestId: frame.requestId, message: message.slice(0, 4000) };
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
