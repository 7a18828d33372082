/**
 * @module `gongkai restore FILE [--json]`: a backup archive into an EMPTY target — the embedded data directory
 * (GONGKAI_DATA_DIR, default ./data) or the empty database of DATABASE_URL — then checks with the keys the restored
 * installation will use: audit chain and decryption of personal data (src/ops/restore.ts, restore-check.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { type Config, loadConfig } from "../config.ts";
import { lockOwner } from "../db/attach.ts";
import { openDatabase } from "../db/connection.ts";
import { embeddedLockPath, embeddedPasswordPath } from "../db/embedded.ts";
import { AppError } from "../errors.ts";
import { ENCRYPTION_KEY_FILE } from "../ops/key-files.ts";
import { restoreBackup } from "../ops/restore.ts";
import { checkRestored } from "../ops/restore-check.ts";
import { CliError, type Command, printJson } from "./command.ts";
import { ensureSecret } from "./runtime.ts";

const USAGE = "gongkai restore <backup.zip> [--json]";

const isEmptyDir = (p: string) => fs.statSync(p).isDirectory() && fs.readdirSync(p).length === 0;

/**
 * What a restore into the embedded data directory creates (the cluster, its password and lock files, the uploads),
 * among the paths that are not there yet (or are empty directories). A restore that fails removes them again, so
 * the operator can fix the cause and run it once more: a refused archive used to leave a new empty cluster behind,
 * and the next attempt was refused with restore_target_not_empty.
 */
function pathsToCreate(config: Readonly<Config>): string[] {
  return [
    config.pgDataDir,
    embeddedPasswordPath(config.pgDataDir),
    embeddedLockPath(config.pgDataDir),
    path.join(config.dataDir, "uploads"),
  ].filter((p) => !fs.existsSync(p) || isEmptyDir(p));
}

/** The key configuration the restored installation will start with (never generates a key). */
function effectiveKeys(
  config: Readonly<Config>,
  auditKey: string | null,
): Pick<Config, "secret" | "auditKey" | "encryptionKey"> {
  const withSecret = ensureSecret(config);
  const keyFile = path.join(config.dataDir, ENCRYPTION_KEY_FILE);
  const encryptionKey =
    config.encryptionKey ?? (fs.existsSync(keyFile) ? fs.readFileSync(keyFile, "utf8").trim() : undefined);
  return { secret: withSecret.secret, auditKey: config.auditKey ?? auditKey ?? undefined, encryptionKey };
}

export const restoreCommand: Command = {
  name: "restore",
  summary: "从备份恢复到空的数据目录或空数据库 / restore a backup into an empty data directory or database",
  usage: USAGE,
  options: { json: { type: "boolean" } },
  positionals: true,
  async run({ values, positionals }, io, env) {
    const [file, extra] = positionals;
    if (file === undefined || extra !== undefined)
      throw new CliError(`one backup file is required\n用法 / usage: ${USAGE}`, 2);
    if (!fs.existsSync(file)) throw new CliError(`${file} does not exist`);
    const config = loadConfig({ ...env });
    if (!config.databaseUrl) {
      const owner = lockOwner(config.pgDataDir);
      const cluster = fs.existsSync(config.pgDataDir) && fs.readdirSync(config.pgDataDir).length > 0;
      if (owner !== undefined || cluster)
        throw new AppError(
          "restore_target_not_empty",
          `数据目录 ${config.pgDataDir} 中已有数据库${owner ? `（Gongkai 进程 ${owner} 正在使用）` : ""}：请将 GONGKAI_DATA_DIR 指向一个空目录后再恢复。`,
        );
    }
    const created = config.databaseUrl ? [] : pathsToCreate(config);
    let handle: Awaited<ReturnType<typeof openDatabase>> | undefined;
    let result: Awaited<ReturnType<typeof restoreBackup>>;
    try {
      handle = await openDatabase(config, { attach: false });
      result = await restoreBackup({ db: handle.db, dataDir: config.dataDir }, file);
    } catch (e) {
      await handle?.close();
      const removed = created.filter((p) => fs.existsSync(p));
      for (const p of removed) fs.rmSync(p, { recursive: true, force: true });
      if (removed.length > 0)
        io.stderr.write(
          `gongkai: 恢复未完成，已删除本次创建的 ${removed.join("、")}；排除原因后可直接重试 / the restore did not ` +
            "complete: removed what it had created, so it can be run again once the cause is fixed\n",
        );
      throw e;
    }
    try {
      const keys = effectiveKeys(config, result.auditKey);
      const check = await checkRestored(handle.db, keys);
      const report = {
        file,
        target: config.databaseUrl ? "DATABASE_URL" : config.pgDataDir,
        schemaVersion: result.manifest.schemaVersion,
        createdAt: result.manifest.createdAt,
        tables: result.manifest.tables.length,
        rows: result.rows,
        files: result.files,
        keysWritten: result.keysWritten,
        auditKeyInArchive: result.auditKey !== null,
        check,
        warm: result.warm,
      };
      if (values.json) printJson(io, report);
      else {
        io.stdout.write(
          `已恢复 / restored: ${report.tables} tables, ${report.rows} rows, ${report.files} files (backup of ` +
            `${report.createdAt}, schema ${report.schemaVersion}); checksums verified\n`,
        );
        for (const k of result.keysWritten) io.stdout.write(`密钥已写入 / key written: ${k}\n`);
        io.stdout.write(
          result.warm.skipped
            ? `检索数据未预读 / search pages not read into shared_buffers: ${result.warm.skipped}\n`
            : `检索数据已预读 / search pages read into shared_buffers in ${Math.round(result.warm.ms)} ms\n`,
        );
        io.stdout.write(
          check.audit.ok
            ? `审计日志完整 / audit chain intact: ${check.audit.checked} rows\n`
            : "审计日志校验未通过 / audit chain does NOT verify with the configured key: set GONGKAI_SECRET " +
                `(or GONGKAI_AUDIT_KEY) to the original installation's value, or restore ${path.join(config.dataDir, "secret.key")}\n`,
        );
        const pd = {
          none: "没有加密的个人信息 / no encrypted personal data",
          ok: `申请人个人信息可以解密 / personal data decrypts (${check.sampled} sampled)`,
          "no-key":
            `缺少加密密钥 / NO encryption key: put the original key into ${path.join(config.dataDir, ENCRYPTION_KEY_FILE)} or set ` +
            "GONGKAI_ENCRYPTION_KEY before starting the server",
          "wrong-key": "加密密钥不对 / the configured encryption key does NOT decrypt the personal data",
        } as const;
        io.stdout.write(`${pd[check.personalData]}\n`);
        if (result.auditKey)
          io.stdout.write(
            "the original installation set GONGKAI_AUDIT_KEY: set the same value (keys/keys.json in the archive)\n",
          );
      }
      return check.audit.ok && (check.personalData === "ok" || check.personalData === "none") ? 0 : 1;
    } finally {
      await handle.close();
    }
  },
};
