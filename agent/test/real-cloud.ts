/**
 * What the real Worker (bench/lib/worker.ts: `wrangler dev`) holds, read
 * through its admin API — so the agent's integration specs and its benchmark
 * judge the agent by what the cloud actually stored, not by what the agent
 * believes it sent.
 */
export interface StoredRef {
  id: string;
  seq: number | null;
  type: string;
  /** When the cloud stored it (ISO, the cloud's clock). */
  receivedAt: string;
}

export interface AgentView {
  id: string;
  ackSeq: number;
  linked: boolean;
  agentVersion: string | null;
  pos: { kind: string | null; online: boolean | null };
  connection: { state: string };
}

export class AdminApi {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    const res = await fetch(this.url + path, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async agent(restaurantId: string, agentId: string): Promise<AgentView> {
    const r = await this.get<{ agents: AgentView[] }>(`/admin/api/restaurants/${restaurantId}`);
    const a = r.agents.find((x) => x.id === agentId);
    if (!a) throw new Error(`agent ${agentId} not in restaurant ${restaurantId}`);
    return a;
  }

  /** Every journal row the agent sent (newest first from the API; returned oldest first), duplicates included if any. */
  async journal(restaurantId: string, agentId: string): Promise<StoredRef[]> {
    const out: StoredRef[] = [];
    let before: number | null = null;
    for (;;) {
      const q: string = `/admin/api/restaurants/${restaurantId}/journal?limit=500${before === null ? "" : `&before=${before}`}`;
      const page = await this.get<{ events: Array<StoredRef & { source: string }>; next: number | null }>(q);
      for (const e of page.events) if (e.source === agentId) out.push({ id: e.id, seq: e.seq, type: e.type, receivedAt: e.receivedAt });
      if (page.next === null) break;
      before = page.next;
    }
    return out.reverse();
  }
}
