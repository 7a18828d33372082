/**
 * @module `gongkai calendar show <year>`, `gongkai calendar ics <year>`, `gongkai calendar import <file.json>`:
 * the effective working-day calendar (year files + the overrides administrators entered in the database).
 */
import fs from "node:fs";
import { getAgencyBySlug } from "../agencies/agency.service.ts";
import {
  type CalendarReader,
  type CalendarYearView,
  describeYear,
  getCalendarForAgency,
  getNationalCalendar,
  listCalendarData,
  type WorkCalendar,
} from "../calendar/calendar.service.ts";
import { addNotice, type NoticeInput, SYSTEM_ACTOR } from "../calendar/calendar-admin.service.ts";
import { chineseWeekday } from "../calendar/date.ts";
import { toIcs } from "../calendar/ics.ts";
import { officialCalendar } from "../calendar/index.ts";
import { type CliEnv, CliError, type CliIo, type Command, printJson } from "./command.ts";
import { type Runtime, withDatabaseIfRunning, withRuntime } from "./runtime.ts";

/**
 * The calendar of `--agency <slug>` (its region's days included), or the national one; without a database the
 * bundled official year files (no console entries).
 */
export async function resolveCalendar(
  reader: CalendarReader | undefined,
  agencySlug: string | undefined,
): Promise<WorkCalendar> {
  if (reader === undefined) return officialCalendar();
  if (agencySlug === undefined || agencySlug === "") return getNationalCalendar(reader);
  const agency = await getAgencyBySlug(reader.db, agencySlug);
  return getCalendarForAgency(reader, agency.id);
}

export function parseYear(text: string | undefined, usage: string): number {
  if (text === undefined || !/^\d{4}$/.test(text))
    throw new CliError(`a four-digit year is required\n用法 / usage: ${usage}`, 2);
  return Number(text);
}

/** Core of `calendar show` (injectable database for tests). */
export async function calendarShow(
  reader: CalendarReader | undefined,
  args: { year: number; agencySlug?: string | undefined },
): Promise<CalendarYearView> {
  const calendar = await resolveCalendar(reader, args.agencySlug);
  const notices = reader ? (await listCalendarData(reader)).notices : [];
  return describeYear(calendar, args.year, notices);
}

/**
 * Runs a calendar command: with `--agency` on the database (attaching to a running server, or starting one);
 * without, on the database only when one runs, else on the bundled data (never starts PostgreSQL).
 */
export function withCalendarDatabase<T>(
  io: CliIo,
  env: CliEnv,
  agencySlug: unknown,
  fn: (reader: CalendarReader | undefined) => Promise<T>,
): Promise<T> {
  const run = (runtime: Runtime | undefined) => fn(runtime?.deps);
  return typeof agencySlug === "string" && agencySlug !== ""
    ? withRuntime(run, { io, env })
    : withDatabaseIfRunning(run, { io, env });
}

const SOURCE_TEXT = {
  notice: "通知",
  nationalOverride: "管理员录入",
  regionalOverride: "本地区",
  statute: "法定节假日，调休待通知",
} as const;

export function formatYearView(view: CalendarYearView): string {
  const lines: string[] = [];
  lines.push(`${view.year}年工作日历`);
  if (view.notice) {
    lines.push(`依据：${view.notice.title}（${view.notice.docNumber}，${view.notice.date}）`);
    for (const a of view.notice.amendments ?? [])
      lines.push(`      ${a.title}（${a.docNumber}）：${a.summary}`);
  } else if (view.official) lines.push("依据：管理员录入的全国性调整");
  if (!view.official)
    lines.push(
      `注意：${view.reasons.join("") || `${view.year}年放假安排尚未发布，暂按法定节假日和周一至周五计算。`}`,
    );
  lines.push(`全年工作日：${view.workingDays}天${view.provisional ? "（临时）" : ""}`);
  if (view.days.length === 0) lines.push("（无放假或调休安排）");
  for (const d of view.days) {
    const mark = d.working ? "班" : "休";
    const what = d.working ? `${d.name ?? ""}调休上班` : (d.name ?? "");
    const source = d.source && d.source !== "notice" ? `  [${SOURCE_TEXT[d.source]}]` : "";
    lines.push(`  ${d.date} ${chineseWeekday(d.date)} ${mark} ${what}${source}`);
  }
  return `${lines.join("\n")}\n`;
}

export const calendarShowCommand: Command = {
  name: "calendar show",
  summary: "显示某年的放假和调休上班日 / show a year's rest and make-up working days",
  usage: "gongkai calendar show <year> [--agency <slug>] [--json]",
  options: { json: { type: "boolean" }, agency: { type: "string" } },
  positionals: true,
  async run({ values, positionals }, io, env) {
    const year = parseYear(positionals[0], this.usage);
    return withCalendarDatabase(io, env, values.agency, async (reader) => {
      const view = await calendarShow(reader, { year, agencySlug: values.agency as string | undefined });
      if (values.json) printJson(io, view);
      else io.stdout.write(formatYearView(view));
      return 0;
    });
  },
};

export const calendarIcsCommand: Command = {
  name: "calendar ics",
  summary: "导出某年的节假日日历（iCalendar） / export a year as iCalendar (.ics)",
  usage: "gongkai calendar ics <year> [--agency <slug>] [--out <file.ics>]",
  options: { agency: { type: "string" }, out: { type: "string" } },
  positionals: true,
  async run({ values, positionals }, io, env) {
    const year = parseYear(positionals[0], this.usage);
    return withCalendarDatabase(io, env, values.agency, async (reader) => {
      const calendar = await resolveCalendar(reader, values.agency as string | undefined);
      describeYear(calendar, year); // range check
      const ics = toIcs(calendar, year);
      if (typeof values.out === "string") {
        fs.writeFileSync(values.out, ics);
        io.stdout.write(`已导出 / written: ${values.out}\n`);
      } else io.stdout.write(ics);
      return 0;
    });
  },
};

/** Reads a year file (src/calendar/data/YYYY.json shape) as a notice to enter in the database. */
export function noticeFromYearFile(json: unknown): NoticeInput {
  const file = json as {
    year?: unknown;
    notice?: { title?: unknown; docNumber?: unknown; date?: unknown; url?: unknown };
    holidays?: { name?: unknown; restDays?: unknown; workDays?: unknown }[];
  };
  if (!file || typeof file !== "object" || !file.notice || !Array.isArray(file.holidays)) {
    throw new CliError(
      "the file must have the shape of src/calendar/data/YYYY.json: {year, notice, holidays[]}",
    );
  }
  const days: NoticeInput["days"] = [];
  for (const h of file.holidays) {
    const name = String(h?.name ?? "");
    for (const d of Array.isArray(h?.restDays) ? h.restDays : [])
      days.push({ date: String(d), kind: "rest", name });
    for (const d of Array.isArray(h?.workDays) ? h.workDays : [])
      days.push({ date: String(d), kind: "work", name });
  }
  const input: NoticeInput = {
    year: String(file.year ?? ""),
    title: String(file.notice.title ?? ""),
    docNumber: String(file.notice.docNumber ?? ""),
    date: String(file.notice.date ?? ""),
    days,
  };
  if (typeof file.notice.url === "string") input.url = file.notice.url;
  return input;
}

export const calendarImportCommand: Command = {
  name: "calendar import",
  summary: "录入新发布的国务院放假通知（年度数据文件格式） / enter a newly published holiday notice",
  usage: "gongkai calendar import <YYYY.json> [--json]",
  // The service's fields, as the year file names them.
  fieldLabels: {
    year: "year（年份）",
    title: "notice.title（通知标题）",
    docNumber: "notice.docNumber（文号）",
    date: "notice.date（发布日期）",
    url: "notice.url（原文链接）",
    days: "holidays（放假和调休日期）",
    duplicate: "year（年份）",
  },
  options: { json: { type: "boolean" } },
  positionals: true,
  async run({ values, positionals }, io, env) {
    const file = positionals[0];
    if (!file) throw new CliError(`a file is required\n用法 / usage: ${this.usage}`, 2);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const input = noticeFromYearFile(json);
    return withRuntime(
      async ({ deps }) => {
        const result = await addNotice(deps, SYSTEM_ACTOR, input);
        if (values.json) printJson(io, result);
        else {
          const total = result.recomputed.reduce((s, c) => s + c.count, 0);
          io.stdout.write(
            `已录入 ${result.value.notice.year}年：${result.value.notice.title}（${result.value.days.length}天）；重新计算截止日期${total}项\n`,
          );
        }
        return 0;
      },
      { io, env },
    );
  },
};
