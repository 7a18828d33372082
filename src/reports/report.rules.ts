/**
 * @module Pure rules of the annual-report workflow: statuses and transitions, the statutory deadlines and the late
 * flag (条例第49条), reminders, staff-entered cells (which cells, how they are parsed), merging the generated
 * figures with staff entries, and the narratives drafted from the data. No database, no clock: `today` is passed in.
 */

import { normaliseNumberInput } from "../shared/number-input.ts";
import {
  OUTCOME_GROUPS,
  PROACTIVE_SUBTABLES,
  processingFeesSentence,
  type SectionCode,
} from "./annual-report.format.ts";
import {
  type AnnualReportData,
  computeTotals,
  NUMERIC_CELLS,
  type NumericCell,
  setCell,
} from "./annual-report.rules.ts";
import type { ManualCells, ReportNarratives, ReportStatus } from "./report.table.ts";

// ---------------------------------------------------------------------------------------------------------------
// Statuses and transitions
// ---------------------------------------------------------------------------------------------------------------

export const REPORT_STATUSES: Record<ReportStatus, string> = {
  draft: "起草中",
  submitted: "待审核",
  reviewed: "已审核，待审签",
  approved: "已审签，待发布",
  published: "已发布",
};

/** How a report that is no longer a draft is changed: sent back (退回) before publication, corrected (更正) after. */
export function notDraftMessage(status: ReportStatus): string {
  return `该年度报告${REPORT_STATUSES[status]}，只有起草中的报告可以修改；${
    status === "published"
      ? "如需修改，请由审签人在报告页面“更正”（生成新版本并回到起草状态）。"
      : "如需修改，请先退回。"
  }`;
}

export type ReportTransition = "submit" | "review" | "approve" | "publish" | "return";

/** Which status each transition starts from and leads to, and the policy action it needs. */
export const TRANSITIONS: Record<
  ReportTransition,
  {
    from: readonly ReportStatus[];
    to: ReportStatus;
    label: string;
    action: "report.edit" | "report.review" | "report.approve";
  }
> = {
  submit: { from: ["draft"], to: "submitted", label: "提交审核", action: "report.edit" },
  review: { from: ["submitted"], to: "reviewed", label: "审核通过", action: "report.review" },
  approve: { from: ["reviewed"], to: "approved", label: "审签通过", action: "report.approve" },
  publish: { from: ["approved"], to: "published", label: "发布", action: "report.approve" },
  return: {
    from: ["submitted", "reviewed", "approved"],
    to: "draft",
    label: "退回修改",
    action: "report.review",
  },
};

/** The action needed to return a report to draft: the reviewer returns a submitted report, the approver later ones. */
export function returnAction(status: ReportStatus): "report.review" | "report.approve" {
  return status === "submitted" ? "report.review" : "report.approve";
}

export function canTransition(status: ReportStatus, transition: ReportTransition): boolean {
  return TRANSITIONS[transition].from.includes(status);
}

/** Transitions that require the report to pass its checks (no error findings). */
export const CHECKED_TRANSITIONS: readonly ReportTransition[] = ["submit", "review", "approve", "publish"];

// ---------------------------------------------------------------------------------------------------------------
// Years and deadlines (条例第49条)
// ---------------------------------------------------------------------------------------------------------------

/** The 2021 format (国办公开办函〔2021〕30号) applies from the 2021 reports; earlier years are not supported. */
export const FIRST_REPORT_YEAR = 2021;

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** A report may be prepared for 2021 up to the current year (the current year only as a preview). */
export function isReportableYear(year: number, today: string): boolean {
  return Number.isInteger(year) && year >= FIRST_REPORT_YEAR && year <= yearOf(today);
}

/** The statistics period has ended (1 January – 31 December): the report may be submitted and published. */
export function yearEnded(year: number, today: string): boolean {
  return today > `${year}-12-31`;
}

/** The year whose report is due now: the previous calendar year. */
export function dueReportYear(today: string): number {
  return yearOf(today) - 1;
}

/** 条例第49条: departments publish the previous year's report by 31 January. */
export function publicationDeadline(year: number): string {
  return `${year + 1}-01-31`;
}

/** 条例第49条: the 主管部门 publishes the government's report by 31 March. */
export function aggregationDeadline(year: number): string {
  return `${year + 1}-03-31`;
}

export interface Lateness {
  deadline: string;
  /** Published after the deadline. */
  publishedLate: boolean;
  /** Not published and the deadline has passed. */
  overdue: boolean;
}

/** The late flag (条例第49条): a report published after 31 January, or still unpublished after it. */
export function lateness(year: number, publishedOn: string | null, today: string): Lateness {
  const deadline = publicationDeadline(year);
  return {
    deadline,
    publishedLate: publishedOn !== null && publishedOn > deadline,
    overdue: publishedOn === null && today > deadline,
  };
}

export interface Reminder {
  year: number;
  deadline: string;
  overdue: boolean;
  message: string;
}

/**
 * The console reminder for the report due this year: shown from 1 January until the report is published
 * (条例第49条: by 31 January), e.g. "2025年度报告尚未发布，截止日期2026-01-31". Null when published.
 */
export function reminderFor(publishedOn: string | null, today: string): Reminder | null {
  const year = dueReportYear(today);
  if (year < FIRST_REPORT_YEAR || publishedOn !== null) return null;
  const deadline = publicationDeadline(year);
  const overdue = today > deadline;
  return {
    year,
    deadline,
    overdue,
    message: overdue
      ? `${year}年度报告尚未发布，已超过截止日期${deadline}（《条例》第四十九条）`
      : `${year}年度报告尚未发布，截止日期${deadline}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Cells staff may enter
// ---------------------------------------------------------------------------------------------------------------

/** A cell's key in forms and in `manual`: its path joined with ".", e.g. proactive.item1.rules.issued. */
export function cellKey(cell: Pick<NumericCell, "path">): string {
  return cell.path.join(".");
}

/** Totals are always computed from their parts (table 三 总计 column and （七）总计 row, table 四 总计). */
export function isDerivedCell(cell: Pick<NumericCell, "path">): boolean {
  const [table, row, column] = cell.path;
  if (table === "applications") return column === "total" || row === "concluded_total";
  if (table === "reviewLitigation") return column === "total";
  return false;
}

/** The sections of the edit form; `other_matters` holds the 信息处理费 figures of 六. */
export type CellSection = Extract<
  SectionCode,
  "proactive" | "applications" | "review_litigation" | "other_matters"
>;

export const CELL_SECTIONS: readonly CellSection[] = [
  "proactive",
  "applications",
  "review_litigation",
  "other_matters",
];

/** Every cell staff may enter, in official order. */
export const EDITABLE_CELLS: readonly NumericCell[] = NUMERIC_CELLS.filter((c) => !isDerivedCell(c));

const EDITABLE_BY_KEY = new Map(EDITABLE_CELLS.map((c) => [cellKey(c), c]));

export function editableCell(key: string): NumericCell | undefined {
  return EDITABLE_BY_KEY.get(key);
}

/** Largest value accepted in a cell (a sanity bound, well above any real count or amount). */
export const MAX_CELL_VALUE = 1e9;

/**
 * Parses a staff-entered cell. Empty = no entry (the generated figure applies). Counts (件) are whole numbers;
 * amounts (万元, 元) have at most 4 (万元) or 2 (元) decimals. Full-width digits and separators are read as ASCII
 * (normaliseNumberInput).
 */
export function parseCellInput(
  cell: NumericCell,
  input: string,
): { ok: true; value: number | null } | { ok: false; message: string } {
  const text = normaliseNumberInput(input);
  if (text === "") return { ok: true, value: null };
  const decimals = cell.kind === "count" ? 0 : cell.path[0] === "proactive" ? 4 : 2;
  const pattern = decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`);
  if (!pattern.test(text)) {
    return {
      ok: false,
      message:
        decimals === 0 ? `${cell.name}应为非负整数` : `${cell.name}应为非负数，最多保留${decimals}位小数`,
    };
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value > MAX_CELL_VALUE) {
    return { ok: false, message: `${cell.name}数值过大` };
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------------------------
// Merging
// ---------------------------------------------------------------------------------------------------------------

/**
 * The effective report: the generated figures, overridden by staff-entered cells, with totals recomputed, and
 * staff-edited narratives in place of the drafted ones. Unknown or derived keys in `manual` are ignored.
 */
export function mergeReport(
  source: AnnualReportData,
  manual: ManualCells,
  narratives: ReportNarratives,
  agencyName: string = source.agencyName,
): AnnualReportData {
  const { draftContext, ...generated } = source as SourceReport;
  const data = structuredClone(generated);
  data.agencyName = agencyName;
  for (const [key, value] of Object.entries(manual)) {
    const cell = editableCell(key);
    if (cell && typeof value === "number" && Number.isFinite(value)) setCell(data, cell.path, value);
  }
  const out = computeTotals(data);
  // Drafted narratives follow the current figures (a staff edit of table 三 changes 「新收N件」); text staff wrote
  // themselves (`narratives`) is never replaced.
  if (draftContext && Object.keys(manual).length > 0) Object.assign(out, draftNarratives(out, draftContext));
  if (narratives.overview !== undefined) out.overview = narratives.overview;
  if (narratives.problems !== undefined) out.problems = narratives.problems;
  if (narratives.otherMatters !== undefined) out.otherMatters = narratives.otherMatters;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Narratives drafted from the data
// ---------------------------------------------------------------------------------------------------------------

/**
 * The report as generated (stored as `source`): the figures with their drafted narratives and the record counts the
 * drafting used, so the narratives can be drafted again from figures staff corrected (mergeReport).
 */
export type SourceReport = AnnualReportData & { draftContext?: DraftContext };

/** Figures from the records that only the narrative uses. */
export interface DraftContext {
  /** 主动公开 records first published in the year. */
  recordsPublished: number;
  /** Of which 政策解读. */
  interpretationsPublished: number;
  /** Records first published in the year after their due date (条例第26条: 20个工作日内). */
  recordsPublishedLate: number;
}

function sumGroup(data: AnnualReportData, group: (typeof OUTCOME_GROUPS)[number]): number {
  return group.outcomes.reduce((s, o) => s + data.applications[o.code].total, 0);
}

/**
 * Drafts 一、总体情况, 五、存在的主要问题及改进情况 and 六、其他需要报告的事项 from the figures. Only statements the
 * data supports are made; staff add 政府信息管理, 平台建设 and 监督保障 (国办公开办函〔2021〕30号) when editing.
 */
export function draftNarratives(data: AnnualReportData, context: DraftContext): Required<ReportNarratives> {
  const y = data.year;
  const a = data.applications;
  const p = data.proactive;
  const groupText = OUTCOME_GROUPS.map((g) => `${g.short.slice(3)}${sumGroup(data, g)}件`).join("，");
  const cases = data.reviewLitigation;
  const corrected =
    cases.review.corrected + cases.litigation_direct.corrected + cases.litigation_after_review.corrected;
  const decisions = PROACTIVE_SUBTABLES.filter((s) => s.code === "item5" || s.code === "item6")
    .flatMap((s) => s.rows.map((r) => ({ label: r.label, sub: s.code, row: r.code })))
    .map((r) => {
      const rows = p[r.sub as "item5" | "item6"] as Record<string, { decisions: number }>;
      return `${r.label}决定${rows[r.row]?.decisions ?? 0}件`;
    })
    .join("、");

  const overview = [
    `本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。本报告所列数据的统计期限为${y}年1月1日至${y}年12月31日。`,
    `（一）主动公开。${y}年，${data.agencyName}主动公开政府信息${context.recordsPublished}条，其中政策解读${context.interpretationsPublished}条；本年制发规章${p.item1.rules.issued}件、行政规范性文件${p.item1.normative_documents.issued}件，废止规章${p.item1.rules.repealed}件、行政规范性文件${p.item1.normative_documents.repealed}件；公开${decisions}。`,
    `（二）依申请公开。本年新收政府信息公开申请${a.received.total}件，上年结转${a.carried_over.total}件，本年度办结${a.concluded_total.total}件（${groupText}），结转下年度继续办理${a.carried_forward.total}件。`,
    `（三）行政复议、行政诉讼。本年度因政府信息公开引起的行政复议${cases.review.total}件，行政诉讼${cases.litigation_direct.total + cases.litigation_after_review.total}件。`,
  ].join("\n");

  const problems: string[] = [];
  if (context.recordsPublishedLate > 0) {
    problems.push(
      `本年度有${context.recordsPublishedLate}条政府信息未在《条例》第二十六条规定的时限内公开。下一步将按照主动公开事项目录逐项落实公开时限，加强发布前的审核提醒。`,
    );
  }
  if (a.carried_forward.total > 0) {
    problems.push(
      `本年度有${a.carried_forward.total}件政府信息公开申请结转下年度继续办理。下一步将加强办理进度跟踪，确保在法定期限内答复。`,
    );
  }
  if (corrected > 0) {
    problems.push(
      `本年度有${corrected}件政府信息公开行政复议、行政诉讼案件结果被纠正。下一步将认真研究纠错原因，规范答复的依据和理由。`,
    );
  }
  if (problems.length === 0) {
    problems.push(
      "本年度未发现政府信息逾期公开、申请结转或复议诉讼被纠正的情况。下一步将继续按照主动公开事项目录做好信息发布、更新和依申请公开办理工作。",
    );
  }

  return {
    overview,
    problems: problems.join("\n"),
    otherMatters: "本年度无其他需要报告的事项。",
  };
}

/** The full text of 六 as printed: the 信息处理费 sentence, then the narrative. */
export function otherMattersText(data: AnnualReportData): string {
  return [processingFeesSentence(data.processingFees), data.otherMatters]
    .filter((t) => t.trim() !== "")
    .join("\n");
}

// ---------------------------------------------------------------------------------------------------------------
// Narrative input
// ---------------------------------------------------------------------------------------------------------------

export const NARRATIVE_FIELDS = [
  { key: "overview", section: "overview", maxLength: 20000 },
  { key: "problems", section: "problems", maxLength: 10000 },
  { key: "otherMatters", section: "other_matters", maxLength: 10000 },
] as const;

export type NarrativeKey = (typeof NARRATIVE_FIELDS)[number]["key"];

/** Normalises a narrative: CRLF → LF, trailing spaces trimmed, NUL removed. */
export function normaliseNarrative(text: string): string {
  return text
    .replaceAll("\u0000", "")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}
