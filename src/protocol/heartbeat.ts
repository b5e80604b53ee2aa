/** `POST /agent/v1/heartbeat`: the agent says it is alive and how the POS is. */
import { z } from "zod";
import { Instant, PosText } from "./common";

export const PosKind = z.string().min(1).max(32); // "rkeeper7" | "simulator" | "iiko" | …

export const Heartbeat = z.object({
  agentVersion: z.string().min(1).max(64),
  pos: z.object({
    kind: PosKind,
    version: z.string().max(64).optional(),
    /** Is the POS (r_keeper cash server) answering the agent right now? */
    online: z.boolean(),
    /** Why not, in the agent's words, when it is not. */
    detail: PosText.optional(),
  }),
  stations: z
    .array(z.object({ code: z.string().max(64), name: PosText, online: z.boolean().optional() }))
    .max(200)
    .default([]),
  /** Local spool state, so support sees a backlog before the restaurant does. */
  spool: z
    .object({
      pending: z.int().min(0),
      bytes: z.int().min(0),
      oldestAt: Instant.optional(),
      quarantined: z.int().min(0).default(0),
    })
    .optional(),
  /** The agent's clock when it sent this, for skew reporting. */
  sentAt: Instant.optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

export const HeartbeatResult = z.object({
  serverTime: Instant,
  config: z.object({
    /** How often the agent should send a heartbeat. */
    heartbeatSeconds: z.int(),
    /** Silence after which the cloud declares the restaurant lost. */
    connectionLossSeconds: z.int(),
    /** Largest batch the cloud accepts. */
    maxBatchEvents: z.int(),
    maxBatchBytes: z.int(),
    /** Restaurant time zone, so the agent reads POS local times correctly. */
    timezone: z.string(),
    currency: z.string(),
  }),
});
export type HeartbeatResult = z.infer<typeof HeartbeatResult>;
