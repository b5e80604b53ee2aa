/**
 * What routing needs from D1 for one restaurant, read in one round trip: the
 * restaurant, the chats that see it (directly or through its account), and
 * its agents' licenses.
 */
import { eq, or } from "drizzle-orm";
import { readChatSettings } from "../domain/chat-settings";
import type { License } from "../domain/licensing";
import type { Subscription } from "../domain/routing";
import type { Db } from "./client";
import { agents, chatLinks, chats, restaurants } from "./schema";

export interface RestaurantInfo {
  id: string;
  accountId: string;
  name: string;
  timezone: string;
  currency: string;
}

export interface RoutingContext {
  restaurant: RestaurantInfo;
  subscriptions: Subscription[];
  agents: Map<string, { name: string; license: License }>;
}

export async function loadRoutingContext(db: Db, restaurantId: string): Promise<RoutingContext | null> {
  const [rest] = await db
    .select({
      id: restaurants.id,
      accountId: restaurants.accountId,
      name: restaurants.name,
      timezone: restaurants.timezone,
      currency: restaurants.currency,
    })
    .from(restaurants)
    .where(eq(restaurants.id, restaurantId));
  if (!rest) return null;
  const [links, agentRows] = await db.batch([
    db
      .select({
        chatId: chats.id,
        telegramChatId: chats.telegramChatId,
        chatType: chats.type,
        status: chats.status,
        statusReason: chats.statusReason,
        settings: chats.settings,
        restaurantId: chatLinks.restaurantId,
      })
      .from(chatLinks)
      .innerJoin(chats, eq(chats.id, chatLinks.chatId))
      .where(or(eq(chatLinks.restaurantId, restaurantId), eq(chatLinks.accountId, rest.accountId))),
    db
      .select({
        id: agents.id,
        name: agents.name,
        plan: agents.licensePlan,
        trialStartedAt: agents.trialStartedAt,
        paidUntil: agents.paidUntil,
        revokedAt: agents.revokedAt,
      })
      .from(agents)
      .where(eq(agents.restaurantId, restaurantId)),
  ]);
  return {
    restaurant: rest,
    subscriptions: links.map((l) => ({
      chatId: l.chatId,
      telegramChatId: l.telegramChatId,
      chatType: l.chatType,
      status: l.status,
      statusReason: l.statusReason,
      settings: readChatSettings(l.settings),
      via: l.restaurantId ? "restaurant" : "account",
    })),
    agents: new Map(
      agentRows.map((a) => [
        a.id,
        { name: a.name, license: { plan: a.plan, trialStartedAt: a.trialStartedAt, paidUntil: a.paidUntil, revokedAt: a.revokedAt } },
      ]),
    ),
  };
}
