/**
 * @module Replies (条例第35–39条): the reply type (the 条例第36条 item, or Art. 35/37/38/39/30 and the fee 办法),
 * the one annual-report outcome it maps to (the 21 rows of table 三, src/legal/annual-report-codes.ts), the
 * legal basis to cite by default and the plain reason sentence of the reply notice.
 * The mapping of Art. 36 items to report rows is legal-spec §1.5's "usual row" (❌ practice, not official).
 */
import type { OutcomeCode } from "./info-request.ts";

export interface ReplyType {
  code: string;
  label: string;
  /** 条例 article of the reply. */
  article: string;
  /** Art. 36 item 1–7 when the reply is an Art. 36 reply. */
  art36Item: number | null;
  outcomes: readonly OutcomeCode[];
  /** Only through a dedicated action (lapse of the correction or payment period). */
  systemOnly?: boolean;
}

const WITHHELD: readonly OutcomeCode[] = [
  "withheld_state_secret",
  "withheld_prohibited_by_law",
  "withheld_security_stability",
  "withheld_third_party",
  "withheld_internal_affairs",
  "withheld_process_information",
  "withheld_enforcement_file",
];

export const REPLY_TYPES: readonly ReplyType[] = [
  {
    code: "art36_1",
    label: "已主动公开，告知获取方式和途径",
    article: "第三十六条第（一）项",
    art36Item: 1,
    outcomes: ["granted"],
  },
  {
    code: "art36_2",
    label: "予以公开，提供信息或告知获取方式",
    article: "第三十六条第（二）项",
    art36Item: 2,
    outcomes: ["granted"],
  },
  {
    code: "art36_3",
    label: "不予公开，告知理由",
    article: "第三十六条第（三）项",
    art36Item: 3,
    outcomes: WITHHELD,
  },
  {
    code: "art36_4",
    label: "经检索没有所申请公开信息，告知不存在",
    article: "第三十六条第（四）项",
    art36Item: 4,
    outcomes: ["unavailable_not_held"],
  },
  {
    code: "art36_5",
    label: "不属于本机关负责公开，告知并说明理由（能够确定的告知负责公开的机关）",
    article: "第三十六条第（五）项",
    art36Item: 5,
    outcomes: ["unavailable_not_held"],
  },
  {
    code: "art36_6",
    label: "已就同一信息作出答复又重复申请，告知不予重复处理",
    article: "第三十六条第（六）项",
    art36Item: 6,
    outcomes: ["not_processed_repeated"],
  },
  {
    code: "art36_7",
    label: "有关法律、行政法规对信息的获取有特别规定的，告知依照规定办理",
    article: "第三十六条第（七）项",
    art36Item: 7,
    outcomes: ["withheld_administrative_inquiry", "withheld_prohibited_by_law"],
  },
  {
    code: "art37",
    label: "部分公开（区分处理）",
    article: "第三十七条",
    art36Item: null,
    outcomes: ["partially_granted"],
  },
  {
    code: "art38",
    label: "需要对现有信息进行加工、分析，不予提供",
    article: "第三十八条",
    art36Item: null,
    outcomes: ["unavailable_needs_creation"],
  },
  {
    code: "art39_1",
    label: "以政府信息公开申请形式进行信访、投诉、举报",
    article: "第三十九条第一款",
    art36Item: null,
    outcomes: ["not_processed_petition"],
  },
  {
    code: "art39_2",
    label: "要求提供政府公报、报刊、书籍等公开出版物",
    article: "第三十九条第二款",
    art36Item: null,
    outcomes: ["not_processed_publication"],
  },
  {
    code: "art35",
    label: "申请数量、频次明显超过合理范围且理由不合理，不予处理",
    article: "第三十五条",
    art36Item: null,
    outcomes: ["not_processed_excessive"],
  },
  {
    code: "art30_unclear",
    label: "补正后申请内容仍不明确",
    article: "第三十条",
    art36Item: null,
    outcomes: ["unavailable_still_unclear"],
  },
  {
    code: "confirmation",
    label: "要求行政机关确认或重新出具已获取信息",
    article: "",
    art36Item: null,
    outcomes: ["not_processed_confirmation"],
  },
  {
    code: "other",
    label: "其他处理（如申请人撤回申请）",
    article: "",
    art36Item: null,
    outcomes: ["other_other"],
  },
  {
    code: "art30_lapsed",
    label: "逾期不补正，视为放弃申请",
    article: "第三十条",
    art36Item: null,
    outcomes: ["other_not_corrected"],
    systemOnly: true,
  },
  {
    code: "fee_lapsed",
    label: "逾期未缴纳信息处理费，视为放弃申请",
    article: "第四十二条",
    art36Item: null,
    outcomes: ["other_fee_unpaid"],
    systemOnly: true,
  },
];

export function replyType(code: string): ReplyType | undefined {
  return REPLY_TYPES.find((t) => t.code === code);
}

const REGULATION = "《中华人民共和国政府信息公开条例》";

/** The legal basis cited by default for each outcome (the handler may edit it; an empty default must be filled). */
export const DEFAULT_LEGAL_BASIS: Record<OutcomeCode, string> = {
  granted: `${REGULATION}第三十六条第（二）项`,
  partially_granted: `${REGULATION}第三十七条`,
  withheld_state_secret: `${REGULATION}第十四条、第三十六条第（三）项`,
  withheld_prohibited_by_law: `${REGULATION}第十四条、第三十六条第（三）项`,
  withheld_security_stability: `${REGULATION}第十四条、第三十六条第（三）项`,
  withheld_third_party: `${REGULATION}第十五条、第三十二条、第三十六条第（三）项`,
  withheld_internal_affairs: `${REGULATION}第十六条第一款、第三十六条第（三）项`,
  withheld_process_information: `${REGULATION}第十六条第二款、第三十六条第（三）项`,
  withheld_enforcement_file: `${REGULATION}第十六条第二款、第三十六条第（三）项`,
  withheld_administrative_inquiry: `${REGULATION}第三十六条第（七）项`,
  unavailable_not_held: `${REGULATION}第三十六条第（四）项`,
  unavailable_needs_creation: `${REGULATION}第三十八条`,
  unavailable_still_unclear: `${REGULATION}第三十条`,
  not_processed_petition: `${REGULATION}第三十九条第一款`,
  not_processed_repeated: `${REGULATION}第三十六条第（六）项`,
  not_processed_publication: `${REGULATION}第三十九条第二款`,
  not_processed_excessive: `${REGULATION}第三十五条`,
  not_processed_confirmation: "",
  other_not_corrected: `${REGULATION}第三十条`,
  other_fee_unpaid: `${REGULATION}第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）`,
  other_other: "",
};

/** The reason sentence of the reply notice (the template inserts it as {{答复内容}}); the handler adds details. */
export const DEFAULT_REPLY_TEXT: Record<OutcomeCode, string> = {
  granted: "经审查，您申请公开的信息属于可以公开的政府信息，本机关予以公开，现将有关信息提供给您。",
  partially_granted:
    "经审查，您申请公开的信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理，本机关向您提供可以公开的信息内容，对不予公开的内容说明如下。",
  withheld_state_secret: "经审查，您申请公开的信息属于国家秘密，依法不予公开。",
  withheld_prohibited_by_law: "经审查，您申请公开的信息属于法律、行政法规禁止公开的政府信息，依法不予公开。",
  withheld_security_stability:
    "经审查，您申请公开的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，依法不予公开。",
  withheld_third_party:
    "经审查，您申请公开的信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，第三方不同意公开，本机关决定不予公开。",
  withheld_internal_affairs:
    "经审查，您申请公开的信息属于人事管理、后勤管理、内部工作流程等内部事务信息，可以不予公开。",
  withheld_process_information:
    "经审查，您申请公开的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，可以不予公开。",
  withheld_enforcement_file: "经审查，您申请公开的信息属于行政执法案卷信息，可以不予公开。",
  withheld_administrative_inquiry:
    "经审查，有关法律、行政法规对您申请的信息的获取有特别规定，请您依照有关规定办理。",
  unavailable_not_held: "经检索，本机关未制作或者获取您申请公开的政府信息，该信息不存在。",
  unavailable_needs_creation:
    "经审查，本机关没有您申请的现成信息，提供该信息需要对现有政府信息进行加工、分析，本机关不予提供。",
  unavailable_still_unclear: "您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。",
  not_processed_petition:
    "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。",
  not_processed_repeated:
    "本机关已就您申请公开的信息作出答复，您重复申请公开相同政府信息，本机关不予重复处理。",
  not_processed_publication: "您申请获取的是政府公报、报刊、书籍等公开出版物，请您通过相应渠道获取。",
  not_processed_excessive:
    "您申请公开政府信息的数量、频次明显超过合理范围，说明的理由不合理，本机关不予处理。",
  not_processed_confirmation:
    "您要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理。",
  other_not_corrected:
    "本机关已向您发出补正告知，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
  other_fee_unpaid:
    "本机关已向您发出收费通知，您逾期未缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。",
  other_other: "",
};

export interface ReplyCheckInput {
  replyType: string;
  outcome: OutcomeCode;
  legalBasis: string;
  /** A correction round has been completed (required for unavailable_still_unclear). */
  correctionCompleted: boolean;
  /** Called from the lapse actions (allows the system-only types). */
  system?: boolean;
}

/** Problems with a reply (exactly one outcome; consistent with its reply type; a legal basis cited). */
export function replyProblems(input: ReplyCheckInput): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const type = replyType(input.replyType);
  if (!type) return [{ field: "replyType", message: "请选择答复类型" }];
  if (type.systemOnly && !input.system)
    out.push({ field: "replyType", message: "该情形须通过“逾期视为放弃”操作办理" });
  if (!type.outcomes.includes(input.outcome))
    out.push({ field: "outcome", message: "办理结果与答复类型不一致" });
  if (input.outcome === "unavailable_still_unclear" && !input.correctionCompleted)
    out.push({ field: "outcome", message: "未经补正的申请不能按“补正后申请内容仍不明确”办结" });
  if (input.legalBasis.trim().length < 4)
    out.push({ field: "legalBasis", message: "请填写答复所依据的法律条款" });
  return out;
}

/**
 * The remedy clause of every reply notice (条例第51条; 行政复议法第20条: 60 days; 行政诉讼法第46条: 6 months), naming
 * the agency's own review body and court (from its 政府信息公开指南; the notice service refuses to issue a notice
 * while they are missing). legal-spec §1.6 (🟡 periods from secondary sources).
 */
export function remedyClause(reviewBody: string, court: string): string {
  return `如对本答复不服，可以自收到本告知书之日起六十日内向${reviewBody.trim()}申请行政复议，或者自收到本告知书之日起六个月内向${court.trim()}提起行政诉讼。`;
}

/** Reply types whose standard sentence differs from their outcome's (条例第36条(一), (五)). */
const REPLY_TYPE_TEXT: Record<string, string> = {
  art36_1:
    "经审查，您申请获取的信息本机关已经主动公开，您可以通过本告知书所列的方式和途径获取（条例第三十六条第（一）项）。",
  art36_5:
    "经审查，您申请获取的信息不属于本机关负责公开的政府信息（条例第三十六条第（五）项）；能够确定负责公开该信息的行政机关的，其名称和联系方式见下文。",
};

/** The standard sentence of the reply notice for a reply type and outcome. */
export function standardReplyText(replyTypeCode: string, outcome: OutcomeCode): string {
  return REPLY_TYPE_TEXT[replyTypeCode] ?? DEFAULT_REPLY_TEXT[outcome];
}

/** The legal basis to cite by default for a reply type and outcome. */
export function defaultLegalBasis(replyTypeCode: string, outcome: OutcomeCode): string {
  const type = replyType(replyTypeCode);
  if (type && (replyTypeCode === "art36_1" || replyTypeCode === "art36_5" || replyTypeCode === "art36_7")) {
    return `${REGULATION}${type.article}`;
  }
  return DEFAULT_LEGAL_BASIS[outcome];
}
