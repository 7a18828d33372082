/**
 * @module `gongkai audit verify`: re-computes the audit log's keyed hash chain (with the key from the configuration:
 * GONGKAI_AUDIT_KEY, else derived from the application secret), compares the newest row with the chain head and
 * reports the first problem. Exit code 0 when intact, 1 when broken.
 */
import { verifyAuditChain } from "../audit/audit.service.ts";
import { type Command, printJson } from "./command.ts";
import { withRuntime } from "./runtime.ts";

export const auditVerifyCommand: Command = {
  name: "audit verify",
  summary: "校验审计日志哈希链 / verify the audit log's hash chain",
  usage: "gongkai audit verify [--json]",
  options: { json: { type: "boolean" } },
  async run({ values }, io, env) {
    return withRuntime(
      async ({ deps }) => {
        const report = await verifyAuditChain(deps.db, { key: deps.audit.key });
        const unkeyed = report.unkeyedRows
          ? `; ${report.unkeyedRows} rows from before the keyed chain are protected by unkeyed SHA-256 only`
          : "";
        if (values.json) printJson(io, report);
        else if (report.ok)
          io.stdout.write(`审计日志完整 / audit chain intact: ${report.checked} rows${unkeyed}\n`);
        else if (report.firstBroken)
          io.stdout.write(
            `审计日志被篡改 / audit chain BROKEN at row seq=${report.firstBroken.seq} (${report.firstBroken.problem}); ${report.checked} rows before it verified\n`,
          );
        else
          io.stdout.write(
            `审计日志被篡改 / audit chain head ${report.head}: the newest rows were deleted or the chain head was rewritten; ${report.checked} rows verified\n`,
          );
        return report.ok ? 0 : 1;
      },
      { io, env },
    );
  },
};
