/**
 * @module `gongkai seed`: create the demo platform (idempotent).
 */
import { seedDemo } from "../seed.ts";
import { type Command, printJson } from "./command.ts";
import { withRuntime } from "./runtime.ts";

export const seedCommand: Command = {
  name: "seed",
  summary: "创建演示数据（可重复执行） / create the demo data (idempotent)",
  usage: "gongkai seed [--json]",
  options: { json: { type: "boolean" } },
  async run({ values }, io, env) {
    return withRuntime(
      async ({ deps }) => {
        const report = await seedDemo(deps);
        if (values.json) printJson(io, report);
        else {
          io.stdout.write(`新建机关 created: ${report.agencies.created.join(", ") || "-"}\n`);
          io.stdout.write(`已存在 existing: ${report.agencies.existing.join(", ") || "-"}\n`);
        }
        return 0;
      },
      { io, env },
    );
  },
};
