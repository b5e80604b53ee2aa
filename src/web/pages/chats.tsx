/** @jsxImportSource hono/jsx */
/** Linked Telegram chats per restaurant and account, their settings at a glance, link codes, unlink. */
import { and, eq, inArray, like, or } from "drizzle-orm";
import { database } from "../../db/client";
import { deleteLink } from "../../db/chats";
import { chatLinks, chats, kv } from "../../db/schema";
import { readChatSettings } from "../../domain/chat-settings";
import type { Env } from "../../env";
import { notFound } from "../../lib/errors";
import type { WebCtx } from "../../routes/web";
import * as provisioning from "../../services/provisioning";
import { accountsOf } from "../../services/users";
import { accountIn, actorOf, restaurantIn } from "../access";
import { t } from "../i18n";
import { CsrfField, fmtTime, Layout, respond } from "../layout";

/** The bot's username when known (TELEGRAM_BOT_INFO, else the getMe answer the bot stored), for t.me links. */
export async function botUsername(env: Env): Promise<string | null> {
  const read = (json: string | null | undefined) => {
    try {
      const u = json ? (JSON.parse(json) as { username?: unknown }).username : null;
      return typeof u === "string" && /^[A-Za-z0-9_]{3,64}$/.test(u) ? u : null;
    } catch {
      return null;
    }
  };
  const fromVar = read(env.TELEGRAM_BOT_INFO);
  if (fromVar) return fromVar;
  const [row] = await database(env.DB).select({ value: kv.value }).from(kv).where(like(kv.key, "telegram.bot_info.%")).limit(1);
  return read(row?.value);
}

async function linkedChats(w: WebCtx) {
  const db = database(w.c.env.DB);
  const ids = [...w.scope.ids];
  const accountIds = (await accountsOf(w.c.env, w.user)).map((a) => a.id);
  if (!ids.length && !accountIds.length) return [];
  const conds = [];
  if (ids.length) conds.push(inArray(chatLinks.restaurantId, ids));
  if (accountIds.length) conds.push(inArray(chatLinks.accountId, accountIds));
  return db
    .select({
      linkId: chatLinks.id,
      restaurantId: chatLinks.restaurantId,
      accountId: chatLinks.accountId,
      linkedAt: chatLinks.createdAt,
      chatId: chats.id,
      title: chats.title,
      type: chats.type,
      telegramChatId: chats.telegramChatId,
      status: chats.status,
      statusReason: chats.statusReason,
      settings: chats.settings,
    })
    .from(chatLinks)
    .innerJoin(chats, eq(chats.id, chatLinks.chatId))
    .where(or(...conds))
    .orderBy(chats.title, chatLinks.createdAt);
}

export async function chatsPage(w: WebCtx, created?: { code: string; expiresAt: string; target: string }) {
  const tr = (s: string) => t(w.lang, s);
  const rows = await linkedChats(w);
  const accounts = await accountsOf(w.c.env, w.user);
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const restaurantName = new Map(w.scope.restaurants.map((r) => [r.id, r.name]));
  const bot = created ? await botUsername(w.c.env) : null;
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Chats")}>
      {created && (
        <fieldset id="link-code">
          <legend>{created.target}</legend>
          <p>
            {tr("Send this in the chat:")} <code class="num" data-copy={`/link ${created.code}`} id="code">{`/link ${created.code}`}</code>{" "}
            <span class="muted">
              ({tr("expires")} {fmtTime(created.expiresAt, "UTC", w.lang)} UTC)
            </span>
          </p>
          {bot && (
            <p>
              <a href={`https://t.me/${bot}?startgroup=${encodeURIComponent(created.code)}`} id="tme-group">
                {tr("Open in Telegram")} (group)
              </a>{" "}
              · <a href={`https://t.me/${bot}?start=${encodeURIComponent(created.code)}`}>{tr("Open in Telegram")}</a>
            </p>
          )}
        </fieldset>
      )}
      <h2>{tr("Chats")}</h2>
      {rows.length === 0 ? (
        <p class="muted">{tr("No chats yet.")}</p>
      ) : (
        <table id="chats">
          <thead>
            <tr>
              <th>{tr("Chat")}</th>
              <th>{tr("Linked to")}</th>
              <th>{tr("Settings")}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const s = readChatSettings(r.settings);
              const overrides = Object.entries(s.notifications);
              return (
                <tr data-chat={r.chatId}>
                  <td>
                    {r.title ?? "—"} <span class="muted">({r.type}, {r.telegramChatId})</span>
                    {r.status !== "active" && <span class="pill st-lost"> {r.statusReason ?? r.status}</span>}
                  </td>
                  <td>
                    {r.restaurantId ? `${tr("Restaurant")}: ${restaurantName.get(r.restaurantId) ?? r.restaurantId}` : `${tr("Account")}: ${accountName.get(r.accountId ?? "") ?? r.accountId}`}
                  </td>
                  <td class="muted">
                    {s.language} · {overrides.length ? overrides.map(([k, v]) => `${k} ${v ? "on" : "off"}`).join(", ") : "defaults"} · service print: {s.servicePrint.mode} · reports: {s.reports.length}
                  </td>
                  <td>
                    <form method="post" action={`/admin/chats/${r.chatId}/links/${r.linkId}/delete`} data-confirm={`${tr("Unlink")}?`}>
                      <CsrfField token={w.user.csrfToken} />
                      <button>{tr("Unlink")}</button>
                    </form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <fieldset>
        <legend>{tr("Create link code")}</legend>
        <form method="post" action="/admin/link-codes" id="create-link-code">
          <CsrfField token={w.user.csrfToken} />
          <select name="target" required>
            {w.scope.restaurants.map((r) => (
              <option value={`restaurant:${r.id}`}>
                {tr("Restaurant")}: {r.name}
              </option>
            ))}
            {accounts.map((a) => (
              <option value={`account:${a.id}`}>
                {tr("Account")}: {a.name}
              </option>
            ))}
          </select>
          <button>{tr("Create link code")}</button>
        </form>
      </fieldset>
    </Layout>,
    created ? 201 : 200,
  );
}

export const chatsActions = {
  async createCode(w: WebCtx) {
    const [kind, id] = (w.form.target ?? "").split(":");
    let input: { restaurantId: string } | { accountId: string };
    let target: string;
    if (kind === "restaurant") {
      const r = restaurantIn(w.scope, id);
      input = { restaurantId: r.id };
      target = r.name;
    } else if (kind === "account") {
      const accountId = accountIn(w.scope, id);
      input = { accountId };
      target = (await accountsOf(w.c.env, w.user)).find((a) => a.id === accountId)?.name ?? "";
    } else throw notFound("target");
    const code = await provisioning.createLinkCode(w.c.env, input, actorOf(w.scope));
    return chatsPage(w, { code: code.code, expiresAt: code.expiresAt, target });
  },
  async unlink(w: WebCtx) {
    const chatId = w.c.req.param("chatId") ?? "";
    const linkId = w.c.req.param("linkId") ?? "";
    const db = database(w.c.env.DB);
    const [link] = await db.select().from(chatLinks).where(and(eq(chatLinks.id, linkId), eq(chatLinks.chatId, chatId)));
    const accountIds = new Set((await accountsOf(w.c.env, w.user)).map((a) => a.id));
    const visible = link && (link.restaurantId ? w.scope.ids.has(link.restaurantId) : accountIds.has(link.accountId ?? ""));
    if (!visible) throw notFound("link");
    await deleteLink(db, chatId, linkId, actorOf(w.scope));
    return w.c.redirect("/admin/chats", 303);
  },
};
