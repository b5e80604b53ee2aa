import { describe, expect, it } from "vitest";
import { checkTimestamp, importAgentKey, parseSignature, signRequest, verifySignature } from "../../src/protocol/signing";
import { createHmac } from "node:crypto";

describe("request signing", () => {
  it("is HMAC-SHA256 of '<timestamp>.<body>' keyed with the agent key, as lowercase hex after v1=", async () => {
    const key = await importAgentKey("k3y");
    const h = await signRequest("agt_1", key, '{"events":[]}', 1_700_000_000);
    const expected = createHmac("sha256", "k3y").update('1700000000.{"events":[]}').digest("hex");
    expect(h).toEqual({ "X-Agent-Id": "agt_1", "X-Agent-Timestamp": "1700000000", "X-Agent-Signature": `v1=${expected}` });
  });

  it("verifies only the exact body and timestamp", async () => {
    const key = await importAgentKey("k3y");
    const h = await signRequest("agt_1", key, "body", 100);
    const sig = parseSignature(h["X-Agent-Signature"])!;
    expect(await verifySignature(key, "100", "body", sig)).toBe(true);
    expect(await verifySignature(key, "101", "body", sig)).toBe(false);
    expect(await verifySignature(key, "100", "body ", sig)).toBe(false);
    expect(await verifySignature(await importAgentKey("other"), "100", "body", sig)).toBe(false);
  });

  it("rejects malformed signature headers", () => {
    expect(parseSignature(undefined)).toBeNull();
    expect(parseSignature("v1=abc")).toBeNull();
    expect(parseSignature("v2=" + "a".repeat(64))).toBeNull();
    expect(parseSignature("v1=" + "A".repeat(64))).toBeNull();
    expect(parseSignature("v1=" + "a".repeat(64))).not.toBeNull();
  });

  it("allows 300 s of clock skew either way", () => {
    expect(checkTimestamp("1000", 1300)).toEqual({ ok: true, seconds: 1000 });
    expect(checkTimestamp("999", 1300)).toMatchObject({ ok: false, reason: "stale" });
    expect(checkTimestamp("1601", 1300)).toMatchObject({ ok: false, reason: "future" });
    expect(checkTimestamp("12ab", 1300)).toMatchObject({ ok: false, reason: "malformed" });
  });
});
