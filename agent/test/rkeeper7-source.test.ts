/**
 * The r_keeper source end to end against a fake cash server: notify POSTs in,
 * XML interface polled, contract events out — including the common shift
 * closing (error 2172 while it closes, then a new shift number) which must
 * produce `shift.closed` and the shift auto-reports.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, parseArgs } from "../src/config/config";
import { RKeeper7Source } from "../src/rkeeper7/rkeeper7-source";
import type { EventDraft, EventSink } from "../src/source";
import { FakeCashServer, ok, rk7Error, systemInfo } from "./fake-cash-server";
import { until } from "./fake-cloud";
import { captureLog, tempDir } from "./helpers";

const fixtures = path.join(import.meta.dirname, "fixtures", "rk7");
const fixture = (n: string) => readFileSync(path.join(fixtures, n), "utf8");

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

class Collect implements EventSink {
  readonly drafts: EventDraft[] = [];
  async emit(d: EventDraft[]) {
    this.drafts.push(...d);
  }
  types() {
    return this.drafts.map((d) => d.type);
  }
}

async function setup(dir?: string) {
  const cash = await FakeCashServer.start();
  cleanups.push(() => cash.stop());
  cash.answers.set("GetSystemInfo2", systemInfo(42));
  cash.answers.set("GetRefData", ok('<RK7Reference><Items/></RK7Reference>'));
  cash.answers.set("GetOrderList", '<RK7QueryResult Status="No changes"/>');
  const spool = dir ?? (await tempDir());
  const parsed = parseArgs([
    "--url", "http://127.0.0.1:1", "--agent-id", "agt_test", "--agent-key", "k".repeat(43),
    "--source", "rkeeper7", "--spool", spool,
    "--rk7-url", cash.url, "--rk7-user", cash.user, "--rk7-password", cash.password,
    "--notify-port", "0", "--rk7-poll-seconds", "3600", "--timezone", "Europe/Moscow",
  ]);
  if (parsed.kind !== "run") throw new Error("bad args");
  const config = loadConfig(parsed.values, {});
  const source = new RKeeper7Source({ config, timezone: "Europe/Moscow", log: captureLog() });
  const sink = new Collect();
  await source.start(sink);
  cleanups.push(() => source.stop());
  const notify = (xml: string) => fetch(`http://127.0.0.1:${source.notifyPort}/rkevent`, { method: "POST", body: xml, headers: { "content-type": "text/xml" } });
  return { cash, source, sink, notify, spool };
}

describe("r_keeper 7 source", () => {
  it("turns notify POSTs into contract events, once each even when r_keeper repeats one", async () => {
    const { source, sink, notify } = await setup();
    for (const n of ["02-login.xml", "03-open-order.xml", "05-order-changed-unsaved-deleted.xml", "05-order-changed-unsaved-deleted.xml"]) {
      expect((await notify(fixture(n))).status).toBe(200);
    }
    await until(() => sink.drafts.length >= 2, "two events");
    await source.processInbox();
    expect(sink.types()).toEqual(["employee.login", "dish.deleted_unsaved"]);
    expect(source.status().stations).toEqual([{ code: "2", name: "Касса бар" }]);
  });

  it("reports the cash server as reachable, or not, in its status (for the heartbeat)", async () => {
    const { cash, source } = await setup();
    await source.poll();
    expect(source.status()).toMatchObject({ online: true, version: "7.6.5.440" });
    cash.password = "changed";
    await source.poll();
    expect(source.status().online).toBe(false);
    expect(source.status().detail).toContain("HTTP 401");
  });

  it("while the common shift is closing (2172) it waits; a new shift number closes the old shift with its reports", async () => {
    const { cash, source, sink, notify } = await setup();
    await source.poll();
    expect(cash.commands).toContain("GetSystemInfo2");
    // Something happens during shift 42…
    await notify(fixture("03-open-order.xml"));
    await notify(fixture("05-order-changed-unsaved-deleted.xml"));
    await until(() => sink.drafts.length >= 1, "the deletion");

    cash.answers.set("GetSystemInfo2", rk7Error("Query Executing Error", 2172, "UCSERR(2172): В данный момент закрывается общая смена"));
    await source.poll();
    expect(source.status()).toMatchObject({ online: true, detail: "r_keeper закрывает общую смену" });
    expect(sink.types()).not.toContain("shift.closed");

    cash.answers.set("GetSystemInfo2", systemInfo(43, "2026-11-23T09:00:00"));
    await source.poll();
    const closed = sink.drafts.find((d) => d.type === "shift.closed");
    expect(closed?.data).toMatchObject({ shift: { number: 42 } });
    const reports = sink.drafts.filter((d) => d.type === "report.shift");
    expect(reports.length).toBeGreaterThan(0);
    const deletions = reports.find((r) => (r.data as { reportKind: string }).reportKind === "deletions");
    if (deletions) expect(JSON.stringify(deletions.data)).toContain("Морс клюквенный");
    // The closed shift is still there to report on.
    const last = await source.report("deletions", { shift: "last" });
    expect(JSON.stringify(last)).toContain("Морс клюквенный");
  });

  it("exporting an order without the XML SaveOrder set-up fails with a clear log", async () => {
    const { source } = await setup();
    const out = await source.exportOrder({ source: "site", number: "A-1", items: [{ code: "1001", name: "Стейк", quantity: 1, price: 100 }] } as never, "req-1");
    expect(out.status).toBe("failed");
    expect(out.log?.join(" ")).toContain("SaveOrder");
  });

  it("events r_keeper handed over survive an agent restart before they were classified", async () => {
    const dir = await tempDir();
    const first = await setup(dir);
    // Stop classification by stopping the source right after the POST is answered.
    expect((await first.notify(fixture("02-login.xml"))).status).toBe(200);
    await cleanups.pop()!(); // first.source.stop()
    const seen = first.sink.drafts.length;
    const second = await setup(dir);
    await second.source.processInbox();
    expect(seen + second.sink.drafts.length).toBeGreaterThanOrEqual(1);
    expect([...first.sink.types(), ...second.sink.types()].filter((t) => t === "employee.login")).toHaveLength(1);
  });
});
