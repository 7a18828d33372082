/**
 * @module Test fixtures for publishing: a published catalog with items, elements, parsed deadline rules and
 * responsible departments, inserted directly (the catalog feature's import is tested there).
 */
import { parseDeadlinePhrase } from "../calendar/deadline-rules.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { fixedClock } from "../shared/clock.ts";
import type { Actor, ContentInput } from "./record.service.ts";
import { createRecord } from "./record-draft.service.ts";
import { advanceRecord } from "./record-workflow.service.ts";

export interface FixtureItemSpec {
  key: string;
  name: string;
  deadline: string;
  elements?: { key: string; label: string; deadline?: string }[];
  departmentId?: string;
}

export interface FixtureItem {
  id: string;
  stableKey: string;
  elements: Record<string, string>;
}

/** Inserts a published catalog version with the given leaf items under one level-1 item. */
export async function createPublishedCatalog(
  db: DbOrTx,
  agencyId: string,
  specs: FixtureItemSpec[],
  publishedAt = new Date("2024-01-02T02:00:00Z"),
): Promise<Record<string, FixtureItem>> {
  const catalog = await db
    .insertInto("catalogs")
    .values({ agency_id: agencyId, title: "主动公开事项目录" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto("catalog_versions")
    .values({
      agency_id: agencyId,
      catalog_id: catalog.id,
      version_no: 1,
      status: "published",
      title: "主动公开事项目录（第1版）",
      based_on_version_id: null,
      created_by: null,
      published_at: publishedAt,
      published_by: null,
      superseded_at: null,
      note: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const root = await db
    .insertInto("catalog_items")
    .values({
      agency_id: agencyId,
      version_id: version.id,
      parent_id: null,
      level: 1,
      number: "一",
      name: "就业创业",
      deadline_text: null,
      subject: null,
      audience: null,
      mode: "主动",
      form: null,
      admin_level: null,
      remarks: null,
      sort_order: 0,
      stable_key: "root",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const out: Record<string, FixtureItem> = {};
  let order = 1;
  for (const spec of specs) {
    const parsed = parseDeadlinePhrase(spec.deadline);
    const item = await db
      .insertInto("catalog_items")
      .values({
        agency_id: agencyId,
        version_id: version.id,
        parent_id: root.id,
        level: 2,
        number: String(order),
        name: spec.name,
        deadline_text: spec.deadline,
        deadline_rules: JSON.stringify(parsed.rules),
        deadline_unparsed: parsed.unparsed,
        subject: null,
        audience: "全社会",
        mode: "主动",
        form: "全文",
        admin_level: "县级",
        remarks: null,
        sort_order: order++,
        stable_key: spec.key,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const elements: Record<string, string> = {};
    for (const [i, el] of (spec.elements ?? []).entries()) {
      const rules = el.deadline ? parseDeadlinePhrase(el.deadline).rules : [];
      const row = await db
        .insertInto("catalog_elements")
        .values({
          agency_id: agencyId,
          item_id: item.id,
          label: el.label,
          content: `${el.label}相关信息`,
          deadline_text: el.deadline ?? null,
          deadline_rules: JSON.stringify(rules),
          sort_order: i,
          stable_key: el.key,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      elements[el.key] = row.id;
    }
    if (spec.departmentId) {
      await db
        .insertInto("catalog_item_units")
        .values({
          agency_id: agencyId,
          item_id: item.id,
          department_id: spec.departmentId,
          role: "lead",
          sort_order: 0,
        })
        .execute();
    }
    out[spec.key] = { id: item.id, stableKey: spec.key, elements };
  }
  return out;
}

export const FULL_CHECKLIST = {
  noStateSecret: true,
  noWorkSecret: true,
  noPersonalPrivacy: true,
  noTradeSecret: true,
  noThreeSecurityRisk: true,
  consistentWithPolicy: true,
} as const;

/** Creates a record and takes it through every step on `date` (the actor needs all workflow roles). */
export async function publishOn(
  deps: Deps,
  actor: Actor,
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
