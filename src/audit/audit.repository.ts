/**
 * @module SQL for the audit log. Appends are serialised by a transaction-scoped advisory lock so two concurrent
 * transactions cannot both chain onto the same previous row.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import type { AuditChainHeadTable, AuditEventRow, AuditEventTable } from "./audit.table.ts";

/** Advisory lock key of the audit chain ("gongkai audit" as a small constant). */
export const AUDIT_CHAIN_LOCK = 0x67_6b_61_75_64; // "gkaud"

/** Takes the chain lock (held until the transaction ends), returns the next seq, the chain tip and the time. */
export async function lockChainTip(
  trx: DbOrTx,
): Promise<{ seq: number; prevHash: string | null; now: Date }> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const { rows } = await sql<{ seq: string | number; prev: string | null; now: Date }>`
    SELECT nextval(pg_get_serial_sequence('audit_events', 'seq')) AS seq,
           (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS prev,
           clock_timestamp() AS now`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error("audit chain tip query returned nothing");
  return { seq: Number(row.seq), prevHash: row.prev, now: row.now };
}

export async function insertAuditRow(
  trx: DbOrTx,
  row: Omit<AuditEventTable, "seq"> & { seq: number },
): Promise<void> {
  await trx.insertInto("audit_events").values(row).execute();
}

/** Moves the chain head to the row just appended (same transaction, chain lock held). */
export async function upsertChainHead(
  trx: DbOrTx,
  head: { lastSeq: number; lastHash: string; headMac: string | null; now: Date },
): Promise<void> {
  const values = {
    last_seq: head.lastSeq,
    last_hash: head.lastHash,
    head_mac: head.headMac,
    updated_at: head.now,
  };
  await trx
    .insertInto("audit_chain_head")
    .values({ id: true, ...values })
    .onConflict((oc) => oc.column("id").doUpdateSet(values))
    .execute();
}

export async function findChainHead(
  db: DbOrTx,
): Promise<Pick<AuditChainHeadTable, "last_seq" | "last_hash" | "head_mac"> | undefined> {
  const row = await db
    .selectFrom("audit_chain_head")
    .select(["last_seq", "last_hash", "head_mac"])
    .executeTakeFirst();
  return row ? { ...row, last_seq: Number(row.last_seq) } : undefined;
}

export interface AuditFilter {
  agencyIds?: string[] | undefined;
  actorId?: string | undefined;
  actorName?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  text?: string | undefined;
}

function applyFilter(db: DbOrTx, f: AuditFilter) {
  let q = db.selectFrom("audit_events");
  if (f.agencyIds) q = q.where("scope_agency_id", "in", f.agencyIds.length ? f.agencyIds : [null as never]);
  if (f.actorId) q = q.where("actor_id", "=", f.actorId);
  if (f.actorName) q = q.where("actor_name", "ilike", `%${escapeLike(f.actorName)}%`);
  if (f.action) q = q.where("action", "like", `${escapeLike(f.action)}%`);
  if (f.entityType) q = q.where("entity_type", "=", f.entityType);
  if (f.entityId) q = q.where("entity_id", "=", f.entityId);
  if (f.from) q = q.where("occurred_at", ">=", f.from);
  if (f.to) q = q.where("occurred_at", "<", f.to);
  if (f.text) q = q.where("summary", "ilike", `%${escapeLike(f.text)}%`);
  return q;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Newest first; `beforeSeq` pages backwards. */
export async function listAuditRows(
  db: DbOrTx,
  f: AuditFilter,
  options: { limit: number; beforeSeq?: number | undefined },
): Promise<AuditEventRow[]> {
  let q = applyFilter(db, f).selectAll();
  if (options.beforeSeq !== undefined) q = q.where("seq", "<", options.beforeSeq);
  return q.orderBy("seq", "desc").limit(options.limit).execute();
}

/** Rows in chain order after `afterSeq` (for verification and export). */
export async function chainPage(db: DbOrTx, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
  return db
    .selectFrom("audit_events")
    .selectAll()
    .where("seq", ">", afterSeq)
    .orderBy("seq", "asc")
    .limit(limit)
    .execute();
}

export async function filteredPage(
  db: DbOrTx,
  f: AuditFilter,
  afterSeq: number,
  limit: number,
): Promise<AuditEventRow[]> {
  return applyFilter(db, f)
    .selectAll()
    .where("seq", ">", afterSeq)
    .orderBy("seq", "asc")
    .limit(limit)
    .execute();
}
