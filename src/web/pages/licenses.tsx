/** @jsxImportSource hono/jsx */
/** Licenses: one per agent (= cash server): trial end, plan, paid until, state; admins extend them. */
import { inArray } from "drizzle-orm";
import { database } from "../../db/client";
import { agents } from "../../db/schema";
import { config } from "../../env";
import { ExtendLicense } from "../../protocol/admin";
import { badRequest } from "../../lib/errors";
import type { WebCtx } from "../../routes/web";
import * as provisioning from "../../services/provisioning";
import { actorOf, agentIn } from "../access";
import { t } from "../i18n";
import { CsrfField, fmtTime, Layout, respond } from "../layout";

export async function licensesPage(w: WebCtx) {
  const tr = (s: string) => t(w.lang, s);
  const ids = [...w.scope.ids];
  const rows = ids.length ? await database(w.c.env.DB).select().from(agents).where(inArray(agents.restaurantId, ids)).orderBy(agents.createdAt) : [];
  const { trialDays } = config(w.c.env);
  const now = Date.now();
  const byId = new Map(w.scope.restaurants.map((r) => [r.id, r]));
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Licenses")}>
      <h2>{tr("Licenses")}</h2>
      <table id="licenses">
        <thead>
          <tr>
            <th>{tr("Restaurant")}</th>
            <th>{tr("Agents")}</th>
            <th>{tr("Plan")}</th>
            <th>{tr("Trial ends")}</th>
            <th>{tr("Paid until")}</th>
            <th>{tr("State")}</th>
            {w.user.role === "admin" && <th>{tr("Extend")}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => {
            const r = byId.get(a.restaurantId)!;
            const l = provisioning.licenseView(a, now, trialDays);
            const trialEnd = a.trialStartedAt + trialDays * 86_400_000;
            return (
              <tr data-agent={a.id} data-state={l.state} class={l.state === "expired" ? "prob-new" : undefined}>
                <td>{r.name}</td>
                <td>
                  {a.name} <span class="muted">{a.id}</span>
                  {a.revokedAt ? <span class="pill st-never"> {tr("revoked")}</span> : null}
                </td>
                <td>{tr(l.plan)}</td>
                <td>{fmtTime(trialEnd, r.timezone, w.lang)}</td>
                <td>{fmtTime(l.paidUntil, r.timezone, w.lang)}</td>
                <td>
                  <span class={`pill st-${l.state}`}>{tr(l.state)}</span> <span class="muted">→ {fmtTime(l.expiresAt, r.timezone, w.lang)}</span>
                </td>
                {w.user.role === "admin" && (
                  <td>
                    <form method="post" action={`/admin/agents/${a.id}/license`} class="inline">
                      <CsrfField token={w.user.csrfToken} />
                      <select name="plan">
                        <option value="monthly">{tr("monthly")}</option>
                        <option value="yearly">{tr("yearly")}</option>
                      </select>
                      <input name="periods" type="number" min={1} max={36} value="1" style="width:4em" />
                      <button>{tr("Extend")}</button>
                    </form>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>,
  );
}

export const licensesActions = {
  async extend(w: WebCtx) {
    const a = await agentIn(w.c.env, w.scope, w.c.req.param("id") ?? "");
    const parsed = ExtendLicense.safeParse({ plan: w.form.plan, periods: Number(w.form.periods ?? "1") });
    if (!parsed.success) throw badRequest("choose a plan and 1–36 periods");
    await provisioning.extendLicense(w.c.env, a.id, parsed.data, actorOf(w.scope));
    return w.c.redirect("/admin/licenses", 303);
  },
};
