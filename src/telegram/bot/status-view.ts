/**
 * /status: each restaurant the chat sees, one block — connection (online /
 * lost since …), POS up or down, license state. Times in the restaurant's zone.
 */
import type { Language } from "../../domain/chat-settings";
import { escapeHtml, truncate } from "../../domain/format/html";
import { formatDate, formatDateTime } from "../../domain/format/time";
import type { LicenseState } from "../../domain/licensing";
import { botTexts } from "./texts";

export interface RestaurantStatusLine {
  name: string;
  timezone: string;
  /** Null when the restaurant's object could not be asked. */
  live: {
    connection: { state: "never" | "online" | "lost"; since: number | null };
    pos: { online: boolean | null; since: number | null };
  } | null;
  /** The worst license of its cash servers (expired before trial before active); null without servers. */
  license: { state: LicenseState; expiresAt: number } | null;
}

/** Telegram refuses messages over 4,096 characters: a chain with hundreds of restaurants gets the first ones and a count. */
const MAX_CHARS = 3800;

export function renderStatus(lines: RestaurantStatusLine[], lang: Language): string {
  const t = botTexts(lang).status;
  const blocks: string[] = [];
  let used = t.title.length + 10;
  for (const [i, r] of lines.entries()) {
    const block = renderOne(r, lang);
    if (used + block.length > MAX_CHARS) {
      blocks.push(t.more(lines.length - i));
      break;
    }
    used += block.length + 2;
    blocks.push(block);
  }
  return [`<b>${escapeHtml(t.title)}</b>`, ...blocks].join("\n\n");
}

function renderOne(r: RestaurantStatusLine, lang: Language): string {
  const t = botTexts(lang).status;
  const at = (ms: number | null) => (ms === null ? null : formatDateTime(ms, r.timezone, lang));
  const parts = [`<b>${escapeHtml(truncate(r.name, 120))}</b>`];
  if (!r.live) {
    parts.push(t.unavailable);
  } else {
    const c = r.live.connection;
    parts.push(c.state === "online" ? t.online(at(c.since)) : c.state === "lost" ? t.lost(at(c.since)) : t.never);
    const p = r.live.pos;
    parts.push(p.online === null ? t.posUnknown : p.online ? t.posUp : t.posDown(at(p.since)));
  }
  const l = r.license;
  const day = (ms: number) => formatDate(ms, r.timezone, lang);
  parts.push(
    l === null ? t.license.none : l.state === "expired" ? t.license.expired(day(l.expiresAt)) : l.state === "trial" ? t.license.trial(day(l.expiresAt)) : t.license.active(day(l.expiresAt)),
  );
  return parts.join("\n");
}
