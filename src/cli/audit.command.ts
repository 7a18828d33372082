/**
 * @module `gongkai audit verify`: re-computes the audit log's hash chain and reports the first broken row.
 * Exit code 0 when intact, 1 when broken.
 */
import { verifyAuditChain } from "../audit/audit.service.ts";
import { type Command, printJson } from "./command.ts";
import { withRuntime } from "./runtime.ts";

export const auditVerifyCommand: Command = {
  name: "audit verify",
  summary: "校验审计日志哈希链 / verify the audit log's hash chain",
  usage: "gongkai audit verify [--json]",
  options: { json: { type: "boolean" } },
  async run({ values }, io) {
    return withRuntime(async ({ deps }) => {
      const report = await verifyAuditChain(deps.db);
      if (values.json) printJson(io, report);
      else if (report.ok) io.out(`审计日志完整 / audit chain intact: ${report.checked} rows\n`);
      else
        io.out(
          `审计日志被篡改 / audit chain BROKEN at row seq=${report.firstBroken?.seq} (${report.firstBroken?.problem}); ${report.checked} rows before it verified\n`,
        );
      return report.ok ? 0 : 1;
    });
  },
};
