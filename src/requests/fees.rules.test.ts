import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { feeMonth, perItemFee, perItemRate, perPageFee, perPageRate } from "./fees.rules.ts";

// 国办函〔2020〕109号第四条 (按件) and 第五条 (按量); worked examples from legal-spec §3.
describe("按件 tariff per applicant per calendar month", () => {
  const rates: [number, number][] = [
    [1, 0],
    [10, 0],
    [11, 100],
    [30, 100],
    [31, 200],
    [40, 200],
    [41, 300],
    [50, 300],
    [51, 400],
  ];
  for (const [n, rate] of rates)
    it(`the ${n}th application costs ${rate} 元`, () => assert.equal(perItemRate(n), rate));

  const totals: [number, number, number][] = [
    // [prior this month, this application's 件, fee]
    [0, 1, 0],
    [9, 1, 0],
    [10, 1, 100],
    [9, 3, 200], // 10th free, 11th and 12th 100 each
    [0, 35, 3000], // legal-spec worked example: 20 × 100 + 5 × 200
    [29, 2, 300], // 30th 100 + 31st 200
  ];
  for (const [prior, items, fee] of totals) {
    it(`${prior} before + ${items} → ${fee} 元`, () => assert.equal(perItemFee(prior, items).amount, fee));
  }
  it("explains the bands", () => {
    assert.equal(
      perItemFee(9, 3).explanation,
      "按件计收：本月第10件免费；本月第11至12件每件100元，计200元；合计200元。",
    );
  });
  it("rejects nonsense", () => {
    assert.throws(() => perItemFee(-1, 1), RangeError);
    assert.throws(() => perItemFee(0, 0), RangeError);
  });
});

describe("按量 tariff per application", () => {
  const rates: [number, number][] = [
    [30, 0],
    [31, 10],
    [100, 10],
    [101, 20],
    [200, 20],
    [201, 40],
  ];
  for (const [p, rate] of rates) it(`page ${p} costs ${rate} 元`, () => assert.equal(perPageRate(p), rate));
  const totals: [number, number][] = [
    [1, 0],
    [30, 0],
    [31, 10],
    [100, 700],
    [101, 720],
    [200, 2700],
    [201, 2740],
    [250, 4700], // legal-spec worked example: 70 × 10 + 100 × 20 + 50 × 40
  ];
  for (const [pages, fee] of totals)
    it(`${pages} pages → ${fee} 元`, () => assert.equal(perPageFee(pages).amount, fee));
  it("month key", () => assert.equal(feeMonth("2025-03-31"), "2025-03"));
});
