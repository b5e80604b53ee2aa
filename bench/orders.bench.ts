/**
 * Issue 6 benchmark: order updates per second on one order (serialised by its
 * Durable Object) and spread over 1,000 orders, and the latency of a problem
 * transition through the orders API. Local Worker (wrangler dev), loopback;
 * a no-op route measured in the same run is the baseline.
 */
import { provision, startWorker } from "./lib/worker";
import { ms, summarize } from "./lib/stats";

const ORDERS = 1_000;
const ONE_ORDER_UPDATES = 300;
const TRANSITIONS = 300;
const IN_FLIGHT = 4;

async function main() {
  const worker = await startWorker();
  try {
    const admin = worker.vars.ADMIN_API_TOKEN!;
    const { accountId, restaurantId } = await provision(worker.url, admin);
    const keyRes = await fetch(`${worker.url}/admin/api/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ accountId, name: "bench" }),
    });
    const apiKey = ((await keyRes.json()) as { key: string }).key;
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };

    const post = async (path: string, body: unknown, expect: number[] = [200, 201]) => {
      const t = performance.now();
      const res = await fetch(`${worker.url}/api/v1${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      const json = (await res.json()) as any;
      if (!expect.includes(res.status)) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return { ms: performance.now() - t, json };
    };
    const order = (i: number, patch: Record<string, unknown> = {}) => ({
      restaurantId,
      source: "site",
      externalId: `bench-${i}`,
      number: `B-${i}`,
      delivery: { type: "door", address: "вул. Хрещатик, 1" },
      items: [{ name: "Борщ", quantity: 2, price: 12_000 }],
      total: 24_000,
      currency: "UAH",
      paymentMethod: "cash",
      actor: "bench",
      ...patch,
    });
    /** Runs `n` jobs with IN_FLIGHT at a time; returns jobs/s. */
    const rate = async (n: number, job: (i: number) => Promise<unknown>) => {
      let next = 0;
      const t = performance.now();
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < n) await job(next++);
      }));
      return n / ((performance.now() - t) / 1000);
    };

    // Warm-up and baseline.
    for (let i = 0; i < 30; i++) await post(`/orders`, order(-1, { cutlery: i }));
    const noops: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await (await fetch(`${worker.url}/healthz`)).arrayBuffer();
      noops.push(performance.now() - t);
    }
    const noopRps = await rate(400, async () => (await fetch(`${worker.url}/healthz`)).arrayBuffer());

    const oneOrder = await rate(ONE_ORDER_UPDATES, (i) => post(`/orders`, order(0, { cutlery: i % 50, operatorComment: `rev ${i}` })));
    const creates = await rate(ORDERS, (i) => post(`/orders`, order(i + 1)));
    const spread = await rate(ORDERS, (i) => post(`/orders`, order(i + 1, { cutlery: 3, total: 25_000 })));

    // Problem transitions, one at a time: take → reject → reopen → take …
    const o = (await post(`/orders`, order(5_000))).json;
    const p = (await post(`/orders/${o.id}/problems`, { culprit: "courier", description: "bench", actor: "bench" })).json;
    const pid = p.problems[0].id;
    const cycle = ["take", "reject", "reopen"] as const;
    const samples: number[] = [];
    for (let i = 0; i < TRANSITIONS; i++) samples.push((await post(`/orders/${o.id}/problems/${pid}`, { action: cycle[i % 3], actor: "bench" })).ms);
    const tr = summarize(samples);
    const nz = summarize(noops);

    console.log("## Orders (issue 6)\n");
    console.log("`npm run bench -- orders` — wrangler dev (local D1 + Durable Objects), loopback, one account, cards of 1 item, 4 requests in flight.\n");
    console.log("| measure | value | beside the no-op route |");
    console.log("|---|---|---|");
    console.log(`| no-op route | ${noopRps.toFixed(0)} req/s, p50 ${ms(nz.p50)} / p99 ${ms(nz.p99)} | 1× |`);
    console.log(`| updates on one order (each a change: history + projection) | **${oneOrder.toFixed(0)} updates/s** (${ONE_ORDER_UPDATES}) | ${(oneOrder / noopRps).toFixed(2)}× req/s |`);
    console.log(`| creates across ${ORDERS.toLocaleString("en")} orders | **${creates.toFixed(0)} orders/s** | ${(creates / noopRps).toFixed(2)}× req/s |`);
    console.log(`| updates across ${ORDERS.toLocaleString("en")} orders | **${spread.toFixed(0)} updates/s** | ${(spread / noopRps).toFixed(2)}× req/s |`);
    console.log(`| problem transition through the API, p50 / p99 (${TRANSITIONS}, one at a time) | ${ms(tr.p50)} / **${ms(tr.p99)}** | ${(tr.p50 / nz.p50).toFixed(2)}× p50 |`);
    console.log("");
  } finally {
    await worker.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
