/** @jsxImportSource hono/jsx */
/**
 * Restaurants with their live connection (from each restaurant's object),
 * agents with version and license; add a restaurant, an agent (the key is
 * shown once, with the line to paste), rotate or revoke a key.
 */
import type { WebCtx } from "../../routes/web";
import { accountsOf } from "../../services/users";
import * as provisioning from "../../services/provisioning";
import { CreateAgent, CreateRestaurant } from "../../protocol/admin";
import { badRequest, zodIssues } from "../../lib/errors";
import { accountIn, actorOf, agentIn, restaurantIn } from "../access";
import { t, type Lang } from "../i18n";
import { CsrfField, fmtTime, Layout, respond } from "../layout";

type View = provisioning.RestaurantView;

/** Live views of the visible restaurants (one object call each, in parallel; the first 200). */
async function liveViews(w: WebCtx): Promise<View[]> {
  return Promise.all(w.scope.restaurants.slice(0, 200).map((r) => provisioning.restaurantView(w.c.env, r.id)));
}

function Connection(p: { lang: Lang; state: "online" | "lost" | "never"; since: string | null; tz: string }) {
  return (
    <span>
      <span class={`pill st-${p.state}`} data-state={p.state}>
        {t(p.lang, p.state)}
      </span>
      {p.since && p.state !== "never" && (
        <span class="muted">
          {" "}
          {t(p.lang, "since")} {fmtTime(p.since, p.tz, p.lang)}
        </span>
      )}
    </span>
  );
}

export function RestaurantTable(p: { lang: Lang; views: View[]; csrf: string; canManage: boolean }) {
  const tr = (s: string) => t(p.lang, s);
  if (p.views.length === 0) return <p class="muted">—</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>{tr("Restaurant")}</th>
          <th>{tr("Connection")}</th>
          <th>{tr("POS")}</th>
          <th>{tr("Last event")}</th>
          <th>{tr("Agents")}</th>
        </tr>
      </thead>
      <tbody>
        {p.views.map((v) => (
          <tr id={`r-${v.id}`} data-restaurant={v.id}>
            <td>
              <strong>{v.name}</strong>
              <br />
              <span class="muted">
                {v.city ?? ""} {v.timezone} · {v.id}
              </span>
            </td>
            <td class="conn">
              <Connection lang={p.lang} state={v.connection.state} since={v.connection.since} tz={v.timezone} />
            </td>
            <td>
              {v.pos.online === null ? "—" : <span class={`pill st-${v.pos.online ? "online" : "lost"}`}>{tr(v.pos.online ? "up" : "down")}</span>}
            </td>
            <td>{fmtTime(v.lastEventAt, v.timezone, p.lang)}</td>
            <td>
              {v.agents.map((a) => (
                <div data-agent={a.id}>
                  {a.name} <span class="muted">{a.id}</span>{" "}
                  {a.revoked ? (
                    <span class="pill st-never">{tr("revoked")}</span>
                  ) : (
                    <Connection lang={p.lang} state={a.connection.state} since={a.connection.since} tz={v.timezone} />
                  )}{" "}
                  {!a.revoked && a.license.state === "expired" && <span class="pill st-expired">{tr("Licenses")}: {tr("expired")}</span>}{" "}
                  <span class="muted">
                    {tr("Agent version")}: {a.agentVersion ?? "—"}
                    {a.pos.kind ? ` · ${a.pos.kind}` : ""}
                  </span>
                  {p.canManage && !a.revoked && (
                    <span>
                      {" "}
                      <form method="post" action={`/admin/agents/${a.id}/rotate`} class="inline" data-confirm={`${tr("Rotate key")}?`}>
                        <CsrfField token={p.csrf} />
                        <button>{tr("Rotate key")}</button>
                      </form>
                      <form method="post" action={`/admin/agents/${a.id}/revoke`} class="inline" data-confirm={`${tr("Revoke")}?`}>
                        <CsrfField token={p.csrf} />
                        <button>{tr("Revoke")}</button>
                      </form>
                    </span>
                  )}
                </div>
              ))}
              {p.canManage && (
                <form method="post" action={`/admin/restaurants/${v.id}/agents`} class="add-agent">
                  <CsrfField token={p.csrf} />
                  <input name="name" required maxlength={200} placeholder={tr("Name")} />
                  <button>{tr("Add agent")}</button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The one moment the key exists outside the agent: the exact command line to paste. */
export function agentCommand(baseUrl: string, agentId: string, agentKey: string): string {
  return `npm run agent -- --url ${baseUrl} --agent-id ${agentId} --agent-key ${agentKey} --source simulator`;
}

async function render(w: WebCtx, extra?: { key?: { agentId: string; agentKey: string }; error?: string }, status = 200) {
  const views = await liveViews(w);
  const tr = (s: string) => t(w.lang, s);
  if (w.fragment) return w.c.html(String(await RestaurantTable({ lang: w.lang, views, csrf: w.user.csrfToken, canManage: w.scope.canManage })));
  const accounts = await accountsOf(w.c.env, w.user);
  const base = (w.c.env.PUBLIC_URL || new URL(w.c.req.url).origin).replace(/\/+$/, "");
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Restaurants")}>
      {extra?.error && <p class="err">{extra.error}</p>}
      {extra?.key && (
        <fieldset id="new-key">
          <legend>{extra.key.agentId}</legend>
          <p>{tr("The agent key is shown only now. Copy the line below to the cash server:")}</p>
          <pre class="key" id="agent-command" data-copy={agentCommand(base, extra.key.agentId, extra.key.agentKey)}>
            {agentCommand(base, extra.key.agentId, extra.key.agentKey)}
          </pre>
          <p class="muted">{tr("For r_keeper 7 replace --source simulator with --source rkeeper7 and add --rk7-url, --rk7-user, --rk7-password.")}</p>
        </fieldset>
      )}
      <h2>{tr("Restaurants")}</h2>
      <div id="restaurants" data-poll="/admin/restaurants" data-every="3000">
        <RestaurantTable lang={w.lang} views={views} csrf={w.user.csrfToken} canManage={w.scope.canManage} />
      </div>
      {accounts.length > 0 && (
        <fieldset>
          <legend>{tr("Add restaurant")}</legend>
          <form method="post" action="/admin/restaurants" id="add-restaurant">
            <CsrfField token={w.user.csrfToken} />
            <select name="accountId" required>
              {accounts.map((a) => (
                <option value={a.id}>{a.name}</option>
              ))}
            </select>
            <input name="name" required maxlength={200} placeholder={tr("Name")} />
            <input name="timezone" required value="Europe/Moscow" placeholder={tr("Time zone")} />
            <input name="city" maxlength={8} placeholder={tr("City")} size={5} />
            <input name="cityColor" type="color" value="#3b6fb6" title={tr("City")} />
            <button>{tr("Add restaurant")}</button>
          </form>
        </fieldset>
      )}
      {w.user.role === "admin" && (
        <fieldset>
          <legend>{tr("Add account")}</legend>
          <form method="post" action="/admin/accounts" id="add-account">
            <CsrfField token={w.user.csrfToken} />
            <input name="name" required maxlength={200} placeholder={tr("Name")} />
            <button>{tr("Add account")}</button>
          </form>
        </fieldset>
      )}
    </Layout>,
    status,
  );
}

export const restaurantsPage = (w: WebCtx) => render(w);

function parse<S extends { safeParse(v: unknown): any }>(schema: S, value: unknown) {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(r.error.issues.map((i: { path: unknown[]; message: string }) => `${i.path.join(".")}: ${i.message}`).join("; "), zodIssues(r.error));
  return r.data;
}

export const restaurantsActions = {
  async createAccount(w: WebCtx) {
    await provisioning.createAccount(w.c.env, { name: (w.form.name ?? "").trim().slice(0, 200) || "—" }, actorOf(w.scope));
    return w.c.redirect("/admin/restaurants", 303);
  },
  async createRestaurant(w: WebCtx) {
    const accountId = accountIn(w.scope, w.form.accountId);
    const input = parse(CreateRestaurant, {
      accountId,
      name: w.form.name,
      timezone: (w.form.timezone ?? "").trim(),
      ...(w.form.city?.trim() ? { city: w.form.city.trim() } : {}),
      ...(w.form.cityColor ? { cityColor: w.form.cityColor } : {}),
    });
    await provisioning.createRestaurant(w.c.env, input, actorOf(w.scope));
    return w.c.redirect("/admin/restaurants", 303);
  },
  async createAgent(w: WebCtx) {
    const r = restaurantIn(w.scope, w.c.req.param("id"));
    const input = parse(CreateAgent, { name: w.form.name });
    const key = await provisioning.createAgent(w.c.env, r.id, input, actorOf(w.scope));
    return render(w, { key }, 201);
  },
  async rotateKey(w: WebCtx) {
    const a = await agentIn(w.c.env, w.scope, w.c.req.param("id") ?? "");
    const key = await provisioning.rotateAgentKey(w.c.env, a.id, actorOf(w.scope));
    return render(w, { key });
  },
  async revoke(w: WebCtx) {
    const a = await agentIn(w.c.env, w.scope, w.c.req.param("id") ?? "");
    await provisioning.revokeAgent(w.c.env, a.id, actorOf(w.scope));
    return w.c.redirect("/admin/restaurants", 303);
  },
};
