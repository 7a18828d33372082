import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  addressKeepLength,
  type MaskKind,
  maskAddress,
  maskBankCard,
  maskMobile,
  maskName,
  maskResidentId,
  maskValue,
  replaceAll,
} from "./masking.rules.ts";

describe("mask formats of the inspection bulletins", () => {
  it("mobile: first 3 and last 4 digits", () => assert.equal(maskMobile("13812341234"), "138****1234"));
  it("resident ID: first 2 and last 3, 18 characters kept", () => {
    const masked = maskResidentId("350102199001011233");
    assert.equal(masked, "35*************233");
    assert.equal(masked.length, 18);
  });
  it("bank card: first 6 and last 4", () => {
    assert.equal(maskBankCard("6222021234567890128"), "622202*********0128");
    assert.equal(maskBankCard("6217000012345678"), "621700******5678");
  });
  it("names: the surname (compound ones whole) and two asterisks", () => {
    assert.equal(maskName("张三"), "张**");
    assert.equal(maskName("张小明"), "张**");
    assert.equal(maskName("欧阳小明"), "欧阳**");
    assert.equal(maskName("欧阳"), "欧**");
  });
});

describe("addresses are cut to the township", () => {
  const cases: [string, string, string][] = [
    ["福建省三明市沙县区凤岗街道府前路12号", "福建省三明市沙县区凤岗街道****", "街道 after a 县区 county"],
    ["内蒙古自治区扎兰屯市高台子街道办事处9号楼", "内蒙古自治区扎兰屯市高台子街道办事处****", "街道办事处"],
    [
      "江苏省镇江市京口区正东路街道解放路3号",
      "江苏省镇江市京口区正东路街道****",
      "镇江市 is a city, not a town",
    ],
    ["山东省聊城市东昌府区郑家镇王屯村3组45号", "山东省聊城市东昌府区郑家镇****", "镇"],
    ["呼伦贝尔市扎兰屯市卧牛河镇", "呼伦贝尔市扎兰屯市卧牛河镇", "nothing after the township: unchanged"],
    ["沙县区府前路12号", "沙县区****", "no township: cut after the county"],
    ["府前路12号", "****", "no division at all: masked whole"],
  ];
  for (const [address, masked, why] of cases) {
    it(`${why}: ${address}`, () => assert.equal(maskAddress(address), masked));
  }
  it("the kept length ends at the township", () =>
    assert.equal(addressKeepLength("沙县区凤岗街道府前路"), 7));
});

describe("maskValue re-checks what the scan found", () => {
  const cases: [MaskKind, string, string | null][] = [
    ["mobile", "13812341234", "138****1234"],
    ["mobile", "+86 138 1234 1234", "+86 138****1234"],
    ["mobile", "12345678901", null],
    ["resident_id", "11010519491231002x", "11*************02X"],
    ["resident_id", "110105194912310021", null],
    ["bank_card", "6217 0000 1234 5678 907", "621700*********8907"],
    ["bank_card", "6222021234567890127", null],
    ["address", "福建省三明市沙县区凤岗街道府前路12号", "福建省三明市沙县区凤岗街道****"],
    ["address", "福建省三明市沙县区凤岗街道", null],
    ["name", "张三", "张**"],
    ["name", "张某", null],
    ["name", "张**", null],
  ];
  for (const [kind, raw, masked] of cases) {
    it(`${kind} ${raw} → ${masked}`, () => assert.equal(maskValue(kind, raw), masked));
  }
});

describe("replaceAll", () => {
  it("replaces every occurrence and counts them", () =>
    assert.deepEqual(
      replaceAll('<p>13812341234</p><a href="tel:13812341234">', "13812341234", "138****1234"),
      {
        text: '<p>138****1234</p><a href="tel:138****1234">',
        count: 2,
      },
    ));
  it("an empty needle replaces nothing", () =>
    assert.deepEqual(replaceAll("abc", "", "*"), { text: "abc", count: 0 }));
});
