/**
 * Issue 4 benchmark: the agent as it ships — the one-file build
 * (`npm run agent:build`) run by plain `node` as a child process — measured
 * from the outside through /proc (RSS, user+system CPU).
 *
 *  1. spool write throughput, in this process, with the spool's real fsyncs;
 *  2. idle, then 50 events/s: `--source rkeeper7` against the agent tests'
 *     fake cash server (HTTPS, RSA-1024) with HTTP Order Notify POSTs from
 *     here — the production path: receive, fsync in the inbox, classify,
 *     fsync in the spool, send — and the cloud is the real Worker;
 *  3. drain of a 100,000-event backlog left in the spool, to the real Worker.
 *
 * The cloud is `wrangler dev` (local D1 + Durable Objects); every count is
 * checked against what it stored, through the admin API.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { finalizeDraft } from "../agent/src/events/finalize";
import { factId } from "../agent/src/rkeeper7/classify";
import { guidKey } from "../agent/src/rkeeper7/units";
import { SimWorld } from "../agent/src/simulator/world";
import type { EventDraft } from "../agent/src/source";
import { type NewEvent, Spool } from "../agent/src/spool/spool";
import { FakeCashServer, ok, systemInfo } from "../agent/test/fake-cash-server";
import { AdminApi } from "../agent/test/real-cloud";
import { startSampling, type UsageSummary } from "./lib/proc-sampler";
import { ms, summarize } from "./lib/stats";
import { freePort, type LocalWorker, provision, ROOT, startWorker } from "./lib/worker";

const TZ = "Europe/Moscow";
const SETTLE_SECONDS = 5;
const IDLE_SECONDS = 30;
const LOAD_RATE = 50;
const LOAD_SECONDS = 30;
const BACKLOG = 100_000;
const SPOOL_SINGLES = 2_000;
const SPOOL_BATCHED = 50_000;

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/** Polls (gently: the cloud is being measured too) until `cond` holds. */
async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs: number, everyMs = 250): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ── the agent as a child process ────────────────────────────────────────────

function buildBundle(dir: string): string {
  const out = path.join(dir, "tillwatch-agent.cjs");
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/build-agent.mjs"), "--outfile", out], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`agent build failed:\n${r.stdout}${r.stderr}`);
  return out;
}

interface RunningAgent {
  child: ChildProcess;
  pid: number;
  output: () => string;
  stop(): Promise<number | null>;
}

function spawnAgent(bundle: string, args: string[], env: Record<string, string>): RunningAgent {
  const child = spawn(process.execPath, [bundle, ...args], { cwd: path.dirname(bundle), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-20_000));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

// ── events ──────────────────────────────────────────────────────────────────

/** Realistic events: ten simulated restaurant days, re-numbered to `n` distinct ids. */
function simulatedEvents(n: number): NewEvent[] {
  const start = Date.parse("2026-11-23T10:00:00+03:00");
  const world = new SimWorld({ seed: 4, startMs: start, timezone: TZ, currency: "RUB", runId: "bench", autoReports: ["balance", "dishes", "hourly", "discounts", "deletions"] });
  const days: EventDraft[] = world.advanceTo(start + 10 * 86_400_000);
  return Array.from({ length: n }, (_, i) => finalizeDraft({ ...days[i % days.length]!, id: `bench-${i}` }));
}

async function spoolThroughput(dir: string, events: NewEvent[]) {
  const spool = await Spool.open(dir, { maxBytes: 4 * 1024 ** 3, warnBytes: 4 * 1024 ** 3 });
  const bytesBefore = (await spool.stats()).bytes;
  let t = performance.now();
  for (let i = 0; i < SPOOL_SINGLES; i++) await spool.append([events[i]!]);
  const singles = SPOOL_SINGLES / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = SPOOL_SINGLES; i < SPOOL_SINGLES + SPOOL_BATCHED; i += 50) await spool.append(events.slice(i, i + 50));
  const secs = (performance.now() - t) / 1000;
  const stats = await spool.stats();
  await spool.close();
  const avgBytes = (stats.bytes - bytesBefore) / (SPOOL_SINGLES + SPOOL_BATCHED);
  return { singles, batched: SPOOL_BATCHED / secs, mbPerSec: (SPOOL_BATCHED * avgBytes) / secs / 1024 / 1024, avgBytes };
}

async function fillSpool(dir: string, events: NewEvent[]): Promise<number> {
  const spool = await Spool.open(dir, { maxBytes: 1024 ** 3, warnBytes: 1024 ** 3 });
  for (let i = 0; i < events.length; i += 500) await spool.append(events.slice(i, i + 500));
  const last = spool.nextSeq - 1;
  await spool.close();
  return last;
}

// ── r_keeper notify load ────────────────────────────────────────────────────

function loginXml(i: number, guid: string): string {
  const waiter = 17 + (i % 5);
  const at = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 19); // Moscow wall clock, as r_keeper sends it
  return `<?xml version="1.0" encoding="UTF-8"?>
<a RestCode="199990001" sender_info="rk7" ShiftNum="42" ShiftDate="2026-11-22" DateTime="${at}" Situation="21" seqnumber="${i}" guid="${guid}" name="Login">
  <Station id="15001" code="${1 + (i % 3)}" name="Касса ${1 + (i % 3)}" NetName="CASH${1 + (i % 3)}"/>
  <Server id="15000" code="1" name="Кассовый сервер"/>
  <Waiter id="${1000 + waiter}" code="${waiter}" name="Сотрудник ${waiter}"><Role id="3" name="Официант"/></Waiter>
</a>`;
}

/** POSTs one Login notify every 1/rate s, as r_keeper's driver would; answers and their times. */
async function notifyAtRate(url: string, rate: number, seconds: number) {
  const sentAt = new Map<string, number>();
  const answerMs: number[] = [];
  let failures = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const guid = `{B0000000-0000-4000-8000-${String(i).padStart(12, "0")}}`;
    sentAt.set(factId(guidKey(guid)), Date.now());
    const t = performance.now();
    inflight.push(
      fetch(url, { method: "POST", body: loginXml(i, guid), headers: { "content-type": "text/xml; charset=utf-8" } }).then(
        async (r) => {
          await r.arrayBuffer();
          if (r.status === 200) answerMs.push(performance.now() - t);
          else failures++;
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(inflight);
  return { sentAt, answerMs, failures };
}

async function idleAndLoad(bundle: string, work: string, worker: LocalWorker, admin: AdminApi) {
  const cash = await FakeCashServer.start({ tls: true });
  cash.answers.set("GetSystemInfo2", systemInfo(42));
  cash.answers.set("GetRefData", ok("<RK7Reference><Items/></RK7Reference>"));
  cash.answers.set("GetOrderList", '<RK7QueryResult Status="No changes"/>');
  const who = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, { restaurant: "Agent bench (r_keeper)" });
  const notifyPort = await freePort();
  const agent = spawnAgent(
    bundle,
    ["--url", worker.url, "--agent-id", who.agentId, "--source", "rkeeper7", "--spool", path.join(work, "rk7-spool"), "--timezone", TZ,
      "--rk7-url", cash.url, "--rk7-user", cash.user, "--notify-port", String(notifyPort)],
    { TILLWATCH_AGENT_KEY: who.agentKey, TILLWATCH_RK7_PASSWORD: cash.password },
  );
  try {
    await waitFor(async () => {
      const a = await admin.agent(who.restaurantId, who.agentId);
      return a.linked && a.pos.online === true;
    }, `the agent linked with the cash server online (agent said: ${agent.output().slice(-1500)})`, 60_000);
    await sleep(SETTLE_SECONDS * 1000);

    let s = startSampling(agent.pid);
    await sleep(IDLE_SECONDS * 1000);
    const idle = s.stop();

    s = startSampling(agent.pid);
    const load = await notifyAtRate(`http://127.0.0.1:${notifyPort}/rkevent`, LOAD_RATE, LOAD_SECONDS);
    const busy = s.stop();

    const expected = load.sentAt.size - load.failures;
    let stored: Awaited<ReturnType<AdminApi["journal"]>> = [];
    await waitFor(async () => {
      stored = (await admin.journal(who.restaurantId, who.agentId)).filter((e) => e.type === "employee.login");
      return stored.length >= expected;
    }, "every notify stored by the cloud", 120_000, 1000);
    const unique = new Set(stored.map((e) => e.id)).size;
    const endToEnd = stored.flatMap((e) => {
      const t = load.sentAt.get(e.id);
      return t === undefined ? [] : [Date.parse(e.receivedAt) - t];
    });
    return { idle, busy, load, stored: stored.length, unique, answer: summarize(load.answerMs), endToEnd: summarize(endToEnd) };
  } finally {
    await agent.stop();
    await cash.stop();
  }
}

// ── drain ───────────────────────────────────────────────────────────────────

async function drainBacklog(bundle: string, work: string, worker: LocalWorker, admin: AdminApi, events: NewEvent[]) {
  const who = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, { restaurant: "Agent bench (backlog)" });
  const spool = path.join(work, "drain-spool");
  const lastSeq = await fillSpool(spool, events);
  const t0 = performance.now();
  // The simulator at night and real speed adds nothing while the backlog drains.
  const agent = spawnAgent(
    bundle,
    ["--url", worker.url, "--agent-id", who.agentId, "--source", "simulator", "--sim-start", "2026-11-23T03:00:00+03:00", "--speed", "1", "--spool", spool],
    { TILLWATCH_AGENT_KEY: who.agentKey },
  );
  const usage = startSampling(agent.pid, 500);
  let firstAck = 0;
  let doneAt = 0;
  let drainUsage: UsageSummary;
  try {
    await waitFor(async () => {
      const ack = (await admin.agent(who.restaurantId, who.agentId)).ackSeq;
      if (!firstAck && ack > 0) firstAck = performance.now();
      return ack >= lastSeq;
    }, `the cloud's ackSeq at ${lastSeq} (agent said: ${agent.output().slice(-1500)})`, 600_000);
    doneAt = performance.now();
  } finally {
    drainUsage = usage.stop();
    await agent.stop();
  }
  const stored = await admin.journal(who.restaurantId, who.agentId);
  return {
    seconds: (doneAt - t0) / 1000,
    toFirstAck: (firstAck - t0) / 1000,
    rate: events.length / ((doneAt - t0) / 1000),
    steadyRate: events.length / ((doneAt - firstAck) / 1000),
    usage: drainUsage,
    stored: stored.length,
    unique: new Set(stored.map((e) => e.id)).size,
  };
}

// ── report ──────────────────────────────────────────────────────────────────

const mb = (x: number) => `${x.toFixed(1)} MB`;
const pct = (x: number) => `${x.toFixed(2)} %`;
const n = (x: number) => Math.round(x).toLocaleString("en");

async function main() {
  const work = mkdtempSync(path.join(tmpdir(), "tw-agent-bench-"));
  let worker: LocalWorker | undefined;
  try {
    const bundle = buildBundle(work);
    const events = simulatedEvents(Math.max(BACKLOG, SPOOL_SINGLES + SPOOL_BATCHED));
    const spool = await spoolThroughput(path.join(work, "spool-bench"), events);
    worker = await startWorker();
    const admin = new AdminApi(worker.url, worker.vars.ADMIN_API_TOKEN!);
    const rk = await idleAndLoad(bundle, work, worker, admin);
    const drain = await drainBacklog(bundle, work, worker, admin, events.slice(0, BACKLOG));

    const rate = rk.stored / LOAD_SECONDS;
    console.log("## Agent (issue 4)\n");
    console.log(
      "`npm run bench -- agent` — the one-file build (`npm run agent:build`) run by plain `node` as a child process, RSS and CPU read from " +
        "/proc/<pid> (CPU is user+system time as a share of one core); the cloud is wrangler dev (local D1 + Durable Objects); r_keeper is the " +
        "agent tests' fake cash server (HTTPS, RSA-1024 certificate) plus HTTP Order Notify `Login` POSTs from the benchmark.\n",
    );
    console.log("| measure | value | target |");
    console.log("|---|---|---|");
    console.log(`| idle (\`--source rkeeper7\`, XML poll every 15 s, link + heartbeat), ${IDLE_SECONDS} s: RSS p50 / max | **${mb(rk.idle.rssMb.p50)}** / ${mb(rk.idle.rssMb.max)} | < 80 MB |`);
    console.log(`| idle: CPU | ${pct(rk.idle.cpuPercent)} of one core | |`);
    console.log(`| at ${LOAD_RATE} events/s for ${LOAD_SECONDS} s (${n(rk.load.sentAt.size)} notify POSTs, ${rk.load.failures} refused; ${n(rk.stored)} events stored, ${n(rk.unique)} distinct = ${rate.toFixed(1)}/s): RSS p50 / max | ${mb(rk.busy.rssMb.p50)} / ${mb(rk.busy.rssMb.max)} | |`);
    console.log(`| at ${LOAD_RATE} events/s: CPU | ${pct(rk.busy.cpuPercent)} of one core | |`);
    console.log(`| notify POST answered (after the inbox fsync) p50 / p99 | ${ms(rk.answer.p50)} / ${ms(rk.answer.p99)} | |`);
    console.log(`| notify POST → stored in the cloud, p50 / p99 | ${ms(rk.endToEnd.p50)} / ${ms(rk.endToEnd.p99)} | |`);
    console.log(`| spool append, one event per fsync (${n(SPOOL_SINGLES)}, as a notify is spooled) | **${n(spool.singles)} events/s** | |`);
    console.log(`| spool append, 50 events per fsync (${n(SPOOL_BATCHED)}, ${spool.avgBytes.toFixed(0)} B each) | **${n(spool.batched)} events/s** (${spool.mbPerSec.toFixed(1)} MB/s) | |`);
    console.log(`| drain of a ${n(BACKLOG)}-event backlog: agent start → cloud's ackSeq on the last event | **${n(drain.rate)} events/s** (${drain.seconds.toFixed(1)} s; first batch acknowledged after ${drain.toFirstAck.toFixed(1)} s, then ${n(drain.steadyRate)} events/s) | ≥ 1,000 events/s |`);
    console.log(`| while draining: RSS p50 / peak, CPU | ${mb(drain.usage.rssMb.p50)} / ${mb(drain.usage.peakMb)}, ${pct(drain.usage.cpuPercent)} of one core | |`);
    console.log(`| backlog stored by the cloud | ${n(drain.stored)} rows, ${n(drain.unique)} distinct ids | ${n(BACKLOG)} once each |`);
    console.log("");
  } finally {
    await worker?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
