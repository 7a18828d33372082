/**
 * @module Test fixtures for the annual report: a consistent report with distinct numbers in most cells, so tests
 * can find a value in an export and know which cell it came from. Used by the *.test.ts files only.
 */

import { APPLICANT_TYPE_CODES, OUTCOME_CODES } from "./annual-report.format.ts";
import { type AnnualReportData, computeTotals, emptyReport } from "./annual-report.rules.ts";

/**
 * A consistent 2023 report. Outcome row i (0-based), applicant column j: 100·(i+1) + j + 1 — e.g. （一）予以公开
 * [自然人] = 101, （三）1.属于国家秘密[商业企业] = 302. 二、上年结转 = j + 1; 四、结转下年度 = 2·(j + 1);
 * 一、本年新收 balances the column identity. All totals computed.
 */
export function sampleReport(year = 2023): AnnualReportData {
  const data = emptyReport(year, "某某市人力资源和社会保障局");
  data.overview = "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》。\n全面推进政务公开工作。";
  data.problems = "政策解读形式还不够丰富。\n下一步将加强培训。";
  data.otherMatters = "本年度无其他需要报告的事项。";
  data.processingFees = { notices: 2, amount_notified: 3000, amount_collected: 1000 };

  data.proactive.item1.rules = { issued: 1, repealed: 2, in_force: 3 };
  data.proactive.item1.normative_documents = { issued: 4, repealed: 5, in_force: 16 };
  data.proactive.item5.licensing.decisions = 1234;
  data.proactive.item6.penalty.decisions = 56;
  data.proactive.item6.coercion.decisions = 7;
  data.proactive.item8.administrative_fees.amount = 12.3456;

  const a = data.applications;
  OUTCOME_CODES.forEach((code, i) => {
    APPLICANT_TYPE_CODES.forEach((column, j) => {
      a[code][column] = 100 * (i + 1) + j + 1;
    });
  });
  APPLICANT_TYPE_CODES.forEach((column, j) => {
    a.carried_over[column] = j + 1;
    a.carried_forward[column] = 2 * (j + 1);
    let concluded = 0;
    for (const code of OUTCOME_CODES) concluded += a[code][column];
    a.received[column] = concluded + a.carried_forward[column] - a.carried_over[column];
  });

  data.reviewLitigation.review = { upheld: 1, corrected: 2, other: 3, pending: 4, total: 0 };
  data.reviewLitigation.litigation_direct = { upheld: 5, corrected: 6, other: 7, pending: 8, total: 0 };
  data.reviewLitigation.litigation_after_review = {
    upheld: 9,
    corrected: 10,
    other: 11,
    pending: 12,
    total: 0,
  };
  return computeTotals(data);
}

/** A consistent report for the year before `report`, whose 四、结转下年度继续办理 equals `report`'s 二、上年结转. */
export function previousYearOf(report: AnnualReportData): AnnualReportData {
  const previous = sampleReport(report.year - 1);
  const a = previous.applications;
  for (const column of APPLICANT_TYPE_CODES) {
    const delta = report.applications.carried_over[column] - a.carried_forward[column];
    a.carried_forward[column] += delta;
    a.received[column] += delta;
  }
  return computeTotals(previous);
}
