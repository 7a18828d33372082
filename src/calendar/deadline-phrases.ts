// The grammar of 公开时限 (deadline) phrases as agencies write them.
//
// A cell is split into list elements (1. 办事指南：… 2. 办理结果：…), an element into clauses (，；。/), and each clause
// is read by peeling off what never changes the meaning (公开事项…, 自…, 该政府信息…, …予以公开, …内公开。) down to a
// core: an amount with a unit counted from a trigger (形成/变更, 批复, 收到, 作出决定, 办理结果, 文件公开 …), a fixed
// date (1月31日前, 6月底前), a period (按年, 每季度), or a named non-numeric rule (实时, 及时, 常态化, 长期公开).
// Every part of the clause must be accounted for: a clause with anything left that the grammar does not know is
// kept verbatim in `unparsed` (flagged), never guessed — a wrong reading is worse than none.

import { toSimplifiedCharacters } from "../shared/simplified.ts";
import type {
  AfterEventRule,
  DeadlineRule,
  EventTrigger,
  NamedRule,
  ParsedRule,
  ParseResult,
} from "./deadline-rules.ts";

/** Normalizes a clause for matching: no whitespace, half-width punctuation and digits, no trailing stop. */
export function normalizeClause(s: string): string {
  return chineseNumeralsToDigits(
    toSimplifiedCharacters(s)
      .replace(/[\s\u3000\u00a0]+/g, "")
      .replace(/（/g, "(")
      .replace(/）/g, ")")
      .replace(/：/g, ":")
      .replace(/，/g, ",")
      .replace(/；/g, ";")
      .replace(/／/g, "/")
      .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      // 信息形式或者变更: a misprint of 形成 seen in published catalogs (only next to 变更).
      .replace(/形式(?=(?:或者|或)变更)/g, "形成"),
  ).replace(/[。.;,、]+$/, "");
}

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
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
};

/** 二十 → 20, 十五 → 15, 一百二十 → 120, 三 → 3; NaN when not a Chinese numeral. */
export function chineseNumeral(s: string): number {
  if (s === "") return Number.NaN;
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch in DIGITS) current = DIGITS[ch]!;
    else if (ch === "十") {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === "百") {
      total += (current || 1) * 100;
      current = 0;
    } else return Number.NaN;
  }
  return total + current;
}

/** Chinese numerals before a unit (二十个工作日, 一个月, 十二月底) become digits; other words are left alone. */
function chineseNumeralsToDigits(s: string): string {
  return s.replace(
    /([零〇一二两三四五六七八九十百]+)(?=个|工作日|自然日|日|天|月|周|年内|季度)/g,
    (m, _n, offset: number) => {
      // 每一季度/第一季度 are names, not amounts; 一年级 … never occur before these units.
      const before = s[offset - 1] ?? "";
      if (before === "第") return m;
      const n = chineseNumeral(m);
      return Number.isNaN(n) ? m : String(n);
    },
  );
}

type Unit = "workingDays" | "calendarDays" | "months" | "years";

function unitOf(word: string): { unit: Unit; factor: number } | null {
  if (word === "个工作日" || word === "工作日") return { unit: "workingDays", factor: 1 };
  if (word === "个自然日" || word === "自然日" || word === "日" || word === "天")
    return { unit: "calendarDays", factor: 1 };
  if (word === "个月" || word === "月") return { unit: "months", factor: 1 };
  if (word === "年") return { unit: "years", factor: 1 };
  if (word === "周" || word === "个星期" || word === "星期") return { unit: "calendarDays", factor: 7 };
  return null;
}

const UNIT_RE = "个工作日|工作日|个自然日|自然日|个月|个星期|星期|日|天|月|年|周";
/** Endings that never change the meaning: …内, …予以公开, …及时公开, …向社会公开, …发布 … (repeatable). */
const TRAILING =
  /(?:内|以内|之内|予以|及时|主动|向社会|对外|进行|完成|并|在网站|在政府网站|上网)?(?:公开|发布|公布|更新|公示|办结|完成|上报|调整)?$/;
const LEADING =
  /^(?:[\u4e00-\u9fa5]{1,10}?(?:机构|部门|单位|机关|政府|厅|局)(?:应当|应)|公开事项|公开时限|时限|应当|应|须|需|一般|原则上|最晚|最迟|自|从|于|在|为|按(?:照)?(?:通知|上级|有关|相关)?(?:要求|规定)|按(?:工作)?进展(?:情况)?|其中[\u4e00-\u9fa5、]{1,20}?(?:事项|信息)(?:应当|应)?)/;

/** Strips meaning-neutral prefixes and suffixes. */
function core(c: string): string {
  let s = c.replace(/\((?:动态调整|动态更新|及时更新|长期有效)\)$/, "");
  for (let i = 0; i < 6; i++) {
    const before = s;
    s = s.replace(LEADING, "");
    let t = s.replace(TRAILING, "");
    // 及时公开: the adverb is the rule itself; strip only the verb.
    if (t === "") t = s.replace(/(?:公开|发布|公布|更新|公示|办结|完成)$/, "");
    if (t !== "") s = t;
    if (s === before) break;
  }
  return s;
}

/** A trigger phrase: what the period counts from. */
function readTrigger(t: string): { trigger: EventTrigger; event?: string } | null {
  if (t === "") return { trigger: "formation" };
  const s = t.replace(/^(?:自|从|于|在)/, "");
  const formationWord = "(?:形成|产生|制作|制定|获取|生成|颁布|印发|变更|更改|调整|修改|更新|发生变化|变化)";
  const joiner = "(?:或者|或|和|及|、|/)";
  const formation = new RegExp(
    `^(?:公开事项)?(?:其他)?(?:该|相关|本|上述)?(?:政府|公开)?(?:信息|事项|内容)?(?:的)?${formationWord}(?:${joiner}${formationWord})*(?:\\((?:或)?${formationWord}(?:${joiner}?${formationWord})*\\))?(?:[\\u4e00-\\u9fa5]{0,8}?(?:文件|政策|指南|措施|信息|材料|方案|标准|名单|目录|清单|数据))?(?:之日起|之日|之后|以后|后|起)?$`,
  );
  if (formation.test(s)) return { trigger: "formation" };
  const approval = s.match(
    /^(?:[\u4e00-\u9fa5]{0,16}经)?([\u4e00-\u9fa5]{0,20}?)(?:批复|批准|审定|核准|审批通过|审核通过)(?:之日起|之日后|之日|之后|以后|后|起)$/,
  );
  if (approval) {
    const approver = approval[1];
    return approver ? { trigger: "approval", event: approver } : { trigger: "approval" };
  }
  if (/^(?:收到|接到|受理)(?:申请|材料|报告|举报|投诉)?(?:之日起|之日|之后|以后|后|起)$/.test(s))
    return { trigger: "receipt" };
  if (
    /^(?:[\u4e00-\u9fa5]{1,10}?信息在)?(?:作出|做出)?(?:行政)?(?:(?:许可|处罚|强制|复议|检查|审批)(?:和|及|、|或)?(?:行政)?)*决定(?:书)?(?:作出|做出|形成|下达|送达)?(?:之日起|之日|之后|以后|后|起)$/.test(
      s,
    )
  )
    return { trigger: "decision" };
  if (
    /^[\u4e00-\u9fa5]{0,6}?结果(?:出来|作出|形成|产生|确定|公布)?(?:之日起|之日|之后|以后|后|起)$|^办结(?:之日起|之日|后|起)$/.test(
      s,
    )
  )
    return { trigger: "result" };
  if (/^(?:公告|公示)期(?:满|届满|结束)(?:之日起|之日|之后|以后|后|起)?$/.test(s))
    return { trigger: "noticeEnd" };
  if (/^会议(?:召开|结束|闭幕)(?:之日起|之日|之后|以后|后|起)?$/.test(s)) return { trigger: "meeting" };
  const linked = s.match(
    /^([\u4e00-\u9fa5]{1,20}?)(?:正式)?(?:公开|发布|印发|出台|公布|下发)(?:之日起|之日|之后|以后|后的|后|起)?$/,
  );
  if (linked && /文件|政策|规划|方案|通知|办法|决策|意见|规定|预算|决算|报告/.test(linked[1]!)) {
    return { trigger: "publication", event: linked[1]! };
  }
  return null;
}

function afterEvent(
  amount: number,
  unit: Unit,
  trigger: EventTrigger,
  event: string | undefined,
  implicit: boolean,
): DeadlineRule {
  if (unit === "workingDays") {
    if (trigger === "formation") {
      return implicit
        ? { kind: "workingDaysFromFormation", days: amount, implicitTrigger: true }
        : { kind: "workingDaysFromFormation", days: amount };
    }
    if (trigger === "decision" || trigger === "result")
      return {
        kind: "workingDaysFromDecision",
        days: amount,
        trigger: trigger === "decision" ? "decision" : "result",
      };
    if (trigger === "publication" && event)
      return { kind: "afterLinkedPublication", days: amount, linkedDocument: event };
  }
  if (trigger === "approval" && (unit === "workingDays" || unit === "calendarDays")) {
    return event
      ? { kind: "afterApproval", amount, unit, approver: event }
      : { kind: "afterApproval", amount, unit };
  }
  if (trigger === "noticeEnd" && unit === "months") return { kind: "afterNoticePeriod", months: amount };
  const rule: AfterEventRule = { kind: "afterEvent", amount, unit, trigger };
  if (event) rule.event = event;
  if (implicit) rule.implicitTrigger = true;
  return rule;
}

/** Larger amounts are not deadlines (2025年 is a year, not 2025 years). */
const MAX_AMOUNT: Record<Unit, number> = { workingDays: 365, calendarDays: 365, months: 24, years: 5 };
const LAST_DAY = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const NAMED: Record<string, NamedRule["wording"]> = {
  常态化: "常态化",
  动态: "动态",
  定期: "定期",
  随时: "随时",
  同步: "同步",
  适时: "适时",
};

/** Reads one normalized clause's core; null when any part of it is not understood. */
function readCore(clause: string): DeadlineRule | null {
  const c = core(clause);
  if (c === "") return null;
  // Named and standing rules.
  // 重大决策作出后及时公开: the event only says when "promptly" starts; the rule is the adverb.
  let m = (/^(?:实时|及时|即时)$/.test(c) ? c : clause).match(
    /^(?:[\u4e00-\u9fa5]{1,12}?(?:作出|做出|形成|出台|确定|发生|产生|结束|印发|发布)(?:后|之后|以后))?(实时|及时|即时)(?:予以)?(?:公开|发布|公布|更新)?$/,
  );
  if (m) return { kind: "realtime", wording: m[1] as "实时" | "及时" | "即时" };
  if (/^(?:保持)?(?:长期|永久)(?:有效)?$/.test(c)) return { kind: "keepPublished" };
  m = c.match(/^(常态化|动态|定期|随时|同步|适时)$/);
  if (m) return { kind: "named", wording: NAMED[m[1]!]! };
  if (/^无法定(?:公开)?时限$/.test(clause)) return { kind: "noStatutoryDeadline" };
  if (/^根据(?:变动|变化|调整)(?:情况)?及时更新$/.test(clause))
    return { kind: "onChange", promptness: "prompt" };
  if (/^根据实际(?:情况|需要)?更新$/.test(clause)) return { kind: "onChange", promptness: "asNeeded" };
  // 变动即更 / 变化即更新 (an update column): updated as soon as the information changes — the same rule as
  // 根据变动及时更新.
  if (/^(?:信息)?(?:变动|变化|变更)(?:后)?即(?:时)?更(?:新)?$/.test(clause))
    return { kind: "onChange", promptness: "prompt" };
  m = clause.match(/^与([\u4e00-\u9fa5]{1,20}?)同步(?:发布|公开|更新|公布)$/);
  if (m) return { kind: "withLinkedPublication", linkedDocument: m[1]! };
  // Periods. 1次/年 (an update-frequency column: once a year).
  m = clause.match(/^1次\/(月度?|季度?|半年度?|年度?)$/);
  if (m) {
    const w = m[1]!;
    if (w.startsWith("半年")) return { kind: "periodicHalfYear" };
    return { kind: "periodic", unit: w.startsWith("月") ? "month" : w.startsWith("季") ? "quarter" : "year" };
  }
  m = c
    .replace(/(?:至少|不少于)(?:更新|公开)?1次$/, "")
    .match(/^(?:按|每|逐)?(月度?|季度?|半年度?|年度?|年)$/);
  if (m) {
    const w = m[1]!;
    if (w.startsWith("半年")) return { kind: "periodicHalfYear" };
    return { kind: "periodic", unit: w.startsWith("月") ? "month" : w.startsWith("季") ? "quarter" : "year" };
  }
  // Fixed dates: 每年1月31日前, 6月底前, 次年3月底前; 每年1月31日前公开上一年度公开年度报告 names what is due by
  // the date (条例第49条: the previous year's annual report by 31 January) — only a previous-year report is accepted
  // as the object, anything else after the date stays not understood.
  m = clause
    .replace(/^(?:公开事项|应当|应|须|自|于|在)/, "")
    .replace(/(?<=前|之前|以前)(?:公开|发布|公布)(?:上一?年度?)[\u4e00-\u9fa5]{0,12}?(?:报告|年报)$/, "")
    .match(
      /^(?:每年|每年度|次年|当年|年度终了后)?(\d{1,2})月(?:(\d{1,2})日|(底|末))(?:前|之前|以前)(?:予以|完成|向社会)?(?:公开|发布|公布|更新)?$/,
    );
  if (m) {
    const month = Number(m[1]);
    if (month < 1 || month > 12) return null;
    const day = m[2] ? Number(m[2]) : LAST_DAY[month - 1]!;
    if (day < 1 || day > LAST_DAY[month - 1]! + (month === 2 ? 1 : 0)) return null;
    return { kind: "fixedYearly", month, day };
  }
  // A notice (公示) that lasts N days: a duration, not a due date.
  m = c.match(new RegExp(`^公示(?:期限|时间|期)?(?:为)?(不少于|不得少于|不低于)?(\\d{1,4})(${UNIT_RE})$`));
  if (m) {
    const u = unitOf(m[3]!);
    if (!u || u.unit === "years") return null;
    return {
      kind: "noticePeriod",
      amount: Number(m[2]) * u.factor,
      unit: u.unit,
      ...(m[1] ? { minimum: true } : {}),
    };
  }
  // Amount with a unit, counted from a trigger.
  m = c.match(new RegExp(`^(.*?)(\\d{1,4})(${UNIT_RE})$`));
  if (m) {
    const u = unitOf(m[3]!);
    const amount = Number(m[2]) * (u?.factor ?? 1);
    if (!u || amount < 1 || amount > MAX_AMOUNT[u.unit]) return null;
    const trig = readTrigger(m[1]!);
    if (!trig) return null;
    return afterEvent(amount, u.unit, trig.trigger, trig.event, m[1] === "");
  }
  return null;
}

/** Parses one clause (e.g. "信息形成（更改）之日起 20 个工作日内。"); null when not understood. */
export function parseClause(clause: string): DeadlineRule | null {
  const n = normalizeClause(clause)
    // 信息形成后，20个工作日内 → one clause.
    .replace(/(后|起|之日),(?=在?\d)/g, "$1");
  return readCore(n);
}

/**
 * 法律、法规另有规定的，从其规定 in its written forms (in brackets or as its own sentence, 相关政策法规…应从其规定,
 * 法律法规、政策文件对公开期限另有规定的…, also in traditional characters: the clause is removed from the verbatim text, so both scripts are matched here).
 */
const OTHER_LAW =
  /[（(]?\s*(?:相[关關]|有[关關])?(?:法律|政策)?[、，,]?\s*法[规規](?:、[规規]章)?(?:[、，,]\s*政策文件)?(?:[对對](?:政府信息)?(?:公[开開]|更新)的?期限)?另有[规規]定的\s*[，,]?\s*(?:[应應])?[从從]其[规規]定\s*[）)]?[。.]?/g;
/** A list marker: 1. / 2、 / （1） / ① not preceded by a digit and followed by a non-digit. */
const LIST_MARKER = /(?<![\d月])(?:\d{1,2}\s*[.、．](?!\d)|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨])/g;
const LABEL = /^\s*([^:：,，;；。()（）\d]{1,10}?)\s*[:：]\s*/;

/** A condition clause naming the change that triggers the deadline: 主动公开信息内容发生变化的. */
const CONDITION = /^[\u4e00-\u9fa5]{2,20}?(?:发生变化|有变化|发生变更|变更|调整)的$/;
/** The subject a catalog's 公开时限 sentence starts with: 属于主动公开范围的政府信息，…应在… (names what, not when). */
const SUBJECT = /^(?:属于)?主动公开(?:范围|范畴)?(?:内)?的(?:政府)?信息$/;

/** Splits on commas/semicolons/full stops that are not inside parentheses. */
function splitClauses(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of s) {
    if (ch === "(" || ch === "（") depth++;
    if (ch === ")" || ch === "）") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || ch === "，" || ch === ";" || ch === "；" || ch === "。")) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out
    .map((c) =>
      c
        .trim()
        .replace(/[。；;，,、]+$/, "")
        .trim(),
    )
    .filter((c) => c !== "");
}

/** Splits a cell into list elements ("1. 办事指南：… 2. 办理结果：…"); a cell without markers is one element. */
function splitElements(text: string): string[] {
  const starts: { index: number; length: number }[] = [];
  for (const m of text.matchAll(LIST_MARKER)) starts.push({ index: m.index, length: m[0].length });
  if (starts.length < 2 && !(starts.length === 1 && starts[0]!.index === 0)) return [text];
  const out: string[] = [];
  const head = text.slice(0, starts[0]!.index).trim();
  if (head !== "") out.push(head);
  starts.forEach((start, i) => {
    out.push(text.slice(start.index + start.length, starts[i + 1]?.index ?? text.length));
  });
  return out;
}

/** 时间跨度不超过5个工作日 after 与政策文件同步发布: how far "同步" may lag — N working days after that document. */
const SYNC_SPAN = /^时间跨度不超过(\d{1,3})个工作日$/;

/** Rules without an amount: the only ones a cell may list one per line with nothing else between them. */
const UNDATED_KINDS = new Set<DeadlineRule["kind"]>([
  "realtime",
  "named",
  "keepPublished",
  "onChange",
  "periodic",
  "periodicHalfYear",
  "noStatutoryDeadline",
]);

/** Reads every part of a clause split by `separator`; null unless there are two parts or more, all understood. */
function readParts(clause: string, separator: RegExp): DeadlineRule[] | null {
  const parts = clause.trim().split(separator);
  if (parts.length < 2) return null;
  const rules = parts.map((p) => parseClause(p));
  return rules.every((r) => r !== null) ? (rules as DeadlineRule[]) : null;
}

/**
 * Reads a clause that may hold two alternatives (20个工作日/7个工作日), or two wordings without a due date written one
 * per line of the cell (長期公開↵隨時公開): every part must be understood. Lines are split only when the whole
 * clause is not understood (PDF cells break lines inside a phrase) and only into rules without an amount — 每季度↵20日
 * is not two rules, and stays not understood.
 */
function readAlternatives(clause: string): DeadlineRule[] | null {
  const single = parseClause(clause);
  if (single) return [single];
  const alternatives = readParts(clause, /[/／]/);
  if (alternatives) return alternatives;
  const lines = readParts(clause, /\s+/);
  return lines?.every((r) => UNDATED_KINDS.has(r.kind)) ? lines : null;
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
    if (label && !/^(?:自|从|于|在)/.test(label[1]!)) {
      element = label[1]!.trim();
      body = body.slice(label[0].length);
    }
    const otherLawPrevails = body.match(OTHER_LAW) !== null;
    body = body.replace(OTHER_LAW, "");
    // 信息形成后，20个工作日内 is one clause even though a comma separates its parts.
    body = body.replace(/(后|起|之日)\s*[,，]\s*(?=在?\s*[\d一二三四五六七八九十])/g, "$1");
    const clauses = splitClauses(body);
    for (const [i, clause] of clauses.entries()) {
      // 主动公开信息内容发生变化的，…应当自…之日起20个工作日内: the condition only restates the trigger of the
      // clause that follows (属于主动公开范围的政府信息，… names its subject); it is dropped when that clause is
      // read, and kept verbatim otherwise.
      if (
        (CONDITION.test(normalizeClause(clause)) || SUBJECT.test(normalizeClause(clause))) &&
        i + 1 < clauses.length &&
        readAlternatives(clauses[i + 1]!)
      )
        continue;
      let read = readAlternatives(clause);
      // 与政策文件同步发布，时间跨度不超过5个工作日: the span is read only right after the 同步 rule it bounds.
      const span = read ? null : normalizeClause(clause).match(SYNC_SPAN);
      const previous = rules.at(-1);
      if (span && previous?.rule.kind === "withLinkedPublication" && previous.element === element)
        read = [
          {
            kind: "afterLinkedPublication",
            days: Number(span[1]),
            linkedDocument: previous.rule.linkedDocument,
          },
        ];
      if (read) {
        for (const rule of read) {
          const parsed: ParsedRule = { rule, source: clause };
          if (element !== undefined) parsed.element = element;
          if (otherLawPrevails) parsed.otherLawPrevails = true;
          rules.push(parsed);
        }
      } else {
        unparsed.push(element !== undefined ? `${element}：${clause}` : clause);
      }
    }
  }
  return { rules, unparsed };
}
