/**
 * The common shift: its closing, and the headline of the automatic report.
 * The report's body is rendered by src/domain/reports; this is only the alert.
 */
import { formatDuration } from "../duration";
import type { Formatters } from "../formatter";
import { instant, looseMoney } from "../kit";
import { labelled, peopleLines } from "../lines";

export const shiftFormatters: Formatters<"shift.closed" | "report.shift"> = {
  "shift.closed": (e, kit) => {
    const { shift } = e.data;
    const { label } = kit.t;
    const opened = instant(shift.openedAt);
    const closed = instant(shift.closedAt);
    const length = opened != null && closed != null && closed >= opened ? kit.text(formatDuration((closed - opened) / 1000, kit.lang)) : "";
    const number = String(shift.number);
    return {
      title: kit.t.shiftClosed(number),
      sections: [
        [
          labelled("🔓", label.opened, opened != null ? kit.dateTime(opened) : ""),
          labelled("🔒", label.closed, closed != null ? kit.dateTime(closed) : ""),
          labelled("⏱", label.shiftLength, length),
        ],
        peopleLines(kit, e),
      ],
      digest: [kit.line(e.employee?.name, 30)],
    };
  },
  "report.shift": (e, kit) => {
    const { report } = e.data;
    const n = report.period.shift?.number;
    const revenue = looseMoney(report.meta?.revenue);
    const from = instant(report.period.from);
    const to = instant(report.period.to);
    return {
      title: kit.t.shiftReport(n != null ? String(n) : undefined, revenue != null ? kit.money(revenue, report.currency) : undefined),
      sections: [[labelled("🗓", kit.t.label.period, from != null && to != null ? `${kit.dateTime(from)} – ${kit.dateTime(to)}` : "")]],
      digest: [],
    };
  },
};
