import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { residentIdCheckChar } from "../shared/identifiers.ts";
import {
  type ApplicationInput,
  applicationProblems,
  FORM_DELIVERY_HINT,
  formDeliveryProblem,
  idNumberProblem,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeIdNumber,
  phoneLast4,
  phoneProblem,
} from "./applicant.rules.ts";
import type { DeliveryMethod, InfoForm } from "./info-request.ts";

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
  // Hostile or pasted characters get a specific message on their field, never a silent pass.
  const unsafe: [string, Partial<ApplicationInput>, string, RegExp][] = [
    ["a control character in the title", { infoTitle: "社保\u0001名单" }, "infoTitle", /控制字符/],
    ["an escape sequence in the name", { name: "张三\u001b[31m" }, "name", /控制字符/],
    ["a right-to-left override", { infoTitle: "名单\u202Egnp.exe" }, "infoTitle", /控制字符/],
    ["a line break in the 文号", { infoDocNumber: "人社发\n〔2024〕1号" }, "infoDocNumber", /控制字符/],
    ["a control character in the address", { address: "某路\u00851号" }, "address", /控制字符/],
    [
      "a control character in the description",
      { infoDescription: "说明\u0007" },
      "infoDescription",
      /控制字符/,
    ],
    ["a control character in the e-mail", { email: "a\u0001b@example.com" }, "email", /电子邮箱格式不正确/],
    [
      "a title of zero-width spaces",
      { infoTitle: "\u200b\u200b\u200b" },
      "infoTitle",
      /请填写所需信息的名称/,
    ],
    [
      "a name of ideographic and zero-width spaces",
      { name: "\u3000\u200b\u200b" },
      "name",
      /请填写申请人姓名/,
    ],
    ["a name of 101 characters", { name: "张".repeat(101) }, "name", /姓名不超过100字/],
    [
      "a description of 2001 characters",
      { infoDescription: "很".repeat(2001) },
      "infoDescription",
      /不超过2000字（现为2001字）/,
    ],
  ];
  for (const [name, change, field, message] of unsafe) {
    it(name, () => {
      const problems = applicationProblems({ ...valid, ...change }, { requirePhone: true });
      const problem = problems.find((p) => p.field === field);
      assert.match(problem?.message ?? "", message, JSON.stringify(problems));
    });
  }
  it("accepts a postal code typed in full-width digits", () =>
    assert.deepEqual(
      applicationProblems({ ...valid, postalCode: "０１００００" }, { requirePhone: true }),
      [],
    ));
  it("asks for the name or title neutrally while no applicant type is chosen", () =>
    assert.match(
      applicationProblems({ ...valid, applicantType: "" as never, name: "" }, { requirePhone: true }).find(
        (p) => p.field === "name",
      )?.message ?? "",
      /^请填写申请人姓名或名称$/,
    ));
  it("accepts line breaks in the description, direction marks and emoji", () =>
    assert.deepEqual(
      applicationProblems(
        { ...valid, name: "\u200fأحمد", infoDescription: "第一行\n第二行\t😀" },
        { requirePhone: true },
      ),
      [],
    ));

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

describe("formDeliveryProblem (条例第29条第（三）项, 第40条): contradictory form/delivery pairs", () => {
  // Every pair of 提供形式 × 获取方式: true = the two can both be honoured.
  const TABLE: [InfoForm, DeliveryMethod, boolean][] = [
    ["paper", "post", true],
    ["paper", "pickup", true],
    ["paper", "email", false],
    ["paper", "online", false],
    ["disc", "post", true],
    ["disc", "pickup", true],
    ["disc", "email", false],
    ["disc", "online", false],
    ["electronic", "post", true],
    ["electronic", "pickup", true],
    ["electronic", "email", true],
    ["electronic", "online", true],
    ["other", "post", true],
    ["other", "pickup", true],
    ["other", "email", true],
    ["other", "online", true],
  ];
  for (const [form, delivery, fits] of TABLE) {
    it(`${form} + ${delivery}: ${fits ? "accepted" : "refused"}`, () => {
      const problem = formDeliveryProblem(form, delivery);
      if (fits) assert.equal(problem, null);
      else {
        assert.ok(problem?.includes("信息的提供形式") && problem.includes("获取信息的方式"), String(problem));
        assert.match(problem ?? "", /“纸质”|“光盘”/);
        assert.match(problem ?? "", /“电子邮件”|“在线查看”/);
      }
    });
  }

  it("the forms' hint says the same rule", () =>
    assert.equal(FORM_DELIVERY_HINT, "提供形式为“纸质”或“光盘”的，获取方式只能选择“邮寄”或“当面领取”。"));

  it("applicationProblems refuses a contradictory pair on the delivery field, naming both", () => {
    const base: ApplicationInput = {
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
      form: "paper",
      delivery: "online",
    };
    assert.deepEqual(applicationProblems(base, { requirePhone: true }), [
      { field: "delivery", message: formDeliveryProblem("paper", "online") },
    ]);
  });
});
