/**
 * @module What a restore drill checks after loading, with the keys the restored installation will use: the audit
 * chain verifies, and applicants' encrypted personal data decrypts. Also the guard that stops a server from
 * generating a NEW encryption key over a database that holds data encrypted with a lost one.
 */
import { sql } from "kysely";
import { auditKeyFrom, verifyAuditChain } from "../audit/audit.service.ts";
import type { Config } from "../config.ts";
import type { DbOrTx } from "../db/database.ts";
import { decryptPersonal, parseEncryptionKey } from "../requests/personal-data.ts";

/** True when some application still holds encrypted personal data (operations-level read over the schema). */
export async function hasEncryptedPersonalData(db: DbOrTx): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    SELECT to_regclass('public.info_requests') IS NOT NULL
       AND EXISTS (SELECT 1 FROM info_requests WHERE personal_enc IS NOT NULL) AS found`.execute(db);
  return rows[0]?.found === true;
}

export interface RestoreCheck {
  audit: { ok: boolean; checked: number; keyed: boolean };
  /** none: no encrypted data; ok: a sample decrypts; no-key / wrong-key: it does not. */
  personalData: "none" | "ok" | "no-key" | "wrong-key";
  sampled: number;
}

export async function checkRestored(
  db: DbOrTx,
  config: Pick<Config, "secret" | "auditKey" | "encryptionKey">,
  sample = 20,
): Promise<RestoreCheck> {
  const key = auditKeyFrom(config);
  const report = await verifyAuditChain(db, { key });
  const audit = { ok: report.ok, checked: report.checked, keyed: key !== undefined };
  const { rows } = await sql<{ id: string; personal_enc: string }>`
    SELECT id::text, personal_enc FROM info_requests WHERE personal_enc IS NOT NULL ORDER BY id LIMIT ${sample}`.execute(
    db,
  );
  if (rows.length === 0) return { audit, personalData: "none", sampled: 0 };
  if (!config.encryptionKey) return { audit, personalData: "no-key", sampled: rows.length };
  try {
    const k = parseEncryptionKey(config.encryptionKey);
    for (const r of rows) decryptPersonal(k, r.personal_enc, r.id);
    return { audit, personalData: "ok", sampled: rows.length };
  } catch {
    return { audit, personalData: "wrong-key", sampled: rows.length };
  }
}
