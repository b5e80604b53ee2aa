import { describe, expect, it } from "vitest";
import { ChatSettings, DEFAULT_CHAT_SETTINGS } from "../../src/domain/chat-settings";
import { route, type Subscription } from "../../src/domain/routing";
import { AnyEvent, type TillEvent } from "../../src/protocol/events";
import { event } from "../fixtures/events";

const sub = (chatId: string, over: Partial<Subscription> = {}): Subscription => ({
  chatId,
  telegramChatId: Number(chatId.replace(/\D/g, "")) || 1,
  chatType: "group",
  status: "active",
  statusReason: null,
  settings: DEFAULT_CHAT_SETTINGS,
  via: "restaurant",
  ...over,
});
const ev = (type: Parameters<typeof event>[0], over = {}) => AnyEvent.parse(event(type, over)) as TillEvent;

describe("routing", () => {
  it("sends a risky event to every linked chat: the restaurant's and the owner's", () => {
    const r = route({ event: ev("check.deleted"), subscriptions: [sub("c1"), sub("c2", { via: "account" })], licensed: true });
    expect(r.map((x) => [x.chatId, x.status])).toEqual([["c1", "pending"], ["c2", "pending"]]);
  });

  it("sends one message to a chat linked both to the restaurant and to its account", () => {
    const r = route({ event: ev("check.deleted"), subscriptions: [sub("c1", { via: "account" }), sub("c1")], licensed: true });
    expect(r).toHaveLength(1);
    expect(r[0]!.subscription.via).toBe("restaurant");
  });

  it("keeps routine events out of chats by default", () => {
    for (const t of ["order.saved", "check.closed", "precheck.printed"] as const) {
      expect(route({ event: ev(t), subscriptions: [sub("c1")], licensed: true }), t).toEqual([]);
    }
  });

  it("tells a chat by default when someone leaves an order without saving (dishes rung up and dropped)", () => {
    expect(route({ event: ev("order.exited_unsaved"), subscriptions: [sub("c1")], licensed: true })).toHaveLength(1);
  });

  it("follows a chat's switches", () => {
    const settings = ChatSettings.parse({ notifications: { "check.closed": true, "discount.added": false } });
    const s = [sub("c1", { settings })];
    expect(route({ event: ev("check.closed"), subscriptions: s, licensed: true })).toHaveLength(1);
    expect(route({ event: ev("discount.added"), subscriptions: s, licensed: true })).toHaveLength(0);
  });

  it("forwards service prints by the chat's filter: none, all, or matching words", () => {
    const banquet = ev("service_print");
    const kitchen = ev("service_print", { data: { document: { printer: "Кухня", title: "Заказ 118", lines: ["Борщ"] } } });
    const none = sub("c1");
    const all = sub("c2", { settings: ChatSettings.parse({ servicePrint: { mode: "all" } }) });
    const match = sub("c3", { settings: ChatSettings.parse({ servicePrint: { mode: "match", words: ["банкет"] } }) });
    const chats = (e: TillEvent) => route({ event: e, subscriptions: [none, all, match], licensed: true }).map((r) => r.chatId);
    expect(chats(banquet)).toEqual(["c2", "c3"]);
    expect(chats(kitchen)).toEqual(["c2"]);
  });

  it("records an inactive chat as skipped with the reason, instead of sending", () => {
    const r = route({ event: ev("check.deleted"), subscriptions: [sub("c1", { status: "inactive", statusReason: "kicked" })], licensed: true });
    expect(r).toMatchObject([{ chatId: "c1", status: "skipped", reason: "chat_inactive:kicked" }]);
  });

  it("stops alerts when the license has expired, but still explains the license", () => {
    expect(route({ event: ev("check.deleted"), subscriptions: [sub("c1")], licensed: false })).toEqual([]);
    const notice = AnyEvent.parse({
      id: "license.expired:agt_1:1",
      type: "license.expired",
      occurredAt: "2026-11-22T00:00:00Z",
      data: { agentId: "agt_1", agentName: "Касса", expiredAt: "2026-11-22T00:00:00Z" },
    }) as TillEvent;
    expect(route({ event: notice, subscriptions: [sub("c1")], licensed: false })).toHaveLength(1);
  });
});
