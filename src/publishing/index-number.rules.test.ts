import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_INDEX_TEMPLATE,
  formatIndexNumber,
  INDEX_PRESETS,
  maxSerial,
  orgCodeFromCreditCode,
  resolveCode,
  validateIndexTemplate,
} from "./index-number.rules.ts";

describe("索引号 formatting (legal-spec §6.2–6.3)", () => {
  const cases: [string, string, string, number, string][] = [
    // observed examples
    [
      INDEX_PRESETS.credit_year.template,
      "1150011255408455X1",
      "2025-03-02",
      2,
      "1150011255408455X1/2025-00002",
    ],
    [
      INDEX_PRESETS.credit_year.template,
      "11500382774856013D",
      "2024-12-31",
      16,
      "11500382774856013D/2024-00016",
    ],
    [INDEX_PRESETS.org_year.template, "005275134", "2017-06-01", 180, "005275134/2017-00180"],
    [
      INDEX_PRESETS.credit_yearmonth.template,
      "11341702486344515H",
      "2021-10-08",
      13,
      "11341702486344515H/202110-00013",
    ],
    ["{CODE}-{YYYY}-{NNNNNN}", "01527918X", "2020-01-05", 153077, "01527918X-2020-153077"],
  ];
  for (const [template, code, date, serial, expected] of cases) {
    it(`${template} → ${expected}`, () =>
      assert.equal(formatIndexNumber(template, code, date, serial), expected));
  }

  it("the legacy format is 20 characters (9 + / + 4 + - + 5)", () => {
    assert.equal(
      formatIndexNumber(INDEX_PRESETS.org_year.template, "000013338", "2023-01-01", 79).length,
      20,
    );
  });

  it("rejects serials that do not fit or are not positive", () => {
    assert.equal(maxSerial(DEFAULT_INDEX_TEMPLATE), 99999);
    assert.throws(() => formatIndexNumber(DEFAULT_INDEX_TEMPLATE, "X", "2025-01-01", 100000));
    assert.throws(() => formatIndexNumber(DEFAULT_INDEX_TEMPLATE, "X", "2025-01-01", 0));
  });
});

describe("template validation", () => {
  const cases: [string, boolean][] = [
    [INDEX_PRESETS.credit_year.template, true],
    [INDEX_PRESETS.org_year.template, true],
    [INDEX_PRESETS.credit_yearmonth.template, true],
    ["{CREDIT}/{NNNNN}", false], // no year
    ["{YYYY}-{NNNNN}", false], // no code
    ["{CREDIT}{ORG}/{YYYY}-{NNNNN}", false], // two codes
    ["{CREDIT}/{YYYY}", false], // no serial
    ["{CREDIT}/{YYYY}-{NN}", false], // serial too short (unknown token)
    ["{CREDIT}/{YYYY}-{NNNNN}<script>", false],
    ["{CREDIT}/{YYYY}-{DD}-{NNNNN}", false],
  ];
  for (const [t, ok] of cases) {
    it(`${t} is ${ok ? "valid" : "invalid"}`, () => assert.equal(validateIndexTemplate(t).length === 0, ok));
  }
});

describe("agency code resolution", () => {
  it("uses the credit code, else the configured code", () => {
    assert.deepEqual(
      resolveCode(DEFAULT_INDEX_TEMPLATE, {
        creditCode: "11341702486344515H",
        orgCode: null,
        configuredCode: "DEMO",
      }),
      { code: "11341702486344515H" },
    );
    assert.deepEqual(
      resolveCode(DEFAULT_INDEX_TEMPLATE, { creditCode: null, orgCode: null, configuredCode: "DEMO" }),
      {
        code: "DEMO",
      },
    );
    assert.ok(
      "error" in
        resolveCode(DEFAULT_INDEX_TEMPLATE, { creditCode: null, orgCode: null, configuredCode: null }),
    );
  });
  it("derives the organisation code from the credit code (characters 9–17)", () => {
    assert.equal(orgCodeFromCreditCode("91350100M000100Y43"), "M000100Y4");
    assert.deepEqual(
      resolveCode(INDEX_PRESETS.org_year.template, {
        creditCode: "91350100M000100Y43",
        orgCode: null,
        configuredCode: null,
      }),
      { code: "M000100Y4" },
    );
    assert.deepEqual(
      resolveCode(INDEX_PRESETS.org_year.template, {
        creditCode: "91350100M000100Y43",
        orgCode: "005275134",
        configuredCode: null,
      }),
      { code: "005275134" },
    );
  });
});
