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
  | NoStatutoryDeadlineRule;

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

/** Normalizes a clause for matching: no whitespace, half-width punctuation, no trailing full stop. */
export function normalizeClause(s: string): string {
  return s
    .replace(/\s+/g, "")
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/：/g, ":")
    .replace(/，/g, ",")
    .replace(/；/g, ";")
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[。.;,]+$/, "");
}

const CHINESE_NUMBERS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

function toInt(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : (CHINESE_NUMBERS[s] ?? Number.NaN);
}

const VERB = "(?:公开|发布|更新|公布)?";
const FORMATION = "(?:信息)?(?:形成|产生|制作)(?:\\((?:变更|更改)\\)|(?:或者|或)(?:变更|更改))?之日起";

type ClauseParser = (m: RegExpMatchArray) => DeadlineRule | null;

/** Clause grammar: each pattern must match the whole normalized clause. */
const CLAUSES: [RegExp, ClauseParser][] = [
  [
    new RegExp(`^${FORMATION}(\\d+)个工作日内${VERB}$`),
    (m) => ({ kind: "workingDaysFromFormation", days: Number(m[1]) }),
  ],
  [
    new RegExp(`^(\\d+)个工作日内${VERB}$`),
    (m) => ({ kind: "workingDaysFromFormation", days: Number(m[1]), implicitTrigger: true }),
  ],
  [
    new RegExp(`^自?作出(?:行政)?决定之日起(\\d+)个工作日内${VERB}$`),
    (m) => ({ kind: "workingDaysFromDecision", days: Number(m[1]), trigger: "decision" }),
  ],
  [
    new RegExp(`^办理结果(?:出来|作出|形成)后(\\d+)个工作日内${VERB}$`),
    (m) => ({ kind: "workingDaysFromDecision", days: Number(m[1]), trigger: "result" }),
  ],
  [
    new RegExp(`^([\\u4e00-\\u9fa5]{0,10}?)批复(?:之日)?后(\\d+)(个工作日|日|天)内${VERB}$`),
    (m) => {
      const rule: AfterApprovalRule = {
        kind: "afterApproval",
        amount: Number(m[2]),
        unit: m[3] === "个工作日" ? "workingDays" : "calendarDays",
      };
      if (m[1]) rule.approver = m[1];
      return rule;
    },
  ],
  [
    new RegExp(`^([\\u4e00-\\u9fa5]{1,20}?)(?:公开|发布|印发)后的?(\\d+)个工作日内${VERB}$`),
    (m) => ({ kind: "afterLinkedPublication", days: Number(m[2]), linkedDocument: m[1]! }),
  ],
  [
    /^与([\u4e00-\u9fa5]{1,20}?)同步(?:发布|公开|更新|公布)$/,
    (m) => ({ kind: "withLinkedPublication", linkedDocument: m[1]! }),
  ],
  [
    new RegExp(`^公告期(?:满|届满)后(\\d+|[一二两三四五六])个月内${VERB}$`),
    (m) => ({ kind: "afterNoticePeriod", months: toInt(m[1]!) }),
  ],
  [
    /^(实时|及时|即时)(?:公开|更新|发布|公布|办结)?$/,
    (m) => ({ kind: "realtime", wording: m[1] as RealtimeRule["wording"] }),
  ],
  [
    /^(月度|每月|季度|每季度|每季|年度|每年)更新$/,
    (m) => {
      const w = m[1]!;
      const unit: PeriodUnit = w.includes("月") ? "month" : w.includes("季") ? "quarter" : "year";
      return { kind: "periodic", unit };
    },
  ],
  [/^根据(?:变动|变化|调整)(?:情况)?及时更新$/, () => ({ kind: "onChange", promptness: "prompt" })],
  [/^根据实际(?:情况|需要)?更新$/, () => ({ kind: "onChange", promptness: "asNeeded" })],
  [
    new RegExp(`^每年(\\d{1,2})月(\\d{1,2})日(?:前|之前|以前)${VERB}$`),
    (m) => {
      const month = Number(m[1]);
      const day = Number(m[2]);
      if (month < 1 || month > 12 || day < 1 || day > 31) return null;
      return { kind: "fixedYearly", month, day };
    },
  ],
  [/^(?:保持)?长期公开$/, () => ({ kind: "keepPublished" })],
  [/^无法定(?:公开)?时限$/, () => ({ kind: "noStatutoryDeadline" })],
];

/** Parses one clause (e.g. "信息形成（更改）之日起 20 个工作日内。"); null when not understood. */
export function parseClause(clause: string): DeadlineRule | null {
  const n = normalizeClause(clause);
  for (const [re, build] of CLAUSES) {
    const m = n.match(re);
    if (m) {
      const rule = build(m);
      if (rule) return rule;
    }
  }
  return null;
}

const OTHER_LAW = /[（(]\s*相关法律法规另有规定的\s*[，,]?\s*从其规定\s*[）)]/g;
/** A list marker: 1. / 2、 not preceded by a digit and followed by a non-digit. */
const LIST_MARKER = /(?<!\d)\d{1,2}\s*[.、．](?!\d)/g;
const LABEL = /^\s*([^:：,，;；。()（）\d]{1,10}?)\s*[:：]\s*/;

/** Splits on commas/semicolons that are not inside parentheses. */
function splitClauses(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of s) {
    if (ch === "(" || ch === "（") depth++;
    if (ch === ")" || ch === "）") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || ch === "，" || ch === ";" || ch === "；")) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out
    .map((c) =>
      c
        .trim()
        .replace(/[。；;，,]+$/, "")
        .trim(),
    )
    .filter((c) => c !== "");
}

/** Splits a cell into list elements ("1. 办事指南：… 2. 办理结果：…"); a cell without markers is one element. */
function splitElements(text: string): string[] {
  const starts: number[] = [];
  for (const m of text.matchAll(LIST_MARKER)) starts.push(m.index);
  if (starts.length === 0) return [text];
  const out: string[] = [];
  const head = text.slice(0, starts[0]).trim();
  if (head !== "") out.push(head);
  starts.forEach((start, i) => {
    const marker = text.slice(start).match(/^\d{1,2}\s*[.、．]/)![0];
    out.push(text.slice(start + marker.length, starts[i + 1] ?? text.length));
  });
  return out;
}

/** Parses a 公开时限 cell into rules (one per clause, element labels kept) and verbatim unparsed clauses. */
export function parseDeadlinePhrase(text: string): ParseResult {
  const rules: ParsedRule[] = [];
  const unparsed: string[] = [];
  for (const rawElement of splitElements(text)) {
    let body = rawElement.trim();
    if (body === "") continue;
    let element: string | undefined;
    const label = body.match(LABEL);
    if (label) {
      element = label[1]!.trim();
      body = body.slice(label[0].length);
    }
    const otherLawPrevails = body.match(OTHER_LAW) !== null;
    body = body.replace(OTHER_LAW, "");
    for (const clause of splitClauses(body)) {
      const rule = parseClause(clause);
      if (rule) {
        const parsed: ParsedRule = { rule, source: clause };
        if (element !== undefined) parsed.element = element;
        if (otherLawPrevails) parsed.otherLawPrevails = true;
        rules.push(parsed);
      } else {
        unparsed.push(element !== undefined ? `${element}：${clause}` : clause);
      }
    }
  }
  return { rules, unparsed };
}

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
  }
}
