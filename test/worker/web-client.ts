/** A tiny browser for the admin page in Worker tests: keeps cookies, reads CSRF tokens, never follows redirects. */
import { call } from "./helpers";

export const ADMIN_EMAIL = "admin@tillwatch.test";
export const ADMIN_PASSWORD = "test-admin-password";

export interface Page {
  status: number;
  html: string;
  location: string | null;
  setCookies: string[];
}

export class WebClient {
  cookies = new Map<string, string>();
  /** The CSRF token of the last page that had a form. */
  csrf = "";
  constructor(
    readonly address = "203.0.113.7",
    /** How requests reach the Worker (another env, for instance); the test Worker by default. */
    private readonly fetcher: (path: string, init: RequestInit) => Promise<Response> = call,
  ) {}

  private async send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Page> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await this.fetcher(path, { ...init, redirect: "manual", headers: { "cf-connecting-ip": this.address, ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) } });
    const setCookies: string[] = (res.headers as unknown as { getSetCookie(): string[] }).getSetCookie();
    for (const sc of setCookies) {
      const [pair, ...attrs] = sc.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a: string) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { status: res.status, html, location: res.headers.get("location"), setCookies };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.send(path, { method: "GET", headers });
  }

  /** Posts a form with the current CSRF token unless `_csrf` is given (use `_csrf: ""` to send none). */
  post(path: string, form: Record<string, string> = {}): Promise<Page> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form });
    if (form._csrf === "") body.delete("_csrf");
    return this.send(path, { method: "POST", body: body.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  }

  async login(email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<Page> {
    await this.get("/admin/login");
    return this.post("/admin/login", { email, password });
  }
}
