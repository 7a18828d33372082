/**
 * @module The one test factory of catalogs (the catalog feature owns them): a published catalog version with items,
 * elements, parsed deadline rules and responsible departments, inserted directly (the import and the editor are
 * tested in this feature). Every feature's tests that need a catalog use this.
 *
 *   // Leaf items under one level-1 item 一 就业创业 (the shape of a typical 目录):
 *   const items = await createPublishedCatalog(db, agency.id, [{ key: "k1", name: "就业补贴", deadline: "…" }]);
 *   // A tree from the top (level 1), the items' content as one element each:
 *   await createPublishedCatalog(db, agency.id, [{ key: "k1", name: "机构职能", children: [...] }], { root: null });
 */
import { parseDeadlinePhrase } from "../calendar/deadline-rules.ts";
import type { DbOrTx } from "../db/database.ts";

export interface FixtureItemSpec {
  key: string;
  name: string;
  /** 公开时限 as written; its rules are parsed as the import does (default: 20 working days). */
  deadline?: string;
  /** Elements (要素) with their own deadlines. */
  elements?: { key: string; label: string; deadline?: string }[];
  /** The item's content as one element (key `${key}#0`, no label). */
  content?: string;
  channels?: string[];
  /** The responsible department (牵头). */
  departmentId?: string;
  level?: 1 | 2 | 3;
  children?: FixtureItemSpec[];
}

export interface FixtureItem {
  id: string;
  stableKey: string;
  /** Element key → id. */
  elements: Record<string, string>;
}

const DEFAULT_DEADLINE = "信息形成或者变更之日起20个工作日内";
/** The level-1 item the specs go under unless `root: null`. */
const ROOT = { key: "root", name: "就业创业", number: "一" };

/**
 * Inserts a catalog with one published version holding `specs` (under the level-1 item 就业创业 unless
 * `root: null`); returns every item by key.
 */
export async function createPublishedCatalog(
  db: DbOrTx,
  agencyId: string,
  specs: FixtureItemSpec[],
  options: { root?: { key: string; name: string; number: string } | null; publishedAt?: Date } = {},
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
      published_at: options.publishedAt ?? new Date("2024-01-02T02:00:00Z"),
      published_by: null,
      superseded_at: null,
      note: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const out: Record<string, FixtureItem> = {};
  let order = 0;
  const insert = async (list: FixtureItemSpec[], parentId: string | null, level: 1 | 2 | 3) => {
    for (const [n, spec] of list.entries()) {
      const deadline = spec.deadline ?? DEFAULT_DEADLINE;
      const parsed = parseDeadlinePhrase(deadline);
      const item = await db
        .insertInto("catalog_items")
        .values({
          agency_id: agencyId,
          version_id: version.id,
          parent_id: parentId,
          level: spec.level ?? level,
          number: String(n + 1),
          name: spec.name,
          deadline_text: deadline,
          deadline_rules: JSON.stringify(parsed.rules),
          deadline_unparsed: parsed.unparsed,
          subject: null,
          channels: spec.channels ?? ["政府网站"],
          audience: "全社会",
          mode: "主动",
          form: "全文",
          admin_level: "县级",
          responsible_text: "办公室",
          remarks: null,
          sort_order: order++,
          stable_key: spec.key,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const elements: Record<string, string> = {};
      const specElements = [
        ...(spec.content !== undefined ? [{ key: `${spec.key}#0`, label: "", content: spec.content }] : []),
        ...(spec.elements ?? []).map((el) => ({ ...el, content: `${el.label}相关信息` })),
      ];
      for (const [i, el] of specElements.entries()) {
        const elDeadline = "deadline" in el ? el.deadline : undefined;
        const row = await db
          .insertInto("catalog_elements")
          .values({
            agency_id: agencyId,
            item_id: item.id,
            number: null,
            label: el.label,
            content: el.content,
            deadline_text: elDeadline ?? null,
            deadline_rules: JSON.stringify(elDeadline ? parseDeadlinePhrase(elDeadline).rules : []),
            sort_order: i,
            stable_key: el.key,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        elements[el.key] = row.id;
      }
      if (spec.departmentId)
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
      out[spec.key] = { id: item.id, stableKey: spec.key, elements };
      if (spec.children) await insert(spec.children, item.id, Math.min(3, level + 1) as 1 | 2 | 3);
    }
  };
  const root = options.root === undefined ? ROOT : options.root;
  if (root) {
    const row = await db
      .insertInto("catalog_items")
      .values({
        agency_id: agencyId,
        version_id: version.id,
        parent_id: null,
        level: 1,
        number: root.number,
        name: root.name,
        deadline_text: null,
        subject: null,
        audience: null,
        mode: "主动",
        form: null,
        admin_level: null,
        remarks: null,
        sort_order: order++,
        stable_key: root.key,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await insert(specs, row.id, 2);
  } else await insert(specs, null, 1);
  return out;
}
