/**
 * The endpoint r_keeper's HTTP Order Notify driver POSTs to. The driver drops
 * an event once it got 200, so 200 must mean "on disk"; anything else keeps
 * the event in the driver's own queue.
 */
import { afterEach, describe, expect, it } from "vitest";
import { NotifyInbox } from "../src/rkeeper7/notify-inbox";
import { NotifyReceiver } from "../src/rkeeper7/notify-receiver";
import { captureLog, tempDir } from "./helpers";
import { readFileSync } from "node:fs";
import path from "node:path";

const login = readFileSync(path.join(import.meta.dirname, "fixtures", "rk7", "02-login.xml"), "utf8");
const receivers: NotifyReceiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
});

async function listen(inbox: Pick<NotifyInbox, "add">) {
  const r = new NotifyReceiver({ host: "127.0.0.1", port: 0, path: "/rkevent", inbox: inbox as NotifyInbox, log: captureLog() });
  receivers.push(r);
  const port = await r.start();
  return { r, url: `http://127.0.0.1:${port}/rkevent` };
}

const post = (url: string, body: string | Buffer, headers: Record<string, string> = { "content-type": "text/xml; charset=utf-8" }) =>
  fetch(url, { method: "POST", body, headers });

describe("r_keeper notify receiver", () => {
  it("answers 200 only after the event is on disk, and keeps the raw XML exactly", async () => {
    const dir = await tempDir();
    const inbox = await NotifyInbox.open(dir);
    const { url } = await listen(inbox);
    const res = await post(url, login);
    expect(res.status).toBe(200);
    await inbox.close();
    // A fresh process reading the same directory finds it.
    const reopened = await NotifyInbox.open(dir);
    const entries = await reopened.read();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.xml).toBe(login);
    expect(entries[0]!.guid).toBe("{0A000002-0000-4000-8000-000000000002}");
    await reopened.close();
  });

  it("does not answer before the store has finished", async () => {
    let finish!: () => void;
    let called = false;
    const slow = {
      add: () => {
        called = true;
        return new Promise<"stored">((r) => (finish = () => r("stored")));
      },
    };
    const { url } = await listen(slow);
    let answered = false;
    const pending = post(url, login).then((r) => {
      answered = true;
      return r.status;
    });
    while (!called) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    finish();
    expect(await pending).toBe(200);
  });

  it("answers 503 when the event could not be stored, so r_keeper keeps it queued", async () => {
    const { url } = await listen({ add: () => Promise.reject(new Error("disk full")) });
    const res = await post(url, login);
    expect(res.status).toBe(503);
  });

  it("stores an event delivered twice (same guid) once, also after a restart and after it was processed", async () => {
    const dir = await tempDir();
    const inbox = await NotifyInbox.open(dir);
    const { r, url } = await listen(inbox);
    const [a, b] = await Promise.all([post(url, login), post(url, login)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await inbox.read()).length).toBe(1);
    expect(r.duplicates).toBe(1);
    await inbox.done(await inbox.read());
    await r.stop();
    await inbox.close();

    const again = await NotifyInbox.open(dir);
    expect(await again.add(login)).toBe("duplicate");
    expect(await again.read()).toEqual([]);
    await again.close();
  });

  it("decodes a windows-1251 body when it says so", async () => {
    const dir = await tempDir();
    const inbox = await NotifyInbox.open(dir);
    const { url } = await listen(inbox);
    const xml = '<?xml version="1.0" encoding="windows-1251"?><a guid="{0A0000FF-0000-4000-8000-0000000000FF}" Situation="21" name="Login"><Waiter code="1" name="Петров"/></a>';
    // Encode by hand: Cyrillic in cp1251 is U+0410..U+044F → 0xC0..0xFF.
    const cp1251 = Buffer.from([...xml].map((c) => {
      const code = c.charCodeAt(0);
      return code >= 0x410 && code <= 0x44f ? code - 0x410 + 0xc0 : code;
    }));
    expect((await post(url, cp1251, { "content-type": "text/xml" })).status).toBe(200);
    expect((await inbox.read())[0]!.xml).toBe(xml);
    await inbox.close();
  });

  it("answers a GET on its path (for checking the address from a browser) and 404 elsewhere", async () => {
    const inbox = await NotifyInbox.open(await tempDir());
    const { url } = await listen(inbox);
    expect((await fetch(url)).status).toBe(200);
    expect((await post(url.replace("/rkevent", "/other"), login)).status).toBe(404);
    expect(await inbox.read()).toEqual([]);
    await inbox.close();
  });
});
