/**
 * @module `gongkai export --agency SLUG|--platform --out FILE.zip [--with-personal-data] [--json]`: the open export
 * (src/ops/export.ts) — documented JSON + CSV and attachment files in a zip readable without Gongkai.
 */
import { systemActor } from "../accounts/policy.ts";
import { AppError } from "../errors.ts";
import { writeOpenExport } from "../ops/export.ts";
import { type Command, printJson, requireString } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE = "gongkai export --agency <slug> | --platform --out <file.zip> [--with-personal-data] [--json]";

export const exportCommand: Command = {
  name: "export",
  summary:
    "开放导出（JSON + CSV + 附件，附说明） / open export of an agency or the platform as documented JSON + CSV",
  usage: USAGE,
  options: {
    agency: { type: "string" },
    platform: { type: "boolean" },
    out: { type: "string" },
    "with-personal-data": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run({ values }, io, env) {
    const out = requireString(values, "out", USAGE);
    const agency = typeof values.agency === "string" ? values.agency.trim() : "";
    if ((agency === "") === (values.platform !== true)) throw new AppError("export_scope_invalid");
    const withPersonalData = values["with-personal-data"] === true;
    return withRuntime(
      async ({ deps }) => {
        const summary = await writeOpenExport(deps, out, {
          scope: agency ? { agencySlug: agency } : { platform: true },
          withPersonalData,
          actor: systemActor("命令行 / command line"),
        });
        if (withPersonalData)
          io.stderr.write(
            "gongkai: 警告 / WARNING: the export contains applicants' personal data (recorded in the audit log); " +
              "protect the file accordingly.\n",
          );
        if (values.json) printJson(io, { file: out, ...summary });
        else
          io.stdout.write(
            `已导出 / written: ${out} (${summary.agencies} agencies; ${summary.files
              .map((f) => `${f.name} ${f.rows}`)
              .join(", ")}; ${summary.attachments} attachment files)\n`,
          );
        return 0;
      },
      { io, env },
    );
  },
};
