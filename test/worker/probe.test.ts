import { env, runInDurableObject, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { it, expect } from "vitest";
it("works", async () => {
  const res = await exports.default.fetch("http://x/");
  expect(await res.json()).toMatchObject({ ok: true, f: 2 });
  const stub = (env as any).RESTAURANT.getByName("x");
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  await runInDurableObject(stub, (inst: any, state: DurableObjectState) => {
    expect([...state.storage.sql.exec("select * from kv order by k")]).toEqual([{k:"alarm",v:"yes"},{k:"n",v:"1"}]);
  });
  const ws = await exports.default.fetch("http://x/ws", { headers: { Upgrade: "websocket" } });
  const sock = ws.webSocket!; sock.accept();
  const got: string[] = [];
  const done = new Promise<void>(r => sock.addEventListener("message", (e) => { got.push(String(e.data)); if (got.length === 2) r(); }));
  sock.send('{"type":"ping"}'); sock.send("hi");
  await done;
  expect(got.sort()).toEqual(['echo:hi', '{"type":"pong"}']);
});
