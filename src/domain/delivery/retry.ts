/**
 * What a chat does with Telegram's answer to one send. Pure: the chat object
 * applies the decision.
 */
export type SendAnswer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number }; network?: boolean };

export type Decision =
  /** Delivered; the message ids Telegram gave (one per message sent). */
  | { kind: "sent"; messageId: number }
  /** Telegram asked us to slow down: resend the same thing after this long. */
  | { kind: "wait"; ms: number; reason: string }
  /** A transient failure (5xx, network, our own misconfiguration): resend later with backoff. */
  | { kind: "retry"; reason: string }
  /** This message cannot be sent (400): record it and go on with the queue. */
  | { kind: "failed"; reason: string }
  /** The chat is unreachable (bot blocked or removed, chat gone): stop sending to it. */
  | { kind: "chat_gone"; reason: string; description: string }
  /** The group became a supergroup: send the same thing to the new id. */
  | { kind: "migrated"; to: number };

export function decide(answer: SendAnswer): Decision {
  if (answer.ok) {
    const r = answer.result as { message_id?: unknown } | Array<{ message_id?: unknown }>;
    const first = Array.isArray(r) ? r[0] : r;
    return { kind: "sent", messageId: typeof first?.message_id === "number" ? first.message_id : 0 };
  }
  const { error_code: code, description, parameters } = answer;
  if (parameters?.migrate_to_chat_id) return { kind: "migrated", to: parameters.migrate_to_chat_id };
  if (code === 429) return { kind: "wait", ms: Math.max(1, parameters?.retry_after ?? 1) * 1000 + 100, reason: description };
  if (code === 403) return { kind: "chat_gone", reason: chatGoneReason(description), description };
  if (code === 400 && /chat not found|group chat was deactivated|chat was deleted/i.test(description)) {
    return { kind: "chat_gone", reason: "chat_not_found", description };
  }
  if (code === 400) return { kind: "failed", reason: description };
  // 0 (network), 5xx, and 401/404/409 which mean our token or setup is wrong, not the message:
  // retrying keeps the messages until the problem is fixed.
  return { kind: "retry", reason: description || `HTTP ${code}` };
}

/** Short, stable reason stored as `chats.status_reason`. */
export function chatGoneReason(description: string): string {
  if (/blocked/i.test(description)) return "blocked";
  if (/kicked|not a member|removed/i.test(description)) return "kicked";
  if (/deactivated/i.test(description)) return "deactivated";
  if (/chat not found/i.test(description)) return "chat_not_found";
  if (/not enough rights|have no rights|CHAT_WRITE_FORBIDDEN/i.test(description)) return "no_rights";
  return "forbidden";
}

/** Backoff after the n-th transient failure in a row: 1 s, 2 s, 4 s … capped at 10 minutes. */
export function backoffMs(failures: number): number {
  return Math.min(600_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

/**
 * After this many transient failures in a row one message is given up (with
 * the last reason) so one poisonous message cannot hold the chat's queue
 * forever; with the backoff above that is about two and a half hours.
 */
export const MAX_TRANSIENT_FAILURES = 20;
