/**
 * @module `runBackup`: one consistent archive (zip) of a live Gongkai — every table of the public schema dumped with
 * COPY inside ONE `REPEATABLE READ READ ONLY` transaction (a single snapshot: no dump tool needed, so it works on
 * the embedded PostgreSQL 18 and on any external 15+), the attachment files that snapshot references, a manifest
 * (format, app and schema version, tables with row counts and SHA-256) and, only when asked, the keys.
 *
 * Archive layout (also described in README.txt inside it and in docs/operations.md):
 *   manifest.json                          BackupManifest
 *   tables/<table>.copy                    PostgreSQL COPY text format, rows in primary-key order
 *   files/uploads/<agencyId>/<sha256>      attachment files (content-addressed)
 *   keys/keys.json                         only with includeKeys: secret, encryption key, audit key
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import yazl from "yazl";
import { rawClient } from "../db/connection.ts";
import type { Deps } from "../deps.ts";
import { uploadPath } from "../publishing/attachment.service.ts";
import { applyCopySettings, COPY_SETTINGS, dumpTable, listTables, MIGRATION_TABLES } from "./snapshot.ts";

export const BACKUP_FORMAT = "gongkai-backup";
export const BACKUP_FORMAT_VERSION = 1;
export const BACKUP_FILE_PATTERN = /^gongkai-backup-\d{8}T\d{6}Z\.zip$/;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  appVersion: string;
  /** The newest migration applied: the schema version. */
  schemaVersion: string;
  migrations: string[];
  createdAt: string;
  postgresVersion: string;
  copy: { format: "text"; settings: Record<string, string> };
  tables: { name: string; columns: string[]; rows: number; sha256: string; entry: string }[];
  sequences: { name: string; lastValue: string | null }[];
  files: { entry: string; agencyId: string; sha256: string; size: number }[];
  /** Attachments the database references whose file is missing on disk (reported, not archived). */
  missingFiles: { agencyId: string; sha256: string }[];
  includesKeys: boolean;
}

export interface BackupKeys {
  secret: string | null;
  encryptionKey: string | null;
  auditKey: string | null;
}

export interface BackupOptions {
  /** A file (`x.zip`) or a directory (existing, or ending in `/`): then `gongkai-backup-<UTC stamp>.zip` in it. */
  out: string;
  /** With a directory: keep only the newest N `gongkai-backup-*.zip` files there. */
  retention?: number;
  /** Put the keys into the archive (whoever holds the archive can then read the personal data). */
  includeKeys?: boolean;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
  /** Older backups deleted by the retention rule. */
  deleted: string[];
}

export function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "../../package.json"), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "unknown";
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

function resolveTarget(out: string, now: Date): { file: string; dir: string | undefined } {
  const isDir =
    out.endsWith("/") || out.endsWith(path.sep) || (fs.existsSync(out) && fs.statSync(out).isDirectory());
  if (!isDir) return { file: path.resolve(out), dir: undefined };
  const dir = path.resolve(out);
  fs.mkdirSync(dir, { recursive: true });
  return { file: path.join(dir, `gongkai-backup-${stamp(now)}.zip`), dir };
}

const README = `Gongkai backup archive (format ${BACKUP_FORMAT} ${BACKUP_FORMAT_VERSION})

manifest.json        what this archive holds: app and schema version, tables with row counts and SHA-256,
                     attachment files, sequences, whether keys are included
tables/<t>.copy      one file per table, PostgreSQL COPY text format (tab-separated, \\N = NULL), rows in
                     primary-key order, written under the session settings in manifest.copy.settings
files/uploads/...    attachment files, named <agency id>/<SHA-256 of the content>
keys/keys.json       only in archives made with --include-keys: keep such an archive like the keys themselves

Restore with \`gongkai restore <this file>\` into an empty data directory or an empty database
(docs/operations.md, "Restore drill").
`;

/**
 * Writes one consistent backup archive of the database `deps.db` and the attachment files under
 * `deps.config.dataDir`. The archive is written to a temporary name and renamed when complete.
 */
export async function runBackup(deps: Deps, options: BackupOptions): Promise<BackupResult> {
  if (options.retention !== undefined && (!Number.isInteger(options.retention) || options.retention < 1))
    throw new Error("retention must be a whole number of backups to keep (1 or more)");
  const now = deps.clock.now();
  const { file, dir } = resolveTarget(options.out, now);
  if (options.retention !== undefined && dir === undefined)
    throw new Error(
      "retention needs a directory as --out (backups are named gongkai-backup-<time>.zip there)",
    );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-backup-"));
  const client = await rawClient(deps.db);
  try {
    const zip = new yazl.ZipFile();
    let manifest: BackupManifest;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await applyCopySettings(client);
      const tables = await listTables(client);
      const hasMigrations = await client.query<{ ok: boolean }>(
        `SELECT to_regclass('public.${MIGRATION_TABLES[0]}') IS NOT NULL AS ok`,
      );
      const migrations = hasMigrations.rows[0]?.ok
        ? (await client.query<{ name: string }>(`SELECT name FROM ${MIGRATION_TABLES[0]} ORDER BY name`)).rows
        : [];
      const manifestTables: BackupManifest["tables"] = [];
      for (const table of tables) {
        const entry = `tables/${table.name}.copy`;
        const tmp = path.join(work, `${table.name}.copy`);
        const { rows, sha256 } = await dumpTable(client, table, fs.createWriteStream(tmp));
        zip.addFile(tmp, entry);
        manifestTables.push({ name: table.name, columns: table.columns, rows, sha256, entry });
      }
      const sequences = (
        await client.query<{ name: string; last_value: string | null }>(
          "SELECT sequencename AS name, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
        )
      ).rows.map((r) => ({ name: r.name, lastValue: r.last_value }));
      // Files of record attachments and of applications (补正 attachments, disclosed information).
      const fileTables = ["record_attachments", "info_request_files"].filter((f) =>
        tables.some((t) => t.name === f),
      );
      const attachments = fileTables.length
        ? (
            await client.query<{ agency_id: string; sha256: string; size_bytes: number }>(
              `SELECT DISTINCT agency_id::text, sha256, size_bytes FROM (${fileTables
                .map((f) => `SELECT agency_id, sha256, size_bytes FROM ${f}`)
                .join(" UNION ")}) files ORDER BY 1, 2`,
            )
          ).rows
        : [];
      const version = (await client.query<{ v: string }>("SHOW server_version")).rows[0]?.v ?? "";
      await client.query("COMMIT");
      const files: BackupManifest["files"] = [];
      const missingFiles: BackupManifest["missingFiles"] = [];
      for (const a of attachments) {
        const source = uploadPath(deps.config, a.agency_id, a.sha256);
        if (!fs.existsSync(source)) {
          missingFiles.push({ agencyId: a.agency_id, sha256: a.sha256 });
          continue;
        }
        // Files are content-addressed and written before their row is committed: the snapshot's files exist.
        const entry = `files/uploads/${a.agency_id}/${a.sha256}`;
        zip.addFile(source, entry, { compress: false });
        files.push({ entry, agencyId: a.agency_id, sha256: a.sha256, size: fs.statSync(source).size });
      }
      if (missingFiles.length > 0)
        deps.logger.warn({ missingFiles }, "backup: attachment files referenced by the database are missing");
      manifest = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        appVersion: appVersion(),
        schemaVersion: migrations.at(-1)?.name ?? "",
        migrations: migrations.map((m) => m.name),
        createdAt: now.toISOString(),
        postgresVersion: version,
        copy: { format: "text", settings: { ...COPY_SETTINGS } },
        tables: manifestTables,
        sequences,
        files,
        missingFiles,
        includesKeys: options.includeKeys === true,
      };
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
    if (options.includeKeys) {
      const keys: BackupKeys = {
        secret: deps.config.secret ?? null,
        encryptionKey: deps.config.encryptionKey ?? null,
        auditKey: deps.config.auditKey ?? null,
      };
      zip.addBuffer(Buffer.from(`${JSON.stringify(keys, null, 2)}\n`), "keys/keys.json", { mode: 0o600 });
    }
    zip.addBuffer(Buffer.from(README), "README.txt");
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), "manifest.json");
    const partial = `${file}.partial`;
    await new Promise<void>((resolve, reject) => {
      const sink = fs.createWriteStream(partial, { mode: 0o600 });
      sink.on("error", reject);
      sink.on("close", resolve);
      zip.outputStream.on("error", reject);
      zip.outputStream.pipe(sink);
      zip.end();
    });
    fs.renameSync(partial, file);
    const deleted =
      dir !== undefined && options.retention !== undefined ? prune(dir, options.retention, file) : [];
    const bytes = fs.statSync(file).size;
    deps.logger.info(
      {
        file,
        bytes,
        tables: manifest.tables.length,
        files: manifest.files.length,
        keys: manifest.includesKeys,
      },
      "backup written",
    );
    return { file, bytes, manifest, deleted };
  } finally {
    client.release();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Keeps the newest `keep` backups in `dir` (by name: the UTC stamp sorts by time); never deletes `current`. */
function prune(dir: string, keep: number, current: string): string[] {
  const backups = fs
    .readdirSync(dir)
    .filter((f) => BACKUP_FILE_PATTERN.test(f))
    .sort()
    .reverse();
  const deleted: string[] = [];
  for (const name of backups.slice(keep)) {
    const full = path.join(dir, name);
    if (full === current) continue;
    fs.rmSync(full, { force: true });
    deleted.push(full);
  }
  return deleted;
}
