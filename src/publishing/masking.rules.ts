/**
 * @module 一键脱敏: how each kind of personal data is masked before publication, in the format the inspection
 * bulletins (政务公开第三方评估、政府网站检查通报) use. Pure.
 *
 * 条例第15条: 个人隐私 is not disclosed; 个人信息保护法第51条 (去标识化) and 第73条(三) (去标识化 = 处理后无法识别
 * 特定自然人). The formats:
 * - 手机号码: first 3 and last 4 digits, `138****1234` (a +86 prefix is kept);
 * - 居民身份证号码: first 2 and last 3 characters, `35*************123` (18 characters kept as 18);
 * - 银行卡号: first 6 and last 4 digits (the issuer and the tail, as on receipts), `622202*********1234`;
 * - 住址: kept up to and including the township (乡、镇、街道、苏木), the rest becomes `****`
 *   (without a township: kept up to the county level — 区、县、旗 — then `****`);
 * - 姓名 of private persons: the surname (compound surnames such as 欧阳 kept whole) and `**`, e.g. `张**`.
 * Digits are checked with the shared identifier checks (src/shared/identifiers.ts).
 */
import { isBankCard, isMobileNumber, isResidentIdNumber } from "../shared/identifiers.ts";

/** The kinds the personal-data scan finds (personal-data.rules.ts). */
export type MaskKind = "resident_id" | "mobile" | "bank_card" | "address" | "name";

const stars = (n: number) => "*".repeat(Math.max(n, 0));

/** `13812341234` → `138****1234`. */
export function maskMobile(digits: string): string {
  return `${digits.slice(0, 3)}${stars(digits.length - 7)}${digits.slice(-4)}`;
}

/** `350102199001011234`-like → first 2, asterisks, last 3 (length kept). */
export function maskResidentId(id: string): string {
  return `${id.slice(0, 2)}${stars(id.length - 5)}${id.slice(-3)}`;
}

/** Bank card: first 6 and last 4 digits kept. */
export function maskBankCard(digits: string): string {
  return `${digits.slice(0, 6)}${stars(digits.length - 10)}${digits.slice(-4)}`;
}

// County level: 区/县/旗 not followed by another county-level character (沙县区 ends at 区), else a city (市).
const COUNTY = /[区县旗](?![区县旗])/;
const CITY = /市(?![区县辖])/;
const TOWNSHIP = /街道办事处|街道|苏木|镇|乡/;

/**
 * Where an address stops being public: the end of its township, else of its county, else of its city; -1 when the
 * address names none of them.
 */
export function addressKeepLength(address: string): number {
  const county = address.match(COUNTY) ?? address.match(CITY);
  const from = county ? (county.index ?? 0) + county[0].length : 0;
  // A township is looked for after the county (镇江市 is a city, not a town) and never as the first character.
  const town = address.slice(from).match(TOWNSHIP);
  if (town && from + (town.index ?? 0) > 0) return from + (town.index ?? 0) + town[0].length;
  return county ? from : -1;
}

/** `福建省三明市沙县区凤岗街道府前路12号` → `福建省三明市沙县区凤岗街道****`; unchanged when nothing follows the township. */
export function maskAddress(address: string): string {
  const keep = addressKeepLength(address);
  if (keep < 0) return "****";
  if (keep >= address.length) return address;
  return `${address.slice(0, keep)}****`;
}

/** True when an address says more than its township (a house number, a village group, a building …). */
export function addressTooPrecise(address: string): boolean {
  return maskAddress(address) !== address;
}

/** 复姓: compound surnames kept whole when masking a name. */
const COMPOUND_SURNAMES = new Set([
  "欧阳",
  "司马",
  "上官",
  "诸葛",
  "东方",
  "皇甫",
  "尉迟",
  "公孙",
  "慕容",
  "夏侯",
  "令狐",
  "长孙",
  "宇文",
  "司徒",
  "司空",
  "西门",
  "南宫",
  "澹台",
  "端木",
  "百里",
  "呼延",
  "轩辕",
]);

/** `张三` / `张小明` → `张**`; `欧阳小明` → `欧阳**`. */
export function maskName(name: string): string {
  const surname =
    COMPOUND_SURNAMES.has(name.slice(0, 2)) && name.length > 2 ? name.slice(0, 2) : name.slice(0, 1);
  return `${surname}**`;
}

/**
 * The masked replacement of a value the scan found (`raw` exactly as it stands in the text, separators included),
 * or null when `raw` is not a value of that kind (the text changed since the scan).
 */
export function maskValue(kind: MaskKind, raw: string): string | null {
  if (kind === "mobile") {
    const prefix = raw.match(/^\+?86[ -]?/)?.[0] ?? "";
    const digits = raw.slice(prefix.length).replace(/[ -]/g, "");
    return isMobileNumber(digits) ? `${prefix}${maskMobile(digits)}` : null;
  }
  if (kind === "resident_id") {
    const id = raw.toUpperCase();
    return isResidentIdNumber(id) ? maskResidentId(id) : null;
  }
  if (kind === "bank_card") {
    const digits = raw.replace(/[ -]/g, "");
    return isBankCard(digits) ? maskBankCard(digits) : null;
  }
  if (kind === "address") return raw.trim() !== "" && addressTooPrecise(raw) ? maskAddress(raw) : null;
  return /^[\u4e00-\u9fa5·]{2,5}$/.test(raw) && !raw.includes("某") ? maskName(raw) : null;
}

/** Replaces every occurrence of `raw` in `text` by `masked`; returns the new text and how many were replaced. */
export function replaceAll(text: string, raw: string, masked: string): { text: string; count: number } {
  if (raw === "") return { text, count: 0 };
  const parts = text.split(raw);
  return { text: parts.join(masked), count: parts.length - 1 };
}
