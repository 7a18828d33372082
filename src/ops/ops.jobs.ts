/**
 * @module Background jobs of operations, registered by src/app-jobs.ts: the daily backup (one consistent archive,
 * src/ops/backup.ts) into `<GONGKAI_DATA_DIR>/backups/`, keeping the newest 14; the hourly sweep of expired
 * rate-limit counters. Copy that directory to another
 * machine (docs/operations.md, "Backups"); the keys are never in these archives.
 */
import path from "node:path";
import { deleteExpiredRateLimits } from "../http/rate-limit.repository.ts";
import type { JobDefinition } from "../jobs/job.ts";
import { runBackup } from "./backup.ts";

export const DAILY_BACKUP_RETENTION = 14;

export const dailyBackupJob: JobDefinition = {
  name: "ops.daily-backup",
  title: "每日备份",
  description: `每天凌晨把数据库和附件备份为一个一致的归档（数据目录下 backups/，保留最近${DAILY_BACKUP_RETENTION}份，不含密钥）。`,
  cron: "0 2 * * *",
  expireInSeconds: 2 * 60 * 60,
  async run({ deps }) {
    const result = await runBackup(deps, {
      out: `${path.join(deps.config.dataDir, "backups")}${path.sep}`,
      retention: DAILY_BACKUP_RETENTION,
    });
    const rows = result.manifest.tables.reduce((s, t) => s + t.rows, 0);
    return {
      totals: {
        bytes: result.bytes,
        rows,
        files: result.manifest.files.length,
        deleted: result.deleted.length,
      },
      note: `已备份到 ${result.file}`,
    };
  },
};

/** Expired rate-limit counters (src/http/rate-limit.repository.ts) would otherwise stay until the key is seen again. */
export const rateLimitSweepJob: JobDefinition = {
  name: "ops.rate-limit-sweep",
  title: "清理访问频率计数",
  description: "每小时删除已过期的访问频率计数（各进程共用的限流计数表）。",
  cron: "17 * * * *",
  async run({ deps }) {
    const deleted = await deleteExpiredRateLimits(deps.db);
    return { totals: { deleted } };
  },
};

export function opsJobs(): JobDefinition[] {
  return [dailyBackupJob, rateLimitSweepJob];
}
