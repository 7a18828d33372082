/**
 * @module The official structure of the 政府信息公开工作年度报告 as data: 国办公开办函〔2021〕30号
 * 《中华人民共和国政府信息公开工作年度报告格式》 (2021 format, applies from the 2021 reports on).
 *
 * Every renderer (HTML, docx, xlsx, JSON, SVG) and every check derives from the definitions below, so a label
 * lives in exactly one place. Labels are reproduced character for character from legal-spec §2
 * (annual-report.format.test.ts compares them against an independent transcription).
 *
 * 条例第50条: the report covers 主动公开, 收到和处理申请, 行政复议和行政诉讼, 存在的主要问题及改进情况, 其他事项;
 * the uniform format is issued by the national 政府信息公开工作主管部门 (国办公开办函〔2021〕30号).
 */

import type { ProcessingFees } from "../legal/annual-report-codes.ts";

/** The instrument that fixes the format. */
export const FORMAT_BASIS = "国办公开办函〔2021〕30号";

export * from "../legal/annual-report-codes.ts";

/** Report title as used in published reports, e.g. 某某局2023年政府信息公开工作年度报告 (practice, not in §2). */
export function reportTitle(agencyName: string, year: number): string {
  return `${agencyName}${year}年政府信息公开工作年度报告`;
}

// ---------------------------------------------------------------------------------------------------------------
// Sections 一 to 六 (legal-spec §2.2)
// ---------------------------------------------------------------------------------------------------------------

export const SECTIONS = [
  { code: "overview", title: "一、总体情况", kind: "narrative" },
  { code: "proactive", title: "二、主动公开政府信息情况", kind: "table" },
  { code: "applications", title: "三、收到和处理政府信息公开申请情况", kind: "table" },
  { code: "review_litigation", title: "四、政府信息公开行政复议、行政诉讼情况", kind: "table" },
  { code: "problems", title: "五、存在的主要问题及改进情况", kind: "narrative" },
  { code: "other_matters", title: "六、其他需要报告的事项", kind: "narrative" },
] as const;

export type SectionCode = (typeof SECTIONS)[number]["code"];

export function sectionTitle(code: SectionCode): string {
  const section = SECTIONS.find((s) => s.code === code);
  if (!section) throw new Error(`unknown section ${code}`);
  return section.title;
}

// ---------------------------------------------------------------------------------------------------------------
// Table 二、主动公开政府信息情况 (legal-spec §2.3): four stacked sub-tables, 4 grid columns wide.
// ---------------------------------------------------------------------------------------------------------------

/** Header of the first column of every sub-table of table 二. */
export const PROACTIVE_CONTENT_HEADER = "信息内容";

/** Width of table 二 in grid columns (label + 3). Single-value sub-tables span their value over 3 columns. */
export const PROACTIVE_GRID_COLUMNS = 4;

export const PROACTIVE_SUBTABLES = [
  {
    code: "item1",
    heading: "第二十条第（一）项",
    columns: [
      { code: "issued", label: "本年制发件数" },
      { code: "repealed", label: "本年废止件数" },
      { code: "in_force", label: "现行有效件数" },
    ],
    rows: [
      { code: "rules", label: "规章" },
      { code: "normative_documents", label: "行政规范性文件" },
    ],
    unit: "件",
  },
  {
    code: "item5",
    heading: "第二十条第（五）项",
    columns: [{ code: "decisions", label: "本年处理决定数量" }],
    rows: [{ code: "licensing", label: "行政许可" }],
    unit: "件",
  },
  {
    code: "item6",
    heading: "第二十条第（六）项",
    columns: [{ code: "decisions", label: "本年处理决定数量" }],
    rows: [
      { code: "penalty", label: "行政处罚" },
      { code: "coercion", label: "行政强制" },
    ],
    unit: "件",
  },
  {
    code: "item8",
    heading: "第二十条第（八）项",
    columns: [{ code: "amount", label: "本年收费金额（单位：万元）" }],
    rows: [{ code: "administrative_fees", label: "行政事业性收费" }],
    unit: "万元",
  },
] as const;

type ProactiveSubtable = (typeof PROACTIVE_SUBTABLES)[number];
export type ProactiveSubtableCode = ProactiveSubtable["code"];

/** The numbers of table 二, shaped exactly like PROACTIVE_SUBTABLES: data[subtable][row][column]. */
export type ProactiveData = {
  [S in ProactiveSubtable as S["code"]]: {
    [R in S["rows"][number]["code"]]: { [C in S["columns"][number]["code"]]: number };
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Table 三、收到和处理政府信息公开申请情况 (legal-spec §2.4)
// ---------------------------------------------------------------------------------------------------------------

/** The top-left cell (colspan 3, rowspan 3) printing the column identity. */
export const APPLICATIONS_CORNER_NOTE =
  "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
export const APPLICANT_HEADER = "申请人情况";
export const ORGANISATION_HEADER = "法人或其他组织";
/** Width of the row-label area of table 三 in grid columns. */
export const APPLICATIONS_LABEL_COLUMNS = 3;

// Applicant types, outcome codes, the rows and columns of table 三, the cells of table 四 and the processing-fee
// fields are statutory code lists shared with the applications feature: they live in src/legal/annual-report-codes.ts.

/** The generated sentence of section 六 on 信息处理费 (wording ours; the format text was not retrieved). */
export function processingFeesSentence(fees: ProcessingFees): string {
  if (fees.notices === 0 && fees.amount_notified === 0 && fees.amount_collected === 0) {
    return "本年度未收取政府信息公开信息处理费。";
  }
  return (
    `本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知${fees.notices}件，` +
    `通知收费金额${formatNumber(fees.amount_notified)}元，实际收取信息处理费${formatNumber(fees.amount_collected)}元。`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Display helpers shared by renderers
// ---------------------------------------------------------------------------------------------------------------

/** Formats a cell value: integers plainly, decimals (万元) with at most 6 places and no trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(6)));
}

/** Splits narrative text into paragraphs (blank lines or single newlines), trimmed, empties dropped. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
