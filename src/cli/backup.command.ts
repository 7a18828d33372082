/**
 * @module `gongkai backup --out FILE|DIR [--retention N] [--include-keys] [--json]`: one consistent archive of the
 * live system (src/ops/backup.ts). Works while the server runs (the CLI attaches to its database).
 */
import path from "node:path";
import { runBackup } from "../ops/backup.ts";
import { ENCRYPTION_KEY_FILE, SECRET_FILE } from "../ops/key-files.ts";
import { CliError, type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE = "gongkai backup --out <file.zip|dir/> [--retention N] [--include-keys] [--json]";

export const backupCommand: Command = {
  name: "backup",
  summary: "在线备份数据库和附件（一个一致的归档） / write one consistent backup archive of the live system",
  usage: USAGE,
  options: {
    out: { type: "string" },
    retention: { type: "string" },
    "include-keys": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run({ values }, io, env) {
    const out = requireString(values, "out", USAGE);
    let retention: number | undefined;
    if (values.retention !== undefined) {
      retention = Number(values.retention);
      if (!/^\d+$/.test(String(values.retention)) || retention < 1)
        throw new CliError(`--retention must be a whole number ≥ 1\n用法 / usage: ${USAGE}`, 2);
    }
    const includeKeys = values["include-keys"] === true;
    return withRuntime(
      async ({ deps }) => {
        let result: Awaited<ReturnType<typeof runBackup>>;
        try {
          result = await runBackup(deps, {
            out,
            includeKeys,
            ...(retention === undefined ? {} : { retention }),
          });
        } catch (e) {
          if (e instanceof Error && /retention/.test(e.message)) throw new CliError(e.message, 2);
          throw e;
        }
        const { manifest } = result;
        if (includeKeys)
          io.stderr.write(
            "gongkai: 警告 / WARNING: this archive contains the keys (secret, encryption key): whoever holds it can " +
              "read every applicant's personal data. Store it like the keys themselves.\n",
          );
        if (manifest.missingFiles.length > 0)
          io.stderr.write(
            `gongkai: warning: ${manifest.missingFiles.length} attachment files are missing on disk (listed in the manifest)\n`,
          );
        if (values.json) {
          printJson(io, {
            file: result.file,
            bytes: result.bytes,
            schemaVersion: manifest.schemaVersion,
            tables: manifest.tables.length,
            rows: manifest.tables.reduce((s, t) => s + t.rows, 0),
            files: manifest.files.length,
            missingFiles: manifest.missingFiles.length,
            includesKeys: manifest.includesKeys,
            deleted: result.deleted,
          });
        } else {
          const rows = manifest.tables.reduce((s, t) => s + t.rows, 0);
          io.stdout.write(
            `已备份 / written: ${result.file} (${result.bytes} bytes; ${manifest.tables.length} tables, ${rows} rows, ` +
              `${manifest.files.length} files; schema ${manifest.schemaVersion}${manifest.includesKeys ? "; WITH KEYS" : ""})\n`,
          );
          for (const d of result.deleted) io.stdout.write(`已按保留策略删除 / deleted (retention): ${d}\n`);
          if (!includeKeys) {
            // The key files of this installation (GONGKAI_DATA_DIR), not the default ./data.
            const secret = path.join(deps.config.dataDir, SECRET_FILE);
            const key = path.join(deps.config.dataDir, ENCRYPTION_KEY_FILE);
            io.stdout.write(
              `注意：备份不含密钥。恢复时还需要 ${secret} 和 ${key}（或相应的环境变量）。 / ` +
                `The keys are not in the archive: keep ${secret} and ${key} (or the variables) safe.\n`,
            );
          }
        }
        return 0;
      },
      { io, env },
    );
  },
};
