/**
 * The admin web page (server-rendered, src/web/**): login, then pages per
 * role. Every form carries the session's CSRF token; every id in a URL is
 * checked against the user's scope and answers 404 when outside it.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";
import { randomToken, secretsEqual } from "../lib/crypto";
import {
  clearLoginFailures,
  createSession,
  csrfMatches,
  decoyHash,
  endSession,
  loginLockedUntil,
  recordLoginFailure,
  SESSION_TTL_MS,
  sessionUser,
  verifyPassword,
  type SessionUser,
} from "../services/auth";
import { ensureFirstAdmin, findUserByEmail, scopeOf, type Scope } from "../services/users";
import { CSS, CSS_URL, JS, JS_URL } from "../web/assets";
import { pickLang, t, type Lang } from "../web/i18n";
import { fmtTime, LoginPage, Message, respond, type PageContext } from "../web/layout";
import { chatsActions, chatsPage } from "../web/pages/chats";
import { journalPage } from "../web/pages/journal";
import { licensesActions, licensesPage } from "../web/pages/licenses";
import { monitorActions, monitorPage } from "../web/pages/monitor";
import { restaurantsActions, restaurantsPage } from "../web/pages/restaurants";
import { standinActions, standinPage } from "../web/pages/standin";
import { usersActions, usersPage } from "../web/pages/users";

type C = Context<{ Bindings: Env }>;
export const SESSION_COOKIE = "tw_session";
const LOGIN_COOKIE = "tw_login";

export interface WebCtx extends PageContext {
  c: C;
  scope: Scope;
  form: Record<string, string>;
  /** A poll asking for the live part only. */
  fragment: boolean;
}
export type WebHandler = (w: WebCtx) => Promise<Response>;
type Roles = SessionUser["role"][];

export const web = new Hono<{ Bindings: Env }>();

function langOf(c: C): Lang {
  const q = c.req.query("lang");
  const lang = pickLang(q, getCookie(c, "tw_lang"), c.req.header("accept-language"));
  if (q === lang) setCookie(c, "tw_lang", lang, { path: "/admin", sameSite: "Lax", secure: true, maxAge: 365 * 86_400 });
  return lang;
}

const clientAddress = (c: C) => c.req.header("cf-connecting-ip") ?? "local";

function noStore(c: C) {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header("Referrer-Policy", "same-origin");
  c.header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
}

async function readForm(c: C): Promise<Record<string, string>> {
  const type = c.req.header("content-type") ?? "";
  if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) return {};
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

/** A page or action for these roles: signs in, checks CSRF on POST, resolves the scope. */
function guarded(roles: Roles, handler: WebHandler) {
  return async (c: C) => {
    noStore(c);
    const lang = langOf(c);
    const user = await sessionUser(c.env, getCookie(c, SESSION_COOKIE));
    const fragment = c.req.header("x-fragment") === "1";
    if (!user) {
      if (c.req.method !== "GET" || fragment) return respond(c, Message({ lang, title: t(lang, "Sign in"), text: t(lang, "Sign in") }), 401);
      const url = new URL(c.req.url);
      return c.redirect(`/admin/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    const path = new URL(c.req.url).pathname;
    let form: Record<string, string> = {};
    if (c.req.method === "POST") {
      form = await readForm(c);
      if (!(await csrfMatches(user.csrfToken, form._csrf ?? c.req.header("x-csrf-token")))) {
        return respond(c, Message({ lang, title: "CSRF", text: t(lang, "The form expired. Please try again.") }), 403);
      }
    }
    if (!roles.includes(user.role)) return respond(c, Message({ lang, title: "403", text: t(lang, "Not found.") }), 404);
    const scope = await scopeOf(c.env, user);
    try {
      return await handler({ c, lang, user, path, scope, form, fragment });
    } catch (err) {
      if (err instanceof ApiError) {
        const ctx = { lang, user, path };
        return respond(c, Message({ lang, ctx, title: String(err.status), text: err.status === 404 ? t(lang, "Not found.") : err.message }), err.status);
      }
      throw err;
    }
  };
}

// ---------------------------------------------------------------- static, login, logout

web.get("/static/:file", (c) => {
  const p = `/admin/static/${c.req.param("file")}`;
  const immutable = { "Cache-Control": "public, max-age=31536000, immutable" };
  if (p === CSS_URL) return c.body(CSS, 200, { ...immutable, "Content-Type": "text/css; charset=utf-8" });
  if (p === JS_URL) return c.body(JS, 200, { ...immutable, "Content-Type": "text/javascript; charset=utf-8" });
  return c.text("not found", 404);
});

web.get("/", (c) => c.redirect("/admin/restaurants", 303));

function loginForm(c: C, lang: Lang, status: 200 | 401 | 403 | 429, error?: string, email?: string) {
  noStore(c);
  const csrf = randomToken(18);
  setCookie(c, LOGIN_COOKIE, csrf, { path: "/admin", httpOnly: true, secure: true, sameSite: "Strict", maxAge: 3600 });
  return respond(c, LoginPage({ lang, csrf, error, email }), status);
}

web.get("/login", async (c) => {
  const lang = langOf(c);
  if (await sessionUser(c.env, getCookie(c, SESSION_COOKIE))) return c.redirect(safeNext(c.req.query("next")), 303);
  return loginForm(c, lang, 200);
});

/** Only a path of this page may follow a login: no open redirect. */
function safeNext(next: string | undefined): string {
  return next && /^\/admin\/[A-Za-z0-9/_\-?=&%.]*$/.test(next) && !next.startsWith("//") ? next : "/admin/monitor";
}

web.post("/login", async (c) => {
  const lang = langOf(c);
  const form = await readForm(c);
  const cookie = getCookie(c, LOGIN_COOKIE);
  if (!cookie || !form._csrf || !(await secretsEqual(cookie, form._csrf))) return loginForm(c, lang, 403, t(lang, "The form expired. Please try again."));
  const email = (form.email ?? "").trim().toLowerCase().slice(0, 200);
  const password = (form.password ?? "").slice(0, 500);
  const address = clientAddress(c);
  const locked = await loginLockedUntil(c.env, email, address);
  if (locked) return loginForm(c, lang, 429, `${t(lang, "Too many attempts. Try again after")} ${fmtTime(locked, "UTC", lang)} UTC`, email);
  await ensureFirstAdmin(c.env);
  const user = email ? await findUserByEmail(c.env, email) : null;
  const ok = user
    ? !user.disabledAt && (await verifyPassword(password, { hash: user.passwordHash, salt: user.passwordSalt, iterations: user.passwordIterations }))
    : (await verifyPassword(password, await decoyHash()), false);
  if (!ok || !user) {
    await recordLoginFailure(c.env, email, address);
    return loginForm(c, lang, 401, t(lang, "Wrong email or password."), email);
  }
  await clearLoginFailures(c.env, email);
  const session = await createSession(c.env, user.id);
  deleteCookie(c, LOGIN_COOKIE, { path: "/admin", secure: true });
  setCookie(c, SESSION_COOKIE, session.token, { path: "/admin", httpOnly: true, secure: true, sameSite: "Lax", maxAge: SESSION_TTL_MS / 1000 });
  const next = safeNext(c.req.query("next") ?? form.next);
  return c.redirect(user.role === "operator" || next !== "/admin/monitor" ? next : "/admin/restaurants", 303);
});

web.post(
  "/logout",
  guarded(["admin", "owner", "operator"], async ({ c, user }) => {
    await endSession(c.env, user.sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: "/admin", secure: true });
    return c.redirect("/admin/login", 303);
  }),
);

// ---------------------------------------------------------------- pages

const ALL: Roles = ["admin", "owner", "operator"];
const MANAGERS: Roles = ["admin", "owner"];

web.get("/restaurants", guarded(MANAGERS, restaurantsPage));
web.post("/restaurants", guarded(MANAGERS, restaurantsActions.createRestaurant));
web.post("/accounts", guarded(["admin"], restaurantsActions.createAccount));
web.post("/restaurants/:id/agents", guarded(MANAGERS, restaurantsActions.createAgent));
web.post("/agents/:id/rotate", guarded(MANAGERS, restaurantsActions.rotateKey));
web.post("/agents/:id/revoke", guarded(MANAGERS, restaurantsActions.revoke));

web.get("/licenses", guarded(MANAGERS, licensesPage));
web.post("/agents/:id/license", guarded(["admin"], licensesActions.extend));

web.get("/chats", guarded(MANAGERS, chatsPage));
web.post("/link-codes", guarded(MANAGERS, chatsActions.createCode));
web.post("/chats/:chatId/links/:linkId/delete", guarded(MANAGERS, chatsActions.unlink));

web.get("/journal", guarded(MANAGERS, journalPage));
web.get("/standin", guarded(["admin"], standinPage));
web.post("/standin/say", guarded(["admin"], standinActions.say));
web.post("/standin/tap", guarded(["admin"], standinActions.tap));

web.get("/users", guarded(MANAGERS, usersPage));
web.post("/users", guarded(MANAGERS, usersActions.create));

web.get("/monitor", guarded(ALL, monitorPage));
web.post("/orders/:id/problems", guarded(ALL, monitorActions.createProblem));
web.post("/orders/:id/problems/:problemId", guarded(ALL, monitorActions.transition));
web.post("/orders/:id/export", guarded(ALL, monitorActions.retryExport));
