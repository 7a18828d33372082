/**
 * @module Statutory linter of a disclosure catalog (主动公开事项目录). Pure rules, each citing its article of
 * 《中华人民共和国政府信息公开条例》（国务院令第711号, "条例"）. Every finding has a severity, the item it concerns
 * (or none for catalog-wide findings), a message and how to fix it.
 */

import type { CatalogDocItem } from "./catalog.model.ts";
import { isGroupDesignation } from "./catalog-cells.rules.ts";

export type LintSeverity = "error" | "warning" | "info";

export type LintCode =
  | "deadline_exceeds_statutory"
  | "deadline_stricter_than_statutory"
  | "deadline_missing"
  | "deadline_unparsed"
  | "responsible_missing"
  | "channel_missing"
  | "legal_basis_missing"
  | "name_missing"
  | "duplicate_item"
  | "mandatory_content_missing"
  | "unit_name_inconsistent";

export interface LintFinding {
  code: LintCode;
  severity: LintSeverity;
  /** The legal basis of the rule, e.g. "条例第26条". */
  article: string;
  itemKey: string | null;
  itemPath: string[];
  message: string;
  fix: string;
}

export interface LintItem extends CatalogDocItem {
  stableKey?: string | undefined;
  /** Parsed rules of the 公开时限 cell (calendar ParsedRule). */
  deadlineRules: { rule: { kind: string }; element?: string | undefined; source?: string | undefined }[];
  deadlineUnparsed: string[];
  children: LintItem[];
}

export interface LintInput {
  agencyName: string;
  agencyShortName?: string | undefined;
  /** Department (股室) names of the agency. */
  departments: string[];
  items: LintItem[];
}

/** 条例第26条: 自该政府信息形成或者变更之日起20个工作日内及时公开（法律、法规另有规定的，从其规定）。 */
export const STATUTORY_WORKING_DAYS = 20;

interface Flat {
  item: LintItem;
  path: string[];
}

function flatten(items: LintItem[], path: string[] = [], out: Flat[] = []): Flat[] {
  for (const item of items) {
    const here = [...path, item.name || "（未命名）"];
    out.push({ item, path: here });
    flatten(item.children, here, out);
  }
  return out;
}

function finding(
  code: LintCode,
  severity: LintSeverity,
  article: string,
  at: Flat | null,
  message: string,
  fix: string,
): LintFinding {
  return {
    code,
    severity,
    article,
    itemKey: at?.item.stableKey ?? null,
    itemPath: at?.path ?? [],
    message,
    fix,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Deadlines

/** Working days a rule allows from its trigger, for the rules 条例第26条 bounds. */
function statutoryDays(r: LintItem["deadlineRules"][number]["rule"]): number | undefined {
  const rule = r as { kind: string } & Record<string, unknown>;
  // 条例第26条 bounds the time from formation/change (and, for results, from the decision that forms them).
  if (rule.kind === "workingDaysFromFormation" || rule.kind === "workingDaysFromDecision")
    return Number(rule.days);
  if (rule.kind === "afterLinkedPublication") return Number(rule.days);
  if (rule.kind === "afterEvent" && rule.trigger === "formation" && rule.unit === "workingDays")
    return Number(rule.amount);
  return undefined;
}

function deadlineFindings(f: Flat): LintFinding[] {
  const out: LintFinding[] = [];
  const { item } = f;
  // The linter never weakens a commitment: the statutory wording is suggested only when the catalog allows
  // longer than 条例第26条 (or states nothing, see mandatory fields); a shorter deadline is kept and praised.
  const stricter = item.deadlineRules
    .map((r) => ({ r, days: statutoryDays(r.rule) }))
    .filter((x) => x.days !== undefined && x.days < STATUTORY_WORKING_DAYS);
  if (stricter.length > 0)
    out.push(
      finding(
        "deadline_stricter_than_statutory",
        "info",
        "条例第26条",
        f,
        `公开时限${stricter.map((x) => `${x.r.element ? `（${x.r.element}）` : ""}${x.days}个工作日`).join("、")}短于条例第26条规定的20个工作日，承诺更严格，值得肯定。`,
        "保持现有时限；到期考核按目录承诺的较短时限计算。",
      ),
    );
  for (const r of item.deadlineRules) {
    const days = statutoryDays(r.rule);
    if (days === undefined || days <= STATUTORY_WORKING_DAYS) continue;
    const where = r.element ? `（${r.element}）` : "";
    if (item.legalBasis.length === 0)
      // 条例第26条: 20个工作日内公开; a longer period needs a law or regulation that provides otherwise.
      out.push(
        finding(
          "deadline_exceeds_statutory",
          "error",
          "条例第26条",
          f,
          `公开时限${where}为${days}个工作日，超过条例第26条规定的20个工作日，且未载明另有规定的法律法规依据。`,
          "将时限改为“信息形成或者变更之日起20个工作日内”，或在“公开依据”中写明规定更长期限的法律、法规条款。",
        ),
      );
    else
      out.push(
        finding(
          "deadline_exceeds_statutory",
          "info",
          "条例第26条",
          f,
          `公开时限${where}为${days}个工作日，超过20个工作日；已载明公开依据：${item.legalBasis.join("；")}。`,
          "请确认所列依据确实规定了更长的公开期限；否则改为20个工作日内。",
        ),
      );
  }
  if (item.deadlineUnparsed.length > 0)
    out.push(
      finding(
        "deadline_unparsed",
        "warning",
        "条例第26条",
        f,
        `公开时限中有未能识别的表述：${item.deadlineUnparsed.map((u) => `“${u}”`).join("、")}，系统无法据此计算到期日（原文保留，不按20个工作日默认计算）。`,
        "保留原有承诺的天数，写明起算事件和单位，如“信息形成或者变更之日起N个工作日内”“批复后N日内”“每年N月N日前”“实时公开”。",
      ),
    );
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Mandatory content (条例第20条, 第12条, 第50条)

export interface MandatoryEntry {
  key: string;
  article: string;
  label: string;
  terms: RegExp;
  severity: LintSeverity;
}

/** The checklist of 条例第20条 (and the 指南/年报 duties), with the words that show an item covers it. */
export const MANDATORY_CONTENT: readonly MandatoryEntry[] = [
  {
    key: "normative",
    article: "条例第20条第（一）项",
    label: "行政法规、规章和规范性文件",
    terms: /规范性文件|政策文件|法律法规|规章/,
    severity: "warning",
  },
  {
    key: "functions",
    article: "条例第20条第（二）项",
    label: "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    terms: /职能|职责|机构设置|内设机构|机构信息|机关简介|机构概况|领导/,
    severity: "warning",
  },
  {
    key: "plans",
    article: "条例第20条第（三）项",
    label: "国民经济和社会发展规划、专项规划及相关政策",
    terms: /规划/,
    severity: "warning",
  },
  {
    key: "statistics",
    article: "条例第20条第（四）项",
    label: "国民经济和社会发展统计信息",
    terms: /统计/,
    severity: "info",
  },
  {
    key: "licensing",
    article: "条例第20条第（五）项",
    label: "行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    terms: /行政许可|许可|审批|办事指南|对外管理服务|服务事项|备案/,
    severity: "warning",
  },
  {
    key: "penalty",
    article: "条例第20条第（六）项",
    label: "行政处罚、行政强制的依据、条件、程序以及处罚决定",
    terms: /处罚|强制/,
    severity: "warning",
  },
  {
    key: "budget",
    article: "条例第20条第（七）项",
    label: "财政预算、决算信息",
    terms: /预算|决算/,
    severity: "warning",
  },
  {
    key: "fees",
    article: "条例第20条第（八）项",
    label: "行政事业性收费项目及其依据、标准",
    terms: /收费/,
    severity: "info",
  },
  {
    key: "procurement",
    article: "条例第20条第（九）项",
    label: "政府集中采购项目的目录、标准及实施情况",
    terms: /采购/,
    severity: "info",
  },
  {
    key: "projects",
    article: "条例第20条第（十）项",
    label: "重大建设项目的批准和实施情况",
    terms: /建设项目/,
    severity: "info",
  },
  {
    key: "welfare",
    article: "条例第20条第（十一）项",
    label: "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    terms: /社会保障|社会保险|社保|就业|扶贫|乡村振兴|医疗|教育/,
    severity: "warning",
  },
  {
    key: "emergency",
    article: "条例第20条第（十二）项",
    label: "突发公共事件的应急预案、预警信息及应对情况",
    terms: /应急|突发/,
    severity: "info",
  },
  {
    key: "recruitment",
    article: "条例第20条第（十四）项",
    label: "公务员招考的职位、名额、报考条件等事项以及录用结果",
    terms: /招考|招录|招聘|录用/,
    severity: "info",
  },
  {
    key: "guide",
    article: "条例第12条",
    label: "政府信息公开指南",
    terms: /公开指南|信息公开指南/,
    severity: "warning",
  },
  {
    key: "annualReport",
    article: "条例第49条、第50条",
    label: "政府信息公开工作年度报告",
    terms: /年度报告|年报/,
    severity: "warning",
  },
];

function itemText(item: CatalogDocItem): string {
  return [item.name, ...item.elements.flatMap((e) => [e.label, e.content])].join(" ");
}

/** Which checklist entries the catalog covers (pure; exported for the admin UI). */
export function mandatoryCoverage(items: LintItem[]): { entry: MandatoryEntry; covered: boolean }[] {
  const texts = flatten(items).map((f) => itemText(f.item));
  return MANDATORY_CONTENT.map((entry) => ({ entry, covered: texts.some((t) => entry.terms.test(t)) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Unit names

/** Levenshtein distance with an early exit above `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  const A = [...a];
  const B = [...b];
  if (Math.abs(A.length - B.length) > max) return max + 1;
  let prev = Array.from({ length: B.length + 1 }, (_, i) => i);
  for (let i = 1; i <= A.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= B.length; j++) {
      const v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (A[i - 1] === B[j - 1] ? 0 : 1),
      );
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[B.length] as number;
}

/** Edits tolerated before two names count as different: 1 for short names, 2 from 8 characters. */
function tolerance(name: string): number {
  return [...name].length >= 8 ? 2 : 1;
}

/**
 * Spellings in `text` close to `name` but not equal (e.g. 「扎兰屯市人力资源红和社会保障局」 for
 * 「扎兰屯市人力资源和社会保障局」): windows that start and end like the name and are within the tolerance.
 */
export function nearMisspellings(text: string, name: string): string[] {
  const chars = [...text];
  const n = [...name].length;
  const first = name[0];
  const last = [...name][n - 1];
  const max = tolerance(name);
  const found = new Set<string>();
  if (n < 4) return [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== first) continue;
    for (let len = n - max; len <= n + max; len++) {
      if (len < 2 || i + len > chars.length) continue;
      if (chars[i + len - 1] !== last) continue;
      const window = chars.slice(i, i + len).join("");
      if (window === name || (text.includes(name) && window.includes(name))) continue;
      const d = editDistance(window, name, max);
      if (d > 0 && d <= max) found.add(window);
    }
  }
  return [...found];
}

function unitNames(input: LintInput, flat: Flat[]): Map<string, Flat | null> {
  const names = new Map<string, Flat | null>();
  for (const d of input.departments) if (!names.has(d)) names.set(d, null);
  for (const f of flat) {
    for (const u of f.item.units) if (!isGroupDesignation(u.name) && !names.has(u.name)) names.set(u.name, f);
    if (f.item.subject && !names.has(f.item.subject)) names.set(f.item.subject, f);
  }
  return names;
}

function unitFindings(input: LintInput, flat: Flat[]): LintFinding[] {
  const out: LintFinding[] = [];
  const official = [input.agencyName, input.agencyShortName].filter((x): x is string => !!x && x.length >= 4);
  // Misspellings of the agency's own name anywhere in the catalog's text.
  const reported = new Set<string>();
  for (const f of flat) {
    const fields = [
      f.item.name,
      f.item.subject ?? "",
      f.item.responsibleText ?? "",
      ...f.item.elements.map((e) => e.content),
    ];
    for (const name of official)
      for (const field of fields)
        for (const wrong of nearMisspellings(field, name)) {
          if (reported.has(`${wrong}|${f.path.join("/")}`)) continue;
          reported.add(`${wrong}|${f.path.join("/")}`);
          // 条例第10条: the disclosing body must be identifiable; a misspelt agency name misleads the public.
          out.push(
            finding(
              "unit_name_inconsistent",
              "warning",
              "条例第10条",
              f,
              `“${wrong}”与本机关名称“${name}”只差${editDistance(wrong, name)}个字，疑为错别字。`,
              `改为“${name}”。`,
            ),
          );
        }
  }
  // Near-duplicate unit names (the same 股室 written two ways).
  const names = [...unitNames(input, flat).entries()].filter(([n]) => [...n].length >= 3);
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const [a, fa] = names[i] as [string, Flat | null];
      const [b, fb] = names[j] as [string, Flat | null];
      const max = Math.min(tolerance(a), tolerance(b));
      const d = editDistance(a, b, max);
      if (d === 0 || d > max) continue;
      out.push(
        finding(
          "unit_name_inconsistent",
          "info",
          "条例第4条",
          fb ?? fa,
          `责任单位“${a}”与“${b}”写法相近，可能是同一单位的不同写法。`,
          "统一为内设机构名册中的规范名称（可在“内设机构”中核对）。",
        ),
      );
    }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

function normName(name: string): string {
  return name.replace(/[\s（）()“”"、，,。.]/g, "");
}

/** Lints a catalog (pure). Findings are ordered by severity, then by item order. */
export function lintCatalog(input: LintInput): LintFinding[] {
  const flat = flatten(input.items);
  const leaves = flat.filter((f) => f.item.children.length === 0);
  const out: LintFinding[] = [];

  for (const f of flat)
    if (f.item.name.trim() === "")
      out.push(
        finding(
          "name_missing",
          "error",
          "条例第12条",
          f,
          `第${f.item.level}级事项${f.item.number ? `（序号${f.item.number}）` : ""}没有名称。`,
          "补充事项名称（目录应载明每一事项的名称）。",
        ),
      );

  for (const f of leaves) {
    out.push(...deadlineFindings(f));
    if ((f.item.deadlineText ?? "").trim() === "")
      out.push(
        finding(
          "deadline_missing",
          "warning",
          "条例第26条",
          f,
          "未载明公开时限。",
          "填写公开时限，一般为“信息形成或者变更之日起20个工作日内”。",
        ),
      );
    if (f.item.channels.length + f.item.channelsOther.length === 0)
      out.push(
        finding(
          "channel_missing",
          "warning",
          "条例第23条",
          f,
          "未勾选任何公开渠道和载体。",
          "至少勾选一个公开渠道，如“政府网站”。",
        ),
      );
  }

  // Responsible units and legal basis: one catalog-wide finding when the whole catalog lacks the column.
  const noUnit = leaves.filter(
    (f) => f.item.units.length === 0 && (f.item.responsibleText ?? "").trim() === "",
  );
  if (noUnit.length > 0 && noUnit.length === leaves.length)
    out.push(
      finding(
        "responsible_missing",
        "warning",
        "条例第4条",
        null,
        `目录的全部 ${leaves.length} 个事项都没有责任单位（股室）。`,
        "为每个事项填写牵头的责任股室（及配合单位），以便落实公开责任和到期提醒。",
      ),
    );
  else
    for (const f of noUnit)
      out.push(
        finding(
          "responsible_missing",
          "warning",
          "条例第4条",
          f,
          "未载明责任单位（股室）。",
          "填写牵头的责任股室。",
        ),
      );

  const noBasis = leaves.filter((f) => f.item.legalBasis.length === 0);
  if (noBasis.length > 0 && noBasis.length === leaves.length)
    out.push(
      finding(
        "legal_basis_missing",
        "warning",
        "条例第22条",
        null,
        `目录的全部 ${leaves.length} 个事项都没有载明公开依据。`,
        "按标准目录要求补充“公开依据”列，至少写明《中华人民共和国政府信息公开条例》（国务院令第711号）及相应领域的法律法规。",
      ),
    );
  else
    for (const f of noBasis)
      out.push(
        finding(
          "legal_basis_missing",
          "info",
          "条例第22条",
          f,
          "未载明公开依据。",
          "补充公开依据（法律法规、规章或规范性文件的名称和条款）。",
        ),
      );

  // Duplicates: siblings with the same name, or leaves with the same name and content anywhere.
  const seen = new Map<string, Flat>();
  const siblings = (items: LintItem[], parentPath: string[]) => {
    const names = new Map<string, Flat>();
    for (const item of items) {
      const key = normName(item.name);
      const here = { item, path: [...parentPath, item.name] };
      if (key !== "" && names.has(key))
        out.push(
          finding(
            "duplicate_item",
            "warning",
            "条例第12条",
            here,
            `同一上级事项下有重名事项“${item.name}”。`,
            "合并重复事项，或修改名称以示区别。",
          ),
        );
      else names.set(key, here);
      siblings(item.children, here.path);
    }
  };
  siblings(input.items, []);
  for (const f of leaves) {
    const key = `${normName(f.item.name)}|${f.item.elements.map((e) => normName(e.content)).join("|")}`;
    const other = seen.get(key);
    if (
      other &&
      other.path.slice(0, -1).join("/") !== f.path.slice(0, -1).join("/") &&
      f.item.elements.length > 0
    )
      out.push(
        finding(
          "duplicate_item",
          "warning",
          "条例第12条",
          f,
          `与“${other.path.join(" / ")}”名称和公开内容完全相同。`,
          "删除重复事项，或说明两者的区别。",
        ),
      );
    else seen.set(key, f);
  }

  for (const { entry, covered } of mandatoryCoverage(input.items))
    if (!covered)
      out.push(
        finding(
          "mandatory_content_missing",
          entry.severity,
          entry.article,
          null,
          `目录中没有涵盖“${entry.label}”的事项。`,
          `如本机关有此类信息，应在目录中增加相应事项（${entry.article}）；确无此类职能的可不列。`,
        ),
      );

  out.push(...unitFindings(input, flat));
  const rank: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };
  const order = new Map(flat.map((f, i) => [f.item, i]));
  const pos = (x: LintFinding) => {
    const f = flat.find((g) => g.path.join("/") === x.itemPath.join("/"));
    return f ? (order.get(f.item) ?? 0) : -1;
  };
  return out
    .map((x, i) => ({ x, i, p: pos(x) }))
    .sort((a, b) => rank[a.x.severity] - rank[b.x.severity] || a.p - b.p || a.i - b.i)
    .map((e) => e.x);
}
