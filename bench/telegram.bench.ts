/**
 * Issue 3 benchmark: alerts reaching Telegram.
 *
 * 1. Latency: 1,000 events spread over 50 restaurants (each with its own
 *    private chat), each restaurant posting one event every 2.5 s — from the
 *    moment `POST /agent/v1/events` is answered to the moment the fake Bot API
 *    receives the `sendMessage` carrying that event (matched by its reason).
 * 2. Burst: 1,000 events into one group chat at once — how long until every
 *    one of them is in the chat, how many messages that took, how many 429s
 *    the fake answered (target 0), beside the bound Telegram's limits set:
 *    at most 20 messages a minute in a group, each at most 4,096 characters.
 *
 * The Worker runs locally (wrangler dev: local D1, Durable Objects, alarms)
 * against the fake Bot API with Telegram's real limits switched on.
 */
import { importAgentKey, signRequest } from "../src/protocol/signing";
import { FakeTelegramControl } from "../test/fake-telegram/client";
import { startFakeTelegram, type Call } from "../test/fake-telegram/server";
import { event } from "../test/fixtures/events";
import { ms, summarize } from "./lib/stats";
import { webhookPoster } from "./lib/webhook";
import { provision, startWorker, type LocalWorker } from "./lib/worker";

const RESTAURANTS = 50;
const EVENTS = 1_000;
const SPACING_MS = 2_500;
const BURST = 1_000;
const BOT_INFO = { id: 4242, is_bot: true, first_name: "Fake Tillwatch", username: "fake_tillwatch_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

type Provisioned = Awaited<ReturnType<typeof provision>>;

async function main() {
  const fake = await startFakeTelegram();
  const control = new FakeTelegramControl(fake.url);
  const worker = await startWorker({
    vars: { TELEGRAM_BOT_TOKEN: "123456:bench-token", TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_INFO: JSON.stringify(BOT_INFO) },
  });
  try {
    const latency = await latencyRun(worker, control);
    const burst = await burstRun(worker, control);
    const stats = await control.stats();
    print(latency, burst, stats.rateLimited);
  } finally {
    await worker.stop();
    await fake.close();
  }
}


/** One update counter per Worker: the webhook ignores an update_id it has seen. */
const hooks = new WeakMap<LocalWorker, ReturnType<typeof webhookPoster>>();

/** Links a chat to a restaurant the way a manager does: a code from the admin API, `/link <code>` in the chat. */
async function link(worker: LocalWorker, control: FakeTelegramControl, restaurantId: string, chatId: number): Promise<void> {
  const res = await fetch(`${worker.url}/admin/api/link-codes`, {
    method: "POST",
    headers: { authorization: `Bearer ${worker.vars.ADMIN_API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ restaurantId }),
  });
  const { code } = (await res.json()) as { code: string };
  const userId = 7_000_000 + (Math.abs(chatId) % 1_000_000);
  const chat = chatId > 0 ? { id: chatId, type: "private", first_name: "Bench" } : { id: chatId, type: "group", title: "Bench group" };
  if (chatId < 0) await control.chatAdmins(chatId, [userId]);
  const text = `/link ${code}`;
  const hook = hooks.get(worker) ?? webhookPoster(worker);
  hooks.set(worker, hook);
  await hook.post({
    message: { message_id: hook.nextId(), date: Math.floor(Date.now() / 1000), chat, from: { id: userId, is_bot: false, first_name: "Bench", language_code: "ru" }, text, entities: [{ type: "bot_command", offset: 0, length: 5 }] },
  });
  const answer = (await control.sent(chatId)).at(-1);
  if (!answer || !/подключён к ресторану/.test(String(answer.payload.text))) throw new Error(`chat ${chatId} not linked: ${String(answer?.payload.text)}`);
  await control.reset(chatId);
}

async function postEvents(worker: LocalWorker, p: Provisioned, events: unknown[]): Promise<void> {
  const body = JSON.stringify({ events });
  const headers = await signRequest(p.agentId, await importAgentKey(p.agentKey), body);
  const res = await fetch(`${worker.url}/agent/v1/events`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`events: ${res.status} ${text}`);
}

const marker = (s: string) => `bench·${s}·`;
const markersIn = (c: Call) => String(c.payload.text ?? "").match(/bench·[a-z0-9-]+·/g) ?? [];

async function latencyRun(worker: LocalWorker, control: FakeTelegramControl) {
  const places: Array<{ p: Provisioned; chatId: number }> = [];
  for (let i = 0; i < RESTAURANTS; i++) {
    const p = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, { restaurant: `Bench ${i}` });
    const chatId = 6_100_000 + i;
    await link(worker, control, p.restaurantId, chatId);
    places.push({ p, chatId });
  }
  // Warm-up: one event per restaurant, not measured.
  await Promise.all(places.map(({ p }, i) => postEvents(worker, p, [event("check.deleted", { reason: marker(`warm-${i}`) })])));
  await waitFor(async () => (await Promise.all(places.map(({ chatId }) => control.sent(chatId)))).every((s) => s.length >= 1), 60_000);

  const answeredAt = new Map<string, number>();
  const rounds = EVENTS / RESTAURANTS;
  const started = Date.now();
  const posts: Promise<void>[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [i, { p }] of places.entries()) {
      // Each restaurant posts every SPACING_MS; restaurants are spread across that interval.
      const due = started + r * SPACING_MS + Math.floor((i * SPACING_MS) / RESTAURANTS);
      const id = `r${r}-${i}`;
      posts.push(
        (async () => {
          await sleep(due - Date.now());
          await postEvents(worker, p, [event("dish.deleted_saved", { reason: marker(id) })]);
          answeredAt.set(marker(id), Date.now());
        })(),
      );
    }
  }
  await Promise.all(posts);
  const seen = new Map<string, number>();
  await waitFor(async () => {
    for (const { chatId } of places) for (const c of await control.sent(chatId)) for (const m of markersIn(c)) if (!seen.has(m)) seen.set(m, c.at);
    return [...answeredAt.keys()].every((m) => seen.has(m));
  }, 180_000);
  const latencies = [...answeredAt].map(([m, at]) => seen.get(m)! - at);
  // Less the warm-up message each chat had.
  const messages = (await Promise.all(places.map(({ chatId }) => control.sent(chatId)))).reduce((n, s) => n + s.length - 1, 0);
  return { latency: summarize(latencies), events: answeredAt.size, messages, seconds: (Date.now() - started) / 1000 };
}

async function burstRun(worker: LocalWorker, control: FakeTelegramControl) {
  const p = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, { restaurant: "Bench burst" });
  const chatId = -6_200_001;
  await link(worker, control, p.restaurantId, chatId);
  const kinds = ["dish.deleted_saved", "check.deleted", "precheck.cancelled", "check.annulled"] as const;
  const events = Array.from({ length: BURST }, (_, i) => event(kinds[i % kinds.length]!, { reason: marker(`b${i}`) }));
  const t0 = Date.now();
  for (let i = 0; i < events.length; i += 500) await postEvents(worker, p, events.slice(i, i + 500));
  const posted = Date.now() - t0;
  const seen = new Set<string>();
  let duplicates = 0;
  await waitFor(async () => {
    seen.clear();
    duplicates = 0;
    for (const c of await control.sent(chatId)) for (const m of markersIn(c)) seen.has(m) ? duplicates++ : seen.add(m);
    return seen.size >= BURST;
  }, 15 * 60_000);
  const { calls, rateLimited } = await control.calls(chatId);
  const sent = calls.filter((c) => c.status === 200);
  const chars = sent.reduce((n, c) => n + String(c.payload.text ?? "").length, 0);
  const last = sent.at(-1)!.at;
  // What Telegram's limits allow at best for this many characters: ⌈chars / 4,096⌉ messages,
  // each a second after the one before and a minute after the one 20 before.
  const fewest = Math.ceil(chars / 4_096);
  const at: number[] = [];
  for (let i = 0; i < fewest; i++) at.push(i === 0 ? 0 : Math.max(at[i - 1]! + 1_000, i >= 20 ? at[i - 20]! + 60_000 : 0));
  const boundMs = at.at(-1) ?? 0;
  return { seconds: (last - t0) / 1000, postedMs: posted, messages: sent.length, chars, fewest, boundSeconds: boundMs / 1000, rateLimited, duplicates, delivered: seen.size };
}

function print(l: Awaited<ReturnType<typeof latencyRun>>, b: Awaited<ReturnType<typeof burstRun>>, totalRateLimited: number) {
  console.log(`## Telegram delivery (issue 3)

\`npm run bench -- telegram\` — wrangler dev (local D1, Durable Objects, alarms), the fake Bot API with
Telegram's limits on (1 message/s per chat, 20/min per group, 30/s per bot; 429 with retry_after beyond).

| measure | value |
|---|---|
| events accepted → \`sendMessage\` received, p50 / p90 / p99 (${l.events} events, ${RESTAURANTS} restaurants, each its own private chat, one event per restaurant every ${SPACING_MS / 1000} s) | **${ms(l.latency.p50)}** / ${ms(l.latency.p90)} / **${ms(l.latency.p99)}** (max ${ms(l.latency.max)}) |
| messages for those events | ${l.messages} (one per alert: no chat backed up) |
| burst of ${BURST} events into one group: all in the chat after | **${b.seconds.toFixed(1)} s** (${(b.seconds / 60).toFixed(2)} min; posting took ${b.postedMs} ms) |
| … messages it took | ${b.messages} digests (${b.chars.toLocaleString("en")} characters; at least ${b.fewest} messages of 4,096) |
| … the bound set by 1 message/s, 20 messages/min, 4,096 characters | ${b.boundSeconds.toFixed(0)} s to send ${b.fewest} full messages → **${(b.seconds / Math.max(1, b.boundSeconds)).toFixed(2)}×** the bound |
| … alerts delivered / duplicated | ${b.delivered} / ${b.duplicates} |
| 429s answered by the fake (whole run) | **${totalRateLimited}** (burst chat: ${b.rateLimited}) |
`);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(250);
  }
}

const sleep = (msec: number) => new Promise((r) => setTimeout(r, Math.max(0, msec)));

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
