/**
 * What the Worker's cron trigger does (hourly): license notices to chats
 * (7 days and 1 day before expiry, and at expiry — each once per expiry
 * moment) and retention of what D1 keeps for a limited time.
 */
import { and, eq, isNull, lt } from "drizzle-orm";
import { database } from "../db/client";
import { purgeAlerts } from "../db/alerts";
import { agents, linkCodes, telegramUpdates } from "../db/schema";
import { allRecordsDbs } from "../db/shards";
import { licenseEvent } from "../domain/cloud-events";
import { DAY_MS, noticeDue } from "../domain/licensing";
import { config, type Env } from "../env";
import { purgeAuthLeftovers } from "./auth";

export async function sendLicenseNotices(env: Env, now = Date.now()): Promise<number> {
  const db = database(env.DB);
  const { trialDays } = config(env);
  const rows = await db.select().from(agents).where(isNull(agents.revokedAt));
  let sent = 0;
  for (const a of rows) {
    const license = { plan: a.licensePlan, trialStartedAt: a.trialStartedAt, paidUntil: a.paidUntil };
    const due = noticeDue(license, now, trialDays, { stage: a.licenseNotice, forExpiry: a.licenseNoticeFor });
    if (!due) continue;
    // The event id is deterministic, so a notice journaled twice (a cron that ran twice) alerts once.
    await env.RESTAURANT.getByName(a.restaurantId).journalCloudEvent(licenseEvent(due.stage, { id: a.id, name: a.name }, due.expiresAt, now));
    await db.update(agents).set({ licenseNotice: due.stage, licenseNoticeFor: due.expiresAt }).where(eq(agents.id, a.id));
    sent++;
  }
  return sent;
}

export async function applyRetention(env: Env, now = Date.now()): Promise<void> {
  const { alertRetentionDays } = config(env);
  for (const records of allRecordsDbs(env)) await purgeAlerts(records, now - alertRetentionDays * DAY_MS);
  const db = database(env.DB);
  await db.batch([
    db.delete(telegramUpdates).where(lt(telegramUpdates.receivedAt, now - 2 * DAY_MS)),
    db.delete(linkCodes).where(and(lt(linkCodes.expiresAt, now - 7 * DAY_MS))),
  ]);
  await purgeAuthLeftovers(env, now);
}

export async function runScheduled(env: Env, now = Date.now()): Promise<void> {
  await sendLicenseNotices(env, now);
  await applyRetention(env, now);
}
