import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  findingContext,
  isResidentId,
  lineColumn,
  type PersonalDataKind,
  scanPersonalData,
} from "./personal-data.rules.ts";

describe("resident ID in free text (region digit 1–9, lower-case x accepted)", () => {
  const cases: [string, boolean, string][] = [
    ["11010519491231002X", true, "standard example, check X"],
    ["11010519491231002x", true, "lower-case x accepted"],
    ["110105194912310021", false, "wrong check character"],
    ["050783198506151235", false, "region digit 0"],
  ];
  for (const [id, valid, why] of cases) {
    it(`${id}: ${valid ? "valid" : "invalid"} (${why})`, () => assert.equal(isResidentId(id), valid));
  }
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
