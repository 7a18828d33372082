/**
 * @module Statutory code lists of the 政府信息公开工作年度报告 format (国办公开办函〔2021〕30号, legal-spec §2): the
 * applicant types (申请人类型), the 21 outcome rows of 三、本年度办理结果, the rows and columns of table 三, the
 * cells of table 四 (行政复议、行政诉讼) and the 信息处理费 fields. A leaf module (imports nothing): the applications
 * feature stores these codes and the reports feature prints them, so neither imports the other for them. Labels are
 * reproduced character for character (src/reports/annual-report.format.test.ts checks them).
 */

/** Applicant-type codes (申请人类型), in column order. These are the codes the applications feature stores. */
export const APPLICANT_TYPES = [
  { code: "natural_person", label: "自然人", organisation: false },
  { code: "commercial", label: "商业企业", organisation: true },
  { code: "research", label: "科研机构", organisation: true },
  { code: "public_interest", label: "社会公益组织", organisation: true },
  { code: "legal_service", label: "法律服务机构", organisation: true },
  { code: "other_org", label: "其他", organisation: true },
] as const;

export type ApplicantTypeCode = (typeof APPLICANT_TYPES)[number]["code"];
export const APPLICANT_TYPE_CODES: readonly ApplicantTypeCode[] = APPLICANT_TYPES.map((t) => t.code);

/** The 7 data columns of table 三: the six applicant types, then 总计. */
export const APPLICATION_COLUMNS = [
  ...APPLICANT_TYPES,
  { code: "total", label: "总计", organisation: false },
] as const;
export type ApplicationColumnCode = (typeof APPLICATION_COLUMNS)[number]["code"];

/**
 * The 21 outcome rows of 三、本年度办理结果 (all but （七）总计). One code per row; the applications feature records
 * exactly one of these per concluded application (partial disclosure counts only as `partially_granted`).
 * `cellName` is the short row path used in check messages, e.g. 三（三）1.属于国家秘密.
 */
export const OUTCOME_GROUPS = [
  {
    code: "granted",
    label: "（一）予以公开",
    short: "（一）予以公开",
    outcomes: [{ code: "granted", label: "（一）予以公开" }],
  },
  {
    code: "partially_granted",
    label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    short: "（二）部分公开",
    outcomes: [
      {
        code: "partially_granted",
        label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
      },
    ],
  },
  {
    code: "withheld",
    label: "（三）不予公开",
    short: "（三）不予公开",
    outcomes: [
      { code: "withheld_state_secret", label: "1.属于国家秘密" },
      { code: "withheld_prohibited_by_law", label: "2.其他法律行政法规禁止公开" },
      { code: "withheld_security_stability", label: "3.危及“三安全一稳定”" },
      { code: "withheld_third_party", label: "4.保护第三方合法权益" },
      { code: "withheld_internal_affairs", label: "5.属于三类内部事务信息" },
      { code: "withheld_process_information", label: "6.属于四类过程性信息" },
      { code: "withheld_enforcement_file", label: "7.属于行政执法案卷" },
      { code: "withheld_administrative_inquiry", label: "8.属于行政查询事项" },
    ],
  },
  {
    code: "unavailable",
    label: "（四）无法提供",
    short: "（四）无法提供",
    outcomes: [
      { code: "unavailable_not_held", label: "1.本机关不掌握相关政府信息" },
      { code: "unavailable_needs_creation", label: "2.没有现成信息需要另行制作" },
      { code: "unavailable_still_unclear", label: "3.补正后申请内容仍不明确" },
    ],
  },
  {
    code: "not_processed",
    label: "（五）不予处理",
    short: "（五）不予处理",
    outcomes: [
      { code: "not_processed_petition", label: "1.信访举报投诉类申请" },
      { code: "not_processed_repeated", label: "2.重复申请" },
      { code: "not_processed_publication", label: "3.要求提供公开出版物" },
      { code: "not_processed_excessive", label: "4.无正当理由大量反复申请" },
      {
        code: "not_processed_confirmation",
        label: "5.要求行政机关确认或重新出具已获取信息",
      },
    ],
  },
  {
    code: "other",
    label: "（六）其他处理",
    short: "（六）其他处理",
    outcomes: [
      {
        code: "other_not_corrected",
        label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
      },
      {
        code: "other_fee_unpaid",
        label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
      },
      { code: "other_other", label: "3.其他" },
    ],
  },
] as const;

/**
 * Sub-rows that legal-spec §2.4 marks 🟡 (secondary source): the three （六） sub-rows; the punctuation before
 * 行政机关不再处理 varies between copies ("、" used here, as in the spec's table). Confirm against the official text.
 */
export const UNCONFIRMED_OUTCOME_CODES = ["other_not_corrected", "other_fee_unpaid", "other_other"] as const;

type OutcomeGroup = (typeof OUTCOME_GROUPS)[number];
export type OutcomeGroupCode = OutcomeGroup["code"];
export type OutcomeCode = OutcomeGroup["outcomes"][number]["code"];

export interface OutcomeDefinition {
  code: OutcomeCode;
  /** The row label exactly as printed (sub-rows carry their number, e.g. 1.属于国家秘密). */
  label: string;
  group: OutcomeGroupCode;
  groupLabel: string;
  /** Whether the row stands alone (（一）,（二）: colspan 2) or is a numbered sub-row of a group. */
  standalone: boolean;
  /** Short cell path for messages, e.g. 三（三）1.属于国家秘密. */
  cellName: string;
}

function groupNumber(groupLabel: string): string {
  return groupLabel.slice(0, 3); // "（三）"
}

/** The 21 outcome rows in official order. */
export const OUTCOMES: readonly OutcomeDefinition[] = OUTCOME_GROUPS.flatMap((group) =>
  group.outcomes.map((o) => {
    const standalone = group.outcomes.length === 1;
    return {
      code: o.code,
      label: o.label,
      group: group.code,
      groupLabel: group.label,
      standalone,
      cellName: standalone ? `三${group.short}` : `三${groupNumber(group.label)}${o.label}`,
    };
  }),
);

export const OUTCOME_CODES: readonly OutcomeCode[] = OUTCOMES.map((o) => o.code);

export function outcomeDefinition(code: OutcomeCode): OutcomeDefinition {
  const found = OUTCOMES.find((o) => o.code === code);
  if (!found) throw new Error(`unknown outcome code ${code}`);
  return found;
}

/** The group row 三、本年度办理结果: spans the 21 outcome rows plus （七）总计 = 22 rows. */
export const RESULTS_GROUP_LABEL = "三、本年度办理结果";
export const CONCLUDED_TOTAL_LABEL = "（七）总计";

/** All 25 data rows of table 三 in order. `level` drives the label layout (see the HTML/docx renderers). */
export type ApplicationRowCode =
  | "received"
  | "carried_over"
  | OutcomeCode
  | "concluded_total"
  | "carried_forward";

export interface ApplicationRowDefinition {
  code: ApplicationRowCode;
  label: string;
  /** top: label colspan 3; result: under 三, label colspan 2; outcome: under 三 and a group (label 1 cell). */
  level: "top" | "result" | "outcome";
  /** For outcome sub-rows: the group. */
  group?: OutcomeGroupCode;
  groupLabel?: string;
  cellName: string;
}

export const APPLICATION_ROWS: readonly ApplicationRowDefinition[] = [
  { code: "received", label: "一、本年新收政府信息公开申请数量", level: "top", cellName: "一、本年新收" },
  { code: "carried_over", label: "二、上年结转政府信息公开申请数量", level: "top", cellName: "二、上年结转" },
  ...OUTCOMES.map(
    (o): ApplicationRowDefinition =>
      o.standalone
        ? { code: o.code, label: o.label, level: "result", cellName: o.cellName }
        : {
            code: o.code,
            label: o.label,
            level: "outcome",
            group: o.group,
            groupLabel: o.groupLabel,
            cellName: o.cellName,
          },
  ),
  { code: "concluded_total", label: CONCLUDED_TOTAL_LABEL, level: "result", cellName: "三（七）总计" },
  {
    code: "carried_forward",
    label: "四、结转下年度继续办理",
    level: "top",
    cellName: "四、结转下年度继续办理",
  },
];

export function applicationRow(code: ApplicationRowCode): ApplicationRowDefinition {
  const found = APPLICATION_ROWS.find((r) => r.code === code);
  if (!found) throw new Error(`unknown application row ${code}`);
  return found;
}

export function applicationColumn(code: ApplicationColumnCode): {
  code: ApplicationColumnCode;
  label: string;
} {
  const found = APPLICATION_COLUMNS.find((c) => c.code === code);
  if (!found) throw new Error(`unknown application column ${code}`);
  return found;
}

/** Number of rows spanned by 三、本年度办理结果 (21 outcomes + （七）总计). */
export const RESULTS_ROWSPAN = OUTCOMES.length + 1;

// ---------------------------------------------------------------------------------------------------------------
// Table 四、政府信息公开行政复议、行政诉讼情况 (legal-spec §2.5): 15 cells in one row.
// ---------------------------------------------------------------------------------------------------------------

export const REVIEW_HEADER = "行政复议";
export const LITIGATION_HEADER = "行政诉讼";

export const CASE_RESULTS = [
  { code: "upheld", label: "结果维持" },
  { code: "corrected", label: "结果纠正" },
  { code: "other", label: "其他结果" },
  { code: "pending", label: "尚未审结" },
  { code: "total", label: "总计" },
] as const;

export type CaseResultCode = (typeof CASE_RESULTS)[number]["code"];

/** The three blocks of table 四. `parent` is the top header the block sits under. */
export const CASE_BLOCKS = [
  { code: "review", label: "行政复议", parent: null },
  { code: "litigation_direct", label: "未经复议直接起诉", parent: "行政诉讼" },
  { code: "litigation_after_review", label: "复议后起诉", parent: "行政诉讼" },
] as const;

export type CaseBlockCode = (typeof CASE_BLOCKS)[number]["code"];

export type CaseCounts = Record<CaseResultCode, number>;
export type ReviewLitigationData = Record<CaseBlockCode, CaseCounts>;

/** Short cell path for messages, e.g. 行政诉讼·复议后起诉·总计. */
export function caseCellName(block: CaseBlockCode, result: CaseResultCode): string {
  const b = CASE_BLOCKS.find((x) => x.code === block);
  const r = CASE_RESULTS.find((x) => x.code === result);
  if (!b || !r) throw new Error(`unknown cell ${block}/${result}`);
  return `${b.parent ? `${b.parent}·` : ""}${b.label}·${r.label}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Section 六: information-processing fees (信息处理费, 国办函〔2020〕109号)
// ---------------------------------------------------------------------------------------------------------------

/**
 * ❌ legal-spec §2.2 could not confirm the exact requirement; real reports include a 信息处理费 sentence in 六.
 * These labels are ours (not an official table), used for the JSON and the generated sentence.
 */
export const PROCESSING_FEE_FIELDS = [
  { code: "notices", label: "发出收费通知的件数", unit: "件" },
  { code: "amount_notified", label: "收费通知金额（单位：元）", unit: "元" },
  { code: "amount_collected", label: "实际收取金额（单位：元）", unit: "元" },
] as const;

export const PROCESSING_FEE_HEADING = "信息处理费";

export type ProcessingFeeCode = (typeof PROCESSING_FEE_FIELDS)[number]["code"];
export type ProcessingFees = Record<ProcessingFeeCode, number>;
