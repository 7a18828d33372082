/**
 * @module Publishing's public read module: THE definition of "a record is published" and the read queries other
 * features need over published records (portal lists, feeds and sitemap; annual-report figures). Other features
 * never name the `records` table: they call these functions, and publishing may change its storage behind them.
 *
 * A record is published when `records.status = 'published'` (`PUBLISHED`): `records` then holds the published
 * revision the public sees. A withdrawn record (`withdrawn`, 撤回) is off the portal but was published: the
 * annual report still counts it for the year it was published in (`EVER_PUBLISHED`).
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { PUBLISHED, type RecordRow, type RecordStatus } from "./record.table.ts";

/** Public URLs of a published record and of its attachments. */
export { publicAttachmentPath, publicRecordPath } from "./record.paths.ts";
/** The one status of a record the public may see (portal pages, feeds, sitemap, search, open data). */
export { PUBLISHED };

/** Records that were published at some time (still published, or withdrawn since): annual-report figures. */
export const EVER_PUBLISHED: readonly RecordStatus[] = ["published", "withdrawn"];

/** Whether a record of this status is public. */
export function isPublished(status: RecordStatus): boolean {
  return status === PUBLISHED;
}

/** Published records per catalog item (by stable key, which survives catalog versions). */
export async function countPublishedByItem(db: DbOrTx, agencyId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("records")
    .select(["item_stable_key", (eb) => eb.fn.countAll<number>().as("n")])
    .where("agency_id", "=", agencyId)
    .where("status", "=", PUBLISHED)
    .where("item_stable_key", "is not", null)
    .groupBy("item_stable_key")
    .execute();
  return new Map(rows.map((r) => [r.item_stable_key as string, Number(r.n)]));
}

/**
 * Published records (of one agency or all; optionally of some catalog items, by stable key), newest first: by
 * 发布日期, then first publication, then id. An empty `itemStableKeys` list matches nothing.
 */
export async function listPublishedRecordRows(
  db: DbOrTx,
  f: { agencyId?: string | undefined; itemStableKeys?: string[] | undefined; limit: number; offset: number },
): Promise<{ rows: RecordRow[]; total: number }> {
  let q = db.selectFrom("records").where("status", "=", PUBLISHED);
  if (f.agencyId) q = q.where("agency_id", "=", f.agencyId);
  if (f.itemStableKeys)
    q = f.itemStableKeys.length
      ? q.where("item_stable_key", "in", f.itemStableKeys)
      : q.where(sql<boolean>`false`);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy("published_date", "desc")
      .orderBy("first_published_at", "desc")
      .orderBy("id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export interface PublishedRecordDates {
  agencyId: string;
  id: string;
  revisedDate: string | null;
  publishedDate: string | null;
}

/** Every published record's dates (sitemap), newest 发布日期 first; the caller resolves agency ids to slugs. */
export async function listPublishedRecordDates(db: DbOrTx, limit: number): Promise<PublishedRecordDates[]> {
  const rows = await db
    .selectFrom("records")
    .select(["agency_id", "id", "revised_date", "published_date"])
    .where("status", "=", PUBLISHED)
    .orderBy("published_date", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    agencyId: r.agency_id,
    id: r.id,
    revisedDate: r.revised_date,
    publishedDate: r.published_date,
  }));
}

// ----- Annual-report figures (国办公开办函〔2021〕30号 table 二 and the 主动公开 counts) ---------------------------

export interface CategoryCounts {
  doc_category: string;
  /** 本年制发: 成文日期 in the year. */
  issued: number;
  /** 本年废止: 废止/失效 date in the year. */
  repealed: number;
  /** 现行有效 at 31 December: formed by then, not repealed by then, not marked 失效/废止 without a date. */
  in_force: number;
  /** 本年处理决定数量: decisions published by records formed in the year. */
  decisions: number;
  /** 行政事业性收费 (万元) reported by records formed in the year. */
  fees_wan: number;
}

/**
 * Counts per annual-report category over the agency's published documents. Statistics period: 1 January –
 * 31 December of `year` (legal-spec §2.4).
 */
export async function recordCategoryCounts(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<CategoryCounts[]> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const rows = await db
    .selectFrom("records")
    .select([
      "doc_category",
      sql<number>`count(*) FILTER (WHERE formed_date BETWEEN ${from}::date AND ${to}::date)::int`.as(
        "issued",
      ),
      sql<number>`count(*) FILTER (WHERE repeal_date BETWEEN ${from}::date AND ${to}::date)::int`.as(
        "repealed",
      ),
      sql<number>`count(*) FILTER (WHERE formed_date <= ${to}::date
        AND (repeal_date IS NULL OR repeal_date > ${to}::date)
        AND NOT (repeal_date IS NULL AND validity IN ('失效', '废止')))::int`.as("in_force"),
      sql<number>`coalesce(sum(decision_count) FILTER (WHERE formed_date BETWEEN ${from}::date AND ${to}::date), 0)::int`.as(
        "decisions",
      ),
      sql<number>`coalesce(sum(fee_amount_wan) FILTER (WHERE formed_date BETWEEN ${from}::date AND ${to}::date), 0)`.as(
        "fees_wan",
      ),
    ])
    .where("agency_id", "=", agencyId)
    .where("status", "=", PUBLISHED)
    .where("kind", "=", "document")
    .where("doc_category", "is not", null)
    .groupBy("doc_category")
    .execute();
  return rows.map((r) => ({
    doc_category: r.doc_category ?? "",
    issued: Number(r.issued),
    repealed: Number(r.repealed),
    in_force: Number(r.in_force),
    decisions: Number(r.decisions),
    fees_wan: Number(r.fees_wan),
  }));
}

/**
 * Records first published in the year (主动公开; withdrawn since counts too), of which 政策解读 and of which late
 * (条例第26条).
 */
export async function recordPublicationCounts(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<{ published: number; interpretations: number; late: number }> {
  const row = await db
    .selectFrom("records")
    .select([
      sql<number>`count(*)::int`.as("published"),
      sql<number>`count(*) FILTER (WHERE kind = 'interpretation')::int`.as("interpretations"),
      sql<number>`count(*) FILTER (WHERE late IS TRUE)::int`.as("late"),
    ])
    .where("agency_id", "=", agencyId)
    .where("status", "in", EVER_PUBLISHED)
    .where("disclosure", "=", "主动公开")
    .where("published_date", ">=", `${year}-01-01`)
    .where("published_date", "<=", `${year}-12-31`)
    .executeTakeFirstOrThrow();
  return {
    published: Number(row.published),
    interpretations: Number(row.interpretations),
    late: Number(row.late),
  };
}
