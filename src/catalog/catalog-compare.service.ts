/**
 * @module Catalog comparisons (目录比对) as a use case: an agency's published catalog against a reference — a
 * loaded standard catalog (`standard:<slug>`) or another agency's published catalog (`agency:<slug>`) — with the
 * decisions its 政务公开办 recorded on the 待确认 matches. Deciding (confirm/reject) is audited and only accepted
 * for a pair the comparison currently proposes as probable. Supervisors read the decisions; they never make them.
 */

import type { StaffActor } from "../accounts/policy.ts";
import type { Agency } from "../agencies/agency.service.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import type { CatalogDoc } from "./catalog.model.ts";
import { type CatalogComparison, compareCatalogs, type ItemMatch } from "./catalog-compare.rules.ts";
import type { MatchDecision } from "./catalog-match.table.ts";
import { getPublishedCatalog, treeToDoc } from "./catalog-tree.service.ts";
import { getStandardCatalog } from "./standard-catalog.service.ts";

/** A reference as written in URLs and the decisions table. */
export const REFERENCE = /^(standard|agency):([a-z0-9][a-z0-9-]{0,63})$/;

export interface RecordedDecision {
  decision: MatchDecision;
  note: string;
  decidedBy: string;
  decidedAt: Date;
}

export interface ComparisonWithDecisions {
  comparison: CatalogComparison;
  reference: string;
  /** Decisions by `pairKey(agencyItem, referenceItem)`. */
  decisions: Map<string, RecordedDecision>;
}

/** Items are named by their path (top item down), joined as in the decisions table. */
export function itemName(path: readonly string[]): string {
  return path.join(" / ");
}

export function pairKey(agencyItem: string, referenceItem: string): string {
  return `${agencyItem}\u0000${referenceItem}`;
}

export function matchKey(m: ItemMatch): string {
  return pairKey(itemName(m.agency.path), itemName(m.reference.path));
}

async function publishedDoc(db: DbOrTx, agency: Agency): Promise<{ name: string; doc: CatalogDoc }> {
  const tree = await getPublishedCatalog(db, agency.id);
  if (!tree) throw new AppError("catalog_not_found", `${agency.name}尚未发布主动公开事项目录。`);
  return { name: agency.name, doc: treeToDoc(tree) };
}

/**
 * Compares `agency`'s published catalog with `reference`. `otherAgency` resolves an `agency:<slug>` reference
 * (callers decide which agencies may be named; an unknown or hidden one must throw agency_not_found).
 * @throws AppError validation_failed | catalog_not_found | standard_catalog_not_found | agency_not_found
 */
export async function compareWithReference(
  db: DbOrTx,
  agency: Agency,
  reference: string,
  otherAgency: (slug: string) => Promise<Agency>,
): Promise<ComparisonWithDecisions> {
  const m = REFERENCE.exec(reference);
  if (!m)
    throw new AppError("validation_failed", "请选择对照的标准目录或机关。", {
      fields: [{ field: "reference", message: "请选择对照的标准目录或机关" }],
    });
  const mine = await publishedDoc(db, agency);
  let other: { name: string; doc: CatalogDoc };
  if (m[1] === "standard") {
    const s = await getStandardCatalog(db, m[2] as string);
    other = { name: s.info.name, doc: s.doc };
  } else other = await publishedDoc(db, await otherAgency(m[2] as string));
  const comparison = compareCatalogs(mine.doc, other.doc, { agency: mine.name, reference: other.name });
  return { comparison, reference, decisions: await matchDecisions(db, agency.id, reference) };
}

export async function matchDecisions(
  db: DbOrTx,
  agencyId: string,
  reference: string,
): Promise<Map<string, RecordedDecision>> {
  const rows = await db
    .selectFrom("catalog_match_decisions")
    .selectAll()
    .where("agency_id", "=", agencyId)
    .where("reference", "=", reference)
    .execute();
  return new Map(
    rows.map((r) => [
      pairKey(r.agency_item, r.reference_item),
      { decision: r.decision, note: r.note, decidedBy: r.decided_by_name, decidedAt: r.decided_at },
    ]),
  );
}

export interface DecideMatchInput {
  agencyItem: string;
  referenceItem: string;
  decision: string;
  note: string;
}

/**
 * Records the 政务公开办's decision on a 待确认 match of `current` (the comparison as computed now); a new decision
 * on the same pair replaces the previous one. Audited (catalog.match_decide) in the same transaction.
 * @throws AppError validation_failed | catalog_match_not_found
 */
export async function decideMatch(
  deps: Pick<Deps, "db" | "audit">,
  actor: StaffActor,
  agencyId: string,
  current: ComparisonWithDecisions,
  input: DecideMatchInput,
): Promise<RecordedDecision> {
  if (input.decision !== "confirmed" && input.decision !== "rejected")
    throw new AppError("validation_failed", "请选择“确认”或“否定”。", {
      fields: [{ field: "decision", message: "请选择“确认”或“否定”" }],
    });
  if (input.note.length > 500)
    throw new AppError("validation_failed", "说明不超过500字。", {
      fields: [{ field: "note", message: "说明不超过500字" }],
    });
  const key = pairKey(input.agencyItem, input.referenceItem);
  const match = current.comparison.matches.find((m) => m.kind === "probable" && matchKey(m) === key);
  if (!match) throw new AppError("catalog_match_not_found");
  const decision = input.decision as MatchDecision;
  const before = current.decisions.get(key) ?? null;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("catalog_match_decisions")
      .values({
        agency_id: agencyId,
        reference: current.reference,
        agency_item: input.agencyItem,
        reference_item: input.referenceItem,
        decision,
        note: input.note,
        decided_by: actor.id,
        decided_by_name: actor.name,
      })
      .onConflict((oc) =>
        oc.constraint("catalog_match_decisions_pkey").doUpdateSet({
          decision,
          note: input.note,
          decided_by: actor.id,
          decided_by_name: actor.name,
          decided_at: new Date(),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await deps.audit.record(trx, {
      actorId: actor.id,
      actorName: actor.name,
      action: "catalog.match_decide",
      agencyId,
      entityType: "catalog_match",
      entityId: null,
      summary: `${decision === "confirmed" ? "确认" : "否定"}目录比对匹配：“${input.agencyItem}”对应${current.comparison.reference}的“${input.referenceItem}”`,
      before: before ? { decision: before.decision, note: before.note } : null,
      after: {
        reference: current.reference,
        agencyItem: input.agencyItem,
        referenceItem: input.referenceItem,
        score: Math.round(match.score * 100) / 100,
        decision,
        note: input.note,
      },
      ip: actor.ip ?? null,
    });
    return { decision, note: row.note, decidedBy: row.decided_by_name, decidedAt: row.decided_at };
  });
}
