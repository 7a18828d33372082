/**
 * @module Small symmetric-crypto helpers shared by features: parse a configured 32-byte key, derive purpose-bound
 * sub-keys (HKDF-SHA-256) and seal/open short strings with AES-256-GCM (random 96-bit IV, 128-bit tag, additional
 * data binding the ciphertext to its row and column), and fingerprint what an edit form was opened on.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * A fingerprint of a value as JSON (32 hex characters of SHA-256): an edit form carries that of what it was opened on,
 * and a save is refused when what is stored has another (someone else saved meanwhile).
 */
export function contentStamp(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);
}

/** A configured 32-byte key (64 hex characters or base64); undefined when absent or malformed. */
export function parseKey32(configured: string | undefined): Buffer | undefined {
  if (!configured) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(configured)
    ? Buffer.from(configured, "hex")
    : Buffer.from(configured, "base64");
  return key.length === 32 ? key : undefined;
}

/** HKDF-SHA-256 sub-key for one purpose (never the same key for two purposes). */
export function deriveSubKey(ikm: Buffer | string, label: string, length = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), label, length));
}

const SEALED_PREFIX = "gcm1:";

/** True when `value` was produced by `sealString` (as opposed to legacy plaintext). */
export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** `gcm1:` + base64(iv ‖ tag ‖ ciphertext). `aad` binds the ciphertext to its context (e.g. row id). */
export function sealString(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${SEALED_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64")}`;
}

/** @throws Error when the value is not sealed, was altered, is bound to another context, or the key is wrong. */
export function openString(key: Buffer, sealed: string, aad: string): string {
  if (!isSealed(sealed)) throw new Error("not a sealed value");
  const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), "base64");
  if (raw.length < 28) throw new Error("sealed value too short");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
