/**
 * @module Open export (开放导出): one agency's or the whole platform's data as a zip that is readable without
 * Gongkai — every dataset of src/ops/export-datasets.ts as JSON and as CSV (UTF-8 with BOM, formula-neutralised),
 * the attachment files of the exported records, and a README describing every file and column.
 *
 * Applicants' personal data is decrypted into the applications files only when an administrator asks
 * (`withPersonalData`), and that export is recorded in the audit log in the same transaction that reads it.
 */

import fs from "node:fs";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import yazl from "yazl";
import type { Actor } from "../accounts/policy.ts";
import { rawClient } from "../db/connection.ts";
import type { Deps } from "../deps.ts";
import { AppError } from "../errors.ts";
import { uploadPath } from "../publishing/attachment.service.ts";
import { decryptPersonal, parseEncryptionKey } from "../requests/personal-data.ts";
import { neutralizeFormula } from "../shared/csv.ts";
import { DATASETS, type ExportDataset, PERSONAL_COLUMNS } from "./export-datasets.ts";

export interface ExportOptions {
  /** One agency by slug, or the whole platform. */
  scope: { agencySlug: string } | { platform: true };
  withPersonalData?: boolean;
  /** Who asks (audited); null for the command line run by the operator. */
  actor: Actor;
}

export interface ExportSummary {
  agencies: number;
  files: { name: string; rows: number }[];
  attachments: number;
  withPersonalData: boolean;
}

type Row = Record<string, unknown>;

const ATTACHMENTS_SQL = (DATASETS.find((d) => d.file === "attachments") as ExportDataset).sql;

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  return neutralizeFormula(typeof value === "string" ? value : String(value));
}

function toCsv(columns: string[], rows: Row[]): Buffer {
  const text = stringify([columns, ...rows.map((r) => columns.map((c) => cell(r[c])))], {
    record_delimiter: "\r\n",
  });
  return Buffer.from(`\uFEFF${text}`, "utf8");
}

export function exportReadme(summary: ExportSummary, createdAt: string, datasets: ExportDataset[]): string {
  const lines = [
    "# Gongkai 开放导出 / open export",
    "",
    `Created ${createdAt}; ${summary.agencies} agencies; personal data ${summary.withPersonalData ? "INCLUDED (handle under the Personal Information Protection Law)" : "not included"}.`,
    "",
    "Every dataset is written twice: `<name>.json` (an array of objects, UTF-8) and `<name>.csv` (UTF-8 with BOM,",
    "comma-separated, first row = column names; cells beginning with = + - @ are prefixed with ' so that",
    "spreadsheets do not run them as formulas). Dates are YYYY-MM-DD (Asia/Shanghai). Identifiers are UUIDs that link",
    "the files (agency_id, record_id, item_id).",
    "",
    "Files:",
    "",
    "- `README.md` — this description.",
    "- `attachments/<record_id>/<sha256>-<file name>` — the attachment files listed in attachments.csv.",
  ];
  for (const d of datasets) {
    const rows = summary.files.find((f) => f.name === d.file)?.rows ?? 0;
    lines.push(`- \`${d.file}.json\`, \`${d.file}.csv\` — ${d.title}: ${d.description} (${rows} rows)`);
  }
  for (const d of datasets) {
    lines.push("", `## ${d.file} — ${d.title}`, "", "| column | meaning |", "| --- | --- |");
    for (const col of d.columns) lines.push(`| \`${col.name}\` | ${col.description} |`);
  }
  return `${lines.join("\n")}\n`;
}

async function resolveAgencies(
  deps: Deps,
  scope: ExportOptions["scope"],
): Promise<{ id: string; slug: string }[]> {
  if ("agencySlug" in scope) {
    const agency = await deps.db
      .selectFrom("agencies")
      .select(["id", "slug"])
      .where("slug", "=", scope.agencySlug)
      .executeTakeFirst();
    if (!agency) throw new AppError("agency_not_found");
    return [agency];
  }
  if (scope.platform !== true) throw new AppError("export_scope_invalid");
  return deps.db.selectFrom("agencies").select(["id", "slug"]).orderBy("slug").execute();
}

/**
 * Writes the export zip to `out` (a temporary name renamed when complete).
 * @throws AppError agency_not_found | export_scope_invalid | encryption_key_missing (personal data without key)
 */
export async function writeOpenExport(
  deps: Deps,
  out: string,
  options: ExportOptions,
): Promise<ExportSummary> {
  const agencies = await resolveAgencies(deps, options.scope);
  const ids = agencies.map((a) => a.id);
  const withPersonal = options.withPersonalData === true;
  const key = withPersonal ? parseEncryptionKey(deps.config.encryptionKey) : undefined;
  const datasets = DATASETS.map((d) =>
    d.file === "applications" && withPersonal ? { ...d, columns: [...d.columns, ...PERSONAL_COLUMNS] } : d,
  );
  const zip = new yazl.ZipFile();
  const summary: ExportSummary = {
    agencies: agencies.length,
    files: [],
    attachments: 0,
    withPersonalData: withPersonal,
  };
  const client = await rawClient(deps.db);
  const attachmentFiles: { source: string; entry: string }[] = [];
  try {
    // One snapshot for every dataset, so the files agree with each other.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    for (const d of datasets) {
      const base = DATASETS.find((x) => x.file === d.file) as ExportDataset;
      const { rows } = await client.query<Row>(base.sql, [ids]);
      if (d.file === "applications" && key) {
        const enc = await client.query<{ id: string; personal_enc: string | null }>(
          "SELECT id::text, personal_enc FROM info_requests WHERE agency_id = ANY($1::uuid[])",
          [ids],
        );
        const byId = new Map(enc.rows.map((r) => [r.id, r.personal_enc]));
        for (const r of rows) {
          const cipher = byId.get(String(r.application_id));
          const p = cipher ? decryptPersonal(key, cipher, String(r.application_id)) : undefined;
          r.applicant_name = p?.name ?? "";
          r.applicant_id_number = p?.idNumber ?? "";
          r.applicant_phone = p?.phone ?? "";
          r.applicant_email = p?.email ?? "";
          r.applicant_address = p?.address ?? "";
          r.applicant_postal_code = p?.postalCode ?? "";
        }
      }
      if (d.file === "attachments") {
        for (const r of rows) {
          const source = uploadPath(deps.config, String(r.agency_id), String(r.sha256));
          if (fs.existsSync(source)) attachmentFiles.push({ source, entry: String(r.path) });
        }
      }
      if (d.file === "records") {
        const paths = await client.query<{ record_id: string; path: string }>(ATTACHMENTS_SQL, [ids]);
        const byRecord = new Map<string, string[]>();
        for (const p of paths.rows) byRecord.set(p.record_id, [...(byRecord.get(p.record_id) ?? []), p.path]);
        for (const r of rows) r.attachments = (byRecord.get(String(r.record_id)) ?? []).join("\n");
      }
      const columns = d.columns.map((c) => c.name);
      const objects = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
      zip.addBuffer(Buffer.from(`${JSON.stringify(objects, null, 2)}\n`), `${d.file}.json`);
      zip.addBuffer(toCsv(columns, rows), `${d.file}.csv`);
      summary.files.push({ name: d.file, rows: rows.length });
    }
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  if (withPersonal) {
    // 个人信息保护法: an export of applicants' personal data is a read of it, recorded per agency.
    await deps.db.transaction().execute(async (trx) => {
      for (const a of agencies) {
        await deps.audit.record(trx, {
          actorId: options.actor.id,
          actorName: options.actor.name,
          action: "personal_data.export",
          agencyId: a.id,
          entityType: "agency",
          entityId: a.id,
          summary: `导出申请人个人信息（开放导出，${a.slug}）`,
          after: { applications: summary.files.find((f) => f.name === "applications")?.rows ?? 0 },
        });
      }
    });
  }
  for (const f of attachmentFiles) zip.addFile(f.source, f.entry, { compress: false });
  summary.attachments = attachmentFiles.length;
  zip.addBuffer(Buffer.from(exportReadme(summary, deps.clock.now().toISOString(), datasets)), "README.md");
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial`;
  await new Promise<void>((resolve, reject) => {
    const sink = fs.createWriteStream(partial, { mode: withPersonal ? 0o600 : 0o644 });
    sink.on("error", reject);
    sink.on("close", resolve);
    zip.outputStream.on("error", reject);
    zip.outputStream.pipe(sink);
    zip.end();
  });
  fs.renameSync(partial, out);
  return summary;
}
