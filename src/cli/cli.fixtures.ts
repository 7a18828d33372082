/**
 * @module Test helpers for the CLI: `captureIo()` collects what a command writes (and can feed it stdin), and
 * `cliEnv()` builds the environment a command reads its configuration from. CLI tests call
 * `main(argv, io, env)` with these and never touch the process's streams or `process.env`.
 */
import type { CliEnv, CliIo } from "./command.ts";

/** A writer that keeps what was written. */
export interface CapturedText {
  write(text: string): true;
  /** Everything written so far. */
  readonly text: string;
}

export interface CapturedIo extends CliIo {
  stdout: CapturedText;
  stderr: CapturedText;
}

function capturedText(): CapturedText {
  let text = "";
  return {
    write(t: string) {
      text += t;
      return true;
    },
    get text() {
      return text;
    },
  };
}

async function* bytes(text: string): AsyncIterable<Buffer> {
  yield Buffer.from(text);
}

/** Streams for one CLI run: stdout and stderr are kept (`io.stdout.text`); `stdin` is what the command reads. */
export function captureIo(stdin?: string): CapturedIo {
  return {
    stdout: capturedText(),
    stderr: capturedText(),
    ...(stdin === undefined ? {} : { stdin: bytes(stdin) }),
  };
}

/**
 * The environment of a CLI run against a test database: DATABASE_URL, a data directory (secret and key files),
 * silent logs, plus `extra`. Nothing is inherited from the process.
 */
export function cliEnv(databaseUrl: string | undefined, dataDir: string, extra: CliEnv = {}): CliEnv {
  return {
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    GONGKAI_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    ...extra,
  };
}
