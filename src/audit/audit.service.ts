/**
 * @module The audit trail (审计日志). Every state change calls `recordAudit(trx, …)` inside the transaction that
 * makes the change, so the event commits or rolls back with it. Rows are append-only (database triggers) and
 * hash-chained (`verifyAuditChain`, `gongkai audit verify`). Reading personal data is audited too
 * (`recordPersonalDataRead`).
 */
import { stringify } from "csv-stringify/sync";
import type { DbOrTx } from "../db/database.ts";
import {
  type AuditFilter,
  chainPage,
  filteredPage,
  insertAuditRow,
  listAuditRows,
  lockChainTip,
} from "./audit.repository.ts";
import { type ChainProblem, chainHash, findFirstBreak, GENESIS_HASH, snapshotJson } from "./audit.rules.ts";
import type { AuditEventRow } from "./audit.table.ts";

export type { AuditFilter } from "./audit.repository.ts";

export interface AuditEventInput {
  /** The staff user who acted (null for the system or an anonymous visitor). */
  actorId: string | null;
  /** Display name at the time (kept even if the account is renamed later). */
  actorName?: string | undefined;
  /** Dotted verb, e.g. "user.create", "record.publish", "personal_data.read". */
  action: string;
  /** The agency whose data changed (null for platform-level changes). */
  agencyId: string | null;
  entityType: string;
  entityId: string | null;
  /** One line in Chinese for the log viewer, e.g. "发布信息《…》". */
  summary: string;
  /** Snapshot before / after (small objects; never passwords or secrets). */
  before?: unknown;
  after?: unknown;
  ip?: string | null | undefined;
}

export interface AuditEvent {
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  agencyId: string | null;
  entityType: string;
  entityId: string | null;
  summary: string;
  before: string | null;
  after: string | null;
  ip: string | null;
  hash: string;
}

/**
 * Appends an event to the audit chain. Call it with the transaction that performs the change. Given the pool
 * instead of a transaction, it opens its own (the event is then not atomic with anything else).
 */
export async function recordAudit(trx: DbOrTx, event: AuditEventInput): Promise<number> {
  if (!trx.isTransaction) return trx.transaction().execute((t) => recordAudit(t, event));
  const tip = await lockChainTip(trx);
  const fields = {
    seq: tip.seq,
    // pg keeps microseconds; a JS Date keeps milliseconds: store what we hash.
    occurredAt: new Date(tip.now.getTime()),
    actorId: event.actorId,
    actorName: clip(event.actorName ?? null, 100),
    action: clip(event.action, 100) as string,
    agencyId: event.agencyId,
    entityType: clip(event.entityType, 100) as string,
    entityId: clip(event.entityId, 200),
    summary: clip(event.summary, 1000) as string,
    beforeJson: snapshotJson(event.before),
    afterJson: snapshotJson(event.after),
    ip: clip(event.ip ?? null, 64),
    prevHash: tip.prevHash ?? GENESIS_HASH,
  };
  await insertAuditRow(trx, {
    seq: fields.seq,
    occurred_at: fields.occurredAt,
    actor_id: fields.actorId,
    actor_name: fields.actorName,
    action: fields.action,
    scope_agency_id: fields.agencyId,
    entity_type: fields.entityType,
    entity_id: fields.entityId,
    summary: fields.summary,
    before_json: fields.beforeJson,
    after_json: fields.afterJson,
    ip: fields.ip,
    prev_hash: fields.prevHash,
    hash: chainHash(fields),
  });
  return fields.seq;
}

function clip(value: string | null, max: number): string | null {
  if (value === null) return null;
  // Strip NUL (PostgreSQL text cannot hold it) and cap the length.
  const clean = value.replaceAll("\u0000", "");
  return clean.length > max ? clean.slice(0, max) : clean;
}

/** The actor fields of an event from a request: `recordAudit(trx, { ...actorOf(request), action, … })`. */
export function actorOf(request: {
  staff?: { id: string; displayName: string } | undefined;
  ip?: string | undefined;
}): { actorId: string | null; actorName: string | undefined; ip: string | null } {
  return {
    actorId: request.staff?.id ?? null,
    actorName: request.staff?.displayName,
    ip: request.ip ?? null,
  };
}

/**
 * Records that a staff user read personal data (申请人身份/联系方式 etc.). Call it when the data is shown or
 * exported, in the same transaction as the read when there is one.
 */
export async function recordPersonalDataRead(
  db: DbOrTx,
  read: {
    actorId: string | null;
    actorName?: string | undefined;
    ip?: string | null | undefined;
    agencyId: string | null;
    entityType: string;
    entityId: string | null;
    /** Which personal fields were revealed, e.g. ["name", "idNumber", "phone"]. */
    fields: string[];
    /** Why (optional), e.g. "办理申请". */
    purpose?: string | undefined;
  },
): Promise<number> {
  return recordAudit(db, {
    actorId: read.actorId,
    actorName: read.actorName,
    ip: read.ip ?? null,
    action: "personal_data.read",
    agencyId: read.agencyId,
    entityType: read.entityType,
    entityId: read.entityId,
    summary: `查看个人信息（${read.fields.join("、")}）${read.purpose ? `：${read.purpose}` : ""}`,
    after: { fields: read.fields, purpose: read.purpose ?? null },
  });
}

function toEvent(row: AuditEventRow): AuditEvent {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    agencyId: row.scope_agency_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    summary: row.summary,
    before: row.before_json,
    after: row.after_json,
    ip: row.ip,
    hash: row.hash,
  };
}

export async function listAuditEvents(
  db: DbOrTx,
  filter: AuditFilter,
  options: { limit?: number; beforeSeq?: number | undefined } = {},
): Promise<AuditEvent[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  return (await listAuditRows(db, filter, { limit, beforeSeq: options.beforeSeq })).map(toEvent);
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The first row that fails verification. */
  firstBroken?: { seq: number; problem: ChainProblem } | undefined;
  lastSeq: number | null;
}

/** Re-computes every hash and link in order; reports the first broken row. */
export async function verifyAuditChain(db: DbOrTx, pageSize = 2000): Promise<ChainReport> {
  let afterSeq = 0;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await chainPage(db, afterSeq, pageSize);
    if (rows.length === 0) break;
    const chainRows = rows.map((r) => ({
      seq: Number(r.seq),
      occurredAt: r.occurred_at,
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      agencyId: r.scope_agency_id,
      entityType: r.entity_type,
      entityId: r.entity_id,
      summary: r.summary,
      beforeJson: r.before_json,
      afterJson: r.after_json,
      ip: r.ip,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
    // The first row may follow rows deleted after the retention period: accept its stored link.
    const start = checked === 0 ? (chainRows[0]?.prevHash ?? GENESIS_HASH) : prevHash;
    const broken = findFirstBreak(chainRows, start);
    if (broken) {
      checked += chainRows.findIndex((r) => r.seq === broken.seq);
      return { ok: false, checked, firstBroken: broken, lastSeq: null };
    }
    checked += chainRows.length;
    const last = chainRows[chainRows.length - 1] as (typeof chainRows)[number];
    prevHash = last.hash;
    afterSeq = last.seq;
  }
  return { ok: true, checked, lastSeq: checked ? afterSeq : null };
}

const CSV_HEADER = [
  "序号",
  "时间(UTC)",
  "操作人ID",
  "操作人",
  "操作",
  "机关ID",
  "对象类型",
  "对象ID",
  "摘要",
  "变更前",
  "变更后",
  "IP",
  "哈希",
];

/** CSV export of the filtered log in chain order (UTF-8 with BOM so spreadsheet software reads Chinese). */
export async function exportAuditCsv(db: DbOrTx, filter: AuditFilter, maxRows = 100_000): Promise<string> {
  const parts: string[] = [`\uFEFF${stringify([CSV_HEADER])}`];
  let afterSeq = 0;
  let total = 0;
  while (total < maxRows) {
    const rows = await filteredPage(db, filter, afterSeq, Math.min(2000, maxRows - total));
    if (rows.length === 0) break;
    parts.push(
      stringify(
        rows.map((r) => [
          String(r.seq),
          r.occurred_at.toISOString(),
          r.actor_id ?? "",
          neutralizeFormula(r.actor_name ?? ""),
          r.action,
          r.scope_agency_id ?? "",
          r.entity_type,
          neutralizeFormula(r.entity_id ?? ""),
          neutralizeFormula(r.summary),
          neutralizeFormula(r.before_json ?? ""),
          neutralizeFormula(r.after_json ?? ""),
          r.ip ?? "",
          r.hash,
        ]),
      ),
    );
    total += rows.length;
    afterSeq = Number(rows[rows.length - 1]?.seq);
  }
  return parts.join("");
}

/** CSV injection: cells starting with = + - @ (or tab/CR) are prefixed with ' so spreadsheets do not run them. */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
