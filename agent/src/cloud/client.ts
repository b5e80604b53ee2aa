/**
 * Signed requests to the cloud (CONTRACT §3): every request carries the agent
 * id, a timestamp and an HMAC of "<timestamp>.<raw body>". The clock offset
 * learnt from the cloud (heartbeat `serverTime`, or the `Date` header of a
 * `stale_timestamp` refusal) is applied, so a restaurant PC with a wrong
 * clock still gets through while the warning goes out.
 */
import { ErrorBody } from "../../../src/protocol/common";
import { importAgentKey, signRequest } from "../../../src/protocol/signing";

export interface CloudClientOptions {
  baseUrl: string;
  agentId: string;
  agentKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CloudResponse {
  status: number;
  text: string;
  headers: Headers;
  /** `error.code` of a failure body, when it has one. */
  errorCode?: string;
  errorMessage?: string;
  issues?: unknown[];
}

/** The request never got an HTTP answer (DNS, refused, reset, timeout). */
export class NetworkError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

export class CloudClient {
  private keyPromise: Promise<CryptoKey>;
  private offsetMs = 0;
  readonly baseUrl: string;

  constructor(private readonly opts: CloudClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.keyPromise = importAgentKey(opts.agentKey);
  }

  get agentId(): string {
    return this.opts.agentId;
  }

  /** Cloud time minus local time, as far as we know. */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  setClockOffset(ms: number): void {
    this.offsetMs = Math.round(ms);
  }

  nowSeconds(): number {
    return Math.floor((Date.now() + this.offsetMs) / 1000);
  }

  async signedHeaders(body: string): Promise<Record<string, string>> {
    return signRequest(this.opts.agentId, await this.keyPromise, body, this.nowSeconds());
  }

  async post(path: string, body: string, signal?: AbortSignal): Promise<CloudResponse> {
    const headers = { ...(await this.signedHeaders(body)), "content-type": "application/json" };
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 30_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await (this.opts.fetch ?? fetch)(this.baseUrl + path, { method: "POST", headers, body, signal: combined });
      text = await res.text();
    } catch (e) {
      throw new NetworkError(describeNetworkError(e), e);
    }
    const out: CloudResponse = { status: res.status, text, headers: res.headers };
    if (res.status >= 400) {
      try {
        const parsed = ErrorBody.safeParse(JSON.parse(text));
        if (parsed.success) {
          out.errorCode = parsed.data.error.code;
          out.errorMessage = parsed.data.error.message;
          out.issues = parsed.data.error.issues;
        }
      } catch {
        /* not JSON: keep the text */
      }
    }
    return out;
  }

  /** The WebSocket URL of the link (`ws(s)://…/agent/v1/link`). */
  linkUrl(): string {
    return this.baseUrl.replace(/^http/, "ws") + "/agent/v1/link";
  }

  /**
   * After a `stale_timestamp` refusal: learn the cloud's clock from the
   * response's `Date` header. Returns the skew in seconds, or null if unknown.
   */
  learnClockFrom(res: CloudResponse, sentAtMs: number): number | null {
    const date = res.headers.get("date");
    const server = date ? Date.parse(date) : NaN;
    if (!Number.isFinite(server)) return null;
    const skew = server + 500 - (sentAtMs + Date.now()) / 2; // Date has 1 s resolution: aim for the middle
    this.setClockOffset(skew);
    return Math.round(skew / 1000);
  }
}

export function describeNetworkError(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : undefined;
    if (e.name === "TimeoutError" || e.name === "AbortError") return "request timed out";
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

/** A short, single-line excerpt of a response body for logs. */
export function excerpt(text: string, max = 500): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}
