/**
 * @module Validation of calendar data entered by administrators (pure; field-level Chinese messages).
 *
 * Legal background (legal-spec §4.3): 工作日 = Monday–Friday, minus the rest days the State Council holiday notice
 * declares, plus the weekend days it declares working days (调休上班). An entered notice must therefore list its
 * rest days and make-up working days exactly; a make-up working day is always a Saturday or Sunday.
 */
import type { FieldError } from "../errors.ts";
import type { OverrideCategory } from "./calendar.table.ts";
import type { WorkCalendar } from "./calendar.ts";
import { addDays, compareDates, isValidDate, isWeekend, yearOf } from "./date.ts";
import type { YearFile } from "./types.ts";
import { validateYearFile } from "./validate.ts";

export interface NoticeDayInput {
  date: string;
  kind: "rest" | "work";
  name: string;
}

/** A State Council notice as typed in (form strings or JSON). */
export interface NoticeInput {
  year: number | string;
  title: string;
  docNumber: string;
  /** 成文日期 YYYY-MM-DD */
  date: string;
  url?: string | undefined;
  /** The days, or text lines `YYYY-MM-DD[至YYYY-MM-DD] 休|班 名称`. */
  days: NoticeDayInput[] | string;
}

export interface ValidNotice {
  year: number;
  title: string;
  docNumber: string;
  date: string;
  url?: string;
  days: NoticeDayInput[];
}

/** One day entered by an administrator (form strings or JSON). */
export interface OverrideInput {
  date: string;
  kind: string;
  name: string;
  /** notice | holiday | closure (default holiday). */
  category?: string | undefined;
  /** Empty/undefined = national. */
  regionId?: string | null | undefined;
  note?: string | undefined;
}

export interface ValidOverride {
  date: string;
  kind: "rest" | "work";
  name: string;
  category: OverrideCategory;
  regionId: string | null;
  note?: string;
  /** For category notice: the notice year the day belongs to (元旦 days in late December belong to the next year). */
  noticeYear: number;
}

export const DOC_NUMBER = /^国办发明?电〔\d{4}〕\d+号$/;
const KINDS: Record<string, "rest" | "work"> = { rest: "rest", 休: "rest", work: "work", 班: "work" };
const CATEGORIES: readonly OverrideCategory[] = ["notice", "holiday", "closure"];
const MAX_RANGE_DAYS = 31;

const MSG = {
  date: "日期格式应为YYYY-MM-DD（如2027-01-01），且须为实际存在的日期",
  kind: "类型须为“休息日”（rest/休）或“调休上班日”（work/班）",
  name: "请填写名称（1至50字），如“春节”“地方性假日”",
  category: "类别须为放假通知（notice）、地方性假日（holiday）或临时调整（closure）",
  note: "说明不能超过500字",
  makeup: "调休上班日须为星期六或星期日（工作日本来就上班，无需登记）",
  year: "年份须为2000至2200之间的整数",
  title: "请填写通知标题（须含“通知”二字，4至200字）",
  docNumber: "文号格式应为“国办发明电〔YYYY〕N号”",
  url: "链接须以http://或https://开头",
} as const;

function str(v: unknown): string {
  return typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "";
}

/** Parses one text line `YYYY-MM-DD[至YYYY-MM-DD] 休|班 名称` into days; null when malformed. */
export function parseNoticeLine(line: string): { days: NoticeDayInput[] } | { error: string } {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 3) return { error: "每行格式：日期（或“起始日至结束日”） 休/班 名称" };
  const [range, kindText, ...nameParts] = parts as [string, string, ...string[]];
  const kind = KINDS[kindText];
  if (!kind) return { error: MSG.kind };
  const name = nameParts.join(" ");
  if (name.length > 50) return { error: MSG.name };
  const [from, to = from, extra] = range.split(/至|\.\.|~/);
  if (extra !== undefined || from === undefined || !isValidDate(from) || !isValidDate(to))
    return { error: MSG.date };
  if (compareDates(to, from) < 0) return { error: "结束日期不能早于起始日期" };
  if (compareDates(to, from) > MAX_RANGE_DAYS) return { error: `一行最多登记${MAX_RANGE_DAYS}天` };
  const days: NoticeDayInput[] = [];
  for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) days.push({ date: d, kind, name });
  return { days };
}

/**
 * Validates a notice (国务院办公厅关于YYYY年部分节假日安排的通知) and its days. Consistency checks reuse the year-file
 * validator: contiguous rest blocks per holiday, make-up days on weekends near their holiday, no day twice.
 */
export function validateNoticeInput(
  input: NoticeInput,
  ctx: { bundledYears: ReadonlySet<number>; noticeExists: boolean },
): { value?: ValidNotice; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const yearText = str(input.year);
  const year = /^\d{4}$/.test(yearText) ? Number(yearText) : Number.NaN;
  if (!Number.isInteger(year) || year < 2000 || year > 2200)
    errors.push({ field: "year", message: MSG.year });
  else if (ctx.bundledYears.has(year)) {
    errors.push({ field: "year", message: `${year}年的放假安排已随系统发布（正式数据文件），无需录入` });
  } else if (ctx.noticeExists) {
    errors.push({ field: "duplicate", message: `${year}年的放假通知已录入；如需修改，请先删除后重新录入` });
  }
  const title = str(input.title);
  if (title.length < 4 || title.length > 200 || !title.includes("通知"))
    errors.push({ field: "title", message: MSG.title });
  const docNumber = str(input.docNumber);
  if (!DOC_NUMBER.test(docNumber)) errors.push({ field: "docNumber", message: MSG.docNumber });
  const date = str(input.date);
  if (!isValidDate(date)) errors.push({ field: "date", message: MSG.date });
  const url = str(input.url);
  if (url !== "" && !/^https?:\/\/\S+$/.test(url)) errors.push({ field: "url", message: MSG.url });

  const days: NoticeDayInput[] = [];
  const dayErrors: string[] = [];
  if (typeof input.days === "string") {
    input.days.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === "") return;
      const parsed = parseNoticeLine(line);
      if ("error" in parsed) dayErrors.push(`第${i + 1}行：${parsed.error}`);
      else days.push(...parsed.days);
    });
  } else if (Array.isArray(input.days)) {
    input.days.forEach((d, i) => {
      const kind = KINDS[str(d?.kind)];
      const name = str(d?.name);
      if (!isValidDate(str(d?.date))) dayErrors.push(`第${i + 1}项：${MSG.date}`);
      else if (!kind) dayErrors.push(`第${i + 1}项：${MSG.kind}`);
      else if (name === "" || name.length > 50) dayErrors.push(`第${i + 1}项：${MSG.name}`);
      else days.push({ date: str(d.date), kind, name });
    });
  }
  if (dayErrors.length === 0 && days.length === 0) dayErrors.push("请逐行填写放假日期和调休上班日期");
  if (dayErrors.length === 0 && Number.isInteger(year)) {
    for (const d of days) {
      const y = yearOf(d.date);
      // The 元旦 break may begin in the last days of the previous year (2019 and 2023 notices).
      if (y !== year && !(y === year - 1 && d.date.slice(5, 7) === "12")) {
        dayErrors.push(`${d.date}不在${year}年（或上年12月）内`);
      }
      if (d.kind === "work" && !isWeekend(d.date)) dayErrors.push(`${d.date}：${MSG.makeup}`);
    }
    if (dayErrors.length === 0) {
      // Reuse the reviewed-data checks (contiguous blocks, duplicates, make-up days near their holiday).
      const byName = new Map<string, { restDays: string[]; workDays: string[] }>();
      for (const d of [...days].sort((a, b) => compareDates(a.date, b.date))) {
        const h = byName.get(d.name) ?? { restDays: [], workDays: [] };
        (d.kind === "rest" ? h.restDays : h.workDays).push(d.date);
        byName.set(d.name, h);
      }
      const file: YearFile = {
        year,
        notice: {
          title: title || "通知",
          docNumber: DOC_NUMBER.test(docNumber) ? docNumber : "国办发明电〔2000〕1号",
          date: isValidDate(date) ? date : `${year}-01-01`,
        },
        holidays: [...byName].map(([name, h]) => ({ name, ...h })),
      };
      for (const e of validateYearFile(file)) dayErrors.push(translateYearFileError(e));
    }
  }
  if (dayErrors.length > 0) errors.push({ field: "days", message: dayErrors.join("；") });
  if (errors.length > 0) return { errors };
  const value: ValidNotice = { year, title, docNumber, date, days };
  if (url !== "") value.url = url;
  return { value, errors };
}

function translateYearFileError(e: string): string {
  const text = e.replace(/^year \d+ /, "");
  return text
    .replace(/restDays empty/, "没有放假日期（每个节日至少一天休息日）")
    .replace(/restDays not contiguous at (\S+)/, "放假日期须连续，$1处中断")
    .replace(
      /make-up work day (\S+) more than 14 days away from the holiday block/,
      "调休上班日$1距离该节日假期超过14天",
    )
    .replace(/(\S+) listed twice \(([^)]*)\)/, "$1重复登记（$2）");
}

/** Shape checks of one override (no database): date, kind, name, category, note. */
export function parseOverrideInput(input: OverrideInput): { value?: ValidOverride; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const date = str(input.date);
  if (!isValidDate(date)) errors.push({ field: "date", message: MSG.date });
  const kind = KINDS[str(input.kind)];
  if (!kind) errors.push({ field: "kind", message: MSG.kind });
  const name = str(input.name);
  if (name === "" || name.length > 50) errors.push({ field: "name", message: MSG.name });
  const categoryText = str(input.category) || "holiday";
  const category = CATEGORIES.find((c) => c === categoryText);
  if (!category) errors.push({ field: "category", message: MSG.category });
  const note = str(input.note);
  if (note.length > 500) errors.push({ field: "note", message: MSG.note });
  const regionId = str(input.regionId) || null;
  if (category === "notice" && regionId !== null) {
    errors.push({ field: "regionId", message: "放假通知中的日期是全国性的，不能限定地区" });
  }
  if (errors.length > 0 || !kind || !category) return { errors };
  const y = yearOf(date);
  const noticeYear = category === "notice" && date.slice(5) >= "12-15" ? y + 1 : y;
  const value: ValidOverride = { date, kind, name, category, regionId, noticeYear };
  if (note !== "") value.note = note;
  return { value, errors };
}

/**
 * Rules that need the current data: a make-up working day is a weekend day; a national day in a year without
 * official data requires that year's notice first (a national override marks its year official, so a single
 * closure must not silently turn a guessed year into an official one); one entry per day and scope.
 */
export function overrideConflicts(
  value: ValidOverride,
  ctx: {
    calendar: WorkCalendar;
    bundledYears: ReadonlySet<number>;
    noticeYears: ReadonlySet<number>;
    /** Name of the entry already recorded on this day in the same scope, if any. */
    duplicateName?: string | undefined;
  },
): FieldError[] {
  const errors: FieldError[] = [];
  const year = yearOf(value.date);
  if (year <= ctx.calendar.startYear || value.date > ctx.calendar.lastDate) {
    errors.push({
      field: "date",
      message: `日期超出工作日历范围（${ctx.calendar.startYear + 1}年至${ctx.calendar.lastDate.slice(0, 4)}年）`,
    });
    return errors;
  }
  if (value.kind === "work" && !isWeekend(value.date)) errors.push({ field: "kind", message: MSG.makeup });
  if (value.kind === "rest" && value.category !== "notice" && !ctx.calendar.isWorkingDay(value.date)) {
    const info = ctx.calendar.dayInfo(value.date);
    if (info.kind === "holiday" && value.regionId === null) {
      errors.push({ field: "date", message: `该日已是休息日（${info.name ?? "法定节假日"}），无需登记` });
    }
  }
  if (value.category === "notice") {
    if (ctx.bundledYears.has(value.noticeYear)) {
      errors.push({
        field: "category",
        message: `${value.noticeYear}年的放假安排已随系统发布，不能再添加通知日期；如属临时调整请选择“临时调整”`,
      });
    } else if (!ctx.noticeYears.has(value.noticeYear)) {
      errors.push({ field: "category", message: `请先录入${value.noticeYear}年的国务院放假通知` });
    }
  } else if (value.regionId === null && !ctx.bundledYears.has(year) && !ctx.noticeYears.has(year)) {
    errors.push({
      field: "date",
      message: `${year}年尚无放假安排数据：请先录入该年度国务院放假通知，再登记全国性的其他调整（地区性调整不受此限）`,
    });
  }
  if (ctx.duplicateName !== undefined) {
    errors.push({
      field: "duplicate",
      message: `${value.date}在该范围内已有调整记录（${ctx.duplicateName}），请先删除原记录`,
    });
  }
  return errors;
}
