import { createApp } from "./app";
import type { Env } from "./env";
import { runScheduled } from "./services/maintenance";

export { BotBudgetObject } from "./objects/chat/bot-budget-object";
export { ChatObject } from "./objects/chat-object";
export { OrderObject } from "./objects/order-object";
export { RestaurantObject } from "./objects/restaurant-object";

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
