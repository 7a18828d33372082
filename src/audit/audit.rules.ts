/**
 * @module Pure rules of the audit chain (审计日志防篡改): canonical serialisation and keyed hash chaining.
 * Each row's hash covers every stored column and the previous row's hash, so editing a row breaks its own hash and
 * deleting a row breaks the next row's link. Rows are chained with HMAC-SHA-256 under a key kept in the
 * configuration (never in the database), so someone who can write to the database cannot recompute valid hashes.
 * Rows written before the keyed chain carry plain SHA-256 ('sha256'); they are accepted only before the first
 * keyed row (a plain row after a keyed one is a downgrade and fails verification).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { deriveSubKey } from "../shared/crypto.ts";

/** prev_hash of the first row. */
export const GENESIS_HASH = "0".repeat(64);

/** The hashed content of one audit row (everything but `hash`). */
export interface ChainFields {
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  agencyId: string | null;
  entityType: string;
  entityId: string | null;
  summary: string;
  beforeJson: string | null;
  afterJson: string | null;
  ip: string | null;
  prevHash: string;
}

/** Canonical, unambiguous serialisation: a JSON array in a fixed field order. */
export function canonicalize(f: ChainFields): string {
  return JSON.stringify([
    "gongkai-audit-v1",
    String(f.seq),
    f.occurredAt.toISOString(),
    f.actorId,
    f.actorName,
    f.action,
    f.agencyId,
    f.entityType,
    f.entityId,
    f.summary,
    f.beforeJson,
    f.afterJson,
    f.ip,
    f.prevHash,
  ]);
}

export type HashAlg = "sha256" | "hmac-sha256";

/** HKDF label of the audit key derived from the application secret. */
export const AUDIT_KEY_LABEL = "gongkai-audit-chain";

/**
 * The HMAC key of the chain: `GONGKAI_AUDIT_KEY` as-is (UTF-8) when configured, else HKDF-SHA-256 of the application
 * secret with the label "gongkai-audit-chain" (a dedicated key: the cookie secret itself is never reused).
 * Undefined when neither is available.
 */
export function auditKeyFrom(config: {
  auditKey?: string | undefined;
  secret?: string | undefined;
}): Buffer | undefined {
  if (config.auditKey) return Buffer.from(config.auditKey, "utf8");
  if (config.secret) return deriveSubKey(config.secret, AUDIT_KEY_LABEL);
  return undefined;
}

/** The row hash: HMAC-SHA-256 under `key`, or (legacy rows only) unkeyed SHA-256. */
export function chainHash(f: ChainFields, alg: HashAlg = "sha256", key?: Buffer): string {
  if (alg === "sha256") return createHash("sha256").update(canonicalize(f), "utf8").digest("hex");
  if (!key) throw new Error("audit chain key missing");
  return createHmac("sha256", key).update(canonicalize(f), "utf8").digest("hex");
}

/** MAC of the chain head (its own domain, so a row hash can never pass as a head MAC). */
export function headMac(key: Buffer, lastSeq: number, lastHash: string): string {
  return createHmac("sha256", key)
    .update(JSON.stringify(["gongkai-audit-head-v1", String(lastSeq), lastHash]), "utf8")
    .digest("hex");
}

export function hexEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * JSON text for before/after snapshots: keys sorted (stable across runs), `undefined` dropped, capped in size.
 * Returns null for undefined/null.
 */
export function snapshotJson(value: unknown, maxChars = 20000): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(sortKeys(value));
  if (text === undefined) return null;
  return text.length > maxChars ? JSON.stringify({ truncated: true, prefix: text.slice(0, maxChars) }) : text;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export interface ChainRow extends ChainFields {
  hash: string;
  hashAlg: string;
}

/**
 * hash_mismatch: content does not match its hash (edited, or verified with another key);
 * broken_link: prev_hash is not the previous row's hash (a row was deleted or changed);
 * unkeyed_after_keyed: a plain SHA-256 row after a keyed one (an attempt to re-hash rows without the key);
 * key_missing: a keyed row and no key to check it; unknown_alg: an algorithm this version does not know.
 */
export type ChainProblem =
  | "hash_mismatch"
  | "broken_link"
  | "unkeyed_after_keyed"
  | "key_missing"
  | "unknown_alg";

/** Carried from page to page while walking the chain. */
export interface WalkState {
  prevHash: string;
  /** A keyed row has been seen: from then on every row must be keyed. */
  seenKeyed: boolean;
  unkeyedRows: number;
}

/**
 * Walks rows in `seq` order (a page at a time, carrying `state`). Returns the first broken row, or undefined
 * when the page is intact (`state` then describes its last row).
 */
export function findFirstBreak(
  rows: readonly ChainRow[],
  state: WalkState,
  key: Buffer | undefined,
): { seq: number; problem: ChainProblem } | undefined {
  for (const row of rows) {
    if (row.prevHash !== state.prevHash) return { seq: row.seq, problem: "broken_link" };
    if (row.hashAlg === "sha256") {
      if (state.seenKeyed) return { seq: row.seq, problem: "unkeyed_after_keyed" };
      if (!hexEqual(chainHash(row, "sha256"), row.hash)) return { seq: row.seq, problem: "hash_mismatch" };
      state.unkeyedRows++;
    } else if (row.hashAlg === "hmac-sha256") {
      if (!key) return { seq: row.seq, problem: "key_missing" };
      if (!hexEqual(chainHash(row, "hmac-sha256", key), row.hash))
        return { seq: row.seq, problem: "hash_mismatch" };
      state.seenKeyed = true;
    } else return { seq: row.seq, problem: "unknown_alg" };
    state.prevHash = row.hash;
  }
  return undefined;
}
