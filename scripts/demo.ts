/**
 * `npm run demo`: the whole thing on embedded defaults. Applies local D1
 * migrations, starts the Worker on http://127.0.0.1:8787 (local D1, Durable
 * Objects, alarms), provisions a demo restaurant (once; kept in .tillwatch/),
 * and runs the real agent in simulator mode against it (an hour of the
 * restaurant's day a minute by default: DEMO_SPEED, DEMO_SEED). Ctrl-C stops
 * everything; the agent's spool survives in .tillwatch/ for the next run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { webhookPoster } from "../bench/lib/webhook";
import { provision, ROOT, startWorker, type LocalWorker } from "../bench/lib/worker";
import { Agent } from "../agent/src/agent";
import { loadConfig } from "../agent/src/config/config";
import { addSecret, createLogger } from "../agent/src/log";
import { localToEpoch, wallClockAt } from "../agent/src/util/zoned-time";

const STATE = path.join(ROOT, ".tillwatch");
const DEMO_FILE = path.join(STATE, "demo.json");
const PORT = Number(process.env.PORT ?? 8787);
const TIMEZONE = "Europe/Moscow";
const SPEED = process.env.DEMO_SPEED ?? "60";
const SEED = process.env.DEMO_SEED ?? "7";

/** The admin page's login in the demo (local only; a deployment sets its own secrets). */
const ADMIN_EMAIL = "admin@tillwatch.local";
const ADMIN_PASSWORD = "tillwatch-demo";
/** Stand-in chats the demo links: the restaurant managers' group and the owner's private chat. */
const MANAGERS_CHAT = { id: -100_200_300, type: "group", title: "Менеджеры «Тиль»" } as const;
const OWNER_CHAT = { id: 200_300_400, type: "private", first_name: "Владелец" } as const;

interface Demo {
  accountId: string;
  restaurantId: string;
  agentId: string;
  agentKey: string;
  /** Whether the stand-in chats were linked (older demo.json files lack it). */
  chatsLinked?: boolean;
}

async function main() {
  mkdirSync(STATE, { recursive: true });
  const vars: Record<string, string> = { ADMIN_EMAIL, ADMIN_PASSWORD };
  if (process.env.TELEGRAM_BOT_TOKEN) vars.TELEGRAM_BOT_TOKEN = process.env.TELEGRAM_BOT_TOKEN;
  console.log("starting the Worker (local D1 + Durable Objects)…");
  const worker = await startWorker({ port: PORT, stateDir: path.join(STATE, "state"), vars });
  let agent: Agent | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping…");
    await agent?.stop().catch(() => {});
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const demo = await ensureDemo(worker);
  addSecret(demo.agentKey);
  const telegram = process.env.TELEGRAM_BOT_TOKEN
    ? "your bot (TELEGRAM_BOT_TOKEN); link a chat with a code from the Chats page"
    : `the local stand-in: ${worker.url}/admin/standin (a managers' group and an owner chat are linked)`;
  console.log(`
Tillwatch is running at ${worker.url}
  admin page      : ${worker.url}/admin   (login ${ADMIN_EMAIL} / ${ADMIN_PASSWORD})
  Telegram        : ${telegram}
  admin API token : ${worker.vars.ADMIN_API_TOKEN}
  demo restaurant : ${demo.restaurantId}
  demo agent      : ${demo.agentId}
  restaurant state: curl -H "authorization: Bearer ${worker.vars.ADMIN_API_TOKEN}" ${worker.url}/admin/api/restaurants/${demo.restaurantId}
  events so far   : curl -H "authorization: Bearer ${worker.vars.ADMIN_API_TOKEN}" ${worker.url}/admin/api/restaurants/${demo.restaurantId}/journal
`);
  const config = loadConfig(
    {
      url: worker.url,
      agentId: demo.agentId,
      agentKey: demo.agentKey,
      source: "simulator",
      spool: path.join(STATE, `agent-${demo.agentId}`),
      timezone: TIMEZONE,
      speed: SPEED,
      seed: SEED,
      simStart: demoStart(),
      logLevel: process.env.DEMO_LOG_LEVEL ?? "info",
    },
    {},
  );
  agent = await Agent.start({ config, log: createLogger({ level: config.logLevel }) });
  console.log(`the agent is simulating the restaurant at ${SPEED}× (DEMO_SPEED); Ctrl-C stops everything.`);
  await new Promise(() => {});
}

/** Lunchtime today in the restaurant's zone, so the simulated day starts busy. */
function demoStart(): string {
  const w = wallClockAt(Date.now(), TIMEZONE);
  const pad = (n: number) => String(n).padStart(2, "0");
  const ms = localToEpoch(`${w.year}-${pad(w.month)}-${pad(w.day)}T11:30:00`, TIMEZONE)!;
  return new Date(ms).toISOString();
}

async function ensureDemo(worker: LocalWorker): Promise<Demo> {
  let demo: Demo | null = null;
  if (existsSync(DEMO_FILE)) {
    const saved = JSON.parse(readFileSync(DEMO_FILE, "utf8")) as Demo;
    const res = await fetch(`${worker.url}/admin/api/restaurants/${saved.restaurantId}`, {
      headers: { authorization: `Bearer ${worker.vars.ADMIN_API_TOKEN}` },
    });
    if (res.ok) demo = saved;
  }
  demo ??= await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, {
    account: "Демо-сеть «Тиль»",
    restaurant: "Бистро «Тиль» на Тверской",
    timezone: "Europe/Moscow",
    agent: "Кассовый сервер",
  });
  if (!demo.chatsLinked && !process.env.TELEGRAM_BOT_TOKEN) {
    // Update ids from the clock: the webhook ignores an id it has seen, and the demo keeps its D1.
    const hook = webhookPoster(worker, Math.floor(Date.now() / 1000));
    await linkStandinChat(worker, hook, MANAGERS_CHAT, { restaurantId: demo.restaurantId });
    await linkStandinChat(worker, hook, OWNER_CHAT, { accountId: demo.accountId });
    demo.chatsLinked = true;
  }
  writeFileSync(DEMO_FILE, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}

/**
 * Links a stand-in chat the way a person would: a code from the admin API,
 * then `/link <code>` written in the chat (a webhook update, as Telegram sends it).
 */
async function linkStandinChat(
  worker: LocalWorker,
  hook: ReturnType<typeof webhookPoster>,
  chat: typeof MANAGERS_CHAT | typeof OWNER_CHAT,
  to: { restaurantId: string } | { accountId: string },
): Promise<void> {
  const res = await fetch(`${worker.url}/admin/api/link-codes`, {
    method: "POST",
    headers: { authorization: `Bearer ${worker.vars.ADMIN_API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(to),
  });
  if (!res.ok) throw new Error(`link code: ${res.status} ${await res.text()}`);
  const { code } = (await res.json()) as { code: string };
  const text = `/link ${code}`;
  const from = { id: Math.abs(chat.id) + 1, is_bot: false, first_name: "Демо", language_code: "ru" };
  await hook.post({
    message: { message_id: hook.nextId(), date: Math.floor(Date.now() / 1000), chat, from, text, entities: [{ type: "bot_command", offset: 0, length: 5 }] },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
