/**
 * @module `gongkai dev generate --agencies N --records M --applications K`: writes a generated corpus into the
 * configured database (see src/ops/dev-generate.ts) and prints the measured throughput.
 */
import { CliError, type Command, printJson } from "./command.ts";
import { withRuntime } from "./runtime.ts";

const USAGE =
  "gongkai dev generate --agencies N --records M [--applications K] [--seed S] [--lanes L] [--json]";

export interface GenerateArgs {
  agencies: number;
  records: number;
  applications: number;
  seed: number;
  /** Parallel COPY connections; absent: one per core (record-bulk.ts). */
  lanes?: number;
}

const BOUNDS = {
  agencies: [1, 10_000],
  records: [0, 20_000_000],
  applications: [0, 10_000_000],
  seed: [0, 2 ** 31 - 1],
  lanes: [1, 8],
} as const;

/** Validates the options: whole numbers within bounds (underscores and commas allowed: 1_000_000). */
export function parseGenerateArgs(values: Record<string, unknown>): GenerateArgs {
  const num = (name: keyof typeof BOUNDS, fallback?: number): number => {
    const raw = values[name];
    if (raw === undefined) {
      if (fallback === undefined) throw new CliError(`--${name} is required\n用法 / usage: ${USAGE}`, 2);
      return fallback;
    }
    const text = String(raw).replace(/[_,]/g, "");
    const [min, max] = BOUNDS[name];
    if (!/^\d+$/.test(text))
      throw new CliError(`--${name} must be a whole number, got "${String(raw)}"\n用法 / usage: ${USAGE}`, 2);
    const n = Number(text);
    if (n < min || n > max)
      throw new CliError(`--${name} must be between ${min} and ${max.toLocaleString("en-US")}, got ${n}`, 2);
    return n;
  };
  return {
    agencies: num("agencies"),
    records: num("records"),
    applications: num("applications", 0),
    seed: num("seed", 20261204),
    ...(values.lanes === undefined ? {} : { lanes: num("lanes") }),
  };
}

export const devGenerateCommand: Command = {
  name: "dev generate",
  summary: "生成测试数据（机关、信息、申请）/ generate a realistic corpus into the database",
  usage: USAGE,
  options: {
    agencies: { type: "string" },
    records: { type: "string" },
    applications: { type: "string" },
    seed: { type: "string" },
    lanes: { type: "string" },
    json: { type: "boolean" },
  },
  async run({ values }, io, env) {
    const args = parseGenerateArgs(values);
    const { generateCorpusInto } = await import("../ops/dev-generate.ts");
    return withRuntime(
      async ({ deps }) => {
        const report = await generateCorpusInto(deps.db, {
          ...args,
          encryptionKey: deps.config.encryptionKey,
          audit: deps.audit,
          now: deps.clock.now(),
          onProgress: values.json ? undefined : (m) => io.stderr.write(`${m}\n`),
        });
        if (values.json) printJson(io, { ...report, agencies: report.agencies.map((a) => a.slug) });
        else
          io.stdout.write(
            `机关 agencies: ${report.agencies.length}; 信息 records: ${report.records} ` +
              `(${report.recordsPerSecond}/s loading, ${report.totalRecordsPerSecond}/s with indexes); ` +
              `申请 applications: ${report.applications} (${report.applicationsMs} ms)\n`,
          );
        return 0;
      },
      { io, env, waitForLocks: true },
    );
  },
};
