import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { residentIdCheckChar } from "../shared/identifiers.ts";
import {
  type ApplicationInput,
  applicationProblems,
  idNumberProblem,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeIdNumber,
  phoneLast4,
  phoneProblem,
} from "./applicant.rules.ts";

describe("idNumberProblem per document type", () => {
  const cases: [Parameters<typeof idNumberProblem>[0], string, boolean][] = [
    ["resident_id", "11010519491231002x", true], // lower-case x accepted (normalized)
    ["resident_id", "110105 1949 1231 002X", true],
    ["resident_id", "110105194912310021", false],
    ["resident_id", `810000199001011${"23"}`, false], // 居住证 number under 身份证
    ["residence_permit", `81000019900101123${residentIdCheckChar("81000019900101123")}`, true],
    ["residence_permit", "11010519491231002X", false],
    ["hk_macao_permit", "H12345678", true],
    ["hk_macao_permit", "X12345678", false],
    ["taiwan_permit", "12345678", true],
    ["passport", "E12345678", true],
    ["passport", "E1", false],
    ["foreign_permanent", "USA123456789012", true],
    ["credit_code", "91350100M000100Y43", true],
    ["credit_code", "91350100M000100Y44", false],
    ["other", "X", false],
  ];
  for (const [type, id, ok] of cases) {
    it(`${type} ${id} → ${ok ? "valid" : "invalid"}`, () =>
      assert.equal(idNumberProblem(type, id) === null, ok));
  }
  it("normalizes", () => assert.equal(normalizeIdNumber(" 1101-0519 4912 31002x "), "11010519491231002X"));
});

describe("contact and masking", () => {
  const phones: [string, boolean][] = [
    ["13812345678", true],
    ["+86 138 1234 5678", true],
    ["12812345678", false],
    ["0471-1234567", true],
    ["04711234567", true],
    ["1234567", false],
  ];
  for (const [p, ok] of phones) it(`phone ${p} → ${ok}`, () => assert.equal(phoneProblem(p) === null, ok));
  it("last 4 digits ignore an extension", () => {
    assert.equal(phoneLast4("13812345678"), "5678");
    assert.equal(phoneLast4("0471-1234567-89"), "4567");
  });
  it("masks", () => {
    assert.equal(maskName("张三", "natural_person"), "张*");
    assert.equal(maskName("欧阳娜娜", "natural_person"), "欧***");
    assert.equal(maskName("某某科技有限公司", "commercial"), "某某科技有限公司");
    assert.equal(maskIdNumber("11010519491231002X"), "1101**********002X");
    assert.equal(maskPhone("13812345678"), "138****5678");
    assert.equal(maskPhone("0471-1234567"), "****4567");
  });
});

describe("applicationProblems (条例第29条 contents)", () => {
  const valid: ApplicationInput = {
    applicantType: "natural_person",
    name: "张三",
    idType: "resident_id",
    idNumber: "11010519491231002X",
    phone: "13812345678",
    email: "",
    address: "",
    postalCode: "",
    infoTitle: "2024年度就业补助资金分配情况",
    infoDocNumber: "",
    infoDescription: "",
    form: "electronic",
    delivery: "online",
  };
  it("accepts a complete application", () =>
    assert.deepEqual(applicationProblems(valid, { requirePhone: true }), []));
  const broken: [string, Partial<ApplicationInput>, string][] = [
    ["missing name", { name: "" }, "name"],
    ["bad checksum", { idNumber: "110105194912310021" }, "idNumber"],
    ["org with resident id", { applicantType: "commercial", name: "某公司" }, "idType"],
    ["phone required online", { phone: "" }, "phone"],
    ["post needs an address", { delivery: "post" }, "address"],
    ["e-mail delivery needs e-mail", { delivery: "email" }, "email"],
    ["no title", { infoTitle: "x" }, "infoTitle"],
    ["bad postal code", { postalCode: "12345" }, "postalCode"],
  ];
  for (const [name, change, field] of broken) {
    it(name, () => {
      const problems = applicationProblems({ ...valid, ...change }, { requirePhone: true });
      assert.ok(
        problems.some((p) => p.field === field),
        JSON.stringify(problems),
      );
    });
  }
  it("staff entries may omit the phone when an address is given", () => {
    assert.deepEqual(
      applicationProblems(
        { ...valid, phone: "", address: "某市某路1号", delivery: "post" },
        { requirePhone: false },
      ),
      [],
    );
  });
});
