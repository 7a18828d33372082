/**
 * @module `gongkai migrate [up|down|status]`.
 */
import { migrateDown, migrateToLatest, migrationStatus } from "../db/migrator.ts";
import { CliError, type Command, printJson } from "./command.ts";
import { withRuntime } from "./runtime.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "数据库迁移 / run database migrations (up, down one step, status)",
  usage: "gongkai migrate [up|down|status] [--json]",
  options: { json: { type: "boolean" } },
  positionals: true,
  async run({ values, positionals }, io, env) {
    const action = positionals[0] ?? "up";
    if (!["up", "down", "status"].includes(action))
      throw new CliError(`unknown migrate action "${action}" (up, down, status)`, 2);
    return withRuntime(
      async ({ deps }) => {
        if (action === "status") {
          const status = await migrationStatus(deps.db);
          if (values.json) printJson(io, status);
          else for (const m of status) io.stdout.write(`${m.executedAt ? "✓" : " "} ${m.name}\n`);
          return 0;
        }
        const report = action === "up" ? await migrateToLatest(deps.db) : await migrateDown(deps.db);
        if (values.json) printJson(io, report);
        else
          io.stdout.write(
            report.applied.length
              ? `${report.direction}: ${report.applied.join(", ")}\n`
              : "数据库已是最新 / nothing to migrate\n",
          );
        return 0;
      },
      { migrate: false, io, env },
    );
  },
};
