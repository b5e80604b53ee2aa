/** The till and the link to it: POS program up/down, connection lost/restored, the agent's own trouble. */
import type { TillEvent } from "../../../protocol/events";
import { formatDuration } from "../duration";
import type { AlertDraft, Formatters } from "../formatter";
import { LIMIT, instant, loose, type Kit } from "../kit";
import { codeText, labelled, peopleLines, preBlock } from "../lines";

type Pos = "pos.started" | "pos.stopped" | "connection.lost" | "connection.restored" | "agent.warning" | "pos.unclassified";

/** Raw POS payload shown for support: its head only. */
const RAW_CHARS = 1500;
const RAW_LINES = 20;

/** "Кассовый сервер: Основной" when the cloud knows the agent's name. */
function serverLine(kit: Kit, data: Record<string, unknown>): string {
  return labelled("🖥", kit.t.label.cashServer, kit.line(loose(data.agentName), LIMIT.person));
}

function posStateDraft(e: TillEvent, kit: Kit): AlertDraft {
  const detail = kit.line(loose(e.data.detail), LIMIT.reason);
  return {
    sections: [[serverLine(kit, e.data), detail && `<i>${detail}</i>`], peopleLines(kit, e)],
    digest: [kit.line(loose(e.data.agentName), 30), kit.line(e.employee?.name, 30)],
  };
}

/** "18:03–19:08" within a day; a span crossing midnight in the restaurant's zone shows dates too. */
function span(kit: Kit, from: number, to: number): [string, string] {
  return kit.date(from) === kit.date(to) ? [kit.time(from), kit.time(to)] : [kit.dateTime(from), kit.dateTime(to)];
}

export const posFormatters: Formatters<Pos> = {
  "pos.started": posStateDraft,
  "pos.stopped": posStateDraft,
  "connection.lost": (e, kit) => {
    const at = instant(e.occurredAt) ?? 0;
    const lastSeen = instant(e.data.lastSeenAt) ?? at;
    const duration = kit.text(formatDuration(Math.max(0, (at - lastSeen) / 1000), kit.lang));
    const [seen] = span(kit, lastSeen, at);
    return {
      sections: [[serverLine(kit, e.data), `⏱ ${kit.t.silentFor(duration, seen)}`], [kit.t.nothingLost]],
      digest: [kit.line(loose(e.data.agentName), 30), kit.t.offlineFor(duration)],
    };
  },
  "connection.restored": (e, kit) => {
    const to = instant(e.occurredAt) ?? 0;
    const from = instant(e.data.lastSeenAt) ?? to - e.data.outageSeconds * 1000;
    const duration = kit.text(formatDuration(e.data.outageSeconds, kit.lang));
    return {
      sections: [[serverLine(kit, e.data), `⏱ ${kit.t.outage(duration, ...span(kit, from, to))}`]],
      digest: [kit.line(loose(e.data.agentName), 30), kit.t.offlineFor(duration)],
    };
  },
  "agent.warning": (e, kit) => ({
    sections: [[`<b>${kit.line(e.data.message, LIMIT.description)}</b>`, labelled("🏷", kit.t.label.code, codeText(kit, e.data.code))], peopleLines(kit, e)],
    digest: [kit.line(e.data.message, 80)],
  }),
  "pos.unclassified": (e, kit) => {
    const raw = e.data.raw.slice(0, RAW_CHARS).split(/\r?\n/);
    return {
      sections: [
        [
          labelled("🏷", kit.t.label.source, codeText(kit, e.data.source)),
          labelled("❔", kit.t.label.why, kit.line(e.data.why, LIMIT.reason)),
        ],
        peopleLines(kit, e),
        [preBlock(kit, raw, RAW_LINES)],
      ],
      digest: [codeText(kit, e.data.source, 40), kit.line(e.data.why, 60)],
    };
  },
};
