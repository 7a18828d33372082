/**
 * @module Inspection checks (检查指标) an agency is graded on, as pure rules over figures the features supply.
 * Each check cites where it comes from: the national government-website inspection indicators (国办秘函〔2019〕19号,
 * still applied in 2025 checks), the 条例, the annual-report format (国办公开办函〔2021〕30号) and the per-item
 * deductions of local scoring tables (考评细则; the points are the common ones, e.g. −5 per late record, −1 per
 * record missing 标题/索引号, −6 per late application reply, −5 for a late annual report). Thresholds and points
 * are data (`INDICATORS`), so a province's own table can replace them.
 */

export type CheckStatus = "pass" | "warn" | "fail" | "veto";

export interface Indicator {
  code: IndicatorCode;
  label: string;
  /** Where the rule comes from. */
  source: string;
  /** The rule as a person reads it. */
  rule: string;
  /** Points deducted per occurrence by a local scoring table (0 when the check is pass/fail only). */
  pointsEach: number;
}

export type IndicatorCode =
  | "blank_columns"
  | "stale_columns"
  | "broken_links"
  | "lapsed_domains"
  | "late_records"
  | "overdue_records"
  | "missing_metadata"
  | "normative_validity"
  | "interpretation_pairing"
  | "applications_overdue"
  | "annual_report";

/** 国办秘函〔2019〕19号 single-veto (单项否决) thresholds. */
export const BLANK_COLUMNS_VETO = 5;
export const STALE_COLUMNS_VETO = 10;
/** Link availability: about 1% of links broken is the ceiling inspectors tolerate. */
export const BROKEN_LINK_CEILING = 0.01;

export const INDICATORS: readonly Indicator[] = [
  {
    code: "blank_columns",
    label: "空白栏目",
    source: "国办秘函〔2019〕19号（单项否决）",
    rule: `空白栏目达到${BLANK_COLUMNS_VETO}个即单项否决；经签署“本栏目暂无信息”说明的栏目不计为空白。`,
    pointsEach: 0,
  },
  {
    code: "stale_columns",
    label: "栏目长期未更新",
    source: "国办秘函〔2019〕19号（单项否决）",
    rule: `按目录时限应更新而未更新的栏目达到${STALE_COLUMNS_VETO}个即单项否决；有任一即扣分提醒。`,
    pointsEach: 5,
  },
  {
    code: "broken_links",
    label: "链接可用性",
    source: "国办秘函〔2019〕19号（链接可用性）",
    rule: `失效链接占已检查链接的比例不超过${BROKEN_LINK_CEILING * 100}%。`,
    pointsEach: 0,
  },
  {
    code: "lapsed_domains",
    label: "外部链接域名失效",
    source: "国办秘函〔2019〕19号（链接可用性）；《政府网站发展指引》（国办发〔2017〕47号，外链检查）",
    rule: "外部链接指向的域名已注销（DNS 无此域名）或被停放待售的，应删除或更正链接（被抢注的域名可能显示不良信息）。",
    pointsEach: 0,
  },
  {
    code: "late_records",
    label: "未按时限公开",
    source: "条例第26条；考评细则（每条逾期公开扣5分）",
    rule: "政府信息应在目录规定的时限内（一般为形成或变更之日起20个工作日内）公开。",
    pointsEach: 5,
  },
  {
    code: "overdue_records",
    label: "已逾期未公开",
    source: "条例第26条；考评细则（每条扣5分）",
    rule: "已超过公开时限仍未公开的信息。",
    pointsEach: 5,
  },
  {
    code: "missing_metadata",
    label: "要素缺失",
    source: "GB/T 21063.3；考评细则（缺少标题或索引号每条扣1分）",
    rule: "已公开信息应有标题、索引号、成文日期；公文类信息应有文号。",
    pointsEach: 1,
  },
  {
    code: "normative_validity",
    label: "规范性文件有效性标注",
    source: "国办发〔2018〕37号；考评细则",
    rule: "行政规范性文件应标注有效性（有效、失效、废止）。",
    pointsEach: 1,
  },
  {
    code: "interpretation_pairing",
    label: "政策解读",
    source: "国办发〔2016〕80号（政策性文件与解读方案同步组织、同步审签、同步部署）",
    rule: "行政规范性文件应有关联的政策解读。",
    pointsEach: 1,
  },
  {
    code: "applications_overdue",
    label: "依申请公开逾期答复",
    source: "条例第33条；考评细则（每件逾期答复扣6分）",
    rule: "申请应在收到之日起20个工作日内答复（延期不超过20个工作日）；已办结但答复晚于期限的同样计入。",
    pointsEach: 6,
  },
  {
    code: "annual_report",
    label: "年度报告",
    source: "条例第49条；国办公开办函〔2021〕30号；考评细则（逾期发布扣5分）",
    rule: "上一年度的政府信息公开工作年度报告应于每年1月31日前公布。",
    pointsEach: 5,
  },
];

export function indicator(code: IndicatorCode): Indicator {
  const found = INDICATORS.find((i) => i.code === code);
  if (!found) throw new Error(`unknown indicator ${code}`);
  return found;
}

/** What the features report for one agency on one date. Counts only; lists stay in each feature's own views. */
export interface InspectionFigures {
  asOf: string;
  blankColumns: number;
  /** Blank columns covered by a signed nil attestation (「本栏目暂无信息」): lawful, not counted as blank. */
  attestedColumns: number;
  staleColumns: number;
  brokenLinks: number;
  checkedLinks: number;
  /** The nightly check of external links: links checked, and the distinct lapsed domains and links to them. */
  externalLinks: { checked: number; lapsedDomains: number; lapsedLinks: number };
  /** Records published late in the 12-month window, and all published in it. */
  lateRecords: number;
  publishedRecords: number;
  overdueRecords: number;
  missing: { title: number; indexNumber: number; formedDate: number; docNumber: number };
  normative: { total: number; withoutValidity: number; withoutInterpretation: number };
  /**
   * Open applications, and those past their next statutory due date (reply, or a step's); applications concluded
   * in the 12 months before, and those whose reply came after its deadline.
   */
  applications: {
    open: number;
    overdue: number;
    concluded: number;
    concludedLate: number;
    /** 补正 notices sent later than 7 working days after receipt (条例第30条), 12 months: shown, not scored. */
    lateCorrectionNotices: number;
  };
  annualReport: {
    /** The year whose report is due (the previous calendar year). */
    year: number;
    status: "missing" | "draft" | "published";
    publishedOn: string | null;
    /** 31 January of the following year. */
    deadline: string;
  };
}

export interface CheckResult {
  code: IndicatorCode;
  label: string;
  source: string;
  rule: string;
  status: CheckStatus;
  /** The measured value, as shown (e.g. "6 个", "2.5%", "已发布（2026-01-20）"). */
  value: string;
  /** Occurrences the points apply to. */
  count: number;
  /** Points deducted under the local scoring table (count × pointsEach). */
  points: number;
  detail: string;
}

function result(
  code: IndicatorCode,
  status: CheckStatus,
  value: string,
  count: number,
  detail: string,
): CheckResult {
  const i = indicator(code);
  return {
    code,
    label: i.label,
    source: i.source,
    rule: i.rule,
    status,
    value,
    count,
    points: status === "pass" ? 0 : count * i.pointsEach,
    detail,
  };
}

function pct(x: number): string {
  return `${(Math.round(x * 1000) / 10).toString()}%`;
}

/** Runs every check on one agency's figures. */
export function inspect(f: InspectionFigures): CheckResult[] {
  const out: CheckResult[] = [];
  out.push(
    result(
      "blank_columns",
      f.blankColumns >= BLANK_COLUMNS_VETO ? "veto" : f.blankColumns > 0 ? "warn" : "pass",
      `${f.blankColumns} 个`,
      f.blankColumns,
      `${f.blankColumns} 个栏目无任何信息${f.attestedColumns ? `；另有 ${f.attestedColumns} 个已签署“本栏目暂无信息”，不计为空白` : ""}（否决线 ${BLANK_COLUMNS_VETO} 个）。`,
    ),
  );
  out.push(
    result(
      "stale_columns",
      f.staleColumns >= STALE_COLUMNS_VETO ? "veto" : f.staleColumns > 0 ? "fail" : "pass",
      `${f.staleColumns} 个`,
      f.staleColumns,
      `${f.staleColumns} 个栏目未按目录时限更新（否决线 ${STALE_COLUMNS_VETO} 个）。`,
    ),
  );
  const brokenShare = f.checkedLinks > 0 ? f.brokenLinks / f.checkedLinks : 0;
  out.push(
    result(
      "broken_links",
      f.brokenLinks === 0 ? "pass" : brokenShare > BROKEN_LINK_CEILING ? "fail" : "warn",
      f.checkedLinks > 0 ? `${f.brokenLinks}/${f.checkedLinks}（${pct(brokenShare)}）` : "未检查到链接",
      f.brokenLinks,
      `检查 ${f.checkedLinks} 个链接，失效 ${f.brokenLinks} 个。`,
    ),
  );
  const x = f.externalLinks;
  out.push(
    result(
      "lapsed_domains",
      x.lapsedDomains > 0 ? "fail" : "pass",
      x.checked > 0 ? `${x.lapsedDomains} 个域名` : "未检查外部链接",
      x.lapsedDomains,
      x.checked > 0
        ? `夜间检查外部链接 ${x.checked} 个，其中 ${x.lapsedLinks} 个指向已注销或被停放的域名（${x.lapsedDomains} 个）。`
        : "尚无外部链接检查结果（由夜间链接检查任务生成）。",
    ),
  );
  out.push(
    result(
      "late_records",
      f.lateRecords > 0 ? "fail" : "pass",
      `${f.lateRecords}/${f.publishedRecords}`,
      f.lateRecords,
      `近12个月公开 ${f.publishedRecords} 条，其中 ${f.lateRecords} 条晚于时限。`,
    ),
  );
  out.push(
    result(
      "overdue_records",
      f.overdueRecords > 0 ? "fail" : "pass",
      `${f.overdueRecords} 条`,
      f.overdueRecords,
      `${f.overdueRecords} 条信息已过公开时限仍未公开。`,
    ),
  );
  const m = f.missing;
  const scored = m.title + m.indexNumber;
  const other = m.formedDate + m.docNumber;
  out.push(
    result(
      "missing_metadata",
      scored > 0 ? "fail" : other > 0 ? "warn" : "pass",
      `${scored + other} 处`,
      scored,
      `缺标题 ${m.title} 条、缺索引号 ${m.indexNumber} 条、缺成文日期 ${m.formedDate} 条、公文缺文号 ${m.docNumber} 条。`,
    ),
  );
  const n = f.normative;
  out.push(
    result(
      "normative_validity",
      n.withoutValidity > 0 ? "fail" : "pass",
      `${n.withoutValidity}/${n.total}`,
      n.withoutValidity,
      `行政规范性文件 ${n.total} 件，未标注有效性 ${n.withoutValidity} 件。`,
    ),
  );
  const paired = n.total - n.withoutInterpretation;
  out.push(
    result(
      "interpretation_pairing",
      n.withoutInterpretation > 0 ? "fail" : "pass",
      n.total > 0 ? `解读率 ${pct(paired / n.total)}` : "无规范性文件",
      n.withoutInterpretation,
      `行政规范性文件 ${n.total} 件，已关联解读 ${paired} 件。`,
    ),
  );
  const a = f.applications;
  out.push(
    result(
      "applications_overdue",
      a.overdue + a.concludedLate > 0 ? "fail" : "pass",
      `${a.overdue + a.concludedLate} 件`,
      a.overdue + a.concludedLate,
      `在办 ${a.open} 件，其中已超过法定期限 ${a.overdue} 件；近12个月办结 ${a.concluded} 件，其中逾期答复 ${a.concludedLate} 件${a.lateCorrectionNotices ? `；近12个月补正告知逾期（超过收到申请之日起7个工作日，条例第三十条）${a.lateCorrectionNotices} 件，不扣分` : ""}。`,
    ),
  );
  const r = f.annualReport;
  const late = r.status === "published" ? (r.publishedOn ?? "") > r.deadline : f.asOf > r.deadline;
  out.push(
    result(
      "annual_report",
      late ? "fail" : r.status === "published" ? "pass" : "warn",
      r.status === "published" ? `已发布（${r.publishedOn}）` : r.status === "draft" ? "编制中" : "未编制",
      late ? 1 : 0,
      `${r.year}年度报告应于 ${r.deadline} 前公布；${
        r.status === "published"
          ? `已于 ${r.publishedOn} 公布${late ? "，晚于期限" : ""}`
          : late
            ? "已逾期未公布"
            : "尚未公布"
      }。`,
    ),
  );
  return out;
}

/** Summary of one agency's checks: vetoes, failures and points. */
export function summarize(checks: readonly CheckResult[]): {
  veto: boolean;
  failed: number;
  warnings: number;
  points: number;
} {
  return {
    veto: checks.some((c) => c.status === "veto"),
    failed: checks.filter((c) => c.status === "fail" || c.status === "veto").length,
    warnings: checks.filter((c) => c.status === "warn").length,
    points: checks.reduce((s, c) => s + c.points, 0),
  };
}
