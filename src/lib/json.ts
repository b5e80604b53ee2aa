const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Parses a request body as strict UTF-8 JSON; `undefined` when it is not. */
export function parseJsonBytes(body: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(decoder.decode(body)) };
  } catch {
    return { ok: false };
  }
}
