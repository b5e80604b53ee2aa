/**
 * Signing in to the admin page: the first admin from the secrets, hashed
 * passwords, session cookies, CSRF on every form, session expiry, logout
 * and login throttling.
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { accounts, sessions, users } from "../../src/db/schema";
import { createUser } from "../../src/services/users";
import { applyRetention } from "../../src/services/maintenance";
import { loginAttempts } from "../../src/db/schema";
import { admin } from "./helpers";
import { ADMIN_EMAIL, WebClient } from "./web-client";

const db = () => database(env.DB);

describe("admin page sign-in", () => {
  it("sends a visitor without a session to the login form", async () => {
    const res = await new WebClient().get("/admin/restaurants");
    expect(res.status).toBe(303);
    expect(res.location).toBe("/admin/login?next=%2Fadmin%2Frestaurants");
  });

  it("lets the first admin from ADMIN_EMAIL / ADMIN_PASSWORD in, with a HttpOnly Secure SameSite session cookie", async () => {
    const browser = new WebClient("198.51.100.1");
    const res = await browser.login();
    expect(res.status).toBe(303);
    expect(res.location).toBe("/admin/restaurants");
    const cookie = res.setCookies.find((c) => c.startsWith("tw_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=(Lax|Strict)/i);
    const page = await browser.get("/admin/restaurants");
    expect(page.status).toBe(200);
    expect(page.html).toContain(ADMIN_EMAIL);

    const [row] = await db().select().from(users).where(eq(users.email, ADMIN_EMAIL));
    expect(row!.role).toBe("admin");
    expect(row!.passwordIterations).toBeGreaterThanOrEqual(100_000);
    expect(row!.passwordHash).not.toContain("test-admin-password");
  });

  it("stores a different salt for each user even with the same password", async () => {
    const acc = (await admin("POST", "/accounts", { name: "Salt Group" })).body.id;
    await createUser(env, { email: "salt1@example.com", password: "same-password-1", role: "owner", accountId: acc }, "test");
    await createUser(env, { email: "salt2@example.com", password: "same-password-1", role: "owner", accountId: acc }, "test");
    const rows = await db().select().from(users);
    const a = rows.find((u) => u.email === "salt1@example.com")!;
    const b = rows.find((u) => u.email === "salt2@example.com")!;
    expect(a.passwordSalt).not.toBe(b.passwordSalt);
    expect(a.passwordHash).not.toBe(b.passwordHash);
  });

  it("refuses a wrong password without a session", async () => {
    const browser = new WebClient("198.51.100.2");
    const res = await browser.login(ADMIN_EMAIL, "not-the-password");
    expect(res.status).toBe(401);
    expect(browser.cookies.has("tw_session")).toBe(false);
    expect((await browser.get("/admin/restaurants")).status).toBe(303);
  });

  it("refuses a login form that did not come from the page (no CSRF cookie)", async () => {
    const browser = new WebClient("198.51.100.3");
    const res = await browser.post("/admin/login", { email: ADMIN_EMAIL, password: "test-admin-password", _csrf: "forged" });
    expect(res.status).toBe(403);
    expect(browser.cookies.has("tw_session")).toBe(false);
  });

  it("refuses a signed-in form without the session's CSRF token, and nothing changes", async () => {
    const browser = new WebClient("198.51.100.4");
    await browser.login();
    await browser.get("/admin/restaurants");
    const before = (await db().select().from(accounts)).length;
    const missing = await browser.post("/admin/accounts", { name: "Forged Group", _csrf: "" });
    expect(missing.status).toBe(403);
    const wrong = await browser.post("/admin/accounts", { name: "Forged Group", _csrf: "x".repeat(32) });
    expect(wrong.status).toBe(403);
    expect((await db().select().from(accounts)).length).toBe(before);

    const ok = await browser.post("/admin/accounts", { name: "Real Group" });
    expect(ok.status).toBe(303);
    expect((await db().select().from(accounts)).length).toBe(before + 1);
  });

  it("ends a session at its expiry and after long idleness", async () => {
    const browser = new WebClient("198.51.100.5");
    await browser.login();
    expect((await browser.get("/admin/licenses")).status).toBe(200);
    const [admin] = await db().select().from(users).where(eq(users.email, ADMIN_EMAIL));
    await db().update(sessions).set({ expiresAt: Date.now() - 1 }).where(eq(sessions.userId, admin!.id));
    const expired = await browser.get("/admin/licenses");
    expect(expired.status).toBe(303);
    expect(expired.location).toContain("/admin/login");
    // A polled fragment is told plainly instead of being redirected.
    expect((await browser.get("/admin/monitor", { "x-fragment": "1" })).status).toBe(401);

    const idle = new WebClient("198.51.100.6");
    await idle.login();
    await db().update(sessions).set({ lastSeenAt: Date.now() - 3 * 60 * 60_000 }).where(eq(sessions.userId, admin!.id));
    expect((await idle.get("/admin/licenses")).status).toBe(303);
  });

  it("logs out: the old cookie no longer opens a page", async () => {
    const browser = new WebClient("198.51.100.7");
    await browser.login();
    const token = browser.cookies.get("tw_session")!;
    await browser.get("/admin/restaurants");
    const out = await browser.post("/admin/logout");
    expect(out.status).toBe(303);
    const replay = new WebClient("198.51.100.7");
    replay.cookies.set("tw_session", token);
    expect((await replay.get("/admin/restaurants")).status).toBe(303);
  });

  it("locks an email after five failed attempts, even for the right password", async () => {
    const acc = (await admin("POST", "/accounts", { name: "Throttle Group" })).body.id;
    await createUser(env, { email: "owner-throttle@example.com", password: "right-password-1", role: "owner", accountId: acc }, "test");
    const browser = new WebClient("198.51.100.8");
    for (let i = 0; i < 5; i++) expect((await browser.login("owner-throttle@example.com", `wrong-${i}`)).status).toBe(401);
    const locked = await browser.login("owner-throttle@example.com", "right-password-1");
    expect(locked.status).toBe(429);
    expect(browser.cookies.has("tw_session")).toBe(false);
    // Another email from another address is not affected.
    expect((await new WebClient("198.51.100.9").login()).status).toBe(303);
  });

  it("does not redirect anywhere but this page after login", async () => {
    const browser = new WebClient("198.51.100.10");
    await browser.get("/admin/login");
    const res = await browser.post("/admin/login?next=https%3A%2F%2Fevil.example%2F", { email: ADMIN_EMAIL, password: "test-admin-password" });
    expect(res.status).toBe(303);
    expect(res.location!.startsWith("/admin/")).toBe(true);
  });

  it("forgets ended sessions and old failed attempts in the hourly retention", async () => {
    const browser = new WebClient("198.51.100.11");
    await browser.login();
    await new WebClient("198.51.100.12").login("nobody@example.com", "wrong-password");
    const later = Date.now() + 13 * 60 * 60_000;
    await applyRetention(env, later);
    expect(await db().select().from(sessions)).toHaveLength(0);
    expect((await db().select().from(loginAttempts)).filter((r) => r.key === "email:nobody@example.com")).toHaveLength(0);
  });
});
