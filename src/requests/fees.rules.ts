/**
 * @module 信息处理费 (条例第42条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》). Pure tariff rules.
 *
 * 第三条: two bases, 按件 and 按量, both progressive on the excess (超额累进); one basis per application.
 * 第四条 按件: per applicant, counted cumulatively over one calendar month (一个自然月): 1–10 件 free; the 11th–30th
 *   件 100 元/件; from the 31st 件, in bands of 10 件, each band 100 元/件 more (31–40: 200, 41–50: 300, …; the
 *   banding reading is legal-spec §3 ❌ interpretation, as in its worked example).
 * 第五条 按量: per application: pages 1–30 free; 31–100 10 元/页; 101–200 20 元/页; 201 and up 40 元/页.
 * Payment within 20 working days from the day after the notice is served, else deemed abandoned (see
 * deadlines.ts: paymentDue).
 */

export interface FeeLine {
  /** First and last unit (件 or 页) of the band, 1-based and inclusive. */
  from: number;
  to: number;
  /** 元 per unit. */
  rate: number;
  count: number;
  subtotal: number;
}

export interface FeeComputation {
  amount: number;
  lines: FeeLine[];
  /** Chinese explanation, e.g. 本月第11至12件，每件100元，计200元. */
  explanation: string;
}

/** 按件: fee for the n-th 件 (1-based) of one applicant in one calendar month. 109号第四条. */
export function perItemRate(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`件数须为正整数：${n}`);
  if (n <= 10) return 0; // 10件以下（含10件）不收费
  if (n <= 30) return 100; // 11—30件（含30件）的部分：100元/件
  return 100 * (2 + Math.floor((n - 31) / 10)); // 30件以上的部分：以10件为一档，每增加一档，收费标准提高100元/件
}

/** 按量: fee for the p-th page (1-based) of one application. 109号第五条. */
export function perPageRate(p: number): number {
  if (!Number.isInteger(p) || p < 1) throw new RangeError(`页数须为正整数：${p}`);
  if (p <= 30) return 0; // 30页以下（含30页）不收费
  if (p <= 100) return 10; // 31—100页（含100页）的部分：10元/页
  if (p <= 200) return 20; // 101—200页（含200页）的部分：20元/页
  return 40; // 200页以上的部分：40元/页
}

function bands(first: number, last: number, rate: (n: number) => number): FeeLine[] {
  const lines: FeeLine[] = [];
  for (let n = first; n <= last; n++) {
    const r = rate(n);
    const current = lines[lines.length - 1];
    if (current && current.rate === r) {
      current.to = n;
      current.count++;
      current.subtotal += r;
    } else lines.push({ from: n, to: n, rate: r, count: 1, subtotal: r });
  }
  return lines;
}

/**
 * 按件: the fee for `items` 件 (an application split under 一事一申请 may count several) when the applicant already
 * had `priorThisMonth` 件 in the same calendar month.
 */
export function perItemFee(priorThisMonth: number, items: number): FeeComputation {
  if (!Number.isInteger(priorThisMonth) || priorThisMonth < 0)
    throw new RangeError("本月已申请件数须为非负整数");
  if (!Number.isInteger(items) || items < 1) throw new RangeError("本次件数须为正整数");
  const lines = bands(priorThisMonth + 1, priorThisMonth + items, perItemRate);
  const amount = lines.reduce((s, l) => s + l.subtotal, 0);
  const parts = lines.map((l) =>
    l.rate === 0 ? `本月第${range(l)}件免费` : `本月第${range(l)}件每件${l.rate}元，计${l.subtotal}元`,
  );
  return { amount, lines, explanation: `按件计收：${parts.join("；")}；合计${amount}元。` };
}

/** 按量: the fee for one application producing `pages` pages. */
export function perPageFee(pages: number): FeeComputation {
  if (!Number.isInteger(pages) || pages < 1) throw new RangeError("页数须为正整数");
  const lines = bands(1, pages, perPageRate);
  const amount = lines.reduce((s, l) => s + l.subtotal, 0);
  const parts = lines.map((l) =>
    l.rate === 0 ? `第${range(l)}页免费` : `第${range(l)}页每页${l.rate}元，计${l.subtotal}元`,
  );
  return { amount, lines, explanation: `按量计收：共${pages}页，${parts.join("；")}；合计${amount}元。` };
}

function range(l: FeeLine): string {
  return l.from === l.to ? String(l.from) : `${l.from}至${l.to}`;
}

/** The month key (YYYY-MM) an application counts in for 按件 (its receipt date's calendar month). */
export function feeMonth(receivedOn: string): string {
  return receivedOn.slice(0, 7);
}

export const FEE_BASIS_TEXT =
  "《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）";
