/**
 * @module Encryption of applicants' personal data at rest (AES-256-GCM) with `config.encryptionKey`, which lives in
 * the configuration, never in the database. Without a key the platform refuses to accept applications
 * (`encryption_key_missing`). Also: the keyed applicant hash and the 查询码.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from "node:crypto";
import { AppError } from "../errors.ts";
import type { ApplicantPersonalData, IdType } from "./info-request.ts";

const VERSION = "v1";

/** The 32-byte key from configuration (64 hex characters or base64). */
export function parseEncryptionKey(configured: string | undefined): Buffer {
  if (!configured) throw new AppError("encryption_key_missing");
  const key = /^[0-9a-fA-F]{64}$/.test(configured)
    ? Buffer.from(configured, "hex")
    : Buffer.from(configured, "base64");
  if (key.length !== 32) throw new AppError("encryption_key_missing");
  return key;
}

export function hasEncryptionKey(configured: string | undefined): boolean {
  try {
    parseEncryptionKey(configured);
    return true;
  } catch {
    return false;
  }
}

/** Sub-keys: one for encryption, one for the applicant hash (never the same key for two purposes). */
function subKey(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `gongkai/info-request/${purpose}`, 32));
}

/** `v1:` + base64(iv ‖ tag ‖ ciphertext). The request's id is bound as additional data. */
export function encryptPersonal(key: Buffer, data: ApplicantPersonalData, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", subKey(key, "personal"), iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const ct = Buffer.concat([cipher.update(JSON.stringify(data), "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64")}`;
}

/** @throws Error when the ciphertext was altered, bound to another record, or the key is wrong. */
export function decryptPersonal(key: Buffer, enc: string, boundTo: string): ApplicantPersonalData {
  if (!enc.startsWith(`${VERSION}:`)) throw new Error("unknown ciphertext version");
  const raw = Buffer.from(enc.slice(VERSION.length + 1), "base64");
  const decipher = createDecipheriv("aes-256-gcm", subKey(key, "personal"), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  return JSON.parse(text) as ApplicantPersonalData;
}

/** Keyed hash of an identity document: the same applicant across applications, without storing the number. */
export function applicantKey(key: Buffer, idType: IdType, normalizedIdNumber: string): string {
  return createHmac("sha256", subKey(key, "applicant"))
    .update(`${idType}:${normalizedIdNumber}`)
    .digest("hex");
}

/** 查询码 alphabet: no 0/O, 1/I (read out over the phone). */
export const QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/** 12 random characters (60 bits). */
export function newQueryCode(): string {
  let s = "";
  for (let i = 0; i < 12; i++) s += QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)];
  return s;
}

/** Accepts lower case, spaces and hyphens; null when it cannot be a query code. */
export function normalizeQueryCode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const s = input.normalize("NFKC").toUpperCase().replace(/[\s-]/g, "");
  return /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{12}$/.test(s) ? s : null;
}

/** `K7M29QXP4RTA` → `K7M2-9QXP-4RTA`. */
export function formatQueryCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}
