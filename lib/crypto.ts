import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getEnv } from "./env";

// Secrets at rest (Stripe secret keys, webhook signing secrets) are sealed with AES-256-GCM under ENCRYPTION_KEY.
// The stored form is `v1:<iv>:<tag>:<ciphertext>` in base64url, so a future key rotation can add `v2`.

let cachedKey: Buffer | undefined;

/**
 * ENCRYPTION_KEY from the environment. Outside production, a missing key is generated once and kept in
 * `$DATA_DIR/encryption.key` (0600) so local runs work without setup; production requires the variable.
 */
export function getEncryptionKey(): Buffer {
  if (cachedKey) return cachedKey;
  const env = getEnv();
  if (env.ENCRYPTION_KEY) {
    cachedKey = Buffer.from(env.ENCRYPTION_KEY, "base64");
    return cachedKey;
  }
  const file = path.join(env.DATA_DIR, "encryption.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(env.DATA_DIR, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  cachedKey = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  return cachedKey;
}

export function sealSecret(plain: string, key: Buffer = getEncryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(
    ":",
  );
}

export function openSecret(sealed: string, key: Buffer = getEncryptionKey()): string {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("unsupported sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** sha256 hex: how API tokens and invitation secrets are stored (high-entropy, so no slow hash is needed). */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
