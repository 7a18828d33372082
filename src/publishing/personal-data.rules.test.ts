import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  findingContext,
  isBankCard,
  isResidentId,
  lineColumn,
  luhnValid,
  type PersonalDataKind,
  residentIdCheckChar,
  scanPersonalData,
} from "./personal-data.rules.ts";

describe("resident ID (GB 11643-1999 check character)", () => {
  const cases: [string, boolean, string][] = [
    ["11010519491231002X", true, "standard example, check X"],
    ["11010519491231002x", true, "lower-case x accepted"],
    ["440308200001010012", true, "check digit 2"],
    ["150783198506151235", true, "扎兰屯 region code"],
    ["640500201202290040", true, "29 February of a leap year"],
    ["110105194912310021", false, "wrong check character"],
    ["640500201302290047", false, "29 February of a common year"],
    ["150783198513151235", false, "month 13"],
    ["050783198506151235", false, "region digit 0"],
    ["15078319850615123", false, "17 digits"],
  ];
  for (const [id, valid, why] of cases) {
    it(`${id}: ${valid ? "valid" : "invalid"} (${why})`, () => assert.equal(isResidentId(id), valid));
  }
  it("computes the check character", () => {
    assert.equal(residentIdCheckChar("11010519491231002"), "X");
    assert.equal(residentIdCheckChar("44030820000101001"), "2");
  });
});

describe("Luhn and bank cards", () => {
  const cases: [string, boolean][] = [
    ["6222021234567890128", true],
    ["6222021234567890127", false],
    ["6217000012345678907", true],
    ["4532015112830366", true],
    ["622848012345674", false], // 15 digits: too short for a bank card
    ["9222021234567890128", false], // issuer prefix 9
  ];
  for (const [n, ok] of cases) it(`${n} → ${ok}`, () => assert.equal(isBankCard(n), ok));
  it("luhn", () => {
    assert.equal(luhnValid("79927398713"), true);
    assert.equal(luhnValid("79927398710"), false);
  });
});

describe("scanPersonalData", () => {
  const cases: { text: string; expect: [PersonalDataKind, string, string][]; why: string }[] = [
    {
      why: "ID in a sentence",
      text: "申请人张三，身份证号11010519491231002X，现居北京。",
      expect: [["resident_id", "11010519491231002X", "110105********002X"]],
    },
    {
      why: "ID with a wrong check character is not flagged",
      text: "编号110105194912310021。",
      expect: [],
    },
    {
      why: "mobile number, plain and grouped, with +86",
      text: "联系电话13812345678；或 139 1234 5678；或+86 15912345678。",
      expect: [
        ["mobile", "13812345678", "138****5678"],
        ["mobile", "139 1234 5678", "139****5678"],
        ["mobile", "+86 15912345678", "159****5678"],
      ],
    },
    {
      why: "two phone numbers separated by a space",
      text: "电话13812345678 13912345678",
      expect: [
        ["mobile", "13812345678", "138****5678"],
        ["mobile", "13912345678", "139****5678"],
      ],
    },
    {
      why: "landline numbers are not mobile numbers",
      text: "咨询电话：0470-3212345，0635-8241234。",
      expect: [],
    },
    {
      why: "bank card, plain and grouped by four",
      text: "收款账号6222021234567890128，备用卡 6217 0000 1234 5678 907。",
      expect: [
        ["bank_card", "6222021234567890128", "6222 **** **** 0128"],
        ["bank_card", "6217 0000 1234 5678 907", "6217 **** **** 8907"],
      ],
    },
    {
      why: "a 19-digit number failing Luhn is not a card",
      text: "流水号6222021234567890127。",
      expect: [],
    },
    {
      why: "索引号, 文号 and dates are not personal data",
      text: "索引号：11341702486344515H/2021-00013，文号：中人社发〔2025〕12号，成文日期2025-03-12，金额1234567.89元。",
      expect: [],
    },
    {
      why: "digits glued to Latin letters (hashes) are ignored",
      text: "sha256: a13812345678b 6222021234567890128c",
      expect: [],
    },
    {
      why: "full-width context and newlines",
      text: "第一行\n手机：18612345678\n身份证：440308200001010012",
      expect: [
        ["mobile", "18612345678", "186****5678"],
        ["resident_id", "440308200001010012", "440308********0012"],
      ],
    },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const found = scanPersonalData(c.text);
      assert.deepEqual(
        found.map((f) => [f.kind, c.text.slice(f.start, f.start + f.length), f.masked]),
        c.expect,
      );
    });
  }

  it("positions map to line and column; context is masked", () => {
    const text = "第一行\n手机：18612345678";
    const [f] = scanPersonalData(text);
    assert.ok(f);
    assert.deepEqual(lineColumn(text, f.start), { line: 2, column: 4 });
    const ctx = findingContext(text, f);
    assert.ok(ctx.includes("186****5678"));
    assert.ok(!ctx.includes("18612345678"));
  });
});
