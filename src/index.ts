import { createApp } from "./app";
import type { Env } from "./env";

export { ChatObject } from "./objects/chat-object";
export { OrderObject } from "./objects/order-object";
export { RestaurantObject } from "./objects/restaurant-object";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
