/**
 * @module `gongkai dev generate`: writes a realistic corpus into the configured database — N agencies of a
 * generated province (each with the demo catalog as its published catalog), M published records through the bulk
 * loader (publishing/record-bulk.ts: COPY, search columns computed in TypeScript) and K concluded applications with
 * outcomes (personal data encrypted as intake does). Every run adds new agencies (slugs gen-<run>-<n>), so it can
 * run again on the same database.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { AuditWriter } from "../audit/audit.service.ts";
import { listPublishedItems } from "../catalog/catalog.read.ts";
import { loadSeedCatalog, seedToDoc } from "../catalog/catalog-seed.ts";
import { seedCatalog } from "../catalog/catalog-store.service.ts";
import type { Db } from "../db/database.ts";
import { type WarmReport, warmRelations } from "../db/prewarm.ts";
import { analyzeRecords, bulkLoadPublishedRecords } from "../publishing/record-bulk.ts";
import { SEARCH_WARM_TARGETS } from "../publishing/record-search.read.ts";
import { maskIdNumber, maskName, maskPhone } from "../requests/applicant.rules.ts";
import {
  applicantKey,
  encryptPersonal,
  newQueryCode,
  parseEncryptionKey,
} from "../requests/personal-data.ts";
import {
  agencyNames,
  type CorpusAgency,
  DEPARTMENTS,
  generateApplications,
  generateRecords,
} from "./dev-corpus.ts";

export interface GenerateOptions {
  agencies: number;
  records: number;
  applications: number;
  seed?: number;
  /** Parallel COPY connections (default: record-bulk.ts uses one per core). */
  lanes?: number;
  /** Encoding worker threads (default: record-bulk.ts decides from the cores). */
  workers?: number;
  /** Drop and rebuild the records secondary indexes around the load (default: record-bulk.rules.ts decides by size). */
  rebuildIndexes?: boolean;
  encryptionKey: string | undefined;
  /** Writes the seed catalogs' audit events (deps.audit). */
  audit: AuditWriter;
  now: Date;
  onProgress?: (message: string) => void;
  /** Phase boundaries of the records load (the bench reads PostgreSQL's CPU time at each). */
  onPhase?: (phase: "streamed" | "indexed" | "analyzed") => void;
  /**
   * Read what searches use into shared_buffers at the end (db/prewarm.ts; default true). Not part of the loading
   * rates: the corpus is loaded and searchable before it.
   */
  warm?: boolean;
}

export interface GenerateReport {
  agencies: { id: string; slug: string; name: string }[];
  records: number;
  applications: number;
  /** Records per second while streaming (COPY, search columns included). */
  recordsPerSecond: number;
  /** Including index rebuild and ANALYZE. */
  totalRecordsPerSecond: number;
  loadMs: number;
  indexMs: number;
  analyzeMs: number;
  applicationsMs: number;
  /** The warm-up after the load (undefined when not asked for). */
  warm?: WarmReport;
}

export const LIMITS = { agencies: 10_000, records: 20_000_000, applications: 10_000_000 } as const;

async function ensureRegion(db: Db): Promise<string> {
  const name = "生成数据省";
  const found = await db
    .selectFrom("regions")
    .select("id")
    .where("name", "=", name)
    .where("parent_id", "is", null)
    .executeTakeFirst();
  if (found) return found.id;
  const row = await db
    .insertInto("regions")
    .values({ name, level: "province", parent_id: null, code: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function createAgencies(
  db: Db,
  audit: AuditWriter,
  n: number,
  now: Date,
  run: string,
): Promise<CorpusAgency[]> {
  const regionId = await ensureRegion(db);
  const seed = loadSeedCatalog("qi-hrss");
  const out: CorpusAgency[] = [];
  for (const [i, a] of agencyNames(n).entries()) {
    const slug = `gen-${run}-${i + 1}`;
    const row = await db
      .insertInto("agencies")
      .values({
        slug,
        name: a.name,
        short_name: a.shortName,
        region_id: regionId,
        credit_code: null,
        org_code: null,
      })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    if (seed)
      await seedCatalog(
        { db, audit },
        { agencyId: row.id, slug, doc: seedToDoc(seed), file: seed.source.file },
        now,
      );
    const items = (await listPublishedItems(db, row.id)).map((it) => ({
      id: it.id,
      stableKey: it.stableKey,
    }));
    out.push({
      id: row.id,
      name: a.name,
      docPrefix: a.docPrefix,
      indexPrefix: `GEN${run.toUpperCase()}-${String(i + 1).padStart(4, "0")}`,
      subjects: (DEPARTMENTS[a.dept] as (typeof DEPARTMENTS)[number]).subjects,
      items,
    });
  }
  return out;
}

async function insertApplications(
  db: Db,
  options: GenerateOptions,
  agencies: readonly CorpusAgency[],
): Promise<number> {
  const key = parseEncryptionKey(options.encryptionKey);
  const serials = new Map<string, number>();
  let count = 0;
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await db
      .insertInto("info_requests")
      .values(batch as never)
      .execute();
    count += batch.length;
    batch = [];
  };
  for (const a of generateApplications(options.applications, agencies, (options.seed ?? 1) + 1)) {
    const year = Number(a.receivedOn.slice(0, 4));
    const k = `${a.agencyId}/${year}`;
    const seq = (serials.get(k) ?? 0) + 1;
    serials.set(k, seq);
    const id = randomUUID();
    batch.push({
      agency_id: a.agencyId,
      id,
      number: `${year}-G${String(seq).padStart(5, "0")}`,
      query_code: newQueryCode(),
      status: "concluded",
      channel: a.channel,
      applicant_type: "natural_person",
      applicant_display: maskName(a.name, "natural_person"),
      id_type: "resident_id",
      id_masked: maskIdNumber(a.idNumber),
      phone_masked: maskPhone(a.phone),
      applicant_key: applicantKey(key, "resident_id", a.idNumber),
      personal_enc: encryptPersonal(
        key,
        { name: a.name, idNumber: a.idNumber, phone: a.phone, email: null, address: null, postalCode: null },
        id,
      ),
      info_title: a.infoTitle,
      form: "electronic",
      delivery: "online",
      submitted_at: new Date(`${a.receivedOn}T09:00:00+08:00`),
      submitted_on: a.receivedOn,
      received_on: a.receivedOn,
      receipt_basis: "generated",
      outcome: a.outcome,
      replied_on: a.concludedOn,
      concluded_on: a.concludedOn,
      delivered_on: a.concludedOn,
      delivery_actual: "online",
    });
    if (batch.length >= 1000) await flush();
  }
  await flush();
  return count;
}

export async function generateCorpusInto(db: Db, options: GenerateOptions): Promise<GenerateReport> {
  const say = options.onProgress ?? (() => {});
  const run = options.now.getTime().toString(36).slice(-5);
  const agencies = await createAgencies(db, options.audit, options.agencies, options.now, run);
  say(`${agencies.length} agencies created (gen-${run}-1 … gen-${run}-${agencies.length})`);
  let lastSaid = 0;
  const load = await bulkLoadPublishedRecords(
    db,
    generateRecords({ records: options.records, agencies, seed: options.seed }),
    {
      ...(options.lanes === undefined ? {} : { lanes: options.lanes }),
      expectedRows: options.records,
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      ...(options.rebuildIndexes === undefined ? {} : { rebuildIndexes: options.rebuildIndexes }),
      onStreamed: () => options.onPhase?.("streamed"),
      onProgress: (n) => {
        if (n - lastSaid >= 100_000) {
          lastSaid = n;
          say(`${n} records`);
        }
      },
    },
  );
  say(`${load.rows} records loaded in ${Math.round(load.loadMs)} ms; indexes ${Math.round(load.indexMs)} ms`);
  options.onPhase?.("indexed");
  const t0 = performance.now();
  await analyzeRecords(db);
  const analyzeMs = performance.now() - t0;
  options.onPhase?.("analyzed");
  const t1 = performance.now();
  const applications = options.applications ? await insertApplications(db, options, agencies) : 0;
  if (applications) await sql`ANALYZE info_requests`.execute(db);
  const applicationsMs = performance.now() - t1;
  const warm = options.warm === false ? undefined : await warmRelations(db, SEARCH_WARM_TARGETS);
  if (warm)
    say(
      warm.skipped
        ? `search pages not read into shared_buffers (${warm.skipped})`
        : `search pages read into shared_buffers in ${Math.round(warm.ms)} ms (${warm.read
            .filter((r) => r.blocks > 0)
            .map((r) => `${r.relation} ${r.blocks === r.of ? "all" : `${r.blocks} of ${r.of}`}`)
            .join(", ")})`,
    );
  return {
    agencies: agencies.map((a, i) => ({ id: a.id, slug: `gen-${run}-${i + 1}`, name: a.name })),
    records: load.rows,
    applications,
    recordsPerSecond: Math.round(load.rows / (load.loadMs / 1000)),
    totalRecordsPerSecond: Math.round(load.rows / ((load.loadMs + load.indexMs + analyzeMs) / 1000)),
    loadMs: Math.round(load.loadMs),
    indexMs: Math.round(load.indexMs),
    analyzeMs: Math.round(analyzeMs),
    applicationsMs: Math.round(applicationsMs),
    ...(warm ? { warm } : {}),
  };
}
