/**
 * @module Test data for the portal's tests: a published catalog and published records inserted directly (the
 * portal reads them; how they get there is the catalog and publishing features' business).
 */
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "../db/database.ts";

export interface FixtureItem {
  key: string;
  name: string;
  level?: 1 | 2 | 3;
  children?: FixtureItem[];
  content?: string;
  deadline?: string;
  channels?: string[];
}

/** Inserts a catalog with one published version holding these items; returns the version id. */
export async function insertPublishedCatalog(
  db: DbOrTx,
  agencyId: string,
  items: FixtureItem[],
  title = "主动公开事项目录",
): Promise<string> {
  const catalog = await db
    .insertInto("catalogs")
    .values({ agency_id: agencyId, title })
    .returning("id")
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto("catalog_versions")
    .values({
      agency_id: agencyId,
      catalog_id: catalog.id,
      version_no: 1,
      status: "published",
      title,
      based_on_version_id: null,
      created_by: null,
      published_at: new Date("2026-01-05T02:00:00Z"),
      published_by: null,
      superseded_at: null,
      note: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  let order = 0;
  const insert = async (list: FixtureItem[], parentId: string | null, level: 1 | 2 | 3) => {
    for (const it of list) {
      const row = await db
        .insertInto("catalog_items")
        .values({
          agency_id: agencyId,
          version_id: version.id,
          parent_id: parentId,
          level: it.level ?? level,
          number: null,
          name: it.name,
          deadline_text: it.deadline ?? "信息形成或者变更之日起20个工作日内",
          subject: null,
          channels: it.channels ?? ["政府网站"],
          audience: "全社会",
          mode: "主动",
          form: null,
          admin_level: null,
          responsible_text: "办公室",
          remarks: null,
          sort_order: order++,
          stable_key: it.key,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (it.content)
        await db
          .insertInto("catalog_elements")
          .values({
            agency_id: agencyId,
            item_id: row.id,
            number: null,
            label: "",
            content: it.content,
            deadline_text: null,
            sort_order: 0,
            stable_key: `${it.key}#0`,
          })
          .execute();
      if (it.children) await insert(it.children, row.id, Math.min(3, level + 1) as 1 | 2 | 3);
    }
  };
  await insert(items, null, 1);
  return version.id;
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

/** Inserts a record (published by default) and returns its id. */
export async function insertRecord(db: DbOrTx, agencyId: string, r: FixtureRecord): Promise<string> {
  const status = r.status ?? "published";
  const published = status !== "draft";
  const date = r.publishedDate ?? "2026-03-02";
  serial++;
  const body = r.body ?? "";
  const row = await db
    .insertInto("records")
    .values({
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
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
