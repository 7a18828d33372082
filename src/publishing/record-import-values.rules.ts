/**
 * @module Cell values of a records import as other systems write them (pure, table-tested): the dates of CMS
 * exports and hand-made sheets (2023-05-06 00:00:00.0, 2023/5/6, 2023.05.06, 2023年5月6日, 二〇二三年五月六日,
 * full-width digits, Excel serial numbers, ISO timestamps with a zone), the 有效性 words of 政府信息公开目录 lists
 * mapped to Gongkai's three values (record.rules.ts VALIDITIES: 有效, 失效, 废止; 条例第19–20条 require the
 * information as published, not a guess, so words whose meaning is not one of them are refused with the reason),
 * the 公开方式 column (only 主动公开 rows may be published, 条例第19条), placeholders such as “—” or “无” standing for
 * an empty cell, and cells wrapped over several lines.
 */

import type { Validity } from "./record.table.ts";

/** Full-width digits, letters and punctuation folded to ASCII (NFKC), spaces collapsed. */
export function halfWidth(s: string): string {
  return s.normalize("NFKC").replace(/\s+/g, " ").trim();
}

const PLACEHOLDER = /^(?:[-—–－‐_/／\\·・.。、…\s]+|无|暂无|空|null|none|n\/a)$/i;

/** A cell that only says “nothing here” (—, -, /, 无, 暂无, null). */
export function isPlaceholder(s: string): boolean {
  return s.trim() !== "" && PLACEHOLDER.test(s.trim().normalize("NFKC"));
}

const ASCII = /[\x21-\x7e]/;

/**
 * A single-line value (标题, 文号, 索引号, 发布机构) from a cell wrapped over several lines: the line breaks go, and a
 * space stays only between two ASCII characters (English words), as Excel's “自动换行” text reads.
 */
export function oneLine(s: string): string {
  return s
    .replace(/[ \t\u3000]*[\r\n]+[ \t\u3000]*/g, (m, at: number, all: string) =>
      ASCII.test(all[at - 1] ?? "") && ASCII.test(all[at + m.length] ?? "") ? " " : "",
    )
    .trim();
}

/** The value of a Chinese digit (〇 also written ○, 零 or O), or -1. */
function cnDigit(c: string): number {
  return "〇○零O".includes(c) ? 0 : "〇一二三四五六七八九".indexOf(c);
}

/** 一 … 三十一 (a month or a day in Chinese numerals), or NaN. */
function cnSmall(s: string): number {
  const m = s.match(/^(?:([一二三])?十([一二三四五六七八九])?|([一二三四五六七八九]))$/);
  if (!m) return Number.NaN;
  if (m[3]) return cnDigit(m[3]);
  return (m[1] ? cnDigit(m[1]) : 1) * 10 + (m[2] ? cnDigit(m[2]) : 0);
}

/** 二〇二三年五月六日 (a 公文's 成文日期 as printed, GB/T 9704 before 2012) → 2023年5月6日, else null. */
function fromChineseNumerals(s: string): string | null {
  const m = s.match(
    /^([〇○零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$/,
  );
  if (!m) return null;
  const year = [...(m[1] as string)].map(cnDigit).join("");
  const month = cnSmall(m[2] as string);
  const day = cnSmall(m[3] as string);
  return Number.isNaN(month) || Number.isNaN(day) ? null : `${year}年${month}月${day}日`;
}

/** Day 0 of Excel's 1900 date system; serials from 61 on (1900-03-01) count from here (1900-02-29 never was). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function isoOf(y: number, mo: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || y < 1949)
    return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A date as agencies and their systems write it → YYYY-MM-DD, or null: 2024-03-05, 2024/3/5, 2024.3.5,
 * 2024年3月5日, 20240305, with a time after it (2024-03-05 00:00:00.0 of Java exports, 2024/3/5 9:30, 10时30分),
 * full-width digits, 二〇二四年三月五日, an Excel serial day number (45356, as a date column reads when the cell lost
 * its date format; 1900 system), an ISO timestamp with a zone (2024-03-04T16:00:00Z is 5 March in Beijing) and
 * Unix time in milliseconds or seconds (JSON APIs), both taken in Beijing time.
 * Dates before 1949 and impossible dates (2 月 30 日) are null.
 */
export function parseImportDate(raw: string): string | null {
  // A weekday after the date (2023年5月6日 星期六, 2023-05-06（周六）) says nothing more.
  let s = halfWidth(raw).replace(/\s*\(?(?:星期|周|礼拜)[一二三四五六日天]\)?$/, "");
  const zoned = s.match(
    /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i,
  );
  if (zoned) {
    const zone = (zoned[3] as string).toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
    const t = Date.parse(`${zoned[1]}T${(zoned[2] as string).replace(/(\.\d{3})\d+$/, "$1")}${zone}`);
    if (Number.isNaN(t)) return null;
    const bj = new Date(t + 8 * 3_600_000);
    return isoOf(bj.getUTCFullYear(), bj.getUTCMonth() + 1, bj.getUTCDate());
  }
  // Unix time in milliseconds or seconds (JSON APIs of Java CMSs: 1683331200000).
  if (/^\d{13}$|^\d{10}$/.test(s)) {
    const bj = new Date(Number(s) * (s.length === 10 ? 1000 : 1) + 8 * 3_600_000);
    return isoOf(bj.getUTCFullYear(), bj.getUTCMonth() + 1, bj.getUTCDate());
  }
  s = fromChineseNumerals(s.replace(/\s/g, "")) ?? s;
  if (/^\d{5}(?:\.\d+)?$/.test(s)) {
    const serial = Math.floor(Number(s));
    if (serial < 61) return null;
    const dt = new Date(EXCEL_EPOCH + serial * DAY_MS);
    return isoOf(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
  }
  const m =
    s.match(
      /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s+|T)\d{1,2}(?::\d{1,2}(?::\d{1,2}(?:\.\d{1,9})?)?|时(?:\d{1,2}分(?:\d{1,2}秒)?)?))?$/,
    ) ?? s.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (!m) return null;
  return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** 有效性 words of published lists that mean one of Gongkai's values (是/否 answer a “是否有效” column). */
const VALIDITY_WORDS: Readonly<Record<Validity, readonly string[]>> = {
  有效: ["有效", "现行有效", "现行", "生效", "已生效", "继续有效", "有效期内", "是", "valid", "effective"],
  失效: [
    "失效",
    "已失效",
    "过期",
    "已过期",
    "到期",
    "已到期",
    "到期失效",
    "有效期届满",
    "自动失效",
    "否",
    "expired",
  ],
  废止: ["废止", "已废止", "宣布废止", "予以废止", "废除", "已废除", "repealed", "abolished"],
};

/** Words that name a state Gongkai has no value for: the row is refused with what to write instead. */
const VALIDITY_UNCLEAR: Readonly<Record<string, string>> = {
  部分失效: "部分条款失效的文件请按其仍然适用的部分写“有效”，或整体写“失效”",
  部分废止: "部分条款废止的文件请按其仍然适用的部分写“有效”，或整体写“废止”",
  已修改: "被修改的文件如以修改后的文本继续有效请写“有效”，被新文件取代的请写“失效”",
  已修订: "被修订的文件如以修订后的文本继续有效请写“有效”，被新文件取代的请写“失效”",
  已修正: "被修正的文件如以修正后的文本继续有效请写“有效”，被新文件取代的请写“失效”",
  修订: "被修订的文件如以修订后的文本继续有效请写“有效”，被新文件取代的请写“失效”",
  尚未生效: "尚未施行的文件请写“有效”，并在内容概述中写明施行日期",
  未生效: "尚未施行的文件请写“有效”，并在内容概述中写明施行日期",
  待生效: "尚未施行的文件请写“有效”，并在内容概述中写明施行日期",
};

const VALIDITY_INDEX: ReadonlyMap<string, Validity> = new Map(
  (Object.entries(VALIDITY_WORDS) as [Validity, readonly string[]][]).flatMap(([v, words]) =>
    words.map((w) => [w.toLowerCase(), v] as const),
  ),
);

export type ValidityResult = { ok: true; validity: Validity | null } | { ok: false; message: string };

/** A 有效性 cell → Gongkai's value (empty or a placeholder → none), or the row's message. */
export function parseValidity(
  raw: string,
  /** The file's own words, given by the user (validityWords: 已修改 → 有效), checked before the built-in ones. */
  extra: ReadonlyMap<string, Validity> = new Map(),
): ValidityResult {
  if (raw.trim() === "" || isPlaceholder(raw)) return { ok: true, validity: null };
  const key = validityKey(raw);
  const v = extra.get(key) ?? VALIDITY_INDEX.get(key);
  if (v) return { ok: true, validity: v };
  const hint = VALIDITY_UNCLEAR[key];
  return {
    ok: false,
    message: `有效性“${raw.trim()}”只能是有效、失效或废止${hint ? `：${hint}` : "（也可写现行有效、已失效、已废止等）"}${hint || extra.size === 0 ? "" : "；本次导入指定的对应词中也没有它"}`,
  };
}

const validityKey = (raw: string) => halfWidth(raw).replace(/\s/g, "").toLowerCase();

export type ValidityWords = { ok: true; words: Map<string, Validity> } | { ok: false; message: string };

/**
 * The user's mapping of a file's 有效性 words (`已修改=有效,部分失效=有效`, separated by , ， ; ； or 、), so a
 * history whose list says 已修改 thousands of times is imported without editing it; each target must be 有效, 失效
 * or 废止 (or a word already meaning one).
 */
export function parseValidityWords(spec: string): ValidityWords {
  const words = new Map<string, Validity>();
  for (const part of spec.split(/[,，;；、]/).map((p) => p.trim())) {
    if (part === "") continue;
    const m = part.match(/^(.+?)\s*[=＝:：]\s*(.+)$/);
    const target = m ? VALIDITY_INDEX.get(validityKey(m[2] as string)) : undefined;
    if (!m || target === undefined)
      return {
        ok: false,
        message: `有效性对应“${part}”应写作“文件中的词=有效”（或“=失效”“=废止”），多个用逗号分隔，如“已修改=有效,部分失效=有效”`,
      };
    words.set(validityKey(m[1] as string), target);
  }
  return words.size ? { ok: true, words } : { ok: false, message: "有效性对应为空：请写作“已修改=有效”" };
}

/** A 公开方式 / 公开属性 cell: null when the row may be published (主动公开, empty), else the row's message. */
export function disclosureProblem(raw: string): string | null {
  if (raw.trim() === "" || isPlaceholder(raw)) return null;
  const v = halfWidth(raw).replace(/\s/g, "");
  if (v.startsWith("主动")) return null; // 主动公开, 主动公开（全文）
  if (/依申请|不予公开|不公开|免予公开|部分公开|涉密/.test(v))
    return `公开方式为“${raw.trim()}”：批量导入只导入主动公开的信息（条例第19条），依申请公开和不予公开的信息不能发布到门户`;
  return `公开方式“${raw.trim()}”无法识别（应为主动公开）`;
}

/** 类别 → record kind (政策解读 or 政府信息), or null when not understood. */
export function parseKind(raw: string): "document" | "interpretation" | null {
  const v = halfWidth(raw).replace(/\s/g, "").toLowerCase();
  if (v === "" || isPlaceholder(raw)) return "document";
  if (["interpretation", "政策解读", "解读"].includes(v)) return "interpretation";
  if (["document", "政府信息", "文件", "政策文件"].includes(v)) return "document";
  return null;
}

/** Text in the first cell of a row that is a note under or above the table, not a record. */
const NOTE_ROW =
  /^(?:(?:合计|总计|小计|共计|总数|说明|注|备注|附注|填表说明)(?:[:：\s(（]|$|共|\d)|制表|填表人|审核人|统计时间|数据截至|截至\d)/;
/^(?:合计|总计|小计|共计|总数|说明|注[:：]|注\d|备注[:：]|附注|附[:：]|制表|填表|审核|统计时间|数据截至|截至\d)/;

/** A row whose only text is a note (合计：共120条, 说明：…, 制表人：…). */
export function isNoteText(s: string): boolean {
  return NOTE_ROW.test(halfWidth(s));
}

/** A section heading inside a list (一、政策文件 / （二）人事信息 / 3. 规划计划) → the heading without its number. */
export function sectionHeading(s: string): string | null {
  const m = halfWidth(s).match(
    /^(?:[一二三四五六七八九十]+\s*[、.]|\(\s*[一二三四五六七八九十]+\s*\)|\d{1,2}\s*[、.](?!\d))\s*(.+)$/,
  );
  return m ? (m[1] as string).trim() : null;
}
