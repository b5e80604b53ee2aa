/**
 * One error shape for every endpoint: `{ error: { code, message, issues? } }`
 * with the right status. Throw an `ApiError` anywhere in a route; the app's
 * error handler answers it.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string; issues?: unknown[] } } {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}

export const badRequest = (message: string, issues?: unknown[]) => new ApiError(400, "invalid_body", message, issues);
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);
export const unauthorized = (code: string, message: string) => new ApiError(401, code, message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

/** zod issues as plain JSON (path, message, code), small enough to return to a client. */
export function zodIssues(error: ZodError): unknown[] {
  return error.issues.slice(0, 50).map((i) => ({ path: i.path, code: i.code, message: i.message }));
}

export function errorResponse(c: Context, err: ApiError): Response {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(err.body(), err.status);
}
