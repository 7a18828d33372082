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

/**
 * One line (Chinese / English) for the database failures an operator meets at the command line, or undefined for
 * any other error. `e` is a node-postgres error: a SQLSTATE `code` from the server, or a socket error's `code`.
 */
export function databaseErrorMessage(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, address, port } = e as Error & { code?: unknown; address?: unknown; port?: unknown };
  const where = typeof address === "string" ? `${address}${port ? `:${String(port)}` : ""}` : "";
  switch (code) {
    case "55P03":
      return (
        "数据库正忙：另一个会话（迁移、批量导入或长事务）持有本命令需要的锁，等待超过 GONGKAI_CLI_LOCK_TIMEOUT_SECONDS" +
        "（默认 30 秒）后已放弃，本命令当前的事务已撤销；请稍后重试 / the database is busy: another session holds a " +
        "lock this command needs; gave up after GONGKAI_CLI_LOCK_TIMEOUT_SECONDS (default 30 s) and rolled back the " +
        "command's current transaction. Retry later; pg_stat_activity shows who holds it."
      );
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH": {
      const reason = code === "ECONNREFUSED" ? "连接被拒绝 / connection refused" : `${code}`;
      return (
        `无法连接数据库${where ? ` ${where}` : ""}（${reason}）：请检查 DATABASE_URL 的主机和端口，以及 PostgreSQL 是否在运行 / ` +
        "cannot reach the database: check DATABASE_URL's host and port and that PostgreSQL is running."
      );
    }
    case "28P01":
    case "28000":
      return (
        "数据库拒绝了登录：请检查 DATABASE_URL 中的用户名和密码（以及 pg_hba.conf）/ the database refused the sign-in: " +
        `check the user name and password in DATABASE_URL (and pg_hba.conf). (${e.message})`
      );
    case "3D000":
      return (
        `${e.message}：请先创建该数据库（createdb），或改正 DATABASE_URL 中的数据库名 / create the database first ` +
        "(createdb) or correct the database name in DATABASE_URL."
      );
    case "53300":
      return (
        "数据库连接数已满（max_connections）：请稍后重试，或减少同时运行的进程 / the database has no connection slot " +
        `left (max_connections): retry later or run fewer processes. (${e.message})`
      );
    default:
      return undefined;
  }
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
    const database = databaseErrorMessage(e);
    if (database) {
      io.stderr.write(`gongkai: ${database}\n`);
      return 1;
    }
    io.stderr.write(`gongkai: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}
