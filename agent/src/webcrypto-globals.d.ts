// Node 20 has WebCrypto's global `crypto`, but @types/node only names the key
// type inside "node:crypto"; src/protocol/signing.ts refers to the global
// `CryptoKey` (as Workers do). Without the DOM lib, say what it is.
import type { webcrypto } from "node:crypto";

declare global {
  type CryptoKey = webcrypto.CryptoKey;
}
export {};
