/**
 * @module The `gongkai` CLI entry: `main(argv, io, env)` for `gongkai <command> [options]`, `--help` everywhere,
 * one-line failures. Everything a command touches of the process comes in explicitly: `argv` (without node and the
 * script), `io` (stdout, stderr, stdin) and `env` (a plain record the configuration is read from); only
 * bin/gongkai.js passes the real ones, tests pass captureIo() (src/cli/cli.fixtures.ts) and their own env. Only the
 * command that runs is loaded (src/cli/commands.ts): `--help` and `deadline parse` start in a fraction of the time.
 */
import { isAppError } from "../errors.ts";
import {
  appErrorLines,
  type CliEnv,
  CliError,
  type CliIo,
  type Command,
  parseCommandArgs,
} from "./command.ts";
import { COMMANDS, type CommandEntry } from "./commands.ts";

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "公开 Gongkai — 政务公开工作平台",
    "",
    "用法 / usage: gongkai <command> [options]",
    "",
    "命令 / commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "每个命令都支持 --help / every command takes --help.",
    "",
  ].join("\n");
}

/** Finds the command: supports two-word commands such as `catalog export`. */
function findCommand(argv: readonly string[]): { command: CommandEntry; rest: string[] } | undefined {
  const two = `${argv[0] ?? ""} ${argv[1] ?? ""}`;
  const byTwo = COMMANDS.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: argv.slice(2) };
  const byOne = COMMANDS.find((c) => c.name === argv[0]);
  return byOne ? { command: byOne, rest: argv.slice(1) } : undefined;
}

/** Runs one command and returns its exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: readonly string[], io: CliIo, env: CliEnv): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.stdout.write(helpText());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
    if (group.length > 0) {
      io.stderr.write(
        `gongkai: "${argv.slice(0, 2).join(" ")}" is not a command; try: ${group.map((c) => c.name).join(", ")}\n`,
      );
    } else io.stderr.write(`gongkai: unknown command "${argv[0]}"; run gongkai --help\n`);
    return 2;
  }
  const { rest } = found;
  let command: Command | undefined;
  try {
    command = await found.command.load();
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.stdout.write(`${command.summary}\n\n用法 / usage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(args as { values: Record<string, unknown>; positionals: string[] }, io, env);
  } catch (e) {
    if (e instanceof CliError) {
      io.stderr.write(`gongkai: ${e.message}\n`);
      return e.exitCode;
    }
    // Configuration and embedded-server failures (ConfigError, EmbeddedPostgresError) are one line for the user.
    if (e instanceof Error && (e.name === "ConfigError" || e.name === "EmbeddedPostgresError")) {
      io.stderr.write(`gongkai: ${e.message}\n`);
      return 1;
    }
    if (isAppError(e)) {
      // A refused input names each field and why (validation_failed carries them), not only the code.
      const [first, ...rest] = appErrorLines(e, command?.fieldLabels);
      io.stderr.write(`gongkai: ${first}\n${rest.map((l) => `${l}\n`).join("")}`);
      return 1;
    }
    io.stderr.write(`gongkai: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
