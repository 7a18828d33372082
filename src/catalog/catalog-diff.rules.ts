/**
 * @module Differences between two catalog versions, matched by item stable_key, and the governance rule:
 * adding is free, cutting needs justification. Removing an item or weakening one (a longer deadline, fewer
 * channels, 主动 → 依申请, a narrower audience, fewer content elements) needs an explicit reason before the
 * version can be published (条例第22条: the catalog is kept up to date and extended, 条例第53条: failing to
 * update it is an offence — a cut must therefore be a recorded decision).
 */
import type { CatalogDocItem } from "./catalog.model.ts";

/** What diffing needs from an item: the document fields, its key and the parsed deadline rules. */
export interface DiffItem extends CatalogDocItem {
  stableKey: string;
  deadlineRules: { rule: { kind: string }; element?: string | undefined }[];
  children: DiffItem[];
}

export type WeakeningKind =
  | "removed"
  | "deadline_longer"
  | "deadline_removed"
  | "channels_fewer"
  | "mode_to_request"
  | "audience_narrowed"
  | "elements_removed";

export interface Weakening {
  kind: WeakeningKind;
  message: string;
}

export interface ItemChange {
  stableKey: string;
  /** Key of the parent item in the version the item lives in (old version for removals). */
  parentKey: string | null;
  kind: "added" | "removed" | "changed";
  path: string[];
  level: number;
  /** Changed fields, in Chinese (公开时限, 公开渠道 …). */
  fields: string[];
  weakenings: Weakening[];
}

export interface CatalogDiff {
  changes: ItemChange[];
  added: number;
  removed: number;
  changed: number;
  /** Changes that need a reason (removals whose parent is not removed too, and weakened items). */
  needsReason: ItemChange[];
}

interface Flat {
  item: DiffItem;
  path: string[];
  parentKey: string | null;
}

function flatten(
  items: DiffItem[],
  path: string[] = [],
  parentKey: string | null = null,
  out = new Map<string, Flat>(),
) {
  for (const item of items) {
    const here = [...path, item.name];
    out.set(item.stableKey, { item, path: here, parentKey });
    flatten(item.children, here, item.stableKey, out);
  }
  return out;
}

/** Approximate working days per period, to compare periodic duties with day counts. */
const PERIOD_DAYS: Record<string, number> = { month: 22, quarter: 65, year: 250 };

/**
 * How long the deadline allows, in working days (larger = weaker): the longest of the item's rules.
 * 实时/及时 = 0; 无法定时限 and 根据实际更新 = Infinity; undefined when the item states no rule.
 */
export function deadlineAllowance(rules: DiffItem["deadlineRules"]): number | undefined {
  let max: number | undefined;
  for (const { rule: r } of rules) {
    const rule = r as { kind: string } & Record<string, unknown>;
    let days: number | undefined;
    switch (rule.kind) {
      case "workingDaysFromFormation":
      case "workingDaysFromDecision":
      case "afterLinkedPublication":
        days = Number(rule.days);
        break;
      case "afterApproval":
        days = rule.unit === "workingDays" ? Number(rule.amount) : Math.ceil((Number(rule.amount) * 5) / 7);
        break;
      case "afterNoticePeriod":
        days = Number(rule.months) * 22;
        break;
      case "realtime":
      case "withLinkedPublication":
        days = 0;
        break;
      case "onChange":
        days = rule.promptness === "prompt" ? 0 : Number.POSITIVE_INFINITY;
        break;
      case "periodic":
        days = PERIOD_DAYS[String(rule.unit)] ?? 250;
        break;
      case "fixedYearly":
        days = 250;
        break;
      case "noStatutoryDeadline":
      case "named":
        days = Number.POSITIVE_INFINITY;
        break;
      case "periodicHalfYear":
        days = 125;
        break;
      case "afterEvent": {
        const n = Number(rule.amount);
        days =
          rule.unit === "workingDays"
            ? n
            : rule.unit === "calendarDays"
              ? Math.ceil((n * 5) / 7)
              : rule.unit === "months"
                ? n * 22
                : n * 250;
        break;
      }
      default:
        days = undefined; // keepPublished, noticePeriod: not a deadline
    }
    if (days !== undefined && (max === undefined || days > max)) max = days;
  }
  return max;
}

function channelSet(item: CatalogDocItem): string[] {
  return [...item.channels, ...item.channelsOther];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Weakenings of one item from `before` to `after` (pure; table-tested). */
export function weakenings(before: DiffItem, after: DiffItem): Weakening[] {
  const out: Weakening[] = [];
  const a = deadlineAllowance(before.deadlineRules);
  const b = deadlineAllowance(after.deadlineRules);
  if (a !== undefined && b === undefined && (after.deadlineText ?? "") === "")
    out.push({ kind: "deadline_removed", message: `删除了公开时限（原为“${before.deadlineText ?? ""}”）` });
  else if (a !== undefined && b !== undefined && b > a)
    out.push({
      kind: "deadline_longer",
      message: `公开时限放宽：“${before.deadlineText ?? ""}” → “${after.deadlineText ?? ""}”`,
    });
  const lost = channelSet(before).filter((c) => !channelSet(after).includes(c));
  if (lost.length > 0) out.push({ kind: "channels_fewer", message: `减少公开渠道：${lost.join("、")}` });
  if (before.mode === "主动" && after.mode !== "主动")
    out.push({ kind: "mode_to_request", message: `公开方式由“主动”改为“${after.mode ?? "未填写"}”` });
  if ((before.audience ?? "").includes("全社会") && !(after.audience ?? "").includes("全社会"))
    out.push({
      kind: "audience_narrowed",
      message: `公开对象由“${before.audience}”缩小为“${after.audience ?? "未填写"}”`,
    });
  const keys = new Set(after.elements.map((e) => e.stableKey));
  const removed = before.elements.filter((e) => !keys.has(e.stableKey));
  if (removed.length > 0)
    out.push({
      kind: "elements_removed",
      message: `删除公开内容：${removed.map((e) => (e.label ? `${e.label}：` : "") + e.content.slice(0, 30)).join("；")}`,
    });
  return out;
}

function changedFields(before: DiffItem, after: DiffItem): string[] {
  const f: string[] = [];
  if (before.name !== after.name || before.number !== after.number) f.push("事项名称");
  const elems = (i: DiffItem) =>
    i.elements.map((e) => `${e.stableKey}|${e.label}|${e.content}|${e.deadlineText ?? ""}`);
  if (!sameList(elems(before), elems(after))) f.push("公开内容");
  if (!sameList(before.legalBasis, after.legalBasis)) f.push("公开依据");
  if ((before.deadlineText ?? "") !== (after.deadlineText ?? "")) f.push("公开时限");
  if ((before.subject ?? "") !== (after.subject ?? "")) f.push("公开主体");
  if (!sameList(channelSet(before), channelSet(after))) f.push("公开渠道");
  if ((before.audience ?? "") !== (after.audience ?? "")) f.push("公开对象");
  if (before.mode !== after.mode) f.push("公开方式");
  if ((before.form ?? "") !== (after.form ?? "")) f.push("公开形式");
  if ((before.adminLevel ?? "") !== (after.adminLevel ?? "")) f.push("公开层级");
  const units = (i: DiffItem) => i.units.map((u) => `${u.role}:${u.name}`).sort();
  if (
    (before.responsibleText ?? "") !== (after.responsibleText ?? "") ||
    !sameList(units(before), units(after))
  )
    f.push("责任单位");
  if ((before.remarks ?? "") !== (after.remarks ?? "")) f.push("备注");
  if (JSON.stringify(before.extra) !== JSON.stringify(after.extra)) f.push("其他");
  return f;
}

/** Compares two versions item by item (by stable_key). */
export function diffCatalogs(before: DiffItem[], after: DiffItem[]): CatalogDiff {
  const a = flatten(before);
  const b = flatten(after);
  const changes: ItemChange[] = [];
  for (const [key, x] of a) {
    const y = b.get(key);
    if (!y) {
      changes.push({
        stableKey: key,
        parentKey: x.parentKey,
        kind: "removed",
        path: x.path,
        level: x.item.level,
        fields: [],
        weakenings: [{ kind: "removed", message: `删除事项“${x.path.join(" / ")}”` }],
      });
      continue;
    }
    const fields = changedFields(x.item, y.item);
    if (x.parentKey !== y.parentKey) fields.push("所属上级事项");
    if (fields.length === 0) continue;
    changes.push({
      stableKey: key,
      parentKey: y.parentKey,
      kind: "changed",
      path: y.path,
      level: y.item.level,
      fields,
      weakenings: weakenings(x.item, y.item),
    });
  }
  for (const [key, y] of b)
    if (!a.has(key))
      changes.push({
        stableKey: key,
        parentKey: y.parentKey,
        kind: "added",
        path: y.path,
        level: y.item.level,
        fields: [],
        weakenings: [],
      });
  const removedKeys = new Set(changes.filter((c) => c.kind === "removed").map((c) => c.stableKey));
  const needsReason = changes.filter(
    (c) =>
      c.weakenings.length > 0 &&
      !(c.kind === "removed" && c.parentKey !== null && removedKeys.has(c.parentKey)),
  );
  return {
    changes,
    added: changes.filter((c) => c.kind === "added").length,
    removed: changes.filter((c) => c.kind === "removed").length,
    changed: changes.filter((c) => c.kind === "changed").length,
    needsReason,
  };
}

/** Changes needing a reason that have none (reasons keyed by stable_key; blank reasons do not count). */
export function missingReasons(diff: CatalogDiff, reasons: Readonly<Record<string, string>>): ItemChange[] {
  return diff.needsReason.filter((c) => (reasons[c.stableKey] ?? "").trim().length < 2);
}
