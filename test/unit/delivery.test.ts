/**
 * The delivery rules as pure functions: Telegram's limits, when a backlog is
 * digested, what each Telegram answer means, the bot-wide budget.
 */
import { describe, expect, it } from "vitest";
import { take, fullBucket } from "../../src/domain/delivery/bot-budget";
import { digestHeader, packDigest } from "../../src/domain/delivery/digest";
import { drainTime, GROUP_WINDOW_MS, MAX_MESSAGE_CHARS, nextSlot, PER_CHAT_GAP_MS } from "../../src/domain/delivery/limits";
import { DIGEST_AFTER_MS, planNext, type QueuedMessage } from "../../src/domain/delivery/plan";
import { backoffMs, chatGoneReason, decide } from "../../src/domain/delivery/retry";
import type { OutgoingMessage } from "../../src/domain/outgoing";

const alert = (n: number, extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  alertId: n,
  restaurantId: "rst_1",
  kind: "alert",
  html: `❗ <b>Удаление чека</b> №${n}`,
  digestLine: `18:03 ❗ 🗑 <b>Удаление чека</b> · Бистро · №${n} · <b>2 500 ₽</b>`,
  risky: true,
  occurredAt: 1_000 + n,
  ...extra,
});
const queued = (messages: OutgoingMessage[]): QueuedMessage[] =>
  messages.map((message, i) => ({ seq: i + 1, message, single: false, textMessageId: null }));

describe("Telegram's limits", () => {
  it("keeps a little more than a second between two messages to one chat", () => {
    expect(nextSlot("private", [], 5_000)).toBe(5_000);
    expect(nextSlot("private", [4_500], 5_000)).toBe(4_500 + PER_CHAT_GAP_MS);
    expect(nextSlot("private", [1_000], 5_000)).toBe(5_000);
  });

  it("lets a group have 20 messages in any minute, and no 21st until the oldest has left the window", () => {
    const twenty = Array.from({ length: 20 }, (_, i) => 10_000 + i * 1_100);
    expect(nextSlot("group", twenty, 40_000)).toBe(10_000 + GROUP_WINDOW_MS);
    expect(nextSlot("private", twenty, 40_000)).toBe(40_000);
    expect(nextSlot("supergroup", twenty.slice(1), 40_000)).toBe(40_000);
  });

  it("says how long a backlog would take one by one", () => {
    expect(drainTime("private", [], 10, 0)).toBe(9 * PER_CHAT_GAP_MS);
    // 25 in a group: the 21st waits for the window.
    expect(drainTime("group", [], 25, 0)).toBe(GROUP_WINDOW_MS + 4 * PER_CHAT_GAP_MS);
  });
});

describe("what goes next", () => {
  it("sends alerts one by one while that keeps them within half a minute", () => {
    const step = planNext({ head: queued([alert(1), alert(2), alert(3)]), backlog: 3, type: "group", recent: [], now: 0 });
    expect(step).toMatchObject({ kind: "text", seqs: [1] });
  });

  it("collects a backlog into a digest when one by one would take longer, oldest first, under 4,096 characters", () => {
    const many = Array.from({ length: 200 }, (_, i) => alert(i));
    const step = planNext({ head: queued(many), backlog: 200, type: "group", recent: [], now: 0 });
    expect(step?.kind).toBe("digest");
    if (step?.kind !== "digest") return;
    expect(step.seqs[0]).toBe(1);
    expect(step.seqs).toEqual(step.seqs.map((_, i) => i + 1));
    expect(step.html.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(step.html).toContain(digestHeader(step.seqs.length));
    expect(step.html.indexOf("№0 ")).toBeLessThan(step.html.indexOf("№1 "));
  });

  it("digests sooner in a group than in a private chat, because a group allows fewer messages a minute", () => {
    const some = queued(Array.from({ length: 25 }, (_, i) => alert(i)));
    expect(planNext({ head: some, backlog: 25, type: "group", recent: [], now: 0 })?.kind).toBe("digest");
    expect(planNext({ head: some, backlog: 25, type: "private", recent: [], now: 0 })?.kind).toBe("text");
    expect(drainTime("private", [], 25, 0)).toBeLessThanOrEqual(DIGEST_AFTER_MS);
  });

  it("never digests report parts, messages with buttons or pictures, or one a refused digest held", () => {
    const report = alert(1, { kind: "report", noDigest: true });
    const withButtons = alert(2, { buttons: [[{ text: "Взять", data: "pb:x" }]] });
    const rest = Array.from({ length: 200 }, (_, i) => alert(i + 3));
    for (const first of [report, withButtons]) {
      const step = planNext({ head: queued([first, ...rest]), backlog: 201, type: "group", recent: [], now: 0 });
      expect(step).toMatchObject({ kind: "text", seqs: [1] });
    }
    const head = queued(rest);
    head[0]!.single = true;
    expect(planNext({ head, backlog: 200, type: "group", recent: [], now: 0 })).toMatchObject({ kind: "text", seqs: [1] });
  });

  it("sends a picture after its text, and a digest stops before a message that cannot be in one", () => {
    const photo = { pngBase64: "iVBORw0KGgo=", caption: "Продажи по часам" };
    const head = queued([alert(1, { photo })]);
    head[0]!.textMessageId = 42;
    expect(planNext({ head, backlog: 1, type: "group", recent: [], now: 0 })).toMatchObject({ kind: "photo", seqs: [1], photo });

    const mixed = queued([...Array.from({ length: 5 }, (_, i) => alert(i)), alert(99, { kind: "report", noDigest: true }), ...Array.from({ length: 200 }, (_, i) => alert(i + 100))]);
    const step = planNext({ head: mixed, backlog: mixed.length, type: "group", recent: [], now: 0 });
    expect(step).toMatchObject({ kind: "digest", seqs: [1, 2, 3, 4, 5] });
  });

  it("sends a picture that has no text of its own (a report's chart) as a photo straight away", () => {
    const photo = { pngBase64: "iVBORw0KGgo=", caption: "Продажи по часам" };
    expect(planNext({ head: queued([alert(1, { html: "", photo })]), backlog: 1, type: "private", recent: [], now: 0 })).toMatchObject({ kind: "photo", photo });
  });

  it("writes the digest's header in the chat's language", () => {
    const many = Array.from({ length: 3 }, (_, i) => alert(i));
    expect(packDigest(many, "ru").html).toMatch(/^🗂 <b>Сводка: 3 события<\/b>/);
    expect(packDigest(many, "uk").html).toMatch(/^🗂 <b>Зведення: 3 події<\/b>/);
    expect(packDigest(many, "en").html).toMatch(/^🗂 <b>Digest: 3 events<\/b>/);
  });

  it("marks risky and routine lines apart", () => {
    const { html } = packDigest([alert(1), alert(2, { risky: false })]);
    expect(html).toContain("❗️ 18:03");
    expect(html).toContain("▫️ 18:03");
  });
});

describe("what Telegram's answer means", () => {
  it("sent: the message id", () => {
    expect(decide({ ok: true, result: { message_id: 7 } })).toEqual({ kind: "sent", messageId: 7 });
  });
  it("429: wait what Telegram asked, a little more", () => {
    expect(decide({ ok: false, error_code: 429, description: "Too Many Requests: retry after 5", parameters: { retry_after: 5 } })).toMatchObject({ kind: "wait", ms: 5_100 });
  });
  it("403: the chat is gone, with a short reason", () => {
    expect(decide({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" })).toMatchObject({ kind: "chat_gone", reason: "blocked" });
    expect(chatGoneReason("Forbidden: bot was kicked from the group chat")).toBe("kicked");
    expect(decide({ ok: false, error_code: 400, description: "Bad Request: chat not found" })).toMatchObject({ kind: "chat_gone", reason: "chat_not_found" });
  });
  it("a migrated group: send to the new id", () => {
    expect(decide({ ok: false, error_code: 400, description: "Bad Request: group chat was upgraded to a supergroup chat", parameters: { migrate_to_chat_id: -100123 } })).toEqual({ kind: "migrated", to: -100123 });
  });
  it("400 for the message itself: failed with Telegram's words, the queue goes on", () => {
    expect(decide({ ok: false, error_code: 400, description: "Bad Request: can't parse entities" })).toEqual({ kind: "failed", reason: "Bad Request: can't parse entities" });
  });
  it("5xx, network, or our own setup (401/404): retry later, keeping the message", () => {
    for (const code of [0, 401, 404, 500, 502]) expect(decide({ ok: false, error_code: code, description: "x" }).kind).toBe("retry");
  });
  it("backs off 1 s, 2 s, 4 s … up to ten minutes", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(30)).toBe(600_000);
  });
});

describe("the bot-wide budget", () => {
  it("lets 25 messages a second through across all chats and says when the next one may go", () => {
    let b = fullBucket(25, 0);
    for (let i = 0; i < 25; i++) {
      const r = take(b, 0, 25, 25);
      expect(r.waitMs).toBe(0);
      b = r.bucket;
    }
    const r = take(b, 0, 25, 25);
    expect(r.waitMs).toBe(40);
    expect(take(r.bucket, 40, 25, 25).waitMs).toBe(0);
  });

  it("does not make a caller whose clock is a little behind wait for time it already lived", () => {
    const b = { tokens: 0.5, at: 10_000 };
    expect(take(b, 9_990, 25, 25).waitMs).toBe(20);
  });
});
