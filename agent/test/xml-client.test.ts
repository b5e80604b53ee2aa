/**
 * The cash server's XML interface answers HTTP 200 even when a command
 * failed; the client must read RK7QueryResult and turn failures into errors
 * the agent can act on (shift closing, wrong login, cash server down).
 */
import { createHash, X509Certificate } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { readOrderList, readRefItems, readSystemInfo, Rk7Client, Rk7Error, RK7_SHIFT_CLOSING } from "../src/rkeeper7/xml-client";
import { CASH_CERT, FakeCashServer, ok, rk7Error, systemInfo } from "./fake-cash-server";

const servers: FakeCashServer[] = [];
const clients: Rk7Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.stop();
});

async function setup(tls = false, extra: { password?: string; certSha256?: string } = {}) {
  const server = await FakeCashServer.start({ tls });
  servers.push(server);
  const client = new Rk7Client({ url: server.url, user: server.user, password: extra.password ?? server.password, timeoutMs: 5000, certSha256: extra.certSha256 });
  clients.push(client);
  return { server, client };
}

async function failure(p: Promise<unknown>): Promise<Rk7Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Rk7Error) return e;
    throw e;
  }
  throw new Error("expected the query to fail");
}

describe("r_keeper XML interface client", () => {
  it("reads GetSystemInfo2: common shift number, start and version", async () => {
    const { server, client } = await setup();
    server.answers.set("GetSystemInfo2", systemInfo(42));
    const info = readSystemInfo(await client.command("GetSystemInfo2"));
    expect(info).toMatchObject({ shiftNum: 42, shiftStartTime: "2026-11-22T09:00:00", version: "7.6.5.440", restCode: "199990001" });
    expect(server.queries[0]).toContain('<RK7Query><RK7CMD CMD="GetSystemInfo2"/></RK7Query>');
  });

  it("turns an HTTP 200 with an error status into an error with the text and number", async () => {
    const { server, client } = await setup();
    server.answers.set("GetOrder", rk7Error("Query Executing Error", 3001, "Заказ не найден"));
    const e = await failure(client.command("GetOrder", {}, '<Order guid="{X}"/>'));
    expect(e.status).toBe("Query Executing Error");
    expect(e.errorCode).toBe(3001);
    expect(e.message).toContain("Заказ не найден");
    expect(e.unreachable).toBe(false);
  });

  it("recognises 'the common shift is closing' (2172), also when it comes in <Errors>", async () => {
    const { server, client } = await setup();
    server.answers.set("GetSystemInfo2", rk7Error("Query Executing Error", 2172, "UCSERR(2172): В данный момент закрывается общая смена"));
    expect((await failure(client.command("GetSystemInfo2"))).errorCode).toBe(RK7_SHIFT_CLOSING);
    server.answers.set(
      "GetOrderList",
      '<RK7QueryResult Status="Query Executing Error"><Errors><Error RK7ErrorN="2172" ErrorText="В данный момент закрывается общая смена"/></Errors></RK7QueryResult>',
    );
    const e = await failure(client.command("GetOrderList"));
    expect(e.errorCode).toBe(RK7_SHIFT_CLOSING);
    expect(e.message).toContain("закрывается общая смена");
  });

  it("accepts 'No changes' as success (polling with lastversion)", async () => {
    const { server, client } = await setup();
    server.answers.set("GetOrderList", '<RK7QueryResult Status="No changes"/>');
    const a = await client.command("GetOrderList", { lastversion: 17 });
    expect(a.status).toBe("No changes");
    expect(server.queries[0]).toContain('lastversion="17"');
  });

  it("reads the order list with versions and the table version", async () => {
    const { server, client } = await setup();
    server.answers.set(
      "GetOrderList",
      ok('<Visit VisitID="1234"><Orders><Order guid="{5c2a1f00-1111-4222-8333-444455556666}" version="3" crc32="AB12" Finished="0"/></Orders></Visit>', ' lastversion="88"'),
    );
    expect(readOrderList(await client.command("GetOrderList"))).toEqual({
      lastVersion: 88,
      orders: [{ guid: "{5C2A1F00-1111-4222-8333-444455556666}", version: 3, crc32: "AB12", finished: false }],
    });
  });

  it("reads reference items (GetRefData ORDERVOIDS)", async () => {
    const { server, client } = await setup();
    server.answers.set("GetRefData", ok('<RK7Reference Name="ORDERVOIDS"><Items><Item Ident="3" Code="3" Name="Ошибка официанта" ImplOnCheckUndo="0"/><Item Ident="9" Code="9" Name="Возврат" ImplOnCheckUndo="1"/></Items></RK7Reference>'));
    const items = readRefItems(await client.command("GetRefData", { RefName: "ORDERVOIDS" }));
    expect(items.map((i) => [i.Name, i.ImplOnCheckUndo])).toEqual([
      ["Ошибка официанта", "0"],
      ["Возврат", "1"],
    ]);
  });

  it("escapes attribute values it sends", async () => {
    const { server, client } = await setup();
    server.answers.set("GetRefData", ok());
    await client.command("GetRefData", { RefName: 'A"<&>' });
    expect(server.queries[0]).toContain('RefName="A&quot;&lt;&amp;&gt;"');
  });

  it("says plainly when the login is refused (HTTP 401), without the password", async () => {
    const { client } = await setup(false, { password: "wrong-password" });
    const e = await failure(client.command("GetSystemInfo2"));
    expect(e.status).toBe("HTTP 401");
    expect(e.message).toContain("--rk7-user");
    expect(e.message).not.toContain("wrong-password");
  });

  it("reports an answer that is not XML, and a cash server that is down, as such", async () => {
    const { server, client } = await setup();
    server.answers.set("GetSystemInfo2", "<html>proxy error");
    expect((await failure(client.command("GetSystemInfo2"))).status).toBe("Bad XML");
    const port = new URL(server.url).port;
    await server.stop();
    servers.splice(0);
    const down = new Rk7Client({ url: `http://127.0.0.1:${port}`, user: "u", password: "p", timeoutMs: 2000 });
    clients.push(down);
    const e = await failure(down.command("GetSystemInfo2"));
    expect(e.unreachable).toBe(true);
  });

  it("talks HTTPS to a self-signed RSA-1024 certificate, and refuses a different one when pinned", async () => {
    const { server, client } = await setup(true);
    server.answers.set("GetSystemInfo2", systemInfo(7));
    expect(readSystemInfo(await client.command("GetSystemInfo2")).shiftNum).toBe(7);

    const fp = new X509Certificate(CASH_CERT).fingerprint256;
    const pinned = new Rk7Client({ url: server.url, user: server.user, password: server.password, certSha256: fp });
    clients.push(pinned);
    expect(readSystemInfo(await pinned.command("GetSystemInfo2")).shiftNum).toBe(7);

    const other = createHash("sha256").update("another certificate").digest("hex");
    const wrong = new Rk7Client({ url: server.url, user: server.user, password: server.password, certSha256: other });
    clients.push(wrong);
    const e = await failure(wrong.command("GetSystemInfo2"));
    expect(e.unreachable).toBe(true);
    expect(e.message).toContain("not the pinned one");
    // The credentials never went to the impostor.
    expect(server.queries).toHaveLength(2);
  });
});
