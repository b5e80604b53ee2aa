/** @jsxImportSource hono/jsx */
/** The frame of every admin page: navigation for the user's role, language links, sign-out. */
import type { Child } from "hono/jsx";
import type { SessionUser } from "../services/auth";
import { CSS_URL, JS_URL } from "./assets";
import { LANGS, t, type Lang } from "./i18n";

export interface PageContext {
  lang: Lang;
  user: SessionUser;
  /** Path of the current page, for the active nav link and the language links. */
  path: string;
}

const NAV: Array<{ path: string; label: string; roles: SessionUser["role"][] }> = [
  { path: "/admin/restaurants", label: "Restaurants", roles: ["admin", "owner"] },
  { path: "/admin/licenses", label: "Licenses", roles: ["admin", "owner"] },
  { path: "/admin/chats", label: "Chats", roles: ["admin", "owner"] },
  { path: "/admin/journal", label: "Journal", roles: ["admin", "owner"] },
  { path: "/admin/monitor", label: "Monitoring", roles: ["admin", "owner", "operator"] },
  { path: "/admin/standin", label: "Stand-in", roles: ["admin"] },
  { path: "/admin/users", label: "Users", roles: ["admin", "owner"] },
];

export const CsrfField = (p: { token: string }) => <input type="hidden" name="_csrf" value={p.token} />;

export function Layout(p: { ctx?: PageContext; lang: Lang; title: string; children?: Child }) {
  const ctx = p.ctx;
  return (
    <html lang={p.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{p.title} · Tillwatch</title>
        <link rel="stylesheet" href={CSS_URL} />
      </head>
      <body>
        <header>
          <strong>Tillwatch</strong>
          {ctx &&
            NAV.filter((n) => n.roles.includes(ctx.user.role)).map((n) => (
              <a href={n.path} class={ctx.path.startsWith(n.path) ? "on" : undefined}>
                {t(p.lang, n.label)}
              </a>
            ))}
          <span>
            {LANGS.map((l) => (
              <a href={`?lang=${l}`} class={l === p.lang ? "on" : undefined}>
                {" "}
                {l}
              </a>
            ))}
          </span>
          {ctx && (
            <form method="post" action="/admin/logout" class="inline">
              <span class="muted">{ctx.user.email} </span>
              <CsrfField token={ctx.user.csrfToken} />
              <button id="logout">{t(p.lang, "Sign out")}</button>
            </form>
          )}
        </header>
        <main>{p.children}</main>
        <script src={JS_URL} defer />
      </body>
    </html>
  );
}

export function LoginPage(p: { lang: Lang; csrf: string; error?: string; email?: string }) {
  const tr = (s: string) => t(p.lang, s);
  return (
    <Layout lang={p.lang} title={tr("Sign in")}>
      <form method="post" action="/admin/login" style="max-width:320px;margin:3rem auto;background:#fff;padding:1rem;border:1px solid #ddd">
        <h2>{tr("Sign in")}</h2>
        {p.error && <p class="err" id="login-error">{p.error}</p>}
        <input type="hidden" name="_csrf" value={p.csrf} />
        <label>
          {tr("Email")}
          <br />
          <input name="email" type="email" required autocomplete="username" value={p.email ?? ""} style="width:100%" />
        </label>
        <br />
        <label>
          {tr("Password")}
          <br />
          <input name="password" type="password" required autocomplete="current-password" style="width:100%" />
        </label>
        <br />
        <button type="submit" id="login">{tr("Sign in")}</button>
      </form>
    </Layout>
  );
}

export function Message(p: { lang: Lang; ctx?: PageContext; title: string; text: string; status?: "err" | "ok" }) {
  return (
    <Layout ctx={p.ctx} lang={p.lang} title={p.title}>
      <p class={p.status ?? "err"}>{p.text}</p>
      <p>
        <a href="/admin/">←</a>
      </p>
    </Layout>
  );
}

/** Times as people read them, in the restaurant's zone. */
export function fmtTime(ms: number | string | null | undefined, timeZone = "UTC", lang: Lang = "ru"): string {
  if (ms === null || ms === undefined || ms === "") return "—";
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "—";
  try {
    return d.toLocaleString(lang === "uk" ? "uk-UA" : lang === "en" ? "en-GB" : "ru-RU", { timeZone, dateStyle: "short", timeStyle: "short" });
  } catch {
    return d.toISOString();
  }
}

/** Minor units → "1 234,50 ₴"-like text. */
export function fmtMoney(minor: number | null | undefined, currency: string, lang: Lang = "ru"): string {
  if (minor === null || minor === undefined) return "—";
  try {
    return new Intl.NumberFormat(lang === "uk" ? "uk-UA" : lang === "en" ? "en-GB" : "ru-RU", { style: "currency", currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** A whole document (with its doctype) as the answer. */
export async function respond(c: { html: (s: string, status?: any) => Response | Promise<Response> }, node: unknown, status = 200): Promise<Response> {
  const body = await Promise.resolve(String(await Promise.resolve((node as { toString(): unknown }).toString())));
  return c.html("<!doctype html>" + body, status);
}
