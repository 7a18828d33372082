/**
 * @module The command table of the `gongkai` CLI: each command's name and one-line summary, and how to load it.
 * Modules are imported only when their command runs (`gongkai --help` and `gongkai deadline parse` load neither
 * the app nor the database layer). A test checks every entry against the module it loads (name and summary).
 */
import type { Command } from "./command.ts";

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

const entry = (name: string, summary: string, load: () => Promise<Command>): CommandEntry => ({
  name,
  summary,
  load,
});

export const COMMANDS: readonly CommandEntry[] = [
  entry(
    "serve",
    "启动网站（默认使用内置 PostgreSQL） / start the web server",
    async () => (await import("./serve.command.ts")).serveCommand,
  ),
  entry(
    "migrate",
    "数据库迁移 / run database migrations (up, down one step, status)",
    async () => (await import("./migrate.command.ts")).migrateCommand,
  ),
  entry(
    "seed",
    "创建演示数据（可重复执行） / create the demo data (idempotent)",
    async () => (await import("./seed.command.ts")).seedCommand,
  ),
  entry(
    "user create",
    "创建工作人员账户 / create a staff account",
    async () => (await import("./user.command.ts")).userCreateCommand,
  ),
  entry(
    "user list",
    "列出工作人员账户 / list staff accounts",
    async () => (await import("./user.command.ts")).userListCommand,
  ),
  entry(
    "user reset-password",
    "重置账户密码并退出其所有登录 / reset a password (ends the user's sessions)",
    async () => (await import("./user.command.ts")).userResetPasswordCommand,
  ),
  entry(
    "audit verify",
    "校验审计日志哈希链 / verify the audit log's hash chain",
    async () => (await import("./audit.command.ts")).auditVerifyCommand,
  ),
  entry(
    "calendar show",
    "显示某年的放假和调休上班日 / show a year's rest and make-up working days",
    async () => (await import("./calendar.command.ts")).calendarShowCommand,
  ),
  entry(
    "calendar ics",
    "导出某年的节假日日历（iCalendar） / export a year as iCalendar (.ics)",
    async () => (await import("./calendar.command.ts")).calendarIcsCommand,
  ),
  entry(
    "calendar import",
    "录入新发布的国务院放假通知（年度数据文件格式） / enter a newly published holiday notice",
    async () => (await import("./calendar.command.ts")).calendarImportCommand,
  ),
  entry(
    "deadline add",
    "计算期限截止日（工作日/自然日/月） / compute a due date (20wd, 10d, 1m)",
    async () => (await import("./deadline.command.ts")).deadlineAddCommand,
  ),
  entry(
    "deadline parse",
    "解读公开时限文字（规则、起算事件）/ read a deadline phrase (no database needed)",
    async () => (await import("./deadline-parse.command.ts")).deadlineParseCommand,
  ),
  entry(
    "report annual",
    "导出政府信息公开工作年度报告 / export an agency's annual report",
    async () => (await import("./report.command.ts")).reportAnnualCommand,
  ),
  entry(
    "report audit",
    "审核已公开的年度报告（勾稽关系、缺项、同比、雷同） / audit published annual reports",
    async () => (await import("./report-audit.command.ts")).reportAuditCommand,
  ),
  entry(
    "catalog import",
    "导入目录文件：逐行显示读出的内容（--dry-run 不保存；--commit 保存为草稿） / import a catalog file, row by row",
    async () => (await import("./catalog-import.command.ts")).catalogImportCommand,
  ),
  entry(
    "records import",
    "批量导入机关的历史已发布信息（默认试运行；--commit 写入） / import an agency's published records",
    async () => (await import("./records-import.command.ts")).recordsImportCommand,
  ),
  entry(
    "catalog export",
    "导出主动公开事项目录 / export an agency's disclosure catalog",
    async () => (await import("./catalog.command.ts")).catalogExportCommand,
  ),
  entry(
    "catalog lint",
    "按条例检查主动公开事项目录 / check a catalog against the Regulations",
    async () => (await import("./catalog.command.ts")).catalogLintCommand,
  ),
  entry(
    "catalog show",
    "显示目录及其版本 / show a catalog and its versions",
    async () => (await import("./catalog.command.ts")).catalogShowCommand,
  ),
  entry(
    "catalog compare",
    "对照标准目录或其他机关比较目录 / compare a catalog with a standard catalog or another agency's",
    async () => (await import("./catalog-compare.command.ts")).catalogCompareCommand,
  ),
  entry(
    "catalog standard",
    "载入或列出标准目录（基层政务公开标准目录） / load or list reference (standard) catalogs",
    async () => (await import("./catalog-compare.command.ts")).catalogStandardLoadCommand,
  ),
  entry(
    "pages nginx-config",
    "打印由 nginx 直接提供静态化页面的配置 / print the nginx configuration serving STATIC_PAGES_DIR",
    async () => (await import("./pages.command.ts")).pagesNginxConfigCommand,
  ),
  entry(
    "compliance check",
    "政务公开考核统计（按时公开率、逾期、空白栏目、失效链接） / compliance report of an agency",
    async () => (await import("./compliance.command.ts")).complianceCheckCommand,
  ),
  entry(
    "requests purge",
    "删除保存期限届满的申请人个人信息 / purge applicants' personal data past its retention period",
    async () => (await import("./requests.command.ts")).requestsPurgeCommand,
  ),
  entry(
    "backup",
    "在线备份数据库和附件（一个一致的归档） / write one consistent backup archive of the live system",
    async () => (await import("./backup.command.ts")).backupCommand,
  ),
  entry(
    "restore",
    "从备份恢复到空的数据目录或空数据库 / restore a backup into an empty data directory or database",
    async () => (await import("./restore.command.ts")).restoreCommand,
  ),
  entry(
    "dev generate",
    "生成测试数据（机关、信息、申请）/ generate a realistic corpus into the database",
    async () => (await import("./dev-generate.command.ts")).devGenerateCommand,
  ),
  entry(
    "export",
    "开放导出（JSON + CSV + 附件，附说明） / open export of an agency or the platform as documented JSON + CSV",
    async () => (await import("./export.command.ts")).exportCommand,
  ),
];
