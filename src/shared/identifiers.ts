/**
 * @module Chinese identifiers, checked in ONE place (pure): 公民身份号码 (resident identity number), 统一社会信用代码
 * (unified social credit code), mainland mobile numbers and bank card numbers (Luhn). Used by the applicant rules
 * of applications (条例第29条: 身份证明) and by the personal-data scan before publication (条例第15条; 个人信息保护法
 * 第28条). Inputs are expected normalized (upper case, no separators); callers normalize their own way.
 */

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const RESIDENT_ID_CHECK = "10X98765432";

/** Check character of an 18-character citizen identity number (GB 11643-1999, ISO 7064 MOD 11-2). */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i]!;
  return RESIDENT_ID_CHECK[sum % 11]!;
}

/** A real calendar date written YYYYMMDD, in 1900–2100 (the birth-date field of an identity number). */
export function isValidBirthDate(yyyymmdd: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence, check character (upper
 * case X). The same format serves 港澳台居民居住证 (address code 810000/820000/830000) and the 2023 外国人永久居留
 * 身份证 (first digit 9). 15-digit numbers (first-generation cards) are no longer valid documents.
 */
export function isResidentIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (!isValidBirthDate(id.slice(6, 14))) return false;
  return residentIdCheckChar(id.slice(0, 17)) === id[17];
}

const CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** The check character of a 统一社会信用代码 from its first 17 characters (GB 32100-2015, weights 3^i mod 31). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(first17[i]!) * CREDIT_CODE_WEIGHTS[i]!;
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31]!;
}

/** 统一社会信用代码 (GB 32100-2015): 18 characters of a 31-character alphabet (no I, O, S, V, Z), check character. */
export function isCreditCode(code: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code) && creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

/** Mainland mobile number: 11 digits starting 13–19. */
export function isMobileNumber(digits: string): boolean {
  return /^1[3-9]\d{9}$/.test(digits);
}

/** Luhn (ISO/IEC 7812-1) check over a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let n = digits.charCodeAt(i) - 48;
    if (double) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Bank card: 16–19 digits, issuer prefix 3–6 (UnionPay 62…, Visa 4…, Mastercard 5…, JCB 35…), Luhn. */
export function isBankCard(digits: string): boolean {
  return /^[3-6]\d{15,18}$/.test(digits) && luhnValid(digits);
}
