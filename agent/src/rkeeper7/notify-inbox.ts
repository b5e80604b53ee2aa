/**
 * The durable inbox of r_keeper HTTP Order Notify events: each POSTed
 * document is fsynced here (raw, as received) before the receiver answers
 * 200, so an event r_keeper handed over survives a crash of the agent before
 * it was classified. Events are de-duplicated by the `<a guid>` (the driver
 * may deliver one twice); `done(seq)` marks everything up to `seq` as turned
 * into spooled events, and the inbox forgets it.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { Journal } from "../spool/journal";
import { readJsonFile, writeFileAtomic } from "../util/atomic-file";
import { peekGuid } from "./notify-doc";

export interface InboxEntry {
  seq: number;
  guid: string;
  receivedAt: string;
  xml: string;
}

interface InboxState {
  processedSeq: number;
  /** Guids of recently processed events (their records are gone from the journal). */
  recent: string[];
}

const KEEP_GUIDS = 5000;

export class NotifyInbox {
  private guids = new Set<string>();
  private writing = new Map<string, Promise<unknown>>();
  private state: InboxState;

  private constructor(
    private readonly dir: string,
    private readonly journal: Journal,
    state: InboxState,
    pendingGuids: string[],
  ) {
    this.state = state;
    for (const g of [...state.recent, ...pendingGuids]) this.guids.add(g);
  }

  static async open(dir: string): Promise<NotifyInbox> {
    const state = await readJsonFile<InboxState>(path.join(dir, "inbox-state.json"), { processedSeq: 0, recent: [] }).catch(() => ({ processedSeq: 0, recent: [] }));
    const pending: string[] = [];
    const journal = await Journal.open(path.join(dir, "inbox"), {
      minNextSeq: state.processedSeq + 1,
      segmentBytes: 4 * 1024 * 1024,
      onRecordAtOpen: (_seq, payload) => {
        const g = (JSON.parse(payload.toString("utf8")) as { guid?: string }).guid;
        if (g) pending.push(g);
      },
    });
    return new NotifyInbox(dir, journal, state, pending);
  }

  /** The guid an event is de-duplicated by (a hash of the body when it has none). */
  static keyOf(xml: string): string {
    return peekGuid(xml) ?? `sha256:${createHash("sha256").update(xml).digest("hex").slice(0, 32)}`;
  }

  /** Stores one event durably; "duplicate" when its guid was seen before. */
  async add(xml: string, receivedAt = new Date()): Promise<"stored" | "duplicate"> {
    const guid = NotifyInbox.keyOf(xml);
    // A copy arriving while the first is still being written is only a
    // duplicate once the first is durable; if that write failed, store this one.
    for (let w = this.writing.get(guid); w; w = this.writing.get(guid)) {
      if (await w.then(() => true, () => false)) return "duplicate";
    }
    if (this.guids.has(guid)) return "duplicate";
    this.guids.add(guid);
    const write = this.journal.append([Buffer.from(JSON.stringify({ guid, receivedAt: receivedAt.toISOString(), xml }), "utf8")]);
    this.writing.set(guid, write);
    try {
      await write;
    } catch (e) {
      this.guids.delete(guid);
      throw e;
    } finally {
      if (this.writing.get(guid) === write) this.writing.delete(guid);
    }
    return "stored";
  }

  /** Unprocessed entries in arrival order. */
  async read(max = 200): Promise<InboxEntry[]> {
    const records = await this.journal.read(this.state.processedSeq + 1, max, 16 * 1024 * 1024);
    return records.map((r) => ({ seq: r.seq, ...(JSON.parse(r.payload.toString("utf8")) as Omit<InboxEntry, "seq">) }));
  }

  get pending(): number {
    const last = this.journal.lastSeq;
    return last === undefined ? 0 : Math.max(0, last - this.state.processedSeq);
  }

  /** Everything up to `seq` became spooled events: forget it. */
  async done(entries: InboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const seq = entries[entries.length - 1]!.seq;
    if (seq <= this.state.processedSeq) return;
    const recent = [...this.state.recent, ...entries.map((e) => e.guid)];
    this.state = { processedSeq: seq, recent: recent.slice(-KEEP_GUIDS) };
    await writeFileAtomic(path.join(this.dir, "inbox-state.json"), JSON.stringify(this.state));
    await this.journal.dropThrough(seq);
    if (this.guids.size > KEEP_GUIDS * 2) this.guids = new Set([...this.state.recent]);
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}
