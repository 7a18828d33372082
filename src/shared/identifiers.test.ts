import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  creditCodeCheckChar,
  isBankCard,
  isCreditCode,
  isMobileNumber,
  isResidentIdNumber,
  isValidBirthDate,
  luhnValid,
  residentIdCheckChar,
} from "./identifiers.ts";

describe("公民身份号码 (GB 11643-1999)", () => {
  const cases: [string, boolean, string][] = [
    ["11010519491231002X", true, "the standard's own example, check X"],
    ["440308200001010012", true, "check digit 2"],
    ["150783198506151235", true, "扎兰屯 address code"],
    ["640500201202290040", true, "29 February of a leap year"],
    [`11010119900307451${residentIdCheckChar("11010119900307451")}`, true, "computed check character"],
    [`81000019900101123${residentIdCheckChar("81000019900101123")}`, true, "港澳台居民居住证 (same format)"],
    ["110105194912310021", false, "wrong check character"],
    ["11010519491231002x", false, "lower-case x: callers normalize first"],
    ["640500201302290047", false, "29 February of a common year"],
    ["150783198513151235", false, "month 13"],
    ["440524188001010014", false, "born before 1900"],
    ["440524188002300011", false, "30 February"],
    ["11010519491231002", false, "17 characters"],
    ["1101051949123100XX", false, "X before the last place"],
  ];
  for (const [id, ok, why] of cases)
    it(`${id} → ${ok} (${why})`, () => assert.equal(isResidentIdNumber(id), ok));

  const checks: [string, string][] = [
    ["11010519491231002", "X"],
    ["44030820000101001", "2"],
    ["44052418800101001", "4"],
  ];
  for (const [first17, check] of checks)
    it(`check character of ${first17} is ${check}`, () => assert.equal(residentIdCheckChar(first17), check));

  const dates: [string, boolean][] = [
    ["20000229", true],
    ["19000228", true],
    ["19000229", false],
    ["21010101", false],
    ["2020011", false],
  ];
  for (const [d, ok] of dates) it(`birth date ${d} → ${ok}`, () => assert.equal(isValidBirthDate(d), ok));
});

describe("统一社会信用代码 (GB 32100-2015)", () => {
  // Published codes of public bodies (check characters verified by hand with the weights 3^i mod 31).
  const cases: [string, boolean, string][] = [
    ["91350100M000100Y43", true, "published code"],
    ["11100000000013127D", true, "published code, letter check character"],
    ["91350100M000100Y44", false, "wrong check character"],
    ["91350100M000100YI3", false, "letter I is outside the alphabet"],
    ["91350100M000100Y4", false, "17 characters"],
    ["91350100m000100Y43", false, "lower case: callers normalize first"],
  ];
  for (const [code, ok, why] of cases)
    it(`${code} → ${ok} (${why})`, () => assert.equal(isCreditCode(code), ok));
  it("computes the check character", () => assert.equal(creditCodeCheckChar("91350100M000100Y4"), "3"));
});

describe("mobile numbers", () => {
  const cases: [string, boolean][] = [
    ["13812345678", true],
    ["19912345678", true],
    ["12812345678", false],
    ["1381234567", false],
    ["138123456789", false],
  ];
  for (const [n, ok] of cases) it(`${n} → ${ok}`, () => assert.equal(isMobileNumber(n), ok));
});

describe("bank cards (Luhn)", () => {
  const cases: [string, boolean][] = [
    ["6222021234567890128", true],
    ["6222021234567890127", false],
    ["6217000012345678907", true],
    ["4532015112830366", true],
    ["622848012345674", false], // 15 digits: too short for a bank card
    ["9222021234567890128", false], // issuer prefix 9
  ];
  for (const [n, ok] of cases) it(`${n} → ${ok}`, () => assert.equal(isBankCard(n), ok));
  const luhn: [string, boolean][] = [
    ["79927398713", true],
    ["79927398710", false],
    ["0", true],
    ["12a4", false],
  ];
  for (const [n, ok] of luhn) it(`luhn ${n} → ${ok}`, () => assert.equal(luhnValid(n), ok));
});
