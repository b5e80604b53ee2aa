/**
 * Reading and validating request bodies with one error vocabulary:
 * 415 for a body that is not JSON by content type, 413 over the limit,
 * 400 for JSON that is malformed or does not fit the schema.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { ApiError, badRequest, zodIssues } from "./errors";
import { parseJsonBytes } from "./json";

export const MIB = 1024 * 1024;

export function requireJsonContentType(c: Context): void {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type.trim())) {
    throw new ApiError(415, "unsupported_media_type", "send the body as application/json");
  }
}

/** Reads the raw body, refusing to buffer more than `limit` bytes. */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const tooLarge = (limit: number) => new ApiError(413, "too_large", `the body is over ${limit} bytes`);

/** A JSON body validated by a zod schema (admin and orders APIs). */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, limit = MIB): Promise<z.output<S>> {
  requireJsonContentType(c);
  const bytes = await readBodyLimited(c.req.raw, limit);
  const json = parseJsonBytes(bytes);
  if (!json.ok) throw badRequest("the body is not valid JSON");
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) throw badRequest("the body does not match the expected shape", zodIssues(parsed.error));
  return parsed.data;
}

/** Query parameters validated by a zod schema. */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ApiError(400, "invalid_query", "the query parameters are invalid", zodIssues(parsed.error));
  return parsed.data;
}
