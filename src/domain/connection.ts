/**
 * Is a restaurant's agent with us? `never → online → lost → online`.
 *
 * Any authenticated request or link frame is a sign of life. Only silence
 * longer than the threshold is an outage: a closed socket or a short blip is
 * not. Each outage makes exactly one `lost` and one `restored`, numbered, so a
 * timer that fires twice cannot announce twice.
 */
export type ConnectionStatus = "never" | "online" | "lost";

export interface AgentConnection {
  status: ConnectionStatus;
  /** Since when the status holds: online since it came (back); lost since its last sign of life. */
  since: number | null;
  lastSeenAt: number | null;
  /** Outages so far; the current one's number while lost. */
  outages: number;
}

export const NEVER_CONNECTED: AgentConnection = { status: "never", since: null, lastSeenAt: null, outages: 0 };

export type ConnectionChange =
  | { type: "connection.lost"; outage: number; lastSeenAt: number; at: number }
  | { type: "connection.restored"; outage: number; lastSeenAt: number; at: number; outageSeconds: number };

export interface Step {
  next: AgentConnection;
  change: ConnectionChange | null;
}

/** A sign of life at `at`. */
export function seen(c: AgentConnection, at: number): Step {
  switch (c.status) {
    case "never":
      return { next: { status: "online", since: at, lastSeenAt: at, outages: c.outages }, change: null };
    case "online":
      return { next: { ...c, lastSeenAt: Math.max(c.lastSeenAt ?? at, at) }, change: null };
    case "lost": {
      // A sign of life older than the silence that made us declare the outage
      // (e.g. a ping timestamp read late) does not end it.
      if (c.lastSeenAt !== null && at <= c.lastSeenAt) return { next: c, change: null };
      const from = c.lastSeenAt ?? at;
      return {
        next: { status: "online", since: at, lastSeenAt: at, outages: c.outages },
        change: {
          type: "connection.restored",
          outage: c.outages,
          lastSeenAt: from,
          at,
          outageSeconds: Math.max(0, Math.round((at - from) / 1000)),
        },
      };
    }
  }
}

/** Has the silence lasted `thresholdMs` by `now`? */
export function check(c: AgentConnection, now: number, thresholdMs: number): Step {
  if (c.status !== "online" || c.lastSeenAt === null) return { next: c, change: null };
  if (now - c.lastSeenAt < thresholdMs) return { next: c, change: null };
  const outage = c.outages + 1;
  return {
    next: { status: "lost", since: c.lastSeenAt, lastSeenAt: c.lastSeenAt, outages: outage },
    change: { type: "connection.lost", outage, lastSeenAt: c.lastSeenAt, at: now },
  };
}

/** When the next check is worth doing, or null when nothing can be lost. */
export function nextCheckAt(c: AgentConnection, thresholdMs: number): number | null {
  return c.status === "online" && c.lastSeenAt !== null ? c.lastSeenAt + thresholdMs : null;
}

/**
 * The restaurant as a whole: lost if any of its agents is lost (since the
 * earliest), online if all that ever connected are online, never otherwise.
 */
export function summarize(agents: AgentConnection[]): { state: ConnectionStatus; since: number | null } {
  const lost = agents.filter((a) => a.status === "lost");
  if (lost.length > 0) return { state: "lost", since: Math.min(...lost.map((a) => a.since ?? Infinity)) };
  const online = agents.filter((a) => a.status === "online");
  if (online.length > 0) return { state: "online", since: Math.max(...online.map((a) => a.since ?? 0)) };
  return { state: "never", since: null };
}
