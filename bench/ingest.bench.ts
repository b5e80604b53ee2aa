/**
 * Issue 2 benchmark: how fast one restaurant's events are accepted.
 *
 * Runs the Worker locally (wrangler dev: local D1, Durable Objects) and drives
 * it over loopback from this process. Every figure is set beside a no-op
 * Hono route on the same Worker measured in the same run, as a ratio, so the
 * machine's speed cancels out. Requests are signed before the clock starts.
 */
import { event } from "../test/fixtures/events";
import { importAgentKey, signRequest } from "../src/protocol/signing";
import { provision, startWorker } from "./lib/worker";
import { ms, summarize } from "./lib/stats";

const LATENCY_SAMPLES = 400;
const WARMUP = 50;

type Prepared = { url: string; headers: Record<string, string>; body: string };

async function time(reqs: Prepared[]): Promise<number[]> {
  const out: number[] = [];
  for (const r of reqs) {
    const t = performance.now();
    const res = await fetch(r.url, { method: "POST", headers: r.headers, body: r.body });
    await res.arrayBuffer();
    out.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${r.url}: ${res.status}`);
  }
  return out;
}

async function main() {
  const worker = await startWorker();
  try {
    const { agentId, agentKey } = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!);
    const key = await importAgentKey(agentKey);
    let seq = 0;
    const batch = async (n: number): Promise<Prepared> => {
      const body = JSON.stringify({ events: Array.from({ length: n }, () => ({ ...event("dish.deleted_saved"), seq: ++seq, id: `b-${seq}` })) });
      const headers = { ...(await signRequest(agentId, key, body)), "content-type": "application/json" };
      return { url: `${worker.url}/agent/v1/events`, headers, body };
    };
    const noop = async (): Promise<Prepared> => {
      const body = JSON.stringify({ events: [event("dish.deleted_saved")] });
      return { url: `${worker.url}/healthz`, headers: { "content-type": "application/json" }, body };
    };

    // Warm both paths (isolate, object, D1 agent lookup cache).
    await time(await Promise.all(Array.from({ length: WARMUP }, () => batch(1))));
    await time(await Promise.all(Array.from({ length: WARMUP }, () => noop())));

    // Interleave no-op and single-event requests so both see the same machine state.
    const singles: number[] = [];
    const noops: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const [a, b] = await Promise.all([batch(1), noop()]);
      singles.push(...(await time([a])));
      noops.push(...(await time([b])));
    }
    const s = summarize(singles);
    const n = summarize(noops);

    // Throughput: events/s for batch sizes 1, 50, 500, two requests in flight.
    const throughput: Array<{ size: number; eps: number; rps: number }> = [];
    for (const [size, requests] of [[1, 600], [50, 120], [500, 24]] as const) {
      const prepared = await Promise.all(Array.from({ length: requests }, () => batch(size)));
      const t = performance.now();
      let next = 0;
      await Promise.all(
        [0, 1].map(async () => {
          while (next < prepared.length) await time([prepared[next++]!]);
        }),
      );
      const secs = (performance.now() - t) / 1000;
      throughput.push({ size, eps: (size * requests) / secs, rps: requests / secs });
    }

    const noopRps = 1000 / n.mean;
    console.log("## Event ingest (issue 2)\n");
    console.log("`npm run bench -- ingest` — wrangler dev (local D1 + Durable Objects), loopback, one restaurant, signed requests.\n");
    console.log("| measure | value | beside the no-op route |");
    console.log("|---|---|---|");
    console.log(`| no-op route latency p50 / p99 | ${ms(n.p50)} / ${ms(n.p99)} | 1× |`);
    console.log(`| one-event POST latency p50 / p99 | ${ms(s.p50)} / ${ms(s.p99)} | **${(s.p50 / n.p50).toFixed(2)}×** p50, ${(s.p99 / n.p99).toFixed(2)}× p99 (target ≤ 3× p50) |`);
    for (const t of throughput) {
      const target = t.size === 50 ? " (target ≥ 2,000 events/s)" : "";
      console.log(`| batches of ${t.size}: accepted | **${Math.round(t.eps).toLocaleString("en")} events/s** (${t.rps.toFixed(0)} req/s)${target} | ${(t.rps / noopRps).toFixed(2)}× the no-op route's req/s |`);
    }
    console.log(`\nSamples: ${LATENCY_SAMPLES} latency pairs after ${WARMUP} warm-up requests each; throughput with 2 requests in flight.\n`);
  } finally {
    await worker.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
