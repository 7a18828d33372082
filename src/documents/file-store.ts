/**
 * @module Uploaded files on disk: `<dataDir>/uploads/<agencyId>/<sha256>`, content-addressed, written once and
 * atomically (temporary file, then rename), read back only when the checksum still matches. Shared by every feature
 * that keeps files (record attachments, application files); backups and exports use `uploadPath`.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import { isUuid } from "../shared/ids.ts";

export function uploadPath(config: Pick<Config, "dataDir">, agencyId: string, sha256: string): string {
  if (!isUuid(agencyId) || !/^[0-9a-f]{64}$/.test(sha256)) throw new Error("invalid upload path");
  return path.join(config.dataDir, "uploads", agencyId, sha256);
}

/** Writes the bytes under their SHA-256 (nothing is written when the file is already there); returns the hash. */
export function writeStoredFile(config: Pick<Config, "dataDir">, agencyId: string, data: Buffer): string {
  const sha256 = createHash("sha256").update(data).digest("hex");
  const target = uploadPath(config, agencyId, sha256);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o640 });
    fs.renameSync(tmp, target);
  }
  return sha256;
}

/** Reads a stored file, verifying its checksum (a corrupted file is reported, never served). */
export function readStoredFile(
  config: Pick<Config, "dataDir">,
  agencyId: string,
  sha256: string,
): Buffer | undefined {
  const file = uploadPath(config, agencyId, sha256);
  if (!fs.existsSync(file)) return undefined;
  const data = fs.readFileSync(file);
  if (createHash("sha256").update(data).digest("hex") !== sha256) return undefined;
  return data;
}

export function storedFileExists(config: Pick<Config, "dataDir">, agencyId: string, sha256: string): boolean {
  return fs.existsSync(uploadPath(config, agencyId, sha256));
}
