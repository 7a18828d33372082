/**
 * @module Notice templates (pure): the default text of every notice, the placeholders an agency may use when it
 * edits its own templates, and the rendering of a template into the paragraphs of an official letter.
 *
 * A template is plain text: paragraphs separated by blank lines, placeholders written {{名称}}. A paragraph whose
 * placeholders are all empty is dropped (e.g. an empty 理由).
 */
import type { NoticeKind, OutcomeCode } from "./info-request.ts";
import { remedyClause } from "./outcome.rules.ts";

export const TEMPLATE_KINDS = {
  receipt: { notice: "receipt", title: "政府信息公开申请登记回执", label: "登记回执" },
  correction: { notice: "correction", title: "政府信息公开申请补正告知书", label: "补正告知书" },
  consultation: {
    notice: "consultation",
    title: "征求第三方意见函",
    label: "征求第三方意见函（条例第三十二条）",
  },
  consultation_organ: {
    notice: "consultation",
    title: "征求意见函",
    label: "征求其他机关意见函（条例第三十四条）",
  },
  extension: { notice: "extension", title: "政府信息公开申请延期答复告知书", label: "延期答复告知书" },
  deferral: {
    notice: "extension",
    title: "政府信息公开申请延迟答复告知书",
    label: "延迟答复告知书（条例第三十五条）",
  },
  fee: { notice: "fee", title: "政府信息公开信息处理费收费通知书", label: "收费通知书" },
  reply_granted: { notice: "reply", title: "政府信息公开申请答复告知书", label: "答复告知书：予以公开" },
  reply_partial: { notice: "reply", title: "政府信息公开申请答复告知书", label: "答复告知书：部分公开" },
  reply_withheld: { notice: "reply", title: "政府信息公开申请答复告知书", label: "答复告知书：不予公开" },
  reply_unavailable: { notice: "reply", title: "政府信息公开申请答复告知书", label: "答复告知书：无法提供" },
  reply_not_processed: {
    notice: "reply",
    title: "政府信息公开申请答复告知书",
    label: "答复告知书：不予处理",
  },
  reply_other: {
    notice: "reply",
    title: "政府信息公开申请处理告知书",
    label: "告知书：其他处理（视为放弃等）",
  },
} as const satisfies Record<string, { notice: NoticeKind; title: string; label: string }>;

export type TemplateKind = keyof typeof TEMPLATE_KINDS;
export const TEMPLATE_KIND_CODES = Object.keys(TEMPLATE_KINDS) as TemplateKind[];

export function isTemplateKind(v: unknown): v is TemplateKind {
  return typeof v === "string" && Object.hasOwn(TEMPLATE_KINDS, v);
}

/** The reply template for an outcome (one per group of table 三). */
export function replyTemplateKind(outcome: OutcomeCode): TemplateKind {
  if (outcome === "granted") return "reply_granted";
  if (outcome === "partially_granted") return "reply_partial";
  if (outcome.startsWith("withheld_")) return "reply_withheld";
  if (outcome.startsWith("unavailable_")) return "reply_unavailable";
  if (outcome.startsWith("not_processed_")) return "reply_not_processed";
  return "reply_other";
}

/** Placeholders and what they stand for (shown on the template editing page). */
export const PLACEHOLDERS: Record<string, string> = {
  申请人: "申请人姓名或名称",
  申请编号: "申请编号，如2025-0012",
  查询码: "查询办理进度的查询码",
  提交日期: "申请提交日期",
  收到日期: "收到申请之日（条例第三十一条）",
  信息名称: "所需信息的名称、文号或描述",
  机关名称: "本机关名称",
  工作机构: "政府信息公开工作机构名称",
  联系地址: "工作机构地址",
  联系电话: "工作机构电话",
  答复期限: "当前答复期限",
  补正事项: "需要补正的全部事项",
  补正期限: "补正期限",
  第三方: "被征求意见的第三方或机关",
  征求事项: "征求意见的事项",
  意见期限: "提出意见的期限（15个工作日）",
  延长天数: "延长的工作日数",
  延期理由: "延期理由",
  延期后期限: "延长后的答复期限",
  收费方式: "按件计收或按量计收",
  收费说明: "收费标准与计算过程",
  收费金额: "应缴金额（元）",
  缴费方式: "缴费方式（本机关设置）",
  缴费期限: "缴费期限",
  答复内容: "答复正文（按办理结果的标准表述）",
  理由: "经办人填写的具体理由或说明",
  法律依据: "答复所依据的法律条款",
  获取方式: "获取信息的方式",
  救济途径: "行政复议、行政诉讼告知",
  日期: "发文日期",
};

const CONTACT = "联系机构：{{工作机构}}；联系地址：{{联系地址}}；联系电话：{{联系电话}}。";

/**
 * The reply to the applicant (条例第三十六条): the application, the answer with its reasons, how to obtain what is
 * disclosed (`access`, when anything is), the legal basis and the remedies.
 */
function reply(heading: "现答复如下" | "现告知如下", access?: string): string {
  return `{{申请人}}：

本机关于{{收到日期}}收到您提出的政府信息公开申请（申请编号：{{申请编号}}），您申请获取的信息为：{{信息名称}}。${heading}：

{{答复内容}}

{{理由}}

${access ? `${access}：{{获取方式}}。\n\n` : ""}依据：{{法律依据}}。

{{救济途径}}

${CONTACT}`;
}

export const DEFAULT_TEMPLATES: Record<TemplateKind, string> = {
  receipt: `{{申请人}}：

本机关于{{收到日期}}收到您提出的政府信息公开申请（申请编号：{{申请编号}}），您申请获取的信息为：{{信息名称}}。

本机关将依照《中华人民共和国政府信息公开条例》第三十三条的规定，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，将依法告知您。

您可以凭查询码{{查询码}}和联系电话后四位，在本机关政府信息公开平台查询办理进度。

${CONTACT}`,
  correction: `{{申请人}}：

本机关于{{收到日期}}收到您提出的政府信息公开申请（申请编号：{{申请编号}}）。经审查，您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下事项作出补正：

{{补正事项}}

请您于{{补正期限}}前将补正后的申请提交本机关。答复期限自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。

${CONTACT}`,
  consultation: `{{第三方}}：

本机关收到政府信息公开申请（申请编号：{{申请编号}}），申请公开的信息为：{{信息名称}}。经审查，公开该信息可能损害贵方的合法权益，涉及事项为：{{征求事项}}。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。

请贵方自收到本函之日起15个工作日内（{{意见期限}}前）书面提出意见；逾期未提出意见的，由本机关依照条例的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知贵方。

${CONTACT}`,
  consultation_organ: `{{第三方}}：

本机关收到政府信息公开申请（申请编号：{{申请编号}}），申请公开的信息为：{{信息名称}}，该信息由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见，涉及事项为：{{征求事项}}。

请贵机关自收到本函之日起15个工作日内（{{意见期限}}前）提出意见；逾期未提出意见的，视为同意公开。

${CONTACT}`,
  extension: `{{申请人}}：

本机关于{{收到日期}}收到您提出的政府信息公开申请（申请编号：{{申请编号}}）。因{{延期理由}}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{延长天数}}个工作日，本机关将于{{延期后期限}}前作出答复。

特此告知。

${CONTACT}`,
  deferral: `{{申请人}}：

本机关于{{收到日期}}收到您提出的政府信息公开申请（申请编号：{{申请编号}}）。鉴于您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由。经审查，您说明的理由合理，但本机关无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。根据条例第三十五条的规定，本机关确定延迟答复的期限为{{答复期限}}，届时将作出答复。

{{理由}}

特此告知。

${CONTACT}`,
  fee: `{{申请人}}：

本机关于{{收到日期}}收到您提出的政府信息公开申请（申请编号：{{申请编号}}）。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定对该申请收取信息处理费。

计收方式：{{收费方式}}。计算过程：{{收费说明}}

应缴金额：人民币{{收费金额}}元。缴费方式：{{缴费方式}}

请您自收到本通知的次日起20个工作日内（即{{缴费期限}}前）缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。

${CONTACT}`,
  reply_granted: reply("现答复如下", "获取方式"),
  reply_partial: reply("现答复如下", "可以公开部分的获取方式"),
  reply_withheld: reply("现答复如下"),
  reply_unavailable: reply("现答复如下"),
  reply_not_processed: reply("现告知如下"),
  reply_other: reply("现告知如下"),
};

/** Placeholders used in a template that are not known (a typo would print literally). */
export function unknownPlaceholders(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    const name = m[1] ?? "";
    if (!Object.hasOwn(PLACEHOLDERS, name)) out.add(name);
  }
  return [...out];
}

export interface RenderedTemplate {
  /** The first paragraph when it ends with "：" (the 主送 line). */
  recipient: string;
  paragraphs: string[];
}

/** Sentence punctuation a substituted value may end with. */
const TRAILING_PUNCTUATION = /[。．.，,；;：:、！!？?\s]+$/u;
/** Punctuation that may follow a placeholder in a template. */
const FOLLOWING_PUNCTUATION = /^[。，；：、！？）)]/u;

/**
 * The value substituted for a placeholder: a value ending in punctuation placed before the template's own
 * punctuation loses its own (「…内答复。」 + 「，本机关…」 must not print 「。，」); lines of a multi-line value inside
 * a sentence are joined with 「；」 (a line break inside a justified paragraph stretches the line before it).
 */
function inlineValue(value: string, next: string): string {
  const lines = value
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  let text = lines.map((l, i) => (i < lines.length - 1 ? l.replace(TRAILING_PUNCTUATION, "") : l)).join("；");
  if (FOLLOWING_PUNCTUATION.test(next)) text = text.replace(TRAILING_PUNCTUATION, "");
  return text;
}

/**
 * Fills a template. Values are plain text (the HTML and docx renderers escape them). A paragraph made only of
 * empty placeholders is dropped; a paragraph made of one placeholder whose value has several lines becomes one
 * paragraph per line (real paragraphs, not manual line breaks); inside a sentence see `inlineValue`.
 */
export function renderTemplate(body: string, values: Record<string, string>): RenderedTemplate {
  const blocks = body
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  const paragraphs: string[] = [];
  for (const block of blocks) {
    const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(block);
    if (whole) {
      const lines = (values[whole[1] ?? ""] ?? "")
        .replace(/\r\n?/g, "\n")
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "");
      paragraphs.push(...lines);
      continue;
    }
    let hadValue = false;
    let hadPlaceholder = false;
    const text = block.replace(
      /\{\{\s*([^{}]*?)\s*\}\}/g,
      (all: string, name: string, offset: number, source: string) => {
        hadPlaceholder = true;
        const v = (values[name] ?? "").replace(/\r\n?/g, "\n").trim();
        if (v !== "") hadValue = true;
        return inlineValue(v, source.slice(offset + all.length));
      },
    );
    const literal = block.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, "").trim();
    if (hadPlaceholder && !hadValue && literal.length === 0) continue;
    paragraphs.push(text.replace(/\n\s*/g, ""));
  }
  let recipient = "";
  if (paragraphs[0]?.endsWith("：") && paragraphs[0].length <= 120) {
    recipient = paragraphs.shift() as string;
  }
  return { recipient, paragraphs };
}

/** Contact and remedy details every notice prints (from the agency's 政府信息公开指南). */
export interface NoticeContact {
  officeName: string;
  officeAddress: string;
  officePhone: string;
  reviewBody: string;
  court: string;
}

export const NOTICE_CONTACT_LABELS: Record<keyof NoticeContact, string> = {
  officeName: "政府信息公开工作机构名称",
  officeAddress: "联系地址",
  officePhone: "联系电话",
  reviewBody: "行政复议机关",
  court: "管辖人民法院",
};

/** The values every notice gets besides the step's own: the agency, its guide's contact details, the remedy. */
export function baseNoticeValues(o: {
  agencyName: string;
  contact: NoticeContact;
  feePaymentMethod: string;
  dateText: string;
}): Record<string, string> {
  return {
    机关名称: o.agencyName,
    工作机构: o.contact.officeName,
    联系地址: o.contact.officeAddress,
    联系电话: o.contact.officePhone,
    缴费方式: o.feePaymentMethod,
    救济途径: remedyClause(o.contact.reviewBody, o.contact.court),
    日期: o.dateText,
  };
}

/** The contact details still missing: a notice cannot be generated until they are filled in the guide. */
export function missingNoticeContact(contact: NoticeContact): (keyof NoticeContact)[] {
  return (Object.keys(NOTICE_CONTACT_LABELS) as (keyof NoticeContact)[]).filter(
    (k) => contact[k].trim() === "",
  );
}

/** A notice ready for the HTML and docx renderers. */
export interface NoticeDocument {
  title: string;
  docNumber: string;
  recipient: string;
  paragraphs: string[];
  /** Issuing organ (落款). */
  signature: string;
  /** 成文日期, e.g. 2025年10月30日 (GB/T 9704-2012: Arabic numerals). */
  dateText: string;
}

/** 文号: 发文机关代字〔年份〕序号号 (GB/T 9704-2012: 六角括号). */
export function formatDocNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}〔${year}〕${seq}号`;
}
