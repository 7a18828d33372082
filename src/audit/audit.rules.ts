/**
 * @module Pure rules of the audit chain (审计日志防篡改): canonical serialisation and SHA-256 hash chaining.
 * Each row's hash covers every stored column and the previous row's hash, so editing a row breaks its own hash and
 * deleting a row breaks the next row's link.
 */
import { createHash } from "node:crypto";

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

export function chainHash(f: ChainFields): string {
  return createHash("sha256").update(canonicalize(f), "utf8").digest("hex");
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
}

export type ChainProblem = "hash_mismatch" | "broken_link";

/**
 * Walks rows in `seq` order (a page at a time: pass the previous page's last hash as `prevHash`).
 * Returns the first broken row, or undefined when the page is intact.
 */
export function findFirstBreak(
  rows: readonly ChainRow[],
  prevHash: string,
): { seq: number; problem: ChainProblem } | undefined {
  let expectedPrev = prevHash;
  for (const row of rows) {
    if (row.prevHash !== expectedPrev) return { seq: row.seq, problem: "broken_link" };
    if (chainHash(row) !== row.hash) return { seq: row.seq, problem: "hash_mismatch" };
    expectedPrev = row.hash;
  }
  return undefined;
}
