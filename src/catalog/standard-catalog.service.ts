/**
 * @module Standard catalogs (基层政务公开标准目录) as references: load one from any file the catalog import reads
 * (or our JSON), list them, fetch one for a comparison. Loading is audited; a slug names each reference. The demo
 * platform gets an excerpt of the 社会保险 standard catalog (src/catalog/standards/), labelled as an excerpt.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Actor, systemActor } from "../accounts/policy.ts";
import type { DbOrTx } from "../db/database.ts";
import type { Deps } from "../deps.ts";
import type { DocumentPool } from "../documents/document-pool.ts";
import { AppError } from "../errors.ts";
import { type CatalogDoc, walkItems } from "./catalog.model.ts";
import { parseCatalogFile } from "./catalog-import.service.ts";
import type { StandardCatalogRow } from "./standard-catalog.table.ts";

export interface StandardCatalogInfo {
  id: string;
  slug: string;
  name: string;
  field: string;
  source: string;
  itemCount: number;
  loadedAt: Date;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

function info(row: Omit<StandardCatalogRow, "doc">): StandardCatalogInfo {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    field: row.field,
    source: row.source,
    itemCount: row.item_count,
    loadedAt: row.loaded_at,
  };
}

export async function listStandardCatalogs(db: DbOrTx): Promise<StandardCatalogInfo[]> {
  const rows = await db
    .selectFrom("standard_catalogs")
    .select(["id", "slug", "name", "field", "source", "sha256", "item_count", "loaded_by", "loaded_at"])
    .orderBy("name")
    .execute();
  return rows.map(info);
}

/** @throws AppError standard_catalog_not_found */
export async function getStandardCatalog(
  db: DbOrTx,
  slug: string,
): Promise<{ info: StandardCatalogInfo; doc: CatalogDoc }> {
  const row = await db
    .selectFrom("standard_catalogs")
    .selectAll()
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!row) throw new AppError("standard_catalog_not_found");
  return { info: info(row), doc: row.doc };
}

export interface LoadStandardInput {
  slug: string;
  name?: string | undefined;
  field?: string | undefined;
  source?: string | undefined;
  fileName: string;
  bytes: Uint8Array;
  actor: Actor;
  /** Replace a reference of the same slug (otherwise a second load is refused). */
  replace?: boolean;
  /** The worker pool that parses the file (deps.documents). */
  documents: DocumentPool;
}

/**
 * Parses the file with the catalog import (every format it reads) and stores it as a reference.
 * @throws AppError validation_failed | duplicate_slug | catalog_import_*
 */
export async function loadStandardCatalog(
  deps: Pick<Deps, "db" | "audit">,
  input: LoadStandardInput,
): Promise<StandardCatalogInfo> {
  if (!SLUG.test(input.slug))
    throw new AppError("validation_failed", "标识只能包含小写字母、数字和连字符（2–63个字符）。", {
      fields: [{ field: "slug", message: "标识只能包含小写字母、数字和连字符" }],
    });
  const { preview } = await parseCatalogFile(input.fileName, input.bytes, input.documents);
  const doc = preview.doc;
  const count = [...walkItems(doc.items)].length;
  if (count === 0) throw new AppError("catalog_import_empty");
  const name = (input.name?.trim() || doc.title).slice(0, 200);
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("standard_catalogs")
      .select("id")
      .where("slug", "=", input.slug)
      .executeTakeFirst();
    if (existing && !input.replace)
      throw new AppError("duplicate_slug", `已有标识为“${input.slug}”的标准目录。`);
    const values = {
      slug: input.slug,
      name,
      field: (input.field ?? "").trim().slice(0, 50),
      source: (input.source ?? input.fileName).slice(0, 300),
      sha256,
      doc: JSON.stringify(doc),
      item_count: count,
      loaded_by: input.actor.id,
    };
    const row = existing
      ? await trx
          .updateTable("standard_catalogs")
          .set({ ...values, loaded_at: new Date() })
          .where("id", "=", existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx.insertInto("standard_catalogs").values(values).returningAll().executeTakeFirstOrThrow();
    await deps.audit.record(trx, {
      actorId: input.actor.id,
      actorName: input.actor.name,
      action: "standard_catalog.load",
      agencyId: null,
      entityType: "standard_catalog",
      entityId: row.id,
      summary: `载入标准目录《${name}》（${count}项，${input.fileName}）`,
      after: { slug: input.slug, name, items: count, sha256 },
      ip: input.actor.ip ?? null,
    });
    return info(row);
  });
}

const DEMO_FILE = path.join(import.meta.dirname, "standards", "social-insurance-excerpt.json");

/** The demo platform's reference: an excerpt of the 社会保险 standard catalog (idempotent). */
export async function seedDemoStandardCatalogs(
  deps: Pick<Deps, "db" | "audit" | "documents">,
): Promise<void> {
  const exists = await deps.db
    .selectFrom("standard_catalogs")
    .select("id")
    .where("slug", "=", "shbx-excerpt")
    .executeTakeFirst();
  if (exists) return;
  await loadStandardCatalog(deps, {
    slug: "shbx-excerpt",
    field: "社会保险",
    source: "各地公开的《社会保险领域基层政务公开标准目录》（节选，演示用）",
    fileName: "social-insurance-excerpt.json",
    bytes: fs.readFileSync(DEMO_FILE),
    actor: systemActor("系统（演示数据）"),
    documents: deps.documents,
  });
}
