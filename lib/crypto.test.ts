import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashToken, openSecret, sealSecret } from "./crypto";

describe("secrets at rest", () => {
  const key = randomBytes(32);
  it("round-trips a webhook secret and never stores it in clear", () => {
    const sealed = sealSecret("whsec_test_abc123", key);
    expect(sealed).not.toContain("whsec");
    expect(openSecret(sealed, key)).toBe("whsec_test_abc123");
  });
  it("refuses a tampered ciphertext (GCM tag)", () => {
    const sealed = sealSecret("sk_test_123", key).split(":");
    sealed[3] = Buffer.from("sk_test_999").toString("base64url");
    expect(() => openSecret(sealed.join(":"), key)).toThrow();
  });
  it("refuses the wrong key", () => {
    expect(() => openSecret(sealSecret("x", key), randomBytes(32))).toThrow();
  });
  it("hashes tokens with sha256 hex", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
