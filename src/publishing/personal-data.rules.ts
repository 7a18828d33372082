/**
 * @module Personal-data scan before publication. Pure.
 *
 * 条例第15条: information whose disclosure would harm a third party's lawful rights (个人隐私) is not published;
 * 个人信息保护法第28条: 身份证件号码 and 金融账户 are sensitive personal information; 第51条 requires technical
 * safeguards. The scan finds, in plain text:
 * - 18-digit 居民身份证号码 (GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check character, valid birth date);
 * - 中国大陆手机号码 (11 digits, 1[3-9]…, optionally +86 / 86 and 3-4-4 grouping);
 * - 银行卡号 (16–19 digits, optionally grouped by 4, Luhn check digit, issuer prefix 3/4/5/6);
 * - 住址 of a private person after a label (家庭住址、现住址、户籍地址、居住地址、住址), when it says more than the
 *   township (乡镇街道: the level inspection bulletins accept);
 * - 姓名 of a private person after the label 姓名 (names of officials and organisations are not labelled so).
 * Findings carry their position and a masked value in the format of masking.rules.ts (一键脱敏 applies the same);
 * the full number is never stored or logged.
 */
import { isBankCard, isMobileNumber, isResidentIdNumber } from "../shared/identifiers.ts";
import {
  addressTooPrecise,
  maskAddress,
  maskBankCard,
  maskMobile,
  maskName,
  maskResidentId,
} from "./masking.rules.ts";

export type PersonalDataKind = "resident_id" | "mobile" | "bank_card" | "address" | "name";

export const PERSONAL_DATA_LABELS: Readonly<Record<PersonalDataKind, string>> = {
  resident_id: "居民身份证号码",
  mobile: "手机号码",
  bank_card: "银行卡号",
  address: "个人住址",
  name: "个人姓名",
};

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  /** UTF-16 offset in the scanned text and length of the match (including separators). */
  start: number;
  length: number;
  /** Masked value, e.g. 110105********1234 / 138****5678 / 6222 **** **** 1234. */
  masked: string;
}

/** A full 18-character resident ID in free text: region digit 1–9 (x accepted for X), see shared/identifiers.ts. */
export function isResidentId(s: string): boolean {
  return /^[1-9]/.test(s) && isResidentIdNumber(s.toUpperCase());
}

function mask(kind: "resident_id" | "mobile" | "bank_card", digits: string): string {
  if (kind === "resident_id") return maskResidentId(digits.toUpperCase());
  if (kind === "mobile") return maskMobile(digits);
  return maskBankCard(digits);
}

// A run of digits (and X/x at the end for IDs), possibly grouped by single spaces or hyphens, not glued to other
// digits or Latin letters (so 索引号 like 11341702486344515H/2021-00013 or file hashes are not split into matches).
const CANDIDATE = /(?<![0-9A-Za-z])(?:\+?86[ -]?)?\d(?:[ -]?\d){10,22}[Xx]?(?![0-9A-Za-z])/g;

function classify(raw: string, start: number): PersonalDataFinding | null {
  let body = raw;
  let hasPrefix = false;
  const prefix = raw.match(/^\+?86[ -]?/);
  if (prefix) {
    const rest = raw.slice(prefix[0].length);
    if (isMobileNumber(rest.replace(/[ -]/g, ""))) {
      hasPrefix = true;
      body = rest;
    }
  }
  const digits = body.replace(/[ -]/g, "");
  // Separators must look like deliberate grouping (3-4-4 for phones, groups of 4 for cards, none for IDs).
  const groups = body.split(/[ -]/).map((g) => g.length);
  const ungrouped = groups.length === 1;
  if (!hasPrefix && digits.length === 18 && ungrouped && isResidentId(digits)) {
    return { kind: "resident_id", start, length: raw.length, masked: mask("resident_id", digits) };
  }
  if (/[Xx]$/.test(digits)) return null;
  const phoneGrouping = groups.length === 3 && groups[0] === 3 && groups[1] === 4 && groups[2] === 4;
  if (isMobileNumber(digits) && (ungrouped || phoneGrouping)) {
    return { kind: "mobile", start, length: raw.length, masked: mask("mobile", digits) };
  }
  const fourGroups = groups.every((g, i) => (i < groups.length - 1 ? g === 4 : g >= 1 && g <= 4));
  if (!hasPrefix && (ungrouped || fourGroups) && isBankCard(digits)) {
    return { kind: "bank_card", start, length: raw.length, masked: mask("bank_card", digits) };
  }
  return null;
}

// 住址 after its label and a colon (policy prose such as 向户籍所在地街道申请 is not an address): Chinese characters,
// digits and the usual house-number signs, up to punctuation or a space.
const ADDRESS =
  /(?:家庭住址|家庭地址|现住址|户籍地址|户籍所在地|居住地址|住址|现住)\s*[:：]\s*([\u4e00-\u9fa5A-Za-z0-9#＃\-－—]{4,60})/g;
// 姓名 after its label: 2–4 Chinese characters (· for minority names) ending at a non-Chinese character or the next
// label; 某/＊ pseudonyms are not names.
const NAME =
  /姓名\s*[:：]\s*([\u4e00-\u9fa5·]{2,5}?)(?=$|[^\u4e00-\u9fa5·]|性别|民族|出生|年龄|身份|住|联系|电话|男|女)/g;

function labelled(text: string): PersonalDataFinding[] {
  const out: PersonalDataFinding[] = [];
  for (const m of text.matchAll(ADDRESS)) {
    const value = m[1] as string;
    if (!addressTooPrecise(value)) continue;
    const start = (m.index ?? 0) + m[0].length - value.length;
    out.push({ kind: "address", start, length: value.length, masked: maskAddress(value) });
  }
  for (const m of text.matchAll(NAME)) {
    const value = m[1] as string;
    if (value.includes("某")) continue;
    const start = (m.index ?? 0) + m[0].length - value.length;
    out.push({ kind: "name", start, length: value.length, masked: maskName(value) });
  }
  return out;
}

/**
 * Finds personal data in plain text, in order of position. A run that is not one number as a whole (e.g. two phone
 * numbers separated by a space) is also tried part by part.
 */
export function scanPersonalData(text: string): PersonalDataFinding[] {
  const out: PersonalDataFinding[] = labelled(text);
  for (const m of text.matchAll(CANDIDATE)) {
    const whole = classify(m[0], m.index);
    if (whole) {
      out.push(whole);
      continue;
    }
    for (const part of m[0].matchAll(/\d+[Xx]?/g)) {
      if (part[0].length < 11) continue;
      const found = classify(part[0], m.index + part.index);
      if (found) out.push(found);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** 1-based line and column of an offset (for messages such as “正文第3行第12列”). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A short context around a finding with the number masked (for the approver's screen). */
export function findingContext(text: string, finding: PersonalDataFinding, radius = 12): string {
  const before = text.slice(Math.max(0, finding.start - radius), finding.start);
  const after = text.slice(finding.start + finding.length, finding.start + finding.length + radius);
  return `${finding.start > radius ? "…" : ""}${before}${finding.masked}${after}${finding.start + finding.length + radius < text.length ? "…" : ""}`.replace(
    /\s+/g,
    " ",
  );
}
