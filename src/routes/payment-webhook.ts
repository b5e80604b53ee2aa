/**
 * `POST /payments/v1/webhook`: a payment provider reports a payment's state.
 * Signed like the agent protocol (src/protocol/signing.ts):
 *
 *   X-Payment-Key-Id:    <payments API key id>
 *   X-Payment-Timestamp: <unix seconds>   (±300 s)
 *   X-Payment-Signature: v1=<hex HMAC-SHA256(key = the payments key, "<timestamp>.<raw body>")>
 *
 * A resent report is answered again and changes nothing.
 */
import { Hono } from "hono";
import type { Env } from "../env";
import { readBodyLimited, requireJsonContentType } from "../lib/body";
import { ApiError, badRequest, notFound, unauthorized, zodIssues } from "../lib/errors";
import { parseJsonBytes } from "../lib/json";
import { isOrderId } from "../domain/orders/ids";
import {
  PAYMENT_KEY_ID_HEADER,
  PAYMENT_SIGNATURE_HEADER,
  PAYMENT_TIMESTAMP_HEADER,
  PaymentWebhook,
} from "../protocol/orders";
import { checkTimestamp, importAgentKey, parseSignature, verifySignature } from "../protocol/signing";
import { orderOwner, paymentReport } from "../services/orders";
import { paymentsSigningKey } from "../services/orders-api-keys";

export const paymentWebhook = new Hono<{ Bindings: Env }>();

paymentWebhook.post("/webhook", async (c) => {
  const body = await readBodyLimited(c.req.raw, 64 * 1024);
  const keyId = c.req.header(PAYMENT_KEY_ID_HEADER) ?? "";
  const timestamp = c.req.header(PAYMENT_TIMESTAMP_HEADER) ?? "";
  const signature = parseSignature(c.req.header(PAYMENT_SIGNATURE_HEADER));
  const ts = checkTimestamp(timestamp, Math.floor(Date.now() / 1000));
  if (!ts.ok) throw unauthorized("stale_timestamp", `${PAYMENT_TIMESTAMP_HEADER} is ${ts.reason}`);
  if (!signature) throw unauthorized("bad_signature", `${PAYMENT_SIGNATURE_HEADER} must be v1=<64 hex>`);
  const signer = await paymentsSigningKey(c.env, keyId);
  if (!signer) throw unauthorized("unknown_key", "unknown or revoked payments key");
  if (!(await verifySignature(await importAgentKey(signer.key), timestamp, body, signature))) {
    throw unauthorized("bad_signature", "the signature does not match");
  }

  requireJsonContentType(c);
  const json = parseJsonBytes(body);
  if (!json.ok) throw badRequest("the body is not valid JSON");
  const parsed = PaymentWebhook.safeParse(json.value);
  if (!parsed.success) throw badRequest("the body does not match the expected shape", zodIssues(parsed.error));
  const report = parsed.data;

  if (!isOrderId(report.orderId)) throw notFound("order");
  const owner = await orderOwner(c.env, report.orderId);
  if (!owner || owner.accountId !== signer.accountId) throw notFound("order");
  const card = await paymentReport(c.env, report, `provider:${keyId}`);
  const payment = card.payments.find((p) => p.id === report.paymentId);
  if (!payment) throw new ApiError(500, "internal", "payment vanished");
  return c.json({ ok: true, payment });
});
