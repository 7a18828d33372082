/**
 * @module Publishing's read functions for inspections (检查指标), used by the supervision feature: counts of
 * published records missing metadata, and 行政规范性文件 without validity status or a linked 政策解读. SQL on
 * publishing's own tables only; callers get counts, never rows of these tables.
 */
import { sql } from "kysely";
import type { DbOrTx } from "../db/database.ts";
import { PUBLISHED } from "./record.table.ts";

export interface RecordInspectionFigures {
  /** Published records missing 标题 / 索引号 / 成文日期, and documents with a 文号-bearing category missing 文号. */
  missing: { title: number; indexNumber: number; formedDate: number; docNumber: number };
  /** Published 行政规范性文件: total, without 有效性, without a linked 政策解读. */
  normative: { total: number; withoutValidity: number; withoutInterpretation: number };
}

export async function recordInspectionFigures(
  db: DbOrTx,
  agencyId: string,
): Promise<RecordInspectionFigures> {
  const row = await db
    .selectFrom("records as r")
    .where("r.agency_id", "=", agencyId)
    .where("r.status", "=", PUBLISHED)
    .where("r.kind", "=", "document")
    .select([
      sql<number>`count(*) filter (where btrim(r.title) = '')::int`.as("no_title"),
      sql<number>`count(*) filter (where r.index_no is null or btrim(r.index_no) = '')::int`.as("no_index"),
      sql<number>`count(*) filter (where r.formed_date is null)::int`.as("no_formed"),
      sql<number>`count(*) filter (where r.doc_category in ('rules', 'normative_documents') and btrim(r.doc_number) = '')::int`.as(
        "no_doc_number",
      ),
      sql<number>`count(*) filter (where r.doc_category = 'normative_documents')::int`.as("normative"),
      sql<number>`count(*) filter (where r.doc_category = 'normative_documents' and r.validity is null)::int`.as(
        "normative_no_validity",
      ),
      sql<number>`count(*) filter (where r.doc_category = 'normative_documents' and not exists (
        select 1 from record_interpretations ri
        join records i on i.agency_id = ri.agency_id and i.id = ri.interpretation_id and i.status = ${PUBLISHED}
        where ri.agency_id = r.agency_id and ri.policy_id = r.id))::int`.as("normative_no_interpretation"),
    ])
    .executeTakeFirstOrThrow();
  return {
    missing: {
      title: row.no_title,
      indexNumber: row.no_index,
      formedDate: row.no_formed,
      docNumber: row.no_doc_number,
    },
    normative: {
      total: row.normative,
      withoutValidity: row.normative_no_validity,
      withoutInterpretation: row.normative_no_interpretation,
    },
  };
}

export interface ExternalLinkFigures {
  /** External links checked by the last nightly run, and those failing. */
  checked: number;
  broken: number;
  /** Distinct domains that have lapsed (NXDOMAIN or parked), and the links pointing to them. */
  lapsedDomains: number;
  lapsedLinks: number;
  /** When the last run checked them (null: never). */
  checkedAt: Date | null;
}

/** The last link check's external-link figures of an agency (external_link_results, written by the nightly job). */
export async function externalLinkFigures(db: DbOrTx, agencyId: string): Promise<ExternalLinkFigures> {
  const row = await db
    .selectFrom("external_link_results")
    .where("agency_id", "=", agencyId)
    .select([
      sql<number>`count(*)::int`.as("checked"),
      sql<number>`count(*) filter (where reason is not null)::int`.as("broken"),
      sql<number>`count(distinct domain) filter (where lapse is not null)::int`.as("lapsed_domains"),
      sql<number>`count(*) filter (where lapse is not null)::int`.as("lapsed_links"),
      sql<Date | null>`max(checked_at)`.as("checked_at"),
    ])
    .executeTakeFirstOrThrow();
  return {
    checked: row.checked,
    broken: row.broken,
    lapsedDomains: row.lapsed_domains,
    lapsedLinks: row.lapsed_links,
    checkedAt: row.checked_at,
  };
}
