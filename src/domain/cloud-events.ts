/**
 * Events the cloud makes itself (connection lost/restored, POS up/down seen
 * in heartbeats, license notices). Their ids are deterministic, so making the
 * same one twice (an alarm that ran twice) journals it once.
 */
import type { EventOf, EventType, TillEvent } from "../protocol/events";
import type { ConnectionChange } from "./connection";

const iso = (ms: number) => new Date(ms).toISOString();

/** Builds a cloud-made event; agent-sent types made by the cloud carry no agent `seq`. */
function make<T extends EventType>(event: Omit<EventOf<T>, "seq" | "data"> & { data: EventOf<T>["data"] }): TillEvent {
  return event as unknown as TillEvent;
}

export function connectionEvent(
  change: ConnectionChange,
  agent: { id: string; name?: string | undefined },
  thresholdSeconds: number,
): TillEvent {
  if (change.type === "connection.lost") {
    return make<"connection.lost">({
      id: `connection.lost:${agent.id}:${change.outage}`,
      type: "connection.lost",
      occurredAt: iso(change.at),
      data: { agentId: agent.id, agentName: agent.name, lastSeenAt: iso(change.lastSeenAt), thresholdSeconds },
    });
  }
  return make<"connection.restored">({
    id: `connection.restored:${agent.id}:${change.outage}`,
    type: "connection.restored",
    occurredAt: iso(change.at),
    data: {
      agentId: agent.id,
      agentName: agent.name,
      lostAt: iso(change.lastSeenAt + thresholdSeconds * 1000),
      lastSeenAt: iso(change.lastSeenAt),
      outageSeconds: change.outageSeconds,
    },
  });
}

/** The POS went down or came back, as a heartbeat told us (the n-th change for this agent). */
export function posStateEvent(
  online: boolean,
  agent: { id: string; name?: string | undefined },
  n: number,
  at: number,
  detail?: string,
): TillEvent {
  const type = online ? "pos.started" : "pos.stopped";
  return make<typeof type>({
    id: `${type}:heartbeat:${agent.id}:${n}`,
    type,
    occurredAt: iso(at),
    data: { source: "heartbeat", agentId: agent.id, agentName: agent.name, ...(detail ? { detail } : {}) },
  });
}

export function licenseEvent(
  stage: "7d" | "1d" | "expired",
  agent: { id: string; name: string },
  expiresAt: number,
  now: number,
): TillEvent {
  if (stage === "expired") {
    return make<"license.expired">({
      id: `license.expired:${agent.id}:${expiresAt}`,
      type: "license.expired",
      occurredAt: iso(Math.max(now, expiresAt)),
      data: { agentId: agent.id, agentName: agent.name, expiredAt: iso(expiresAt) },
    });
  }
  return make<"license.expiring">({
    id: `license.expiring:${stage}:${agent.id}:${expiresAt}`,
    type: "license.expiring",
    occurredAt: iso(now),
    data: {
      agentId: agent.id,
      agentName: agent.name,
      expiresAt: iso(expiresAt),
      daysLeft: Math.max(0, Math.ceil((expiresAt - now) / 86_400_000)),
    },
  });
}
