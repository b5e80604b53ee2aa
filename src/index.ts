import { DurableObject } from "cloudflare:workers";
export interface Env { DB: D1Database; RESTAURANT: DurableObjectNamespace<RestaurantObject>; ORDER: DurableObjectNamespace; CHAT: DurableObjectNamespace; }
export class RestaurantObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT)");
  }
  async hello(n: number) { this.ctx.storage.sql.exec("INSERT OR REPLACE INTO kv VALUES ('n', ?)", String(n)); await this.ctx.storage.setAlarm(Date.now() + 100000); return n + 1; }
  override async fetch(req: Request) { const pair = new WebSocketPair(); this.ctx.acceptWebSocket(pair[1]); return new Response(null, { status: 101, webSocket: pair[0] }); }
  override async webSocketMessage(ws: WebSocket, m: string | ArrayBuffer) { ws.send("echo:" + m); }
  override async alarm() { this.ctx.storage.sql.exec("INSERT OR REPLACE INTO kv VALUES ('alarm', 'yes')"); }
}
export class OrderObject extends DurableObject<Env> {}
export class ChatObject extends DurableObject<Env> {}
export default { async fetch(req: Request, env: Env) {
  const u = new URL(req.url);
  if (u.pathname === "/ws") return env.RESTAURANT.getByName("r1").fetch(req);
  const r = await env.DB.prepare("select count(*) as c from probe").first();
  return Response.json({ ok: true, r, f: await env.RESTAURANT.getByName("x").hello(1) });
} } satisfies ExportedHandler<Env>;
