/**
 * Ids are a short prefix saying what they name and 16 random characters from
 * an alphabet without look-alikes, so they read well in logs and URLs.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

export function randomId(prefix: string, length = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let s = "";
  for (const b of bytes) s += ALPHABET[b & 31];
  return `${prefix}_${s}`;
}

export const newId = {
  account: () => randomId("acc"),
  restaurant: () => randomId("rst"),
  agent: () => randomId("agt"),
  chat: () => randomId("cht"),
  link: () => randomId("lnk"),
  order: () => randomId("ord"),
  problem: () => randomId("prb"),
  payment: () => randomId("pay"),
  user: () => randomId("usr"),
  apiKey: () => randomId("key"),
};

/** Link codes are typed by people into a chat: upper case, no look-alikes, grouped. */
export function newLinkCode(): string {
  const alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  let s = "";
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** Accepts what a person may type ("k7m2q x9p4d", "K7M2Q-X9P4D") and returns the canonical code. */
export function normalizeLinkCode(input: string): string {
  const s = input.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return s.length === 10 ? `${s.slice(0, 5)}-${s.slice(5)}` : s;
}
