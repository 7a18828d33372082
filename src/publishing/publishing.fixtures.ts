/**
 * @module The test factories of records (the publishing feature owns them), used by every feature's tests:
 * `publishOn` takes a record through the real workflow (drafted, reviewed, approved, published on a date);
 * `insertTestRecord` writes a record row in a given state through publishing's repository, for readers' tests (portal,
 * search, page cache) that need many records or records in states the workflow reaches only slowly (withdrawn,
 * repealed). Catalogs come from src/catalog/catalog.fixtures.ts.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { StaffActor } from "../accounts/policy.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { fixedClock } from "../shared/clock.ts";
import { updatePublishingSettings } from "./publishing-settings.service.ts";
import { insertRecord } from "./record.repository.ts";
import type { ContentInput } from "./record.service.ts";
import type { BulkRecord } from "./record-bulk.ts";
import { createRecord } from "./record-draft.service.ts";
import { advanceRecord } from "./record-workflow.service.ts";

export const FULL_CHECKLIST = {
  noStateSecret: true,
  noWorkSecret: true,
  noPersonalPrivacy: true,
  noTradeSecret: true,
  noThreeSecurityRisk: true,
  consistentWithPolicy: true,
} as const;

/**
 * Gives the agency the 索引号 settings publishing needs: a demo code (`indexCode`, marked as demo) in the template
 * `{CREDIT}/{YYYY}-{NNNNN}` unless `indexTemplate` says otherwise; no notification addresses.
 */
export async function useDemoIndexCode(
  deps: Deps,
  agencyId: string,
  indexCode: string,
  indexTemplate = "{CREDIT}/{YYYY}-{NNNNN}",
): Promise<void> {
  await updatePublishingSettings(deps, null, agencyId, {
    indexTemplate,
    indexCode,
    indexCodeIsDemo: true,
    notifyEmails: {},
  });
}

/** Creates a record and takes it through every step on `date` (the actor needs all workflow roles). */
export async function publishOn(
  deps: Deps,
  actor: StaffActor,
  agencyId: string,
  date: string,
  input: ContentInput,
): Promise<string> {
  const d = { ...deps, clock: fixedClock(`${date}T10:00:00+08:00`) };
  const { id } = await createRecord(d, actor, agencyId, input);
  await advanceRecord(d, actor, agencyId, id, "submit");
  await advanceRecord(d, actor, agencyId, id, "review", { checklist: FULL_CHECKLIST });
  await advanceRecord(d, actor, agencyId, id, "approve", { piiOverrideReason: "测试数据" });
  await advanceRecord(d, actor, agencyId, id, "publish");
  return id;
}

export interface FixtureRecord {
  title: string;
  body?: string;
  summary?: string;
  docNumber?: string;
  itemKey?: string | null;
  publishedDate?: string;
  validity?: "有效" | "失效" | "废止" | null;
  genre?: string;
  topic?: string;
  status?: "published" | "draft" | "withdrawn";
  kind?: "document" | "interpretation";
  repealDate?: string | null;
  issuingAgency?: string;
  keywords?: string[];
}

let serial = 0;

/** Inserts a record (published by default, filed under the catalog item `itemKey`) and returns its id. */
export async function insertTestRecord(db: DbOrTx, agencyId: string, r: FixtureRecord): Promise<string> {
  const status = r.status ?? "published";
  const published = status !== "draft";
  const date = r.publishedDate ?? "2026-03-02";
  serial++;
  const body = r.body ?? "";
  const row = await insertRecord(db, {
    agency_id: agencyId,
    id: randomUUID(),
    kind: r.kind ?? "document",
    status,
    index_no: published ? `TEST/${date.slice(0, 4)}-${String(serial).padStart(5, "0")}` : null,
    index_pattern: null,
    current_revision_no: published ? 1 : null,
    latest_revision_no: 1,
    workflow_status: published ? "published" : "draft",
    title: r.title,
    summary: r.summary ?? "",
    issuing_agency: r.issuingAgency ?? "测试机关",
    doc_number: r.docNumber ?? "",
    formed_date: date,
    changed_date: null,
    published_date: published ? date : null,
    revised_date: published ? date : null,
    topic: r.topic ?? "劳动、人事、监察",
    genre: r.genre ?? "通知",
    keywords: r.keywords ?? [],
    validity: r.validity === undefined ? "有效" : r.validity,
    effective_date: null,
    repeal_date: r.repealDate ?? null,
    replaced_by_record_id: null,
    replaced_by_text: "",
    disclosure: "主动公开",
    non_disclosure_reason: "",
    item_id: null,
    item_stable_key: r.itemKey ?? null,
    element_id: null,
    element_stable_key: null,
    department_id: null,
    doc_category: null,
    decision_count: 0,
    fee_amount_wan: null,
    body_html: body
      .split("\n")
      .map((p) => `<p>${p.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>`)
      .join(""),
    body_text: body,
    attachment_ids: [],
    due_date: null,
    due_explanation: "",
    due_basis: null,
    due_provisional: false,
    due_rule: null,
    late: null,
    created_by: null,
    first_published_at: published ? new Date(`${date}T02:00:00Z`) : null,
    published_at: published ? new Date(`${date}T02:00:00Z`) : null,
    withdrawn_at: status === "withdrawn" ? new Date(`${date}T03:00:00Z`) : null,
    withdrawn_by: null,
    withdrawn_reason: status === "withdrawn" ? "测试撤回" : null,
  });
  return row.id;
}

/**
 * A published record for the bulk loader (record-bulk.ts: `bulkLoadPublishedRecords`) with plain defaults — a
 * 通知 of 2025-03-01 without 文号, summary, keywords, catalog item or HTML body; give what the test is about.
 */
export function bulkTestRecord(
  agencyId: string,
  r: Pick<BulkRecord, "indexNo" | "title" | "bodyText"> & Partial<BulkRecord>,
): BulkRecord {
  return {
    agencyId,
    id: randomUUID(),
    summary: "",
    issuingAgency: "测试机关",
    docNumber: "",
    publishedDate: "2025-03-01",
    topic: "劳动、人事、监察",
    genre: "通知",
    keywords: [],
    validity: null,
    itemId: null,
    itemStableKey: null,
    bodyHtml: "",
    ...r,
  };
}

/**
 * Runs `fn` while some records' search signatures are altered — `zeroed`: no bit set (the walks must skip the
 * record), `unsigned`: NULL (as rows written before the column existed; the walks must still verify it) — with
 * the search trigger off so the rows keep what was written; the signatures are recomputed afterwards.
 */
export async function withAlteredSignatures<T>(
  db: DbOrTx,
  ids: { zeroed?: readonly string[]; unsigned?: readonly string[] },
  fn: () => Promise<T>,
): Promise<T> {
  const zeroed = [...(ids.zeroed ?? [])];
  const unsigned = [...(ids.unsigned ?? [])];
  await sql`ALTER TABLE records DISABLE TRIGGER records_search_columns`.execute(db);
  try {
    if (zeroed.length)
      await sql`UPDATE records SET search_sig = decode(repeat('00', 256), 'hex') WHERE id = ANY(${zeroed}::uuid[])`.execute(
        db,
      );
    if (unsigned.length)
      await sql`UPDATE records SET search_sig = NULL WHERE id = ANY(${unsigned}::uuid[])`.execute(db);
    return await fn();
  } finally {
    await sql`UPDATE records SET search_sig = gk_search_sig(search_grams)
      WHERE id = ANY(${[...zeroed, ...unsigned]}::uuid[])`.execute(db);
    await sql`ALTER TABLE records ENABLE TRIGGER records_search_columns`.execute(db);
  }
}
