/**
 * @module 索引号 (index number) templates. Pure.
 *
 * 条例第12条: every 目录 entry carries an index (索引). 《政府信息公开目录系统实施指引（试行）》 (legal-spec §6.2):
 * "前段码/后段码", 前段码 = the publishing unit's code, 后段码 = 4-digit year + "-" + 5-digit serial; unique and
 * permanent. Current practice (legal-spec §6.3) uses the 18-character 统一社会信用代码 as 前段码; some portals use the
 * legacy 9-character 组织机构代码 or a year-month 后段码 (`YYYYMM-NNNNN`).
 *
 * A template is text with tokens:
 *   {CREDIT}  统一社会信用代码 (18)          {ORG}  组织机构代码 (9; from the credit code's 9th–17th characters)
 *   {CODE}    the agency's configured code   {YYYY} year of publication     {MM} month of publication
 *   {NNNNN}   serial, zero-padded to the number of N's (3–8), per agency per year
 * The serial counts per agency per year whatever the template, so numbers never repeat when a template changes.
 */

export const INDEX_PRESETS = {
  credit_year: { template: "{CREDIT}/{YYYY}-{NNNNN}", label: "统一社会信用代码/年份-序号（默认）" },
  org_year: { template: "{ORG}/{YYYY}-{NNNNN}", label: "组织机构代码/年份-序号（旧版20位）" },
  credit_yearmonth: { template: "{CREDIT}/{YYYY}{MM}-{NNNNN}", label: "统一社会信用代码/年月-序号" },
} as const;

export type IndexPreset = keyof typeof INDEX_PRESETS;

export const DEFAULT_INDEX_TEMPLATE = INDEX_PRESETS.credit_year.template;

export interface IndexCodes {
  creditCode: string | null;
  orgCode: string | null;
  /** Agency-level configured code (used when the agency has no credit/organisation code, e.g. demo data). */
  configuredCode: string | null;
}

const TOKEN = /\{([A-Z]+)\}/g;
const LITERAL = /^[0-9A-Za-z/_.-]*$/;

/** Problems with a template (Chinese), empty when valid. */
export function validateIndexTemplate(template: string): string[] {
  const problems: string[] = [];
  if (template.length === 0 || template.length > 60) problems.push("索引号格式长度应为1–60个字符");
  const tokens = [...template.matchAll(TOKEN)].map((m) => m[1]!);
  const literal = template.replace(TOKEN, "");
  if (!LITERAL.test(literal)) problems.push("索引号格式中除占位符外只能包含字母、数字和 / - _ .");
  for (const t of tokens) {
    if (!["CREDIT", "ORG", "CODE", "YYYY", "MM"].includes(t) && !/^N{3,8}$/.test(t)) {
      problems.push(`未知的占位符 {${t}}`);
    }
  }
  const codes = tokens.filter((t) => t === "CREDIT" || t === "ORG" || t === "CODE");
  if (codes.length !== 1)
    problems.push("索引号格式须包含且只包含一个机关代码占位符（{CREDIT}、{ORG} 或 {CODE}）");
  if (tokens.filter((t) => t === "YYYY").length !== 1) problems.push("索引号格式须包含一个年份占位符 {YYYY}");
  if (tokens.filter((t) => /^N+$/.test(t)).length !== 1)
    problems.push("索引号格式须包含一个序号占位符，如 {NNNNN}");
  if (tokens.filter((t) => t === "MM").length > 1) problems.push("月份占位符 {MM} 最多出现一次");
  return problems;
}

/** 组织机构代码 from a 统一社会信用代码: characters 9–17 (GB 32100-2015 主体标识码). */
export function orgCodeFromCreditCode(creditCode: string): string {
  return creditCode.slice(8, 17);
}

/** The code a template needs, or an error message when the agency lacks it. */
export function resolveCode(template: string, codes: IndexCodes): { code: string } | { error: string } {
  if (template.includes("{CREDIT}")) {
    const code = codes.creditCode ?? codes.configuredCode;
    return code ? { code } : { error: "本机关未登记统一社会信用代码，也未设置索引号机关代码" };
  }
  if (template.includes("{ORG}")) {
    const code =
      codes.orgCode ?? (codes.creditCode ? orgCodeFromCreditCode(codes.creditCode) : codes.configuredCode);
    return code ? { code } : { error: "本机关未登记组织机构代码或统一社会信用代码，也未设置索引号机关代码" };
  }
  const code = codes.configuredCode ?? codes.creditCode;
  return code ? { code } : { error: "本机关未设置索引号机关代码" };
}

/** Largest serial a template can print. */
export function maxSerial(template: string): number {
  const n = template.match(/\{(N+)\}/)?.[1]?.length ?? 5;
  return 10 ** n - 1;
}

/**
 * Formats a 索引号. `date` is the publication date (YYYY-MM-DD), `serial` the agency's serial for that year.
 * @throws Error when the serial does not fit the template.
 */
export function formatIndexNumber(template: string, code: string, date: string, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new Error(`索引号序号无效：${serial}`);
  if (serial > maxSerial(template)) throw new Error(`索引号序号超出格式位数：${serial}`);
  return template.replace(TOKEN, (_, t: string) => {
    if (t === "CREDIT" || t === "ORG" || t === "CODE") return code;
    if (t === "YYYY") return date.slice(0, 4);
    if (t === "MM") return date.slice(5, 7);
    return String(serial).padStart(t.length, "0");
  });
}

/** The year whose counter a publication date uses. */
export function serialYear(date: string): number {
  return Number(date.slice(0, 4));
}
