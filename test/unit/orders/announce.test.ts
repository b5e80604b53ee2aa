import { describe, expect, it } from "vitest";
import { announcementEvent } from "../../../src/domain/orders/announce";
import { addProblem, createOrder, exportGiveUp, requestExport } from "../../../src/domain/orders/order";
import { problemEvent } from "../../../src/domain/orders/problem-message";
import { CATALOGUE } from "../../../src/domain/catalogue";
import { AnyEvent } from "../../../src/protocol/events";
import { input, ORDER_ID, SETTINGS, T0 } from "./fixtures";

const order = () => createOrder(ORDER_ID, "acc_1", input(), "api:key_1:Dots_Designer", T0, SETTINGS);

describe("what an order announces to the restaurant's chats", () => {
  it("a new problem: a valid order.problem event with the author's name, on by default", () => {
    const c = addProblem(order().state, "courier", "Кур'єр <b>запізнюється</b>", "api:key_1:Оля", T0 + 1);
    if (!c.ok || !c.change) throw new Error();
    const event = announcementEvent(c.change.state, c.change.announce[0]!, T0 + 1)!;
    expect(AnyEvent.parse(event)).toMatchObject({
      type: "order.problem",
      id: `order.problem:${c.change.state.problems[0]!.id}:created`,
      order: { id: ORDER_ID, number: "4232-00200" },
      data: { state: "new", culprit: "courier", actor: "Оля", description: "Кур'єр <b>запізнюється</b>" },
    });
    expect(CATALOGUE["order.problem"].defaultOn).toBe(true);
    // The bot re-renders the same event after a button press.
    expect(problemEvent(c.change.state, c.change.state.problems[0]!)).toEqual(event);
  });

  it("a payment change: a valid order.payment event with the amount, off by default", () => {
    const c = order();
    const event = announcementEvent(c.state, c.announce[0]!, T0)!;
    expect(AnyEvent.parse(event)).toMatchObject({ type: "order.payment", amount: 32_000, data: { method: "online", state: "pending" } });
    expect(CATALOGUE["order.payment"].defaultOn).toBe(false);
  });

  it("an export that failed: a valid order.pos_export_failed event with the reason and the log", () => {
    const r = requestExport(order().state, "req-1", "a", T0);
    if (!r.ok || !r.change) throw new Error();
    const g = exportGiveUp(r.change.state, T0 + 1)!;
    const event = announcementEvent(g.state, g.announce[0]!, T0 + 1)!;
    expect(AnyEvent.parse(event)).toMatchObject({
      type: "order.pos_export_failed",
      id: `order.pos_export_failed:${ORDER_ID}:req-1`,
      reason: expect.stringContaining("no final answer"),
    });
  });
});
