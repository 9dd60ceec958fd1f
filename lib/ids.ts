// Prefixed random ids (`ws_…`, `usr_…`): they say what a stray id in a log or URL is, and `Id<"con">` is no `Id<"ws">`.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lowercase: no i, l, o, u

export type IdPrefix = "ws" | "usr" | "inv" | "con" | "key" | "job" | "aud" | "imp" | "run";
export type Id<P extends IdPrefix> = `${P}_${string}`;

export function newId<P extends IdPrefix>(prefix: P): Id<P> {
  const bytes = crypto.getRandomValues(new Uint8Array(20)); // 256 is a multiple of 32, so b % 32 is unbiased
  return `${prefix}_${Array.from(bytes, (b) => ALPHABET[b % 32]).join("")}`;
}

/** A random URL-safe secret (invitation links, API tokens, the admin token): 32 bytes, base64url. */
export function newSecret(bytes = 32): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
}

export function isId<P extends IdPrefix>(prefix: P, value: string): value is Id<P> {
  return new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{20}$`).test(value);
}
