/**
 * Issue 5 benchmark: a report on demand, from the `/report` tap reaching the
 * webhook to the report message sent to Telegram, with an agent that answers
 * at once; and the hourly chart's render time.
 *
 * Runs the Worker locally (wrangler dev) against the fake Bot API (test/
 * fake-telegram, rate limits off) and a test agent holding the real signed
 * WebSocket link. The webhook answers only after the report is sent (the bot
 * edits "requesting…" into the report before it returns), so the webhook
 * POST's duration is the round trip; each sample is also checked against the
 * fake's record of the final edit.
 */
import WebSocket from "ws";
import { hourlyChart } from "../src/domain/reports/chart";
import { importAgentKey, signRequest } from "../src/protocol/signing";
import type { Report } from "../src/protocol/report";
import { reportData } from "../src/telegram/bot/report-menu";
import { FakeTelegramControl } from "../test/fake-telegram/client";
import { startFakeTelegram } from "../test/fake-telegram/server";
import { BALANCE, hourly } from "../test/unit/reports/samples";
import { ms, summarize } from "./lib/stats";
import { webhookPoster } from "./lib/webhook";
import { provision, startWorker } from "./lib/worker";

const SAMPLES = 200;
const WARMUP = 20;
const CHART_SAMPLES = 200;
const CHART_TAPS = 60;
const CHAT_ID = 5_550_001;
const BOT_INFO = { id: 4242, is_bot: true, first_name: "Fake Tillwatch", username: "fake_tillwatch_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

/** A test agent on the link: answers every report.request at once with the sample of its kind. */
async function instantAgent(url: string, agentId: string, agentKey: string): Promise<WebSocket> {
  const headers = await signRequest(agentId, await importAgentKey(agentKey), "");
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/agent/v1/link`, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => reject(new Error(`link refused: ${res.statusCode}`)));
  });
  const samples: Record<string, Report> = { balance: BALANCE, hourly: hourly() };
  ws.on("message", (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type !== "report.request") return;
    ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report: samples[frame.report] ?? BALANCE }));
  });
  return ws;
}

async function main() {
  const fake = await startFakeTelegram({ limits: { perChatGapMs: 0, groupPerMinute: 1_000_000, botPerSecond: 1_000_000 } });
  const control = new FakeTelegramControl(fake.url);
  const worker = await startWorker({
    vars: { TELEGRAM_BOT_TOKEN: "123456:bench-token", TELEGRAM_API_ROOT: fake.url, TELEGRAM_BOT_INFO: JSON.stringify(BOT_INFO) },
  });
  const hook = webhookPoster(worker);
  const post = hook.post;
  const chat = { id: CHAT_ID, type: "private", first_name: "Bench" };
  const from = { id: CHAT_ID, is_bot: false, first_name: "Bench", language_code: "ru" };
  const message = (text: string) => ({
    message: { message_id: hook.nextId(), date: Math.floor(Date.now() / 1000), chat, from, text, entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }] },
  });
  const tap = (data: string, messageId: number) => ({
    callback_query: { id: `cb${hook.nextId()}`, from, chat_instance: "bench", data, message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat, text: "menu" } },
  });

  let ws: WebSocket | null = null;
  try {
    const p = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!);
    const codeRes = await fetch(`${worker.url}/admin/api/link-codes`, {
      method: "POST",
      headers: { authorization: `Bearer ${worker.vars.ADMIN_API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ restaurantId: p.restaurantId }),
    });
    const { code } = (await codeRes.json()) as { code: string };
    await post(message(`/link ${code}`));
    ws = await instantAgent(worker.url, p.agentId, p.agentKey);
    await post(message("/report"));
    const menu = (await control.sent(CHAT_ID)).at(-1)!;
    if (!String(menu.payload.text).includes("Выберите отчёт")) throw new Error(`no report menu: ${String(menu.payload.text)}`);
    const menuId = menu.messageId!;

    // Interleaved with the taps: a no-op route on the same Worker, the machine's baseline.
    const noops: number[] = [];
    const noop = async () => {
      const t = performance.now();
      await (await fetch(`${worker.url}/healthz`)).arrayBuffer();
      noops.push(performance.now() - t);
    };
    // The fake runs in this process: count what it received without a round trip of our own.
    type FakeCall = { method: string; status: number; payload: Record<string, unknown> };
    const received = (what: (c: FakeCall) => boolean) => (fake.chats.get(CHAT_ID)?.calls ?? []).filter(what).length;
    const isReport = (c: FakeCall) => c.method === "editMessageText" && c.status === 200 && String(c.payload.text).includes("<pre>");
    const isChart = (c: FakeCall) => c.method === "sendPhoto" && c.status === 200;
    const roundTrip = async (report: "balance" | "hourly"): Promise<number[]> => {
      const data = reportData({ kind: "run", restaurantId: p.restaurantId, report, period: "current" });
      const out: number[] = [];
      // The webhook answers before the till does; a sample ends when the fake has the report
      // (balance) or its chart (hourly). The chart follows through the chat's delivery queue, paced
      // at one message a second: hourly taps are spaced so each chart is measured, not the pacing.
      const samples = report === "hourly" ? CHART_TAPS : SAMPLES;
      const done = report === "hourly" ? isChart : isReport;
      for (let i = 0; i < WARMUP + samples; i++) {
        const before = received(done);
        const t = performance.now();
        await post(tap(data, menuId));
        const deadline = performance.now() + 15_000;
        while (received(done) <= before) {
          if (performance.now() > deadline) {
            const last = (fake.chats.get(CHAT_ID)?.calls ?? []).slice(-4).map((c) => `${c.method} ${c.status} ${String(c.payload.text ?? c.payload.caption ?? "").slice(0, 80)}`);
            throw new Error(`${report} tap ${i}: nothing within 15 s; last calls:\n${last.join("\n")}`);
          }
          await new Promise((r) => setTimeout(r, 1));
        }
        const took = performance.now() - t;
        if (i >= WARMUP) {
          out.push(took);
          await noop();
        }
        if (report === "hourly") await new Promise((r) => setTimeout(r, 1_100));
      }
      // The last tap's answer is the report table (not a failure message).
      const { calls } = await control.calls(CHAT_ID);
      const last = calls.filter((c) => c.method === "editMessageText").at(-1)!;
      if (!String(last.payload.text).includes("<pre>")) throw new Error(`${report}: the last answer is not a report: ${String(last.payload.text)}`);
      if (report === "hourly" && calls.at(-1)!.method !== "sendPhoto") throw new Error("hourly: no chart sent");
      return out;
    };
    const balance = summarize(await roundTrip("balance"));
    const withChart = summarize(await roundTrip("hourly"));

    // The chart alone, in this process (the same pure TypeScript the Worker runs).
    const report = hourly();
    const view = { restaurantName: "Bench Bistro", timezone: "Europe/Moscow", lang: "ru" as const };
    for (let i = 0; i < 20; i++) await hourlyChart(report, view);
    const chartTimes: number[] = [];
    let pngBytes = 0;
    for (let i = 0; i < CHART_SAMPLES; i++) {
      const t = performance.now();
      const photo = await hourlyChart(report, view);
      chartTimes.push(performance.now() - t);
      pngBytes = Buffer.from(photo!.pngBase64, "base64").length;
    }
    const chart = summarize(chartTimes);

    console.log("## Reports on demand (issue 5)\n");
    console.log("`npm run bench -- reports` — wrangler dev (local D1 + Durable Objects), fake Bot API with its rate limits off, a test agent on the signed WebSocket link answering at once.\n");
    const base = summarize(noops);
    const ratio = (x: { p50: number }) => `${(x.p50 / base.p50).toFixed(1)}× p50`;
    console.log("| measure | p50 | p99 | beside the no-op route |");
    console.log("|---|---|---|---|");
    console.log(`| no-op route (interleaved) | ${ms(base.p50)} | ${ms(base.p99)} | 1× |`);
    console.log(`| tap → report message sent (balance report, text) | **${ms(balance.p50)}** | **${ms(balance.p99)}** | ${ratio(balance)} |`);
    console.log(`| tap → report sent + chart photo (hourly report) | **${ms(withChart.p50)}** | **${ms(withChart.p99)}** | ${ratio(withChart)} |`);
    console.log(`| hourly chart render (800×420 PNG, ${(pngBytes / 1024).toFixed(1)} KiB), in-process (Node ${process.version}) | ${ms(chart.p50)} | ${ms(chart.p99)} | |`);
    console.log(
      `\nRound trip = from the tap's webhook POST until the fake received, for balance, the edit that turns "requesting…" into the report (${SAMPLES} samples), for hourly, the chart, which follows the table through the chat's delivery queue (${CHART_TAPS} samples, taps 1.1 s apart so the chat's one-message-a-second pacing does not queue one chart behind the last); ${WARMUP} warm-up taps each, one at a time. The hourly − balance difference (${ms(withChart.p50 - balance.p50)} at p50) is the chart's render, the hand-over to the chat's object and its upload.\n`,
    );
  } finally {
    ws?.close();
    await worker.stop();
    await fake.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
