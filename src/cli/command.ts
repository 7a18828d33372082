/**
 * @module The CLI's small command framework: every command has a name, a one-line summary, usage text and
 * `run`. Failures print one line (`gongkai: <reason>`) and exit non-zero; `--help` works on every command.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** Where a command writes: `process.stdout`/`process.stderr` (only bin/gongkai.js passes them), or captureIo(). */
export interface CliWriter {
  write(text: string): unknown;
}

/** A command's streams: stdout is data (e.g. --json), stderr is notes and failures, stdin is optional input. */
export interface CliIo {
  stdout: CliWriter;
  stderr: CliWriter;
  stdin?: AsyncIterable<string | Buffer> | undefined;
}

/** The environment a command reads its configuration from (a plain record; never `process.env` inside src/cli). */
export type CliEnv = Readonly<Record<string, string | undefined>>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig["options"];
  /** Allow positional arguments. */
  positionals?: boolean;
  /**
   * How a service's field names (validation_failed) read on this command line, e.g. `displayName` →
   * `--name（姓名）`; a field matching `<name>.<n>` (grants.0) takes the entry of `<name>` and the ordinal.
   */
  fieldLabels?: Record<string, string>;
  run(
    args: { values: Record<string, unknown>; positionals: string[] },
    io: CliIo,
    env: CliEnv,
  ): Promise<number>;
}

/** A failure with a one-line reason for the user (exit code 1, or 2 for usage errors). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" }, ...(command.options ?? {}) },
      allowPositionals: command.positionals ?? false,
      strict: true,
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n用法 / usage: ${command.usage}`, 2);
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function requireString(values: Record<string, unknown>, name: string, usage: string): string {
  const v = values[name];
  if (typeof v !== "string" || v.trim() === "")
    throw new CliError(`缺少 --${name} / --${name} is required\n用法 / usage: ${usage}`, 2);
  return v.trim();
}

/**
 * The lines explaining a refused input: the error's message and code, then each field error as
 * `  <option or field>：<reason>` (the reasons are Chinese, from the service), so the operator knows what to change.
 */
export function appErrorLines(
  e: { message: string; code: string; fields: readonly { field: string; message: string }[] },
  labels: Record<string, string> = {},
): string[] {
  const label = (field: string): string => {
    if (Object.hasOwn(labels, field)) return labels[field] as string;
    const m = /^(.+)\.(\d+)$/.exec(field);
    if (m && Object.hasOwn(labels, m[1] as string))
      return `${labels[m[1] as string]}（第${Number(m[2]) + 1}个）`;
    return field;
  };
  return [`${e.message} (${e.code})`, ...e.fields.map((f) => `  ${label(f.field)}：${f.message}`)];
}
