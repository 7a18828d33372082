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
    throw new CliError(`--${name} is required\nusage: ${usage}`, 2);
  return v.trim();
}
