// Structured deadline rules (公开时限) and the parser for the free-text deadline cells of disclosure catalogs.
//
// Every catalog row states its deadline in words ("信息形成或者变更之日起20个工作日内", "实时公开",
// "1. 办事指南：实时公开 2. 办理结果：…20个工作日内公开，保持长期公开"). The parser turns a cell into one rule per
// clause, keeps the content-element label (办事指南, 办理结果 …), and puts any clause it does not understand,
// verbatim, in `unparsed` — nothing is dropped.

import type { PeriodUnit } from "./date.ts";

/** 条例第26条: information formed or changed is published within 20 working days (catalogs may set other N). */
export interface WorkingDaysFromFormationRule {
  kind: "workingDaysFromFormation";
  days: number;
  /** True when the phrase gives only "N个工作日内" and the formation/change date is implied. */
  implicitTrigger?: boolean;
}

/** 自作出行政决定之日起N个工作日内 / 办理结果出来后N个工作日内. */
export interface WorkingDaysFromDecisionRule {
  kind: "workingDaysFromDecision";
  days: number;
  trigger: "decision" | "result";
}

/** (财政部门)批复后N(个工作)日内 — working or calendar days as written. */
export interface AfterApprovalRule {
  kind: "afterApproval";
  amount: number;
  unit: "workingDays" | "calendarDays";
  approver?: string;
}

/** 政策文件公开后N个工作日内 — counted from the publication of a linked document. */
export interface AfterLinkedPublicationRule {
  kind: "afterLinkedPublication";
  days: number;
  linkedDocument: string;
}

/** 与政策文件同步发布 — published the same day as the linked document. */
export interface WithLinkedPublicationRule {
  kind: "withLinkedPublication";
  linkedDocument: string;
}

/** 公告期满后一个月内 — N months after the notice/consultation period ends. */
export interface AfterNoticePeriodRule {
  kind: "afterNoticePeriod";
  months: number;
}

/** 实时/及时/即时 — same day by default (see deadline-due.ts). */
export interface RealtimeRule {
  kind: "realtime";
  wording: "实时" | "及时" | "即时";
}

/** 月度/季度/年度更新 — one update per period, due a configurable number of working days after it ends. */
export interface PeriodicRule {
  kind: "periodic";
  unit: PeriodUnit;
}

/** 根据变动及时更新 (prompt, same day as the change) / 根据实际更新 (as needed, no fixed date). */
export interface OnChangeRule {
  kind: "onChange";
  promptness: "prompt" | "asNeeded";
}

/** 每年1月31日前 (条例第49条 for the annual report). */
export interface FixedYearlyRule {
  kind: "fixedYearly";
  month: number;
  day: number;
}

/** 保持长期公开 — the record stays published; no due date, a standing obligation. */
export interface KeepPublishedRule {
  kind: "keepPublished";
}

/** 无法定公开时限 — the catalog states there is no statutory deadline. */
export interface NoStatutoryDeadlineRule {
  kind: "noStatutoryDeadline";
}

/** What a period is counted from. */
export type EventTrigger =
  | "formation"
  | "approval"
  | "receipt"
  | "decision"
  | "result"
  | "publication"
  | "noticeEnd"
  | "meeting";

/** N working days / calendar days / months / years after an event (the forms without a dedicated kind above). */
export interface AfterEventRule {
  kind: "afterEvent";
  amount: number;
  unit: "workingDays" | "calendarDays" | "months" | "years";
  trigger: EventTrigger;
  /** The approver, linked document … as written. */
  event?: string;
  /** The phrase gives only the amount ("6个月"); the formation/change date is implied. */
  implicitTrigger?: boolean;
}

/** 常态化/动态/定期/随时/同步/适时 — named, without a computable due date. */
export interface NamedRule {
  kind: "named";
  wording: "常态化" | "动态" | "定期" | "随时" | "同步" | "适时";
}

/** 每半年 — one update per half year (no due date computed). */
export interface PeriodicHalfYearRule {
  kind: "periodicHalfYear";
}

/** 公示7个工作日 — how long a notice stays posted: a duration, not a due date. */
export interface NoticePeriodRule {
  kind: "noticePeriod";
  amount: number;
  unit: "workingDays" | "calendarDays" | "months";
  /** 不少于: at least this long. */
  minimum?: boolean;
}

export type DeadlineRule =
  | WorkingDaysFromFormationRule
  | WorkingDaysFromDecisionRule
  | AfterApprovalRule
  | AfterLinkedPublicationRule
  | WithLinkedPublicationRule
  | AfterNoticePeriodRule
  | RealtimeRule
  | PeriodicRule
  | OnChangeRule
  | FixedYearlyRule
  | KeepPublishedRule
  | NoStatutoryDeadlineRule
  | AfterEventRule
  | NamedRule
  | PeriodicHalfYearRule
  | NoticePeriodRule;

export type DeadlineRuleKind = DeadlineRule["kind"];

export interface ParsedRule {
  /** Content element the rule applies to (办事指南, 办理结果, 工作动态 …) when the cell lists several. */
  element?: string;
  rule: DeadlineRule;
  /** The clause of the original text this rule came from (verbatim, trimmed). */
  source: string;
  /** The cell says "（相关法律法规另有规定的，从其规定）": a deadline set by another law prevails. */
  otherLawPrevails?: boolean;
}

export interface ParseResult {
  rules: ParsedRule[];
  /** Clauses the parser did not understand, verbatim (prefixed with their element label). */
  unparsed: string[];
}

export { chineseNumeral, normalizeClause, parseClause, parseDeadlinePhrase } from "./deadline-phrases.ts";

const UNIT_NAMES: Record<PeriodUnit, string> = { month: "每月", quarter: "每季度", year: "每年" };

/** Plain Chinese description of a rule (for catalog UI and explanations). */
export function describeRule(rule: DeadlineRule): string {
  switch (rule.kind) {
    case "workingDaysFromFormation":
      return `信息形成或者变更之日起${rule.days}个工作日内公开`;
    case "workingDaysFromDecision":
      return rule.trigger === "decision"
        ? `自作出行政决定之日起${rule.days}个工作日内公开`
        : `办理结果作出之日起${rule.days}个工作日内公开`;
    case "afterApproval":
      return `${rule.approver ?? ""}批复后${rule.amount}${rule.unit === "workingDays" ? "个工作日" : "日"}内公开`;
    case "afterLinkedPublication":
      return `${rule.linkedDocument}公开后${rule.days}个工作日内公开`;
    case "withLinkedPublication":
      return `与${rule.linkedDocument}同步公开`;
    case "afterNoticePeriod":
      return `公告期满后${rule.months}个月内公开`;
    case "realtime":
      return `${rule.wording}公开（当日）`;
    case "periodic":
      return `${UNIT_NAMES[rule.unit]}更新`;
    case "onChange":
      return rule.promptness === "prompt" ? "发生变动时及时更新（当日）" : "根据实际情况更新（无固定时限）";
    case "fixedYearly":
      return `每年${rule.month}月${rule.day}日前公开`;
    case "keepPublished":
      return "保持长期公开";
    case "noStatutoryDeadline":
      return "无法定公开时限";
    case "afterEvent":
      return `${TRIGGER_NAMES[rule.trigger]}${rule.event && rule.trigger !== "formation" ? `（${rule.event}）` : ""}起${rule.amount}${AMOUNT_UNITS[rule.unit]}内公开`;
    case "named":
      return `${rule.wording}公开（无固定时限）`;
    case "periodicHalfYear":
      return "每半年更新";
    case "noticePeriod":
      return `公示${rule.minimum ? "不少于" : ""}${rule.amount}${AMOUNT_UNITS[rule.unit]}`;
  }
}

const TRIGGER_NAMES: Record<EventTrigger, string> = {
  formation: "信息形成或者变更之日",
  approval: "批复之日",
  receipt: "收到之日",
  decision: "作出决定之日",
  result: "办理结果作出之日",
  publication: "关联文件公开之日",
  noticeEnd: "公示（公告）期满之日",
  meeting: "会议召开之日",
};
const AMOUNT_UNITS = { workingDays: "个工作日", calendarDays: "日", months: "个月", years: "年" } as const;

/**
 * The reading of a rule in the terms a clerk checks (CLI `gongkai deadline parse`, import preview, corpus test):
 * kind (working days / calendar days / months / fixed date / period / standing / named / notice period / none),
 * amount and unit, and the trigger the period counts from.
 */
export interface RuleReading {
  kind:
    | "workingDays"
    | "calendarDays"
    | "months"
    | "years"
    | "fixedDate"
    | "period"
    | "standing"
    | "named"
    | "noticePeriod"
    | "none";
  amount?: number;
  unit?: string;
  trigger?: EventTrigger;
  /** fixedDate: MM-DD; period: month/quarter/halfYear/year; named: the wording. */
  value?: string;
  /** The trigger is implied (the phrase gives only the amount). */
  implicitTrigger?: boolean;
}

function amountReading(
  amount: number,
  unit: "workingDays" | "calendarDays" | "months" | "years",
  trigger: EventTrigger,
  implicit?: boolean,
): RuleReading {
  const r: RuleReading = { kind: unit, amount, unit, trigger };
  if (implicit) r.implicitTrigger = true;
  return r;
}

export function ruleReading(rule: DeadlineRule): RuleReading {
  switch (rule.kind) {
    case "workingDaysFromFormation":
      return amountReading(rule.days, "workingDays", "formation", rule.implicitTrigger);
    case "workingDaysFromDecision":
      return amountReading(rule.days, "workingDays", rule.trigger);
    case "afterApproval":
      return amountReading(rule.amount, rule.unit, "approval");
    case "afterLinkedPublication":
      return amountReading(rule.days, "workingDays", "publication");
    case "withLinkedPublication":
      return { kind: "named", value: "同步", trigger: "publication" };
    case "afterNoticePeriod":
      return amountReading(rule.months, "months", "noticeEnd");
    case "afterEvent":
      return amountReading(rule.amount, rule.unit, rule.trigger, rule.implicitTrigger);
    case "realtime":
      return { kind: "named", value: rule.wording };
    case "named":
      return { kind: "named", value: rule.wording };
    case "onChange":
      return { kind: "named", value: rule.promptness === "prompt" ? "根据变动及时更新" : "根据实际更新" };
    case "periodic":
      return { kind: "period", value: rule.unit };
    case "periodicHalfYear":
      return { kind: "period", value: "halfYear" };
    case "fixedYearly":
      return {
        kind: "fixedDate",
        value: `${String(rule.month).padStart(2, "0")}-${String(rule.day).padStart(2, "0")}`,
      };
    case "keepPublished":
      return { kind: "standing" };
    case "noStatutoryDeadline":
      return { kind: "none" };
    case "noticePeriod":
      return { kind: "noticePeriod", amount: rule.amount, unit: rule.unit };
  }
}

const SHORT_UNITS = { workingDays: "wd", calendarDays: "d", months: "m", years: "y" } as const;

/**
 * A compact, stable spelling of a reading for data files and tests: `20wd@formation`, `20d@approval`,
 * `fixed:01-31`, `period:quarter`, `standing`, `named:实时`, `notice:7wd`, `none`.
 */
export function compactReading(rule: DeadlineRule): string {
  const r = ruleReading(rule);
  switch (r.kind) {
    case "workingDays":
    case "calendarDays":
    case "months":
    case "years":
      return `${r.amount}${SHORT_UNITS[r.kind]}@${r.trigger}`;
    case "fixedDate":
      return `fixed:${r.value}`;
    case "period":
      return `period:${r.value}`;
    case "named":
      return `named:${r.value}${r.trigger ? `@${r.trigger}` : ""}`;
    case "noticePeriod":
      return `notice:${r.amount}${SHORT_UNITS[r.unit as keyof typeof SHORT_UNITS]}`;
    case "standing":
    case "none":
      return r.kind;
  }
}

/** Rules without a computable due date of their own (standing, named, periods are assessed per period …). */
export function hasComputableDue(rule: DeadlineRule): boolean {
  return (
    !["keepPublished", "noStatutoryDeadline", "named", "periodicHalfYear", "noticePeriod"].includes(
      rule.kind,
    ) && !(rule.kind === "onChange" && rule.promptness === "asNeeded")
  );
}
