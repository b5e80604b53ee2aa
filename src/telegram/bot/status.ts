/** /status: every restaurant the chat sees — connection, POS, license. */
import { Composer } from "grammy";
import { licensesOf, visibleRestaurants } from "../../db/chats";
import { expiresAt, type License, licenseState, type LicenseState } from "../../domain/licensing";
import { config } from "../../env";
import type { BotContext } from "./context";
import { requireLinked } from "./guards";
import { renderStatus, type RestaurantStatusLine } from "./status-view";

export const status = new Composer<BotContext>();

/** More than this many restaurants are summarised by count rather than asked one by one. */
const MAX_RESTAURANTS = 40;
const SEVERITY: Record<LicenseState, number> = { expired: 2, trial: 1, active: 0 };

status.command("status", async (ctx) => {
  const linked = await requireLinked(ctx);
  if (!linked) return;
  const tw = ctx.tillwatch;
  const now = Date.now();
  const { trialDays } = config(tw.env);
  const all = await visibleRestaurants(tw.db, linked.chat.id);
  const shown = all.slice(0, MAX_RESTAURANTS);
  const licenses = await licensesOf(
    tw.db,
    shown.map((r) => r.id),
  );
  const lines = await Promise.all(
    shown.map(async (r): Promise<RestaurantStatusLine> => {
      const live = await tw.env.RESTAURANT.getByName(r.id)
        .status()
        .then((s) => ({ connection: s.connection, pos: s.pos }))
        .catch((err: unknown) => {
          console.warn(`status of ${r.id}:`, err instanceof Error ? err.message : err);
          return null;
        });
      return { name: r.name, timezone: r.timezone, live, license: worstLicense(licenses.filter((l) => l.restaurantId === r.id), now, trialDays) };
    }),
  );
  const text = renderStatus(lines, await tw.lang());
  const more = all.length - shown.length;
  await ctx.reply(more > 0 ? `${text}\n\n${(await tw.texts()).status.more(more)}` : text, { parse_mode: "HTML" });
});

function worstLicense(ls: Array<License & { revokedAt: number | null }>, now: number, trialDays: number): RestaurantStatusLine["license"] {
  let worst: RestaurantStatusLine["license"] = null;
  for (const l of ls) {
    if (l.revokedAt) continue;
    const state = licenseState(l, now, trialDays);
    const end = expiresAt(l, trialDays);
    if (!worst || SEVERITY[state] > SEVERITY[worst.state] || (state === worst.state && end < worst.expiresAt)) worst = { state, expiresAt: end };
  }
  return worst;
}
