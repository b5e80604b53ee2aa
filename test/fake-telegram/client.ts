/**
 * Test-side client of the fake Bot API's control API (test/fake-telegram/server.ts),
 * usable from Worker tests (fetch from workerd) and benchmarks (Node).
 */
import type { Call, Fault } from "./server";

export class FakeTelegramControl {
  constructor(readonly root: string) {}

  private async req<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.root}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`fake telegram ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  calls(chatId?: number): Promise<{ calls: Call[]; rateLimited: number; forced429: number }> {
    return this.req("GET", chatId === undefined ? "/control/calls" : `/control/calls?chat_id=${chatId}`);
  }

  /** Messages the fake accepted for a chat (status 200 sends), in order. */
  async sent(chatId: number): Promise<Call[]> {
    const { calls } = await this.calls(chatId);
    return calls.filter((c) => c.status === 200 && /^send/.test(c.method));
  }

  stats(): Promise<{ calls: number; sent: number; rateLimited: number; forced429: number }> {
    return this.req("GET", "/control/stats");
  }

  faults(chatId: number, faults: Fault[]): Promise<unknown> {
    return this.req("POST", "/control/faults", { chat_id: chatId, faults });
  }

  chatAdmins(chatId: number, userIds: number[]): Promise<unknown> {
    return this.req("POST", "/control/chat-admins", { chat_id: chatId, user_ids: userIds });
  }

  /** Puts a chat on a virtual clock (ms epoch), or back on the real one with `null`. */
  clock(chatId: number, at: number | null): Promise<unknown> {
    return this.req("POST", "/control/clock", { chat_id: chatId, at });
  }

  reset(chatId?: number): Promise<unknown> {
    return this.req("POST", "/control/reset", chatId === undefined ? {} : { chat_id: chatId });
  }
}
