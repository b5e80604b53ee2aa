/** @jsxImportSource hono/jsx */
/** Demo mode: what the bot would have sent (the local Telegram stand-in's record), per chat. */
import { database } from "../../db/client";
import type { WebCtx } from "../../routes/web";
import { listStandinMessages } from "../../telegram/standin/d1-store";
import { t } from "../i18n";
import { fmtTime, Layout, respond } from "../layout";

/** Telegram HTML as plain text (tags dropped, entities decoded); the page escapes it again when rendering. */
export function telegramHtmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

export async function standinPage(w: WebCtx) {
  const tr = (s: string) => t(w.lang, s);
  const chat = w.c.req.query("chat");
  const telegramChatId = chat && /^-?\d+$/.test(chat) ? Number(chat) : undefined;
  const all = await listStandinMessages(database(w.c.env.DB), { telegramChatId, limit: 1000 });
  const messages = all.slice(-200).reverse();
  const chats = [...new Set(all.map((m) => m.telegramChatId))];
  const list = (
    <div>
      {messages.length === 0 && <p class="muted">{tr("No messages.")}</p>}
      {messages.map((m) => {
        const p = m.payload as { text?: unknown; caption?: unknown; reply_markup?: { inline_keyboard?: Array<Array<{ text?: string }>> } };
        const text = typeof p.text === "string" ? p.text : typeof p.caption === "string" ? p.caption : "";
        const buttons = p.reply_markup?.inline_keyboard?.flat().map((b) => b.text ?? "") ?? [];
        return (
          <fieldset data-message={m.id}>
            <legend>
              <a href={`/admin/standin?chat=${m.telegramChatId}`}>{m.telegramChatId}</a> · {m.method} · {fmtTime(m.createdAt, "UTC", w.lang)} UTC
            </legend>
            <pre style="white-space:pre-wrap;margin:0">{telegramHtmlToText(text)}</pre>
            {buttons.length > 0 && <p class="muted">[{buttons.join("] [")}]</p>}
          </fieldset>
        );
      })}
    </div>
  );
  if (w.fragment) return w.c.html(String(await list));
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Stand-in")}>
      <h2>{tr("Stand-in")}</h2>
      <p>
        <a href="/admin/standin">*</a>{" "}
        {chats.map((c) => (
          <a href={`/admin/standin?chat=${c}`}>{c} </a>
        ))}
      </p>
      <div id="standin" data-poll={`/admin/standin${telegramChatId !== undefined ? `?chat=${telegramChatId}` : ""}`} data-every="5000">
        {list}
      </div>
    </Layout>,
  );
}
