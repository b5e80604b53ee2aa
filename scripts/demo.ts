/**
 * `npm run demo`: the whole thing on embedded defaults. Applies local D1
 * migrations, starts the Worker on http://127.0.0.1:8787 (local D1, Durable
 * Objects, alarms), provisions a demo restaurant (once; kept in .tillwatch/),
 * and feeds it signed events. Ctrl-C stops everything.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { provision, ROOT, startWorker, type LocalWorker } from "../bench/lib/worker";
import { importAgentKey, signRequest } from "../src/protocol/signing";
import { event } from "../test/fixtures/events";

const STATE = path.join(ROOT, ".tillwatch");
const DEMO_FILE = path.join(STATE, "demo.json");
const PORT = Number(process.env.PORT ?? 8787);

interface Demo {
  accountId: string;
  restaurantId: string;
  agentId: string;
  agentKey: string;
}

async function main() {
  mkdirSync(STATE, { recursive: true });
  const vars: Record<string, string> = {};
  if (process.env.TELEGRAM_BOT_TOKEN) vars.TELEGRAM_BOT_TOKEN = process.env.TELEGRAM_BOT_TOKEN;
  console.log("starting the Worker (local D1 + Durable Objects)…");
  const worker = await startWorker({ port: PORT, stateDir: path.join(STATE, "state"), vars });
  const stop = async () => {
    console.log("\nstopping…");
    await worker.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const demo = await ensureDemo(worker);
  console.log(`
Tillwatch is running at ${worker.url}
  admin API token : ${worker.vars.ADMIN_API_TOKEN}
  demo restaurant : ${demo.restaurantId}
  demo agent      : ${demo.agentId}
  restaurant state: curl -H "authorization: Bearer ${worker.vars.ADMIN_API_TOKEN}" ${worker.url}/admin/api/restaurants/${demo.restaurantId}
`);
  await sendSampleEvents(worker, demo);
  console.log("sent a few signed sample events; Ctrl-C stops everything.");
  await new Promise(() => {});
}

async function ensureDemo(worker: LocalWorker): Promise<Demo> {
  if (existsSync(DEMO_FILE)) {
    const demo = JSON.parse(readFileSync(DEMO_FILE, "utf8")) as Demo;
    const res = await fetch(`${worker.url}/admin/api/restaurants/${demo.restaurantId}`, {
      headers: { authorization: `Bearer ${worker.vars.ADMIN_API_TOKEN}` },
    });
    if (res.ok) return demo;
  }
  const demo = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, {
    account: "Демо-сеть «Тиль»",
    restaurant: "Бистро «Тиль» на Тверской",
    timezone: "Europe/Moscow",
    agent: "Кассовый сервер",
  });
  writeFileSync(DEMO_FILE, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}

async function sendSampleEvents(worker: LocalWorker, demo: Demo) {
  const key = await importAgentKey(demo.agentKey);
  const seq = Date.now();
  const now = new Date().toISOString();
  const events = (["pos.started", "employee.login", "dish.deleted_saved", "discount.added", "check.deleted"] as const).map((t, i) => ({
    ...event(t),
    id: `demo-${seq}-${i}`,
    seq: seq + i,
    occurredAt: now,
  }));
  const body = JSON.stringify({ events, floorSeq: seq });
  const res = await fetch(`${worker.url}/agent/v1/events`, {
    method: "POST",
    headers: { ...(await signRequest(demo.agentId, key, body)), "content-type": "application/json" },
    body,
  });
  console.log(`POST /agent/v1/events → ${res.status} ${await res.text()}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
