/** @jsxImportSource hono/jsx */
/**
 * The monitoring panel (../shared/seeds/order-card-uk.txt): current orders as
 * cards — city marker, operator, source and payment icons, number (click
 * copies a link, double click the number), POS button coloured by export
 * state (log, retry), delivery type, courier, restaurant, problems icon
 * coloured by the derived indicator (list, create, move through states),
 * comment; expanded: client, address, items, promotions, cashback, payments,
 * wishes, history. Tab "Problems" lists open problems, new ones highlighted.
 * The list refreshes by polling (src/web/assets.ts).
 */
import type { Child } from "hono/jsx";
import { CULPRITS, PROBLEM_ACTIONS } from "../../protocol/orders";
import { badRequest, notFound } from "../../lib/errors";
import type { WebCtx } from "../../routes/web";
import * as orders from "../../services/orders";
import type { OrderCard, Problem } from "../../services/orders";
import type { Scope } from "../../services/users";
import { actorOf } from "../access";
import { t, type Lang } from "../i18n";
import { CsrfField, fmtMoney, fmtTime, Layout, respond } from "../layout";

/** Cards read per refresh: each is one call to its order's object. */
const MAX_CARDS = 60;

// Icons are short text badges: they render the same on every device (no emoji font needed) and weigh nothing.
const SOURCE_ICON: Record<string, string> = { site: "WEB", ios: "iOS", android: "AND", call_center: "CALL", pos: "POS" };
const PAYMENT_ICON: Record<string, string> = { cash: "CASH", terminal: "TERM", online: "CARD", cashback: "CB" };
const DELIVERY_ICON: Record<string, string> = { home: "HOME", door: "DOOR", pickup: "PICK", table_booking: "BOOK", to_table: "TABLE", to_room: "ROOM" };
const Ico = (p: { text: string | undefined; title: string }) => (
  <span class="ico" title={p.title}>
    {p.text ?? p.title}
  </span>
);

type Rest = Scope["restaurants"][number];

async function currentCards(w: WebCtx): Promise<OrderCard[]> {
  const list = await orders.listCurrentOrders(w.c.env, [...w.scope.ids]);
  const cards = await Promise.all(list.slice(0, MAX_CARDS).map((o) => orders.getOrderCard(w.c.env, o.id)));
  return cards.filter((c): c is OrderCard => c !== null && w.scope.ids.has(c.data.restaurantId));
}

/** Problem actions allowed from a state (the order object refuses the rest with 409 anyway). */
const ACTIONS_FROM: Record<Problem["state"], (typeof PROBLEM_ACTIONS)[number][]> = {
  new: ["take", "resolve", "reject"],
  in_progress: ["resolve", "reject"],
  resolved: ["reopen"],
  rejected: ["reopen"],
};

function ProblemItem(p: { lang: Lang; card: OrderCard; problem: Problem; csrf: string; back: string; tz: string }) {
  const tr = (s: string) => t(p.lang, s);
  const pr = p.problem;
  return (
    <div class={pr.state === "new" ? "prob-new problem" : "problem"} data-problem={pr.id} data-state={pr.state}>
      <span class={`pill st-${pr.state}`}>{tr(pr.state)}</span> <strong>{tr(pr.culprit)}</strong>: {pr.description}
      {pr.resolution && <div class="ok">✓ {pr.resolution}</div>}
      <div class="muted">
        {fmtTime(pr.createdAt, p.tz, p.lang)} · {actorName(pr.createdBy)}
        {pr.updatedAt !== pr.createdAt && ` → ${fmtTime(pr.updatedAt, p.tz, p.lang)} · ${actorName(pr.updatedBy)}`}
      </div>
      {ACTIONS_FROM[pr.state].map((a) => (
        <form method="post" action={`/admin/orders/${p.card.id}/problems/${pr.id}`} class="inline">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="action" value={a} />
          <input type="hidden" name="back" value={p.back} />
          {a === "resolve" && <input name="resolution" required placeholder={tr("Resolution")} maxlength={2000} size={14} />}
          <button data-action={a}>{tr(a)}</button>
        </form>
      ))}
    </div>
  );
}

/** "user:usr_x:ann@example.com" → "ann@example.com"; other actors as they are. */
function actorName(actor: string): string {
  const parts = actor.split(":");
  return parts.length >= 3 ? parts.slice(2).join(":") : actor;
}

function Card(p: { lang: Lang; card: OrderCard; rest: Rest | undefined; csrf: string; base: string }) {
  const tr = (s: string) => t(p.lang, s);
  const { card } = p;
  const d = card.data;
  const tz = p.rest?.timezone ?? "UTC";
  const money = (n: number | null) => fmtMoney(n, d.currency, p.lang);
  const back = `/admin/monitor#o-${card.id}`;
  const link = `${p.base}/admin/monitor#o-${card.id}`;
  const open = card.problems.filter((x) => x.state === "new" || x.state === "in_progress").length;
  const section = (title: string, body: Child) => (
    <section>
      <h4>{tr(title)}</h4>
      {body}
    </section>
  );
  return (
    <div class="card" id={`o-${card.id}`} data-order={card.id} data-indicator={card.problemIndicator} data-pos={card.posExport.state} style={`border-left-color:${p.rest?.cityColor ?? "#999"}`}>
      <div class="head">
        <a class="city" href={`#b-${card.id}`} data-toggle={`b-${card.id}`} style={`background:${p.rest?.cityColor ?? "#777"}`} title={p.rest?.name}>
          {p.rest?.city ?? "—"}
        </a>
        <span title={tr("operator")}>@{d.operator ?? "—"}</span>
        <Ico text={SOURCE_ICON[d.source]} title={d.source} />
        {d.paymentMethod && <Ico text={PAYMENT_ICON[d.paymentMethod]} title={d.paymentMethod} />}
        <span class="num" data-copy={`${d.number} #${d.operator ?? ""} ${link}`} data-copy2={d.number} title="copy">
          {d.number}
        </span>
        <details class="pop" id={`pos-${card.id}`}>
          <summary>
            <span class={`pill st-${card.posExportColour}`} data-role="pos">
              POS
            </span>
          </summary>
          <div>
            <h4>{tr("POS export log")}</h4>
            <p>
              <span class={`pill st-${card.posExport.state}`}>{card.posExport.state}</span> {card.posExport.posOrderId ?? ""}{" "}
              {card.posExport.reason && <span class="err">{card.posExport.reason}</span>}
            </p>
            <pre style="white-space:pre-wrap;max-height:12em;overflow:auto">{card.posExport.log.join("\n") || "—"}</pre>
            {card.posExport.state !== "created" && (
              <form method="post" action={`/admin/orders/${card.id}/export`}>
                <CsrfField token={p.csrf} />
                <input type="hidden" name="back" value={back} />
                <button>{tr("Send to POS")}</button>
              </form>
            )}
          </div>
        </details>
        <Ico text={DELIVERY_ICON[d.delivery.type]} title={tr(d.delivery.type)} />
        {d.delivery.courier && (
          <span>
            {tr("Courier")}: {d.delivery.courier.phone ? <a href={`tel:${d.delivery.courier.phone}`}>{d.delivery.courier.name}</a> : d.delivery.courier.name}
          </span>
        )}
        <span title={p.rest?.timezone}>{p.rest?.name ?? d.restaurantId}</span>
        <details class="pop" id={`p-${card.id}`}>
          <summary>
            <span class={`pill st-${card.problemIndicator}`} data-role="problems">
              ! {open}/{card.problems.length}
            </span>
          </summary>
          <div>
            <h4>{tr("Problems")}</h4>
            {card.problems.map((pr) => (
              <ProblemItem lang={p.lang} card={card} problem={pr} csrf={p.csrf} back={back} tz={tz} />
            ))}
            <form method="post" action={`/admin/orders/${card.id}/problems`} class="new-problem">
              <CsrfField token={p.csrf} />
              <input type="hidden" name="back" value={back} />
              <select name="culprit" required>
                {CULPRITS.map((c) => (
                  <option value={c}>{tr(c)}</option>
                ))}
              </select>
              <br />
              <textarea name="description" required maxlength={2000} rows={2} cols={36} placeholder={tr("Description")} />
              <br />
              <button>{tr("Create problem")}</button>
            </form>
          </div>
        </details>
        <span class="muted">{tr(d.status)}</span>
        <strong>{money(d.total)}</strong>
        {d.needsCall && <span class="pill st-red">{tr("Needs a call")}</span>}
        {d.operatorComment && <span class="muted">« {d.operatorComment} »</span>}
      </div>
      <details id={`b-${card.id}`}>
        <summary class="muted">{d.client.name ?? ""}</summary>
        <div class="body">
          {section(
            "Client",
            <div>
              {d.client.name ?? "—"} {d.client.phone && <a href={`tel:${d.client.phone}`}>{d.client.phone}</a>} {d.client.language ?? ""}
              {d.client.note && (
                <div>
                  <em>{tr("Note")}:</em> {d.client.note}
                </div>
              )}
            </div>,
          )}
          {section(
            "Address",
            <div>
              {tr(d.delivery.type)}: {d.delivery.address ?? ""}
              {d.delivery.note && <div class="muted">{d.delivery.note}</div>}
              {d.delivery.courier && (
                <div>
                  {tr("Courier")}: {d.delivery.courier.name} {d.delivery.courier.phone && <a href={`tel:${d.delivery.courier.phone}`}>{d.delivery.courier.phone}</a>}
                </div>
              )}
              {d.delivery.price !== null && <div>{money(d.delivery.price)}</div>}
            </div>,
          )}
          {section(
            "Items",
            <div>
              {d.items.map((i) => (
                <div>
                  {i.quantity} × {i.name}{" "}
                  {i.discountedPrice !== undefined && i.discountedPrice !== i.price ? (
                    <span>
                      <s>{money(i.price)}</s> {money(i.discountedPrice)}
                    </span>
                  ) : (
                    money(i.price)
                  )}
                </div>
              ))}
              {d.cutlery !== null && (
                <div class="muted">
                  {tr("Cutlery")}: {d.cutlery}
                </div>
              )}
              <div>
                <strong>
                  {tr("Total")}: {money(d.total)}
                </strong>
              </div>
            </div>,
          )}
          {(d.promotions.length > 0 || d.promoCodes.length > 0) && section("Promotions", <div>{[...d.promotions, ...d.promoCodes].join(", ")}</div>)}
          {(d.cashback.spent > 0 || d.cashback.accrued > 0) &&
            section(
              "Cashback",
              <div>
                {tr("spent")} {money(d.cashback.spent)} · {tr("accrued")} {money(d.cashback.accrued)}
              </div>,
            )}
          {section(
            "Payments",
            <div>
              {card.payments.length === 0 && "—"}
              {card.payments.map((pay) => (
                <div>
                  <Ico text={PAYMENT_ICON[pay.method]} title={pay.method} /> {pay.kind !== "payment" ? pay.kind : ""} {money(pay.amount)} <span class={`pill st-${pay.state}`}>{pay.state}</span>
                </div>
              ))}
            </div>,
          )}
          {d.wishes && section("Wishes", <div>{d.wishes}</div>)}
          {d.operatorComment && section("Comment", <div>{d.operatorComment}</div>)}
          {section(
            "History",
            <div style="max-height:14em;overflow:auto">
              {card.history
                .slice()
                .reverse()
                .map((h) => (
                  <div>
                    <span class="muted">{fmtTime(h.at, tz, p.lang)}</span> {actorName(h.actor)}: {h.action}{" "}
                    <span class="muted">{JSON.stringify(h.changes).slice(0, 200)}</span>
                  </div>
                ))}
            </div>,
          )}
        </div>
      </details>
    </div>
  );
}

function ProblemsTab(p: { lang: Lang; cards: OrderCard[]; rests: Map<string, Rest>; csrf: string }) {
  const rows = p.cards.flatMap((card) => card.problems.filter((x) => x.state === "new" || x.state === "in_progress").map((problem) => ({ card, problem })));
  rows.sort((a, b) => (a.problem.state === b.problem.state ? b.problem.createdAt - a.problem.createdAt : a.problem.state === "new" ? -1 : 1));
  if (rows.length === 0) return <p class="muted">{t(p.lang, "No open problems.")}</p>;
  return (
    <table id="problems">
      <tbody>
        {rows.map(({ card, problem }) => {
          const rest = p.rests.get(card.data.restaurantId);
          return (
            <tr class={problem.state === "new" ? "prob-new" : undefined}>
              <td>
                <a href={`/admin/monitor#o-${card.id}`}>{card.data.number}</a>
                <br />
                <span class="muted">{rest?.name}</span>
              </td>
              <td>
                <ProblemItem lang={p.lang} card={card} problem={problem} csrf={p.csrf} back="/admin/monitor?tab=problems" tz={rest?.timezone ?? "UTC"} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export async function monitorPage(w: WebCtx) {
  const tr = (s: string) => t(w.lang, s);
  const tab = w.c.req.query("tab") === "problems" ? "problems" : "orders";
  const cards = await currentCards(w);
  const rests = new Map(w.scope.restaurants.map((r) => [r.id, r]));
  const base = (w.c.env.PUBLIC_URL || new URL(w.c.req.url).origin).replace(/\/+$/, "");
  const csrf = w.user.csrfToken;
  const live =
    tab === "problems" ? (
      <ProblemsTab lang={w.lang} cards={cards} rests={rests} csrf={csrf} />
    ) : cards.length === 0 ? (
      <p class="muted">{tr("No current orders.")}</p>
    ) : (
      <div>
        {cards.map((card) => (
          <Card lang={w.lang} card={card} rest={rests.get(card.data.restaurantId)} csrf={csrf} base={base} />
        ))}
      </div>
    );
  if (w.fragment) return w.c.html(String(await live));
  const openCount = cards.reduce((n, c) => n + c.problems.filter((x) => x.state === "new").length, 0);
  return respond(
    w.c,
    <Layout ctx={w} lang={w.lang} title={tr("Monitoring")}>
      <p>
        <a href="/admin/monitor" class={tab === "orders" ? "pill st-online" : undefined} id="tab-orders">
          {tr("Orders")} ({cards.length})
        </a>{" "}
        <a href="/admin/monitor?tab=problems" class={tab === "problems" ? "pill st-online" : undefined} id="tab-problems">
          {tr("Problems")} {openCount > 0 && <span class="pill st-new">{openCount}</span>}
        </a>
      </p>
      <div id="live" data-poll={`/admin/monitor${tab === "problems" ? "?tab=problems" : ""}`} data-every="4000">
        {live}
      </div>
    </Layout>,
  );
}

/** The card, when it exists and belongs to a restaurant the user sees; else 404. */
async function visibleCard(w: WebCtx): Promise<OrderCard> {
  const card = await orders.getOrderCard(w.c.env, w.c.req.param("id") ?? "");
  if (!card || !w.scope.ids.has(card.data.restaurantId)) throw notFound("order");
  return card;
}

const backTo = (w: WebCtx) => (w.form.back && /^\/admin\/monitor(\?tab=problems)?(#o-[A-Za-z0-9_]+)?$/.test(w.form.back) ? w.form.back : "/admin/monitor");

export const monitorActions = {
  async createProblem(w: WebCtx) {
    const card = await visibleCard(w);
    const culprit = w.form.culprit as (typeof CULPRITS)[number];
    const description = (w.form.description ?? "").trim();
    if (!CULPRITS.includes(culprit) || description.length < 1 || description.length > 2000) throw badRequest("choose a culprit and describe the problem");
    await orders.createProblem(w.c.env, card.id, { culprit, description }, actorOf(w.scope));
    return w.c.redirect(backTo(w), 303);
  },
  async transition(w: WebCtx) {
    const card = await visibleCard(w);
    const action = w.form.action as (typeof PROBLEM_ACTIONS)[number];
    if (!PROBLEM_ACTIONS.includes(action)) throw badRequest("unknown action");
    const resolution = (w.form.resolution ?? "").trim().slice(0, 2000) || undefined;
    await orders.transitionProblem(w.c.env, card.id, w.c.req.param("problemId") ?? "", action, actorOf(w.scope), resolution);
    return w.c.redirect(backTo(w), 303);
  },
  async retryExport(w: WebCtx) {
    const card = await visibleCard(w);
    await orders.retryExport(w.c.env, card.id, actorOf(w.scope));
    return w.c.redirect(backTo(w), 303);
  },
};
