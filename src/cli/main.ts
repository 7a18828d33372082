/**
 * @module The `gongkai` CLI entry: `gongkai <command> [options]`, `--help` everywhere, one-line failures.
 */
import { ConfigError } from "../config.ts";
import { EmbeddedPostgresError } from "../db/embedded.ts";
import { isAppError } from "../errors.ts";
import { auditVerifyCommand } from "./audit.command.ts";
import { backupCommand } from "./backup.command.ts";
import { calendarIcsCommand, calendarImportCommand, calendarShowCommand } from "./calendar.command.ts";
import { catalogExportCommand, catalogLintCommand, catalogShowCommand } from "./catalog.command.ts";
import { catalogCompareCommand, catalogStandardLoadCommand } from "./catalog-compare.command.ts";
import { catalogImportCommand } from "./catalog-import.command.ts";
import { CliError, type CliIo, type Command, parseCommandArgs } from "./command.ts";
import { complianceCheckCommand } from "./compliance.command.ts";
import { deadlineAddCommand, deadlineParseCommand } from "./deadline.command.ts";
import { exportCommand } from "./export.command.ts";
import { migrateCommand } from "./migrate.command.ts";
import { reportAnnualCommand } from "./report.command.ts";
import { reportAuditCommand } from "./report-audit.command.ts";
import { requestsPurgeCommand } from "./requests.command.ts";
import { restoreCommand } from "./restore.command.ts";
import { seedCommand } from "./seed.command.ts";
import { serveCommand } from "./serve.command.ts";
import { userCreateCommand, userListCommand, userResetPasswordCommand } from "./user.command.ts";

export const COMMANDS: Command[] = [serveCommand, migrateCommand, seedCommand];
COMMANDS.push(userCreateCommand, userListCommand, userResetPasswordCommand, auditVerifyCommand);
COMMANDS.push(
  calendarShowCommand,
  calendarIcsCommand,
  calendarImportCommand,
  deadlineAddCommand,
  deadlineParseCommand,
);
COMMANDS.push(reportAnnualCommand, reportAuditCommand);
COMMANDS.push(catalogImportCommand, catalogExportCommand, catalogLintCommand, catalogShowCommand);
COMMANDS.push(catalogCompareCommand, catalogStandardLoadCommand);
COMMANDS.push(complianceCheckCommand);
COMMANDS.push(requestsPurgeCommand);
COMMANDS.push(backupCommand, restoreCommand, exportCommand);

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

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
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const two = `${argv[0] ?? ""} ${argv[1] ?? ""}`;
  const byTwo = COMMANDS.find((c) => c.name === two);
  if (byTwo) return { command: byTwo, rest: argv.slice(2) };
  const byOne = COMMANDS.find((c) => c.name === argv[0]);
  return byOne ? { command: byOne, rest: argv.slice(1) } : undefined;
}

export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.out(helpText());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
    if (group.length > 0) {
      io.err(
        `gongkai: "${argv.slice(0, 2).join(" ")}" is not a command; try: ${group.map((c) => c.name).join(", ")}\n`,
      );
    } else io.err(`gongkai: unknown command "${argv[0]}"; run gongkai --help\n`);
    return 2;
  }
  const { command, rest } = found;
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.out(`${command.summary}\n\n用法 / usage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(args as { values: Record<string, unknown>; positionals: string[] }, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`gongkai: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof ConfigError || e instanceof EmbeddedPostgresError) {
      io.err(`gongkai: ${e.message}\n`);
      return 1;
    }
    if (isAppError(e)) {
      io.err(`gongkai: ${e.message} (${e.code})\n`);
      return 1;
    }
    io.err(`gongkai: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}

if (import.meta.main) {
  const { assertSupportedNode } = await import("../shared/runtime.ts");
  assertSupportedNode();
  process.exitCode = await runCli(process.argv.slice(2));
}
