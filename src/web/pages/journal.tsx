/** @jsxImportSource hono/jsx */
/**
 * The event journal of one restaurant, filtered by type and time, with each
 * alert's deliveries (sent / failed and why): how support answers "why
 * didn't I get the alert?".
 */
import { CATALOGUE } from "../../domain/catalogue";
import { zonedTimeToUtc } from "../../domain/format/time";
import type { WebCtx } from "../../routes/web";
import { journalPage as readJournal } from "../../services/journal";
import { restaurantIn } from "../access";
import { t } from "../i18n";
import { fmtTime, Layout, respond } from "../layout";

/** A `datetime-local` value read as wall-clock time in the restaurant's zone. */
function localToIso(value: string | undefined, tz: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value ?? "");
  if (!m) return undefined;
  const ms = zonedTimeToUtc({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! }, tz);
  return new Date(ms).toISOString();
}

export async function journalPage(w: WebCtx) {
  const tr = (s: string) => t(w.lang, s);
  const q = w.c.req.query();
  const chosen = q.restaurant ? restaurantIn(w.scope, q.restaurant) : w.scope.restaurants.length === 1 ? w.scope.restaurants[0]! : null;
  const type = q.type && q.type in CATALOGUE ? q.type : undefined;
  const page = chosen
    ? await readJournal(w.c.env, chosen.id, {
        type,
        from: localToIso(q.from, chosen.timezone),
        to: localToIso(q.to, chosen.timezone),
        limit: 100,
        before: q.before && /^\d+$/.test(q.before) ? Number(q.before) : undefined,
      })
    : null;
  const nextQuery = (before: number) => {
    const u = new URLSearchParams({ ...q, before: String(before) });
    return `/admin/journal?${u.toString()}`;
  };
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Journal")}>
      <h2>{tr("Journal")}</h2>
      <form method="get" action="/admin/journal" id="journal-filter">
        <select name="restaurant">
          {w.scope.restaurants.map((r) => (
            <option value={r.id} selected={chosen?.id === r.id}>
              {r.name}
            </option>
          ))}
        </select>
        <select name="type">
          <option value="">{tr("Type")}: *</option>
          {Object.keys(CATALOGUE).map((k) => (
            <option value={k} selected={type === k}>
              {k}
            </option>
          ))}
        </select>
        <label>
          {tr("From")} <input type="datetime-local" name="from" value={q.from ?? ""} />
        </label>
        <label>
          {tr("To")} <input type="datetime-local" name="to" value={q.to ?? ""} />
        </label>
        <button>{tr("Filter")}</button>
      </form>
      {!chosen && <p class="muted">{tr("Choose a restaurant.")}</p>}
      {page && page.events.length === 0 && <p class="muted">{tr("No events.")}</p>}
      {page && page.events.length > 0 && (
        <table id="journal">
          <thead>
            <tr>
              <th>{tr("Time")}</th>
              <th>{tr("Event")}</th>
              <th>{tr("Deliveries")}</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((e) => {
              const ev = e.event as { employee?: { name?: string }; order?: { number?: string }; reason?: string; amount?: number };
              return (
                <tr data-event={e.id}>
                  <td>
                    {fmtTime(e.occurredAt, chosen!.timezone, w.lang)}
                    <br />
                    <span class="muted">#{e.seq ?? "—"} · {e.source}</span>
                  </td>
                  <td>
                    <strong>{e.type}</strong>
                    <br />
                    <span class="muted">
                      {[ev.employee?.name, ev.order?.number ? `№${ev.order.number}` : null, ev.reason].filter(Boolean).join(" · ")}
                    </span>
                  </td>
                  <td>
                    {e.alertId === null ? (
                      <span class="muted">{tr("not an alert")}</span>
                    ) : (
                      e.deliveries.map((d) => (
                        <div>
                          <span class={`pill st-${d.status}`}>{d.status}</span> {d.chatTitle ?? d.chatId}
                          {d.error && <span class="err"> {d.error}</span>}
                          <span class="muted"> ×{d.attempts}</span>
                        </div>
                      ))
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {page?.next && (
        <p>
          <a href={nextQuery(page.next)}>→</a>
        </p>
      )}
    </Layout>,
  );
}
