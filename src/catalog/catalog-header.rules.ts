/**
 * @module Validation of a catalog draft's header (表头/表尾: 填表人、复核人、审签人、填表时间).
 *
 * The 基层政务公开标准目录 template (国办发〔2019〕54号 附件) ends with 填表人/复核人/审签人/填表时间; the agency
 * fills them in before the catalog is signed off. 填表时间 may be written as a full date or, as many published
 * catalogs do, as a month; it must be a real calendar date and not later than today.
 */
import type { CatalogHeader } from "./catalog.table.ts";

export interface HeaderFieldError {
  field: string;
  message: string;
}

/** The editable header fields (names as in the form). */
export interface HeaderInput {
  compiledBy: string;
  reviewedBy: string;
  signedBy: string;
  compiledAt: string;
}

export const HEADER_NAME_MAX = 50;

const PATTERNS: readonly RegExp[] = [
  /^(\d{4})-(\d{2})-(\d{2})$/,
  /^(\d{4})-(\d{2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
  /^(\d{4})年(\d{1,2})月$/,
];

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * Reads 填表时间 into the earliest `YYYY-MM-DD` it can denote (a month → its first day), or null when it is not a
 * real date in an accepted form (2026-03-16, 2026-03, 2026年3月16日, 2026年3月).
 */
export function parseCompiledAt(text: string): string | null {
  for (const re of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = m[3] === undefined ? 1 : Number(m[3]);
    if (y < 1990 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
    return `${String(y)}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  }
  return null;
}

/** Field-level problems of a header edit; `today` is `YYYY-MM-DD` (Asia/Shanghai). Empty fields are allowed. */
export function validateHeader(input: HeaderInput, today: string): HeaderFieldError[] {
  const errors: HeaderFieldError[] = [];
  const names: [keyof HeaderInput, string][] = [
    ["compiledBy", "填表人"],
    ["reviewedBy", "复核人"],
    ["signedBy", "审签人"],
  ];
  for (const [field, label] of names)
    if (input[field].trim().length > HEADER_NAME_MAX)
      errors.push({ field, message: `${label}不能超过${HEADER_NAME_MAX}个字` });
  const at = input.compiledAt.trim();
  if (at !== "") {
    const date = parseCompiledAt(at);
    if (date === null)
      errors.push({
        field: "compiledAt",
        message: "填表时间应为有效日期，如 2026-03-16、2026-03 或 2026年3月16日",
      });
    else if (date > today) errors.push({ field: "compiledAt", message: "填表时间不能晚于今天" });
  }
  return errors;
}

/** Applies a header edit to the stored header, keeping the fields the form does not edit (单位, 载明的事项数, notes). */
export function mergeHeader(previous: CatalogHeader, input: HeaderInput): CatalogHeader {
  const out: CatalogHeader = { ...previous };
  for (const key of ["compiledBy", "reviewedBy", "signedBy", "compiledAt"] as const) {
    const v = input[key].trim();
    if (v === "") delete out[key];
    else out[key] = v;
  }
  return out;
}
