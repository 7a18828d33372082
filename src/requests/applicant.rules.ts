/**
 * @module Pure rules about the applicant: identity documents (条例第29条第（一）项 requires 身份证明 since the
 * 2019 revision), contact details, masking for lists, and validation of an application's contents.
 */

import { isCreditCode, isMobileNumber, isResidentIdNumber, isValidBirthDate } from "../shared/identifiers.ts";
import type { ApplicantTypeCode, Channel, DeliveryMethod, IdType, InfoForm } from "./info-request.ts";
import { CHANNELS, DELIVERY_METHODS, FORMS, ID_TYPES } from "./info-request.ts";

// ---------------------------------------------------------------------------------------------------------------
// Identity documents
// ---------------------------------------------------------------------------------------------------------------

/** Upper-case, no spaces or hyphens: the stored form of an identity number. */
export function normalizeIdNumber(value: string): string {
  return value.normalize("NFKC").replace(/[\s-]/g, "").toUpperCase();
}

/** Validates an identity number for its document type; returns a Chinese problem or null. */
export function idNumberProblem(type: IdType, raw: string): string | null {
  const id = normalizeIdNumber(raw);
  if (id === "") return "请填写证件号码";
  switch (type) {
    case "resident_id":
      if (!/^\d{17}[\dX]$/.test(id)) return "居民身份证号码应为18位（最后一位可以是X）";
      if (/^(81|82|83)/.test(id)) return "该号码是港澳台居民居住证号码，请选择“港澳台居民居住证”";
      if (!isValidBirthDate(id.slice(6, 14))) return "居民身份证号码中的出生日期不正确";
      if (!isResidentIdNumber(id)) return "居民身份证号码校验位不正确，请核对";
      return null;
    case "residence_permit":
      if (!/^(810000|820000|830000)\d{11}[\dX]$/.test(id))
        return "港澳台居民居住证号码应为以810000、820000或830000开头的18位号码";
      return isResidentIdNumber(id) ? null : "港澳台居民居住证号码校验位不正确，请核对";
    case "foreign_permanent":
      if (/^[A-Z]{3}\d{12}$/.test(id)) return null; // 2004 version: 3 letters + 12 digits
      if (!/^9\d{16}[\dX]$/.test(id)) return "外国人永久居留身份证号码格式不正确";
      return isResidentIdNumber(id) ? null : "外国人永久居留身份证号码校验位不正确，请核对";
    case "hk_macao_permit":
      return /^[HM]\d{8}(\d{2})?$/.test(id) ? null : "港澳居民来往内地通行证号码应为H或M开头加8位或10位数字";
    case "taiwan_permit":
      return /^(\d{8}|\d{10})$/.test(id) ? null : "台湾居民来往大陆通行证号码应为8位或10位数字";
    case "passport":
      return /^[A-Z0-9]{5,17}$/.test(id) ? null : "护照号码应为5至17位字母或数字";
    case "credit_code":
      return isCreditCode(id) ? null : "统一社会信用代码格式或校验位不正确";
    case "other":
      return id.length >= 2 && id.length <= 40 ? null : "证件号码应为2至40个字符";
  }
}

/** Document types an applicant of this type may use. */
export function idTypesFor(applicantType: ApplicantTypeCode): IdType[] {
  return applicantType === "natural_person"
    ? [
        "resident_id",
        "hk_macao_permit",
        "taiwan_permit",
        "residence_permit",
        "passport",
        "foreign_permanent",
        "other",
      ]
    : ["credit_code", "other"];
}

// ---------------------------------------------------------------------------------------------------------------
// Contact details
// ---------------------------------------------------------------------------------------------------------------

/** Digits (and a leading 0 area code hyphen) of a phone number; strips +86 and spaces. */
export function normalizePhone(raw: string): string {
  let p = raw.normalize("NFKC").replace(/[\s()（）]/g, "");
  if (p.startsWith("+86")) p = p.slice(3);
  else if (p.startsWith("0086")) p = p.slice(4);
  return p;
}

export function phoneProblem(raw: string): string | null {
  const p = normalizePhone(raw);
  if (isMobileNumber(p)) return null;
  if (/^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(p)) return null; // landline with area code, optional extension
  return "请填写11位手机号码，或带区号的固定电话（如0471-1234567）";
}

/** The last four digits of a phone number (the second factor of the status page). */
export function phoneLast4(raw: string): string {
  const digits = normalizePhone(raw)
    .replace(/-\d{1,6}$/, "")
    .replace(/\D/g, "");
  return digits.slice(-4);
}

/** Full-width digits (a Chinese input method) become ASCII; spaces removed. */
export function normalizePostalCode(raw: string): string {
  return raw.normalize("NFKC").replace(/\s/g, "");
}

export function emailProblem(raw: string): string | null {
  return /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/.test(raw.trim()) && !CONTROL.test(raw)
    ? null
    : "电子邮箱格式不正确";
}

// ---------------------------------------------------------------------------------------------------------------
// Masking (lists never show personal data in full)
// ---------------------------------------------------------------------------------------------------------------

/** 张三 → 张*, 欧阳娜娜 → 欧***; organisations are shown in full (not personal data). */
export function maskName(name: string, applicantType: ApplicantTypeCode): string {
  const chars = [...name.trim()];
  if (applicantType !== "natural_person") return chars.join("");
  if (chars.length === 0) return "";
  return chars[0] + "*".repeat(Math.max(1, chars.length - 1));
}

/** 110101199003074514 → 1101**********4514. */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  if (chars.length <= 8) return chars[0] + "*".repeat(Math.max(1, chars.length - 1));
  return chars.slice(0, 4).join("") + "*".repeat(chars.length - 8) + chars.slice(-4).join("");
}

/** 13812345678 → 138****5678; landlines keep only the last four digits. */
export function maskPhone(raw: string): string {
  const p = normalizePhone(raw);
  if (/^1\d{10}$/.test(p)) return `${p.slice(0, 3)}****${p.slice(7)}`;
  return `****${phoneLast4(p)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Application contents (条例第29条)
// ---------------------------------------------------------------------------------------------------------------

export interface ApplicationInput {
  applicantType: ApplicantTypeCode;
  name: string;
  idType: IdType;
  idNumber: string;
  phone: string;
  email: string;
  address: string;
  postalCode: string;
  infoTitle: string;
  infoDocNumber: string;
  infoDescription: string;
  form: InfoForm;
  delivery: DeliveryMethod;
}

export interface FieldProblem {
  field: string;
  message: string;
}

const APPLICANT_TYPES_SET = new Set([
  "natural_person",
  "commercial",
  "research",
  "public_interest",
  "legal_service",
  "other_org",
]);

function isKey<T extends object>(obj: T, key: unknown): key is keyof T {
  return typeof key === "string" && Object.hasOwn(obj, key);
}

export function isApplicantType(v: unknown): v is ApplicantTypeCode {
  return typeof v === "string" && APPLICANT_TYPES_SET.has(v);
}
export const isIdType = (v: unknown): v is IdType => isKey(ID_TYPES, v);
export const isForm = (v: unknown): v is InfoForm => isKey(FORMS, v);
export const isDeliveryMethod = (v: unknown): v is DeliveryMethod => isKey(DELIVERY_METHODS, v);
export const isChannel = (v: unknown): v is Channel => isKey(CHANNELS, v);

/**
 * Checks an application (条例第29条: name, 身份证明, contact; description of the information; form and channel).
 * `requirePhone`: the online form requires a phone (second factor of the status page); staff entries of letters
 * may carry only an address.
 */
// ---------------------------------------------------------------------------------------------------------------
// Text the applicant typed
// ---------------------------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Line breaks and tabs, which have no place in one-line fields. */
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
/** White space, the zero-width characters and the direction marks, which print nothing. */
const BLANK = /[\s\u061c\u200b-\u200f\u2060\ufeff]/g;

/**
 * A problem with characters no one types: control characters (C0 other than tab and line breaks, DEL, C1), the
 * bidirectional embeddings, overrides and isolates that reorder what follows ("申请\u202Efdp.exe"; the marks
 * U+200E/200F are allowed), and line breaks in one-line fields.
 */
export function unsafeTextProblem(value: string, label: string, multiline = false): string | null {
  if (CONTROL.test(value) || (!multiline && LINE_BREAK.test(value)))
    return `${label}中含有控制字符或不可见的格式字符，请删除后重新填写`;
  return null;
}

/** The number of characters that print something (spaces and zero-width characters not counted). */
export function visibleLength(value: string): number {
  return value.replace(BLANK, "").length;
}

/**
 * 条例第29条第（三）项 asks the applicant for the form of the information (提供形式) and how it is obtained (获取方式),
 * and 第40条 has the organ follow them: a pair that cannot both be honoured is refused, not left for the handler to
 * guess. Paper and a disc are physical: they are posted or collected (当面领取), never e-mailed or viewed online
 * (在线查看 serves the files on the applicant's page, which holds electronic files only). An electronic document may
 * go every way (e-mail, online, or on a medium posted or collected); 其他 says nothing to contradict.
 */
const PHYSICAL_ONLY: Partial<Record<InfoForm, readonly DeliveryMethod[]>> = {
  paper: ["post", "pickup"],
  disc: ["post", "pickup"],
};

/** The rule in one sentence, for the forms (online, staff entry, the printed 申请表). */
export const FORM_DELIVERY_HINT = `提供形式为${Object.keys(PHYSICAL_ONLY)
  .map((f) => `“${FORMS[f as InfoForm]}”`)
  .join("或")}的，获取方式只能选择“${DELIVERY_METHODS.post}”或“${DELIVERY_METHODS.pickup}”。`;

/** The problem with a form/delivery pair (both fields named), or null when they fit together. */
export function formDeliveryProblem(form: InfoForm, delivery: DeliveryMethod): string | null {
  const allowed = PHYSICAL_ONLY[form];
  if (!allowed || allowed.includes(delivery)) return null;
  return `信息的提供形式为“${FORMS[form]}”时，获取信息的方式不能选择“${DELIVERY_METHODS[delivery]}”：${FORMS[form]}只能${allowed.map((d) => `“${DELIVERY_METHODS[d]}”`).join("或")}。请改选获取信息的方式，或将提供形式改为“${FORMS.electronic}”。`;
}

export function applicationProblems(
  input: ApplicationInput,
  options: {
    requirePhone: boolean;
    /**
     * Refuse a contradictory form/delivery pair (formDeliveryProblem): on the public form, where the applicant is
     * there to choose again. Staff registering a received letter or visit record what the applicant asked for: the
     * application is received on its day whatever it says (its clock runs), and the handler settles the form of the
     * information with the applicant (条例第40条: 根据申请人的要求及行政机关保存政府信息的实际情况).
     */
    refuseContradictoryPair?: boolean;
  },
): FieldProblem[] {
  const out: FieldProblem[] = [];
  const name = input.name.trim();
  if (!isApplicantType(input.applicantType))
    out.push({ field: "applicantType", message: "请选择申请人类型" });
  const person = input.applicantType === "natural_person";
  const nameProblem = unsafeTextProblem(name, person ? "姓名" : "名称");
  if (nameProblem) out.push({ field: "name", message: nameProblem });
  else if (visibleLength(name) < 2)
    out.push({
      field: "name",
      message: !isApplicantType(input.applicantType)
        ? "请填写申请人姓名或名称"
        : person
          ? "请填写申请人姓名"
          : "请填写法人或其他组织名称",
    });
  else if (name.length > 100)
    out.push({ field: "name", message: person ? "姓名不超过100字" : "法人或其他组织名称不超过100字" });
  if (!isIdType(input.idType)) out.push({ field: "idType", message: "请选择证件类型" });
  else if (isApplicantType(input.applicantType) && !idTypesFor(input.applicantType).includes(input.idType))
    out.push({ field: "idType", message: "该证件类型不适用于所选申请人类型" });
  else {
    const problem = idNumberProblem(input.idType, input.idNumber);
    if (problem) out.push({ field: "idNumber", message: problem });
  }
  const phone = input.phone.trim();
  const email = input.email.trim();
  const address = input.address.trim();
  if (phone !== "") {
    const p = phoneProblem(phone);
    if (p) out.push({ field: "phone", message: p });
  } else if (options.requirePhone) out.push({ field: "phone", message: "请填写联系电话" });
  if (email !== "") {
    const p = emailProblem(email);
    if (p) out.push({ field: "email", message: p });
  }
  const addressProblem = unsafeTextProblem(address, "通信地址");
  if (addressProblem) out.push({ field: "address", message: addressProblem });
  else if (address.length > 200) out.push({ field: "address", message: "通信地址不超过200字" });
  const postalCode = normalizePostalCode(input.postalCode);
  if (postalCode !== "" && !/^\d{6}$/.test(postalCode))
    out.push({ field: "postalCode", message: "邮政编码应为6位数字" });
  if (phone === "" && email === "" && address === "")
    out.push({ field: "phone", message: "请至少填写一种联系方式" });
  const title = input.infoTitle.trim();
  const titleProblem = unsafeTextProblem(title, "所需信息的名称");
  if (titleProblem) out.push({ field: "infoTitle", message: titleProblem });
  else if (visibleLength(title) < 2 || title.length > 200)
    out.push({ field: "infoTitle", message: "请填写所需信息的名称（2至200字）" });
  const docNumberProblem = unsafeTextProblem(input.infoDocNumber, "文号");
  if (docNumberProblem) out.push({ field: "infoDocNumber", message: docNumberProblem });
  else if (input.infoDocNumber.trim().length > 100)
    out.push({ field: "infoDocNumber", message: "文号不超过100字" });
  const descriptionProblem = unsafeTextProblem(input.infoDescription, "所需信息的描述", true);
  if (descriptionProblem) out.push({ field: "infoDescription", message: descriptionProblem });
  else if (input.infoDescription.trim().length > 2000)
    out.push({
      field: "infoDescription",
      message: `所需信息的描述不超过2000字（现为${input.infoDescription.trim().length}字）`,
    });
  if (!isForm(input.form)) out.push({ field: "form", message: "请选择信息的提供形式" });
  if (!isDeliveryMethod(input.delivery)) out.push({ field: "delivery", message: "请选择获取信息的方式" });
  else {
    if (input.delivery === "post" && address === "")
      out.push({ field: "address", message: "选择邮寄时请填写通信地址" });
    if (input.delivery === "email" && email === "")
      out.push({ field: "email", message: "选择电子邮件时请填写电子邮箱" });
    if (isForm(input.form) && options.refuseContradictoryPair !== false) {
      const pair = formDeliveryProblem(input.form, input.delivery);
      if (pair) out.push({ field: "delivery", message: pair });
    }
  }
  return out;
}
