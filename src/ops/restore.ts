/**
 * @module `restoreBackup`: a backup archive (src/ops/backup.ts) into an EMPTY database and data directory.
 *
 * 1. Reads and checks the manifest (format, schema version = this program's migrations) and that the target is
 *    empty (no table in the public schema, no uploads, no different key file).
 * 2. Verifies every table dump and attachment file against the manifest's SHA-256 before touching anything.
 * 3. Creates the schema with this program's migrations, then in ONE transaction: user triggers off (the audit log's
 *    append-only triggers would refuse the load), rows created by migrations removed, every table loaded with
 *    COPY FROM in foreign-key order, sequences set, triggers on, every table re-dumped and compared with the
 *    manifest's checksum — any difference rolls everything back.
 * 4. Writes the attachment files and, when the archive carries them, the keys into the data directory.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { rawClient } from "../db/connection.ts";
import type { Db } from "../db/database.ts";
import { migrateToLatest, migrationNames } from "../db/migrator.ts";
import { type WarmReport, warmRelations } from "../db/prewarm.ts";
import { AppError } from "../errors.ts";
import { uploadPath } from "../publishing/attachment.service.ts";
import { SEARCH_WARM_TARGETS } from "../publishing/record-search.read.ts";
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupKeys, type BackupManifest } from "./backup.ts";
import { ENCRYPTION_KEY_FILE, SECRET_FILE } from "./key-files.ts";
import {
  applyCopySettings,
  dumpTable,
  HashCounter,
  listTables,
  loadTable,
  nullSink,
  quoteIdent,
} from "./snapshot.ts";
import { openZip, type ZipReader } from "./zip-reader.ts";

export interface RestoreTarget {
  /** The empty target database (migrated here). */
  db: Db;
  /** Where attachment files and key files go. */
  dataDir: string;
}

export interface RestoreResult {
  manifest: BackupManifest;
  rows: number;
  files: number;
  /** Key files written into the data directory (archives made with --include-keys). */
  keysWritten: string[];
  /** The archived audit key, when the original installation configured one (set it as GONGKAI_AUDIT_KEY). */
  auditKey: string | null;
  /** What searches read, read into shared_buffers after the load (db/prewarm.ts). */
  warm: WarmReport;
}

/** Reads manifest.json and checks format and version. @throws AppError backup_invalid */
export async function readManifest(zip: ZipReader): Promise<BackupManifest> {
  if (!zip.has("manifest.json"))
    throw new AppError("backup_invalid", "该文件中没有 manifest.json：不是 Gongkai 备份。");
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await zip.readText("manifest.json")) as BackupManifest;
  } catch {
    throw new AppError("backup_invalid", "备份的 manifest.json 无法读取。");
  }
  if (manifest.format !== BACKUP_FORMAT || manifest.formatVersion !== BACKUP_FORMAT_VERSION)
    throw new AppError(
      "backup_invalid",
      `不支持的备份格式 ${String(manifest.format)} ${String(manifest.formatVersion)}（本程序支持 ${BACKUP_FORMAT} ${BACKUP_FORMAT_VERSION}）。`,
    );
  for (const entry of [...manifest.tables.map((t) => t.entry), ...manifest.files.map((f) => f.entry)])
    if (!zip.has(entry)) throw new AppError("backup_invalid", `备份缺少 manifest 列出的文件：${entry}`);
  return manifest;
}

/** The backup's schema version must be exactly this program's. @throws AppError backup_schema_mismatch */
export async function checkSchemaVersion(manifest: BackupManifest): Promise<void> {
  const mine = await migrationNames();
  if (JSON.stringify(mine) === JSON.stringify(manifest.migrations)) return;
  const newer = manifest.migrations.filter((m) => !mine.includes(m));
  const hint =
    newer.length > 0
      ? `备份来自更新的版本（含本程序没有的迁移 ${newer.join(", ")}）：请升级本程序后再恢复。`
      : "备份来自较旧的版本：请用生成该备份的 Gongkai 版本恢复，再升级（升级时自动迁移）。";
  throw new AppError(
    "backup_schema_mismatch",
    `备份的数据库结构版本为 ${manifest.schemaVersion || "（空）"}，本程序为 ${mine.at(-1)}。${hint}`,
    { details: { backup: manifest.schemaVersion, program: mine.at(-1) ?? "" } },
  );
}

/** @throws AppError restore_target_not_empty naming what is there */
export async function assertEmptyTarget(
  target: RestoreTarget,
  manifest: BackupManifest,
  zip: ZipReader,
): Promise<void> {
  const client = await rawClient(target.db);
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1 LIMIT 5`,
    );
    if (rows.length > 0)
      throw new AppError(
        "restore_target_not_empty",
        `目标数据库不是空的（已有 ${rows.map((r) => r.name).join(", ")} 等）：请恢复到新建的空数据库。`,
      );
  } finally {
    client.release();
  }
  const uploads = path.join(target.dataDir, "uploads");
  if (fs.existsSync(uploads) && fs.readdirSync(uploads).length > 0)
    throw new AppError(
      "restore_target_not_empty",
      `数据目录中已有附件文件（${uploads}）：请恢复到空的数据目录。`,
    );
  if (manifest.includesKeys) {
    const keys = JSON.parse(await zip.readText("keys/keys.json")) as BackupKeys;
    for (const [file, value] of [
      [SECRET_FILE, keys.secret],
      [ENCRYPTION_KEY_FILE, keys.encryptionKey],
    ] as const) {
      const full = path.join(target.dataDir, file);
      if (value && fs.existsSync(full) && fs.readFileSync(full, "utf8").trim() !== value)
        throw new AppError(
          "restore_target_not_empty",
          `数据目录中已有不同的密钥文件 ${full}：请恢复到空的数据目录。`,
        );
    }
  }
}

/**
 * The SHA-256 of an entry as stored. A damaged archive (bytes changed or lost inside an entry) fails yauzl's CRC or
 * size check or the inflater itself: that is reported as the entry's damage, never left as an unhandled stream
 * error (which once ended the process with a stack trace and left the embedded PostgreSQL running).
 * @throws AppError backup_checksum_mismatch
 */
async function sha256Of(zip: ZipReader, entry: string): Promise<string> {
  const counter = new HashCounter();
  try {
    await pipeline(await zip.open(entry), counter, nullSink());
  } catch (e) {
    throw new AppError(
      "backup_checksum_mismatch",
      `备份中的 ${entry} 已损坏，无法读出（${(e as Error).message.slice(0, 120)}）：备份文件已损坏或不完整，请换用另一份备份。`,
    );
  }
  return counter.hash.digest("hex");
}

/** Every table dump and file has the manifest's checksum. @throws AppError backup_checksum_mismatch */
async function verifyArchive(zip: ZipReader, manifest: BackupManifest): Promise<void> {
  for (const t of manifest.tables)
    if ((await sha256Of(zip, t.entry)) !== t.sha256)
      throw new AppError(
        "backup_checksum_mismatch",
        `表 ${t.name} 的备份数据校验值不符：备份文件已损坏或被修改。`,
      );
  for (const f of manifest.files)
    if ((await sha256Of(zip, f.entry)) !== f.sha256)
      throw new AppError(
        "backup_checksum_mismatch",
        `附件 ${f.entry} 的校验值不符：备份文件已损坏或被修改。`,
      );
}

/** Loads every table in one transaction and verifies it by re-dumping. */
async function loadTables(db: Db, zip: ZipReader, manifest: BackupManifest): Promise<number> {
  const client = await rawClient(db);
  try {
    await client.query("BEGIN");
    await applyCopySettings(client);
    const tables = await listTables(client);
    const byName = new Map(manifest.tables.map((t) => [t.name, t]));
    const problems = tables
      .filter((t) => JSON.stringify(byName.get(t.name)?.columns) !== JSON.stringify(t.columns))
      .map((t) => t.name);
    if (problems.length > 0 || tables.length !== manifest.tables.length)
      throw new AppError(
        "backup_schema_mismatch",
        `备份的表结构与迁移后的数据库不同（${problems.join(", ") || "表的数量不同"}）。`,
      );
    for (const t of tables) await client.query(`ALTER TABLE ${quoteIdent(t.name)} DISABLE TRIGGER USER`);
    // Rows the migrations inserted (e.g. singleton state rows) are replaced by the backup's.
    await client.query(`TRUNCATE ${tables.map((t) => quoteIdent(t.name)).join(", ")}`);
    let rows = 0;
    for (const t of tables) {
      const expected = byName.get(t.name) as BackupManifest["tables"][number];
      const loaded = await loadTable(client, t, await zip.open(expected.entry));
      if (loaded.sha256 !== expected.sha256 || loaded.rows !== expected.rows)
        throw new AppError("backup_checksum_mismatch", `表 ${t.name} 读入的数据与备份清单不符。`);
      rows += loaded.rows;
    }
    for (const s of manifest.sequences)
      if (s.lastValue !== null)
        await client.query("SELECT setval($1::regclass, $2::bigint, true)", [
          `public.${quoteIdent(s.name)}`,
          s.lastValue,
        ]);
    for (const t of tables) await client.query(`ALTER TABLE ${quoteIdent(t.name)} ENABLE TRIGGER USER`);
    for (const t of tables) {
      const again = await dumpTable(client, t, nullSink());
      if (again.sha256 !== byName.get(t.name)?.sha256)
        throw new AppError("backup_checksum_mismatch", `恢复后表 ${t.name} 的数据与备份不一致，已全部撤销。`);
    }
    await client.query("COMMIT");
    return rows;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

async function writeFiles(zip: ZipReader, manifest: BackupManifest, dataDir: string): Promise<void> {
  for (const f of manifest.files) {
    const target = uploadPath({ dataDir }, f.agencyId, f.sha256);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    const counter = new HashCounter();
    await pipeline(await zip.open(f.entry), counter, fs.createWriteStream(tmp, { mode: 0o640 }));
    if (counter.hash.digest("hex") !== f.sha256) {
      fs.rmSync(tmp, { force: true });
      throw new AppError("backup_checksum_mismatch", `附件 ${f.entry} 的校验值不符。`);
    }
    fs.renameSync(tmp, target);
  }
}

function writeKeys(keys: BackupKeys, dataDir: string): string[] {
  const written: string[] = [];
  fs.mkdirSync(dataDir, { recursive: true });
  for (const [file, value] of [
    [SECRET_FILE, keys.secret],
    [ENCRYPTION_KEY_FILE, keys.encryptionKey],
  ] as const) {
    if (!value) continue;
    const full = path.join(dataDir, file);
    if (!fs.existsSync(full)) fs.writeFileSync(full, value, { mode: 0o600, flag: "wx" });
    written.push(full);
  }
  return written;
}

/**
 * Restores `file` into the empty `target`.
 * @throws AppError backup_invalid | backup_schema_mismatch | restore_target_not_empty | backup_checksum_mismatch
 */
export async function restoreBackup(target: RestoreTarget, file: string): Promise<RestoreResult> {
  let zip: ZipReader;
  try {
    zip = await openZip(file);
  } catch (e) {
    throw new AppError("backup_invalid", `无法读取备份文件 ${file}：${(e as Error).message}`);
  }
  try {
    const manifest = await readManifest(zip);
    await checkSchemaVersion(manifest);
    await assertEmptyTarget(target, manifest, zip);
    await verifyArchive(zip, manifest);
    await migrateToLatest(target.db);
    const rows = await loadTables(target.db, zip, manifest);
    await writeFiles(zip, manifest, target.dataDir);
    // The first searches after a restore read from memory (and autoprewarm keeps these pages across a restart).
    const warm = await warmRelations(target.db, SEARCH_WARM_TARGETS);
    let keysWritten: string[] = [];
    let auditKey: string | null = null;
    if (manifest.includesKeys) {
      const keys = JSON.parse(await zip.readText("keys/keys.json")) as BackupKeys;
      keysWritten = writeKeys(keys, target.dataDir);
      auditKey = keys.auditKey;
    }
    return { manifest, rows, files: manifest.files.length, keysWritten, auditKey, warm };
  } finally {
    zip.close();
  }
}
