/**
 * @module Deadlines of records and periodic duties, from the catalog item's parsed rules (calendar ParsedRule) and
 * the record's dates. Pure: the working-day arithmetic and the explanations come from src/calendar.
 *
 * 条例第26条: information within the proactive scope is published within 20 working days of the day it is formed or
 * changed, unless a law or regulation sets another period → the default when the catalog states no usable rule.
 * 条例第53条: failing to update published information is an offence → periodic duties (月度/季度/年度更新,
 * 每年1月31日前) become one obligation per period, met by a record or by a signed "本期无新增信息" attestation.
 */
import type { WorkCalendar } from "../calendar/index.ts";
import {
  compareDates,
  type DeadlineRule,
  daysInMonth,
  describeRule,
  dueDateFor,
  formatChineseDate,
  formatParts,
  nextPeriod,
  type ParsedRule,
  type PeriodUnit,
  parseParts,
  periodContaining,
  periodicDue,
} from "../calendar/index.ts";
import type { DisclosureAttribute, RecordKind } from "./record.table.ts";

/** 条例第26条 default. */
export const ARTICLE_26_RULE: DeadlineRule = { kind: "workingDaysFromFormation", days: 20 };

/** Rules counted from an event of the record (formation, decision, linked publication …). */
const EVENT_KINDS: ReadonlySet<DeadlineRule["kind"]> = new Set([
  "workingDaysFromFormation",
  "workingDaysFromDecision",
  "afterApproval",
  "afterLinkedPublication",
  "withLinkedPublication",
  "afterNoticePeriod",
  "realtime",
]);

export function isEventRule(rule: DeadlineRule): boolean {
  return EVENT_KINDS.has(rule.kind) || (rule.kind === "onChange" && rule.promptness === "prompt");
}

export function isPeriodicRule(
  rule: DeadlineRule,
): rule is Extract<DeadlineRule, { kind: "periodic" | "fixedYearly" }> {
  return rule.kind === "periodic" || rule.kind === "fixedYearly";
}

function norm(s: string): string {
  return s.replace(/[\s（）()：:]/g, "");
}

/** Element labels match when one contains the other (办理结果 ~ 行政许可办理结果). */
export function labelsMatch(a: string, b: string): boolean {
  const x = norm(a);
  const y = norm(b);
  return x !== "" && y !== "" && (x.includes(y) || y.includes(x));
}

export interface RuleSources {
  itemRules: ParsedRule[];
  /** Rules stated on the chosen content element (catalog_elements.deadline_rules). */
  elementRules: ParsedRule[];
  elementLabel: string | null;
  /** The 公开时限 text as written (element's, else item's): a text without any rule read is not defaulted. */
  statedDeadline?: string | null;
}

/** The rules that apply to a record: the element's own, else the item's rules for that element, else the item's. */
export function applicableRules(src: RuleSources): ParsedRule[] {
  if (src.elementRules.length > 0) return src.elementRules;
  if (src.elementLabel) {
    const label = src.elementLabel;
    const matching = src.itemRules.filter((r) => r.element !== undefined && labelsMatch(r.element, label));
    if (matching.length > 0) return matching;
  }
  const unlabelled = src.itemRules.filter((r) => r.element === undefined);
  return unlabelled.length > 0 ? unlabelled : src.itemRules;
}

export interface RecordDueInput {
  kind: RecordKind;
  disclosure: DisclosureAttribute;
  formedDate: string;
  changedDate: string | null;
  /** 政策解读: publication date of the interpreted policy document(s) (the latest one), when published. */
  linkedPublicationDate: string | null;
  /** null when the record has no catalog item. */
  sources: RuleSources | null;
}

export interface RecordDue {
  due: string | null;
  explanation: string;
  basis: string | null;
  provisional: boolean;
  rule: DeadlineRule | null;
}

/** The record's due date with a Chinese explanation. The strictest (earliest) applicable event rule wins. */
export function recordDue(calendar: WorkCalendar, input: RecordDueInput): RecordDue {
  if (input.disclosure !== "主动公开") {
    return {
      due: null,
      explanation: `${input.disclosure}的信息不适用主动公开时限。`,
      basis: null,
      provisional: false,
      rule: null,
    };
  }
  const rules = input.sources ? applicableRules(input.sources).map((r) => r.rule) : [];
  const stated = input.sources?.statedDeadline?.trim();
  if (rules.length === 0 && stated) {
    // The catalog states a deadline the parser could not read: no computable deadline, never the 20-day default
    // (a 10-working-day commitment must not be judged against 20).
    return {
      due: null,
      explanation: `目录规定的公开时限“${stated}”未能解读，无可计算的截止日期（不按20个工作日默认计算），请在目录中改写时限。`,
      basis: null,
      provisional: false,
      rule: null,
    };
  }
  const events = rules.filter(isEventRule);
  const trigger = input.changedDate ?? input.formedDate;
  if (rules.length > 0 && events.length === 0) {
    const first = rules[0]!;
    const periodic = rules.some(isPeriodicRule);
    const explanation = periodic
      ? `目录规定“${rules.map(describeRule).join("；")}”，按期次考核（见定期更新任务），单条信息不另计时限。`
      : dueDateFor(calendar, first, { triggerDate: trigger }).explanation;
    return { due: null, explanation, basis: null, provisional: false, rule: first };
  }
  const candidates = events.length > 0 ? events : [ARTICLE_26_RULE];
  let best: RecordDue | null = null;
  let pending: string | null = null;
  for (const rule of candidates) {
    const linked = rule.kind === "afterLinkedPublication" || rule.kind === "withLinkedPublication";
    if (linked && input.linkedPublicationDate === null) {
      pending = `目录规定“${describeRule(rule)}”，所解读的政策文件尚未公开，公开后计算时限。`;
      continue;
    }
    const triggerDate = linked
      ? input.linkedPublicationDate!
      : rule.kind === "workingDaysFromDecision" || rule.kind === "afterApproval"
        ? input.formedDate
        : trigger;
    const d = dueDateFor(calendar, rule, { triggerDate });
    if (d.due === null) continue;
    const prefix =
      events.length === 0
        ? input.sources
          ? "目录未规定可计算的时限，适用条例第二十六条："
          : "未关联目录事项，适用条例第二十六条："
        : `目录规定“${describeRule(rule)}”：`;
    const candidate: RecordDue = {
      due: d.due,
      explanation: `${prefix}${d.explanation}${d.provisional ? d.reasons.join("") : ""}`,
      basis: d.basis ?? (events.length === 0 ? "《政府信息公开条例》第二十六条" : null),
      provisional: d.provisional,
      rule,
    };
    if (best === null || compareDates(candidate.due!, best.due!) < 0) best = candidate;
  }
  if (best) return best;
  return {
    due: null,
    explanation: pending ?? "无法计算时限。",
    basis: null,
    provisional: false,
    rule: candidates[0] ?? null,
  };
}

/** Published after the due date → counted late (条例第26条). */
export function isLate(due: string | null, publishedOn: string): boolean | null {
  if (due === null) return null;
  return compareDates(publishedOn, due) > 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Periodic duties
// ---------------------------------------------------------------------------------------------------------------

export type ObligationUnit = PeriodUnit | "fixedYearly";

export interface PeriodicDuty {
  /** "" for an item-level duty. */
  elementStableKey: string;
  unit: ObligationUnit;
  rule: Extract<DeadlineRule, { kind: "periodic" | "fixedYearly" }>;
}

export interface CatalogElementRules {
  stableKey: string;
  label: string;
  rules: ParsedRule[];
}

/** The periodic duties of an item: one per (element, unit); element rules win over the item's labelled rules. */
export function periodicDuties(itemRules: ParsedRule[], elements: CatalogElementRules[]): PeriodicDuty[] {
  const out = new Map<string, PeriodicDuty>();
  const add = (elementStableKey: string, rule: DeadlineRule) => {
    if (!isPeriodicRule(rule)) return;
    const unit: ObligationUnit = rule.kind === "periodic" ? rule.unit : "fixedYearly";
    const key = `${elementStableKey}|${unit}`;
    if (!out.has(key)) out.set(key, { elementStableKey, unit, rule });
  };
  for (const el of elements) for (const r of el.rules) add(el.stableKey, r.rule);
  for (const r of itemRules) {
    const el = r.element ? elements.find((e) => labelsMatch(e.label, r.element!)) : undefined;
    add(el?.stableKey ?? "", r.rule);
  }
  return [...out.values()];
}

export interface ObligationPeriod {
  unit: ObligationUnit;
  year: number;
  index: number;
  label: string;
  start: string;
  end: string;
  due: string;
  explanation: string;
}

/**
 * Periods of a duty that have started by `asOf` and concern dates from `from` on: every month/quarter/year
 * overlapping [from, asOf] (due N working days after it ends, calendar PERIODIC_DEFAULTS), or, for a fixed yearly
 * date (每年1月31日前), every year whose date falls in [from, …] and whose year has begun by asOf.
 */
export function obligationPeriods(
  calendar: WorkCalendar,
  duty: PeriodicDuty,
  from: string,
  asOf: string,
): ObligationPeriod[] {
  const out: ObligationPeriod[] = [];
  if (compareDates(from, asOf) > 0) return out;
  const rule = duty.rule;
  if (rule.kind === "periodic") {
    for (let p = periodContaining(from, rule.unit); compareDates(p.start, asOf) <= 0; p = nextPeriod(p)) {
      const d = periodicDue(calendar, p);
      out.push({
        unit: rule.unit,
        year: p.year,
        index: p.index,
        label: p.label,
        start: p.start,
        end: p.end,
        due: d.due!,
        explanation: d.explanation,
      });
    }
    return out;
  }
  const first = parseParts(from).year;
  const last = parseParts(asOf).year;
  for (let y = first; y <= last; y++) {
    const due = formatParts(y, rule.month, Math.min(rule.day, daysInMonth(y, rule.month)));
    if (compareDates(due, from) < 0) continue;
    const d = dueDateFor(calendar, rule, { triggerDate: `${y}-01-01` });
    out.push({
      unit: "fixedYearly",
      year: y,
      index: 1,
      label: `${y}年（${describeRule(rule)}）`,
      start: `${y}-01-01`,
      end: due,
      due,
      explanation: d.explanation,
    });
  }
  return out;
}

/** Short text of a due date for lists, e.g. "2025年3月14日（还剩3个工作日）" / "（已逾期5个工作日）". */
export function dueStatusText(calendar: WorkCalendar, due: string, asOf: string): string {
  const c = calendar.countWorkingDays(asOf, due).count;
  const when = formatChineseDate(due);
  if (c > 0) return `${when}（还剩${c}个工作日）`;
  if (c === 0 && compareDates(due, asOf) >= 0) return `${when}（今日到期）`;
  return c === 0 ? `${when}（已逾期）` : `${when}（已逾期${Math.abs(c)}个工作日）`;
}

/** The rules of an item as one Chinese line (for items whose 公开时限 text is missing). */
export function describeRuleList(rules: readonly ParsedRule[]): string {
  return rules.map((r) => `${r.element ? `${r.element}：` : ""}${describeRule(r.rule)}`).join("；");
}
