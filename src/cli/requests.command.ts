/**
 * @module `gongkai requests purge`: deletes applicants' personal data (identity, contact) of applications whose
 * retention period has ended (per-agency setting), keeping the case record and the statistics. Audited. Meant to
 * run daily (cron / systemd timer).
 */
import { purgeExpiredPersonalData } from "../requests/retention.service.ts";
import { type Command, printJson } from "./command.ts";
import { withRuntime } from "./runtime.ts";

export const requestsPurgeCommand: Command = {
  name: "requests purge",
  summary: "删除保存期限届满的申请人个人信息 / purge applicants' personal data past its retention period",
  usage: "gongkai requests purge [--json]",
  options: { json: { type: "boolean" } },
  async run({ values }, io, env) {
    return withRuntime(
      async ({ deps }) => {
        const result = await purgeExpiredPersonalData(deps);
        if (values.json) printJson(io, { purged: result.purged.length });
        else
          io.stdout.write(
            `已删除 ${result.purged.length} 件申请的申请人个人信息 / purged ${result.purged.length}\n`,
          );
        return 0;
      },
      { io, env },
    );
  },
};
