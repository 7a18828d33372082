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
      expect: [["resident_id", "11010519491231002X", "11*************02X"]],
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
        ["bank_card", "6222021234567890128", "622202*********0128"],
        ["bank_card", "6217 0000 1234 5678 907", "621700*********8907"],
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
      why: "a private person's address is found after its label when it is more precise than the township",
      text: "当事人住址：福建省三明市沙县区凤岗街道府前路12号3幢502室，现已整改。",
      expect: [["address", "福建省三明市沙县区凤岗街道府前路12号3幢502室", "福建省三明市沙县区凤岗街道****"]],
    },
    {
      why: "an address already cut to the township, and an office address (地址), are not findings",
      text: "家庭住址：福建省三明市沙县区凤岗街道。办公地址：沙县区府前路12号。",
      expect: [],
    },
    {
      why: "a private person's name after 姓名 (not 某 pseudonyms)",
      text: "姓名：欧阳小明，性别：男。姓名：李某。姓名：王五性别女",
      expect: [
        ["name", "欧阳小明", "欧阳**"],
        ["name", "王五", "王**"],
      ],
    },
    {
      why: "full-width context and newlines",
      text: "第一行\n手机：18612345678\n身份证：440308200001010012",
      expect: [
        ["mobile", "18612345678", "186****5678"],
        ["resident_id", "440308200001010012", "44*************012"],
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
