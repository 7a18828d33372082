/**
 * @module The audit trail (审计日志). Every state change calls `deps.audit.record(trx, …)` (the AuditWriter that
 * createDeps builds with the deployment's chain key) inside the transaction that makes the change, so the event
 * commits or rolls back with it. Rows are append-only (database triggers) and
 * chained with HMAC-SHA-256 under a key from the configuration (`verifyAuditChain`, `gongkai audit verify`); the
 * chain head (newest seq + hash, with its own MAC) is kept in `audit_chain_head` so that deleting the newest rows is
 * detected too. Reading personal data is audited too (`deps.audit.personalDataRead`).
 */
import { stringify } from "csv-stringify/sync";
import type { DbOrTx } from "../db/database.ts";
import { neutralizeFormula } from "../shared/csv.ts";
import {
  type AuditFilter,
  chainPage,
  filteredPage,
  findChainHead,
  insertAuditRow,
  listAuditRows,
  lockChainTip,
  upsertChainHead,
} from "./audit.repository.ts";
import {
  type ChainProblem,
  chainHash,
  findFirstBreak,
  GENESIS_HASH,
  headMac,
  hexEqual,
  snapshotJson,
  type WalkState,
} from "./audit.rules.ts";
import type { AuditEventRow } from "./audit.table.ts";

export type { AuditFilter } from "./audit.repository.ts";
export type { ChainProblem } from "./audit.rules.ts";
/** The chain key from configuration (for verification by the server and the CLI). */
export { auditKeyFrom } from "./audit.rules.ts";

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
 * Writes the audit chain with this deployment's key (`deps.audit`, created by createDeps from the configuration).
 * Call `record` with the transaction that performs the change, so the event commits or rolls back with it.
 */
export interface AuditWriter {
  /** The chain key (undefined: an unkeyed writer, whose 'sha256' rows verification flags). */
  readonly key: Buffer | undefined;
  /** Appends an event inside `trx`; returns its seq. */
  record(trx: DbOrTx, event: AuditEventInput): Promise<number>;
  /** Records that a staff user read personal data (申请人身份/联系方式 etc.), when it is shown or exported. */
  personalDataRead(db: DbOrTx, read: PersonalDataRead): Promise<number>;
}

export function createAuditWriter(key: Buffer | undefined): AuditWriter {
  return {
    key,
    record: (trx, event) => appendAudit(trx, key, event),
    personalDataRead: (db, read) => appendAudit(db, key, personalDataEvent(read)),
  };
}

/**
 * Appends an event to the audit chain, chained with `key` (HMAC-SHA-256; plain SHA-256 when there is none). Given
 * the pool instead of a transaction, it opens its own (the event is then not atomic with anything else).
 */
async function appendAudit(trx: DbOrTx, key: Buffer | undefined, event: AuditEventInput): Promise<number> {
  if (!trx.isTransaction) return trx.transaction().execute((t) => appendAudit(t, key, event));
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
  const hashAlg = key ? "hmac-sha256" : "sha256";
  const hash = chainHash(fields, hashAlg, key);
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
    hash,
    hash_alg: hashAlg,
  });
  await upsertChainHead(trx, {
    lastSeq: fields.seq,
    lastHash: hash,
    headMac: key ? headMac(key, fields.seq, hash) : null,
    now: fields.occurredAt,
  });
  return fields.seq;
}

function clip(value: string | null, max: number): string | null {
  if (value === null) return null;
  // Strip NUL (PostgreSQL text cannot hold it) and cap the length.
  const clean = value.replaceAll("\u0000", "");
  return clean.length > max ? clean.slice(0, max) : clean;
}

/** The actor fields of an event from a request: `deps.audit.record(trx, { ...actorOf(request), action, … })`. */
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

export interface PersonalDataRead {
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
}

function personalDataEvent(read: PersonalDataRead): AuditEventInput {
  return {
    actorId: read.actorId,
    actorName: read.actorName,
    ip: read.ip ?? null,
    action: "personal_data.read",
    agencyId: read.agencyId,
    entityType: read.entityType,
    entityId: read.entityId,
    summary: `查看个人信息（${read.fields.join("、")}）${read.purpose ? `：${read.purpose}` : ""}`,
    after: { fields: read.fields, purpose: read.purpose ?? null },
  };
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
  /** Rows verified (before the first broken one). */
  checked: number;
  /** The first row that fails verification. */
  firstBroken?: { seq: number; problem: ChainProblem } | undefined;
  lastSeq: number | null;
  /** Rows protected only by unkeyed SHA-256 (written before the keyed chain, or by a process without a key). */
  unkeyedRows: number;
  /**
   * The chain head (read before the rows; rows appended meanwhile are verified too): ok; missing (rows but no
   * head); mismatch (the newest rows were deleted, or the head was rewritten — a head without MAC is accepted only
   * while its row is unkeyed); not_checked (the rows themselves are broken).
   */
  head: "ok" | "missing" | "mismatch" | "not_checked";
}

/**
 * Re-computes every hash and link in order with `key` (the deployment's: `deps.audit.key`; a restored archive's
 * when checking a restore), then compares the newest row with the chain head. Reports the first broken row.
 */
export async function verifyAuditChain(
  db: DbOrTx,
  options: { key: Buffer | undefined; pageSize?: number },
): Promise<ChainReport> {
  const { key } = options;
  const pageSize = options.pageSize ?? 2000;
  // Read the head first: rows appended while verifying then only extend the chain past it.
  const head = await findChainHead(db);
  let afterSeq = 0;
  let checked = 0;
  const state: WalkState = { prevHash: GENESIS_HASH, seenKeyed: false, unkeyedRows: 0 };
  let headRow: { seq: number; hash: string; keyed: boolean } | undefined;
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
      hashAlg: r.hash_alg,
    }));
    // The first row may follow rows deleted after the retention period: accept its stored link.
    if (checked === 0) state.prevHash = chainRows[0]?.prevHash ?? GENESIS_HASH;
    const broken = findFirstBreak(chainRows, state, key);
    if (broken) {
      checked += chainRows.findIndex((r) => r.seq === broken.seq);
      return {
        ok: false,
        checked,
        firstBroken: broken,
        lastSeq: null,
        unkeyedRows: state.unkeyedRows,
        head: "not_checked",
      };
    }
    checked += chainRows.length;
    const atHead = head && chainRows.find((r) => r.seq === head.last_seq);
    if (atHead) headRow = { seq: atHead.seq, hash: atHead.hash, keyed: atHead.hashAlg !== "sha256" };
    afterSeq = (chainRows[chainRows.length - 1] as (typeof chainRows)[number]).seq;
  }
  const headStatus = checkHead(head, headRow, checked, key);
  return {
    ok: headStatus === "ok",
    checked,
    lastSeq: checked ? afterSeq : null,
    unkeyedRows: state.unkeyedRows,
    head: headStatus,
  };
}

function checkHead(
  head: Awaited<ReturnType<typeof findChainHead>>,
  headRow: { seq: number; hash: string; keyed: boolean } | undefined,
  checked: number,
  key: Buffer | undefined,
): ChainReport["head"] {
  if (!head) return checked === 0 ? "ok" : "missing";
  // The head names a row that no longer exists (the newest rows were deleted) or a different hash.
  if (!headRow || !hexEqual(headRow.hash, head.last_hash)) return "mismatch";
  if (head.head_mac === null) return headRow.keyed ? "mismatch" : "ok";
  if (!key || !hexEqual(headMac(key, head.last_seq, head.last_hash), head.head_mac)) return "mismatch";
  return "ok";
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

export { neutralizeFormula } from "../shared/csv.ts";
