/** @jsxImportSource hono/jsx */
/**
 * Demo mode: the local Telegram stand-in. The feed of what the bot would have
 * sent, and per chat a conversation you can use: write as the chat's user
 * (`/report`, `/status`, `/settings`, `/link CODE`, …) and tap the bot's
 * buttons. Writing and tapping hand the bot the same updates Telegram would;
 * only without TELEGRAM_BOT_TOKEN (with a real bot, use real Telegram).
 */
import { z } from "zod";
import { database } from "../../db/client";
import { badRequest } from "../../lib/errors";
import type { WebCtx } from "../../routes/web";
import { getBot } from "../../telegram/bot";
import { callbackUpdate, conversation, messageUpdate, USER_MESSAGE, type ConversationMessage } from "../../telegram/standin/conversation";
import { d1StandinStore, listStandinMessages, standinChats } from "../../telegram/standin/d1-store";
import { usesStandin } from "../../telegram/transport";
import { t } from "../i18n";
import { CsrfField, fmtTime, Layout, Message, respond } from "../layout";

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

const ChatId = z.coerce.number().int().refine((n) => n !== 0 && Number.isSafeInteger(n), "not a Telegram chat id");
const Say = z.object({ chat: ChatId, text: z.string().trim().min(1).max(4096) });
const Tap = z.object({ chat: ChatId, message: z.coerce.number().int().positive(), data: z.string().min(1).max(64) });

/** The chat the page is about (`?chat=`), if any. */
function chosenChat(w: WebCtx): number | undefined {
  const chat = w.c.req.query("chat");
  return chat && /^-?\d{1,16}$/.test(chat) && Number(chat) !== 0 ? Number(chat) : undefined;
}

export async function standinPage(w: WebCtx) {
  const tr = (s: string) => t(w.lang, s);
  const telegramChatId = chosenChat(w);
  const db = database(w.c.env.DB);
  const live =
    telegramChatId === undefined
      ? await feed(w)
      : await chatView(w, telegramChatId, conversation(await listStandinMessages(db, { telegramChatId, limit: 1000, newest: true })).slice(-100));
  // A poll (every 3 s) asks for the live part only.
  if (w.fragment) return w.c.html(String(await live));
  const chats = await standinChats(db);
  const on = usesStandin(w.c.env);
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Stand-in")}>
      <h2>{tr("Stand-in")}</h2>
      {!on && <p class="muted">{tr("The stand-in is off: the Worker has a TELEGRAM_BOT_TOKEN, so use your real Telegram chat.")}</p>}
      <p>
        <a href="/admin/standin">{tr("All chats")}</a>
        {chats.map((c) => (
          <>
            {" · "}
            <a href={`/admin/standin?chat=${c}`}>{c === telegramChatId ? <b>{c}</b> : c}</a>
          </>
        ))}
      </p>
      {on && telegramChatId === undefined && (
        <form method="get" action="/admin/standin" id="open-chat">
          <label>
            {tr("Telegram chat id (negative for a group)")} <input name="chat" required pattern="-?[0-9]{1,16}" inputmode="numeric" />
          </label>{" "}
          <button>{tr("Open a chat")}</button>
        </form>
      )}
      <div id="standin" data-poll={`/admin/standin${telegramChatId !== undefined ? `?chat=${telegramChatId}` : ""}`} data-every="3000">
        {live}
      </div>
      {on && telegramChatId !== undefined && (
        <form method="post" action="/admin/standin/say" id="say">
          <CsrfField token={w.user.csrfToken} />
          <input type="hidden" name="chat" value={String(telegramChatId)} />
          <p class="muted">{tr("Write in this chat as its user: a command (/report, /status, /settings, /link CODE) or any text.")}</p>
          <input name="text" required maxlength={4096} autocomplete="off" autofocus style="width:70%" placeholder="/report" />{" "}
          <button>{tr("Send")}</button>
        </form>
      )}
    </Layout>,
  );
}

/** Every chat, newest first: what support looks at. */
async function feed(w: WebCtx) {
  const tr = (s: string) => t(w.lang, s);
  const all = await listStandinMessages(database(w.c.env.DB), { limit: 300, newest: true });
  const messages = all.filter((m) => m.method !== USER_MESSAGE).slice(-200).reverse();
  return (
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
}

/** One chat as a conversation, oldest first, its buttons tappable. */
async function chatView(w: WebCtx, telegramChatId: number, messages: ConversationMessage[]) {
  const tr = (s: string) => t(w.lang, s);
  const on = usesStandin(w.c.env);
  return (
    <div>
      {messages.length === 0 && <p class="muted">{tr("No messages.")}</p>}
      {messages.map((m) => (
        <fieldset data-message-id={m.messageId} data-from={m.from} style={m.from === "user" ? "margin-left:20%" : "margin-right:20%"}>
          <legend>
            {m.from === "user" ? tr("You") : tr("Bot")} · #{m.messageId} · {fmtTime(m.at, "UTC", w.lang)} UTC{m.edited ? ` · ${tr("edited")}` : ""}
          </legend>
          {m.photo && <p class="muted">{tr("[photo]")}</p>}
          <pre style="white-space:pre-wrap;margin:0">{m.from === "user" ? m.text : telegramHtmlToText(m.text)}</pre>
          {m.buttons.map((row) => (
            <div>
              {row.map((b) =>
                b.data && on ? (
                  <form method="post" action="/admin/standin/tap" style="display:inline">
                    <CsrfField token={w.user.csrfToken} />
                    <input type="hidden" name="chat" value={String(telegramChatId)} />
                    <input type="hidden" name="message" value={String(m.messageId)} />
                    <input type="hidden" name="data" value={b.data} />
                    <button>{b.text}</button>
                  </form>
                ) : b.url ? (
                  <a href={b.url} rel="noreferrer noopener">
                    [{b.text}]
                  </a>
                ) : (
                  <span class="muted">[{b.text}] </span>
                ),
              )}
            </div>
          ))}
        </fieldset>
      ))}
    </div>
  );
}

function refused(w: WebCtx) {
  return respond(
    w.c,
    Message({ lang: w.lang, ctx: w, title: "409", text: t(w.lang, "The stand-in is off: the Worker has a TELEGRAM_BOT_TOKEN, so use your real Telegram chat.") }),
    409,
  );
}

export const standinActions = {
  /** A person writes in the chat: recorded like a message (it takes the chat's next id), then handed to the bot. */
  async say(w: WebCtx) {
    if (!usesStandin(w.c.env)) return refused(w);
    const form = Say.safeParse(w.form);
    if (!form.success) throw badRequest(form.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const { chat, text } = form.data;
    const messageId = await d1StandinStore(w.c.env.DB).record({ telegramChatId: chat, method: USER_MESSAGE, payload: { chat_id: chat, text } });
    const bot = await getBot(w.c.env);
    await bot.handleUpdate(messageUpdate(chat, messageId, text, w.lang, Date.now()) as Parameters<typeof bot.handleUpdate>[0]);
    return w.c.redirect(`/admin/standin?chat=${chat}`, 303);
  },

  /** A person taps an inline button of one of the bot's messages in the chat. */
  async tap(w: WebCtx) {
    if (!usesStandin(w.c.env)) return refused(w);
    const form = Tap.safeParse(w.form);
    if (!form.success) throw badRequest(form.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const { chat, message, data } = form.data;
    const current = conversation(await listStandinMessages(database(w.c.env.DB), { telegramChatId: chat, limit: 1000, newest: true })).find((m) => m.messageId === message);
    const bot = await getBot(w.c.env);
    await bot.handleUpdate(callbackUpdate(chat, message, current?.text ?? "", data, w.lang, Date.now()) as Parameters<typeof bot.handleUpdate>[0]);
    return w.c.redirect(`/admin/standin?chat=${chat}`, 303);
  },
};
