/**
 * @module Numbers of the annual report from the applications register (for the reports feature):
 * table 三 (收到和处理政府信息公开申请情况), table 四 (行政复议、行政诉讼) and the 信息处理费 figures of section 六.
 *
 * Counting rules (legal-spec §2.4, derived ❌ but the only reading consistent with the printed identity
 * 一 + 二 = 三（七） + 四):
 * - 一、本年新收: the 条例第31条 receipt date falls in the year (applications still awaiting confirmation are not
 *   yet received and are not counted);
 * - 二、上年结转: received before 1 January and not concluded by 31 December of the previous year;
 * - 三、本年度办理结果: concluded (reply, deemed withdrawn, not processed) in the year, by its one outcome row;
 * - 四、结转下年度继续办理: received by 31 December and not concluded by then.
 * Table 四: a case concluded in the year counts under its result; a case filed by 31 December and not concluded
 * by then counts as 尚未审结 (so a long case appears as pending in each year it stays open).
 */
import type { DbOrTx } from "../db/database.ts";
import {
  APPLICATION_COLUMNS,
  APPLICATION_ROWS,
  type ApplicantTypeCode,
  type ApplicationColumnCode,
  type ApplicationRowCode,
  CASE_BLOCKS,
  CASE_RESULTS,
  type CaseResultCode,
  type ProcessingFees,
  type ReviewLitigationData,
} from "../legal/annual-report-codes.ts";
import {
  countConcluded,
  countOpenAt,
  countReceived,
  feeTotals,
  listCasesForYear,
} from "./info-request.repository.ts";

/** Table 三 cells: 25 rows × 7 columns, totals included. */
export type RequestTableCells = Record<ApplicationRowCode, Record<ApplicationColumnCode, number>>;

export interface AnnualRequestStats {
  year: number;
  applications: RequestTableCells;
  reviewLitigation: ReviewLitigationData;
  processingFees: ProcessingFees;
}

function emptyTable(): RequestTableCells {
  const table = {} as RequestTableCells;
  for (const row of APPLICATION_ROWS) {
    const cells = {} as Record<ApplicationColumnCode, number>;
    for (const c of APPLICATION_COLUMNS) cells[c.code] = 0;
    table[row.code] = cells;
  }
  return table;
}

function add(table: RequestTableCells, row: ApplicationRowCode, column: string, n: number): void {
  const cells = table[row];
  if (!cells || !(column in cells)) return;
  cells[column as ApplicantTypeCode] += n;
  cells.total += n;
}

export async function annualRequestStats(
  db: DbOrTx,
  agencyId: string,
  year: number,
): Promise<AnnualRequestStats> {
  if (!Number.isInteger(year) || year < 2000 || year > 2999) throw new RangeError(`年份无效：${year}`);
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const previousEnd = `${year - 1}-12-31`;
  const [received, carriedOver, concluded, carriedForward, cases, fees] = await Promise.all([
    countReceived(db, agencyId, start, end),
    countOpenAt(db, agencyId, previousEnd),
    countConcluded(db, agencyId, start, end),
    countOpenAt(db, agencyId, end),
    listCasesForYear(db, agencyId, end),
    feeTotals(db, agencyId, start, end),
  ]);
  const table = emptyTable();
  for (const r of received) add(table, "received", r.applicant_type, Number(r.n));
  for (const r of carriedOver) add(table, "carried_over", r.applicant_type, Number(r.n));
  for (const r of concluded) {
    add(table, r.outcome as ApplicationRowCode, r.applicant_type, Number(r.n));
    add(table, "concluded_total", r.applicant_type, Number(r.n));
  }
  for (const r of carriedForward) add(table, "carried_forward", r.applicant_type, Number(r.n));

  const review = {} as ReviewLitigationData;
  for (const block of CASE_BLOCKS) {
    const counts = {} as Record<CaseResultCode, number>;
    for (const result of CASE_RESULTS) counts[result.code] = 0;
    review[block.code] = counts;
  }
  for (const c of cases) {
    const concludedInYear = c.concluded_on !== null && c.concluded_on >= start && c.concluded_on <= end;
    const pendingAtYearEnd = c.concluded_on === null || c.concluded_on > end;
    let result: CaseResultCode | null = null;
    if (concludedInYear) result = c.result === "pending" ? "pending" : c.result;
    else if (pendingAtYearEnd) result = "pending";
    if (!result) continue;
    review[c.kind][result] += 1;
    review[c.kind].total += 1;
  }

  return {
    year,
    applications: table,
    reviewLitigation: review,
    processingFees: {
      notices: fees.notices,
      amount_notified: fees.notified,
      amount_collected: fees.collected,
    },
  };
}
