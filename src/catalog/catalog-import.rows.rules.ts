/**
 * @module Pure helpers of the catalog import (catalog-import.rules.ts): one row's values applied to its item (ticks,
 * channels, responsible units, 同上 continuations, extra columns), where an item goes in the tree, and whether 序号
 * numbers the 一级事项 or every row.
 */
import { type CatalogDocItem, walkItems } from "./catalog.model.ts";
import {
  cleanCell,
  formatResponsible,
  isExplicitEmpty,
  isTicked,
  parseChannelCell,
  parseElements,
  parseResponsible,
  splitLegalBasis,
} from "./catalog-cells.rules.ts";
import { type ColumnMapping, EXTRA_PREFIX, type RawRow } from "./catalog-import.columns.rules.ts";

export function extraKey(c: ColumnMapping): string {
  const h = c.heading.trim();
  if (h.startsWith(EXTRA_PREFIX)) return h.slice(EXTRA_PREFIX.length);
  return h || `第${c.index + 1}列`;
}

/** 「村（社区）级」「嘎查级」 as the heading names the level (a sub-heading under 公开层级). */
export function villageLevelName(heading: string): string {
  const h = (heading.split("/").pop() ?? heading).trim().replace(/\(/g, "（").replace(/\)/g, "）");
  return /级$/.test(h) ? h : `${h}级`;
}

export function sameColumns(a: ColumnMapping[], b: ColumnMapping[]): boolean {
  return a.length === b.length && a.every((c, i) => c.role === b[i]?.role);
}

export function attach(
  roots: CatalogDocItem[],
  parent: CatalogDocItem | undefined,
  item: CatalogDocItem,
): void {
  if (parent) parent.children.push(item);
  else roots.push(item);
}

export function isInside(ancestor: CatalogDocItem, item: CatalogDocItem): boolean {
  if (ancestor === item) return true;
  return ancestor.children.some((c) => isInside(c, item));
}

export function pathNames(roots: CatalogDocItem[], target: CatalogDocItem): string[] {
  for (const { item, path } of walkItems(roots))
    if (item === target) return [...path, item].map((i) => i.name);
  return [target.name];
}

/**
 * 序号 numbers the 一级事项 (merged like the 一级事项 cell; 聊城, 中卫) rather than every row (the national template):
 * inside an 一级事项 group it rarely changes.
 */
export function detectSeqAsLevel1(data: RawRow[], seqCol: number, level1Col: number | undefined): boolean {
  if (level1Col === undefined) return false;
  let continuing = 0;
  let changes = 0;
  let blanks = 0;
  let prevSeq = "";
  let prevL1 = "";
  for (const r of data) {
    const seq = cleanCell(r.cells[seqCol] ?? "");
    const l1 = cleanCell(r.cells[level1Col] ?? "");
    const continues = l1 === "" || l1 === prevL1;
    if (continues && prevL1 !== "") {
      continuing++;
      if (seq !== "" && seq !== prevSeq) changes++;
      if (seq === "") blanks++;
    }
    if (seq !== "") prevSeq = seq;
    if (l1 !== "") prevL1 = l1;
  }
  // Numbering every row: 序号 is filled and changes on (almost) every row inside a group.
  const numbersRows = continuing > 0 && changes / continuing >= 0.5 && blanks / continuing < 0.3;
  return !numbersRows;
}

export interface RowValues {
  content: string;
  deadline: string;
  legalBasis: string;
  subject: string;
  channels: string;
  responsible: string;
  cooperating: string;
  form: string;
  adminLevel: string;
  audience: string;
  remarks: string;
  mode: string;
  ticks: {
    all: boolean;
    specific: boolean;
    active: boolean;
    request: boolean;
    county: boolean;
    township: boolean;
    /** Ticked village-level headings (村（社区）级, 嘎查级 …). */
    village: string[];
  };
  /** Text other than a tick mark written in a tick column (e.g. 「全市参保人员」 under 特定群体). */
  tickText: { audience: string; adminLevel: string };
  hasAudienceTicks: boolean;
  hasModeTicks: boolean;
  hasAdminTicks: boolean;
  extra: [string, string][];
  inferActive: boolean;
  continuation: boolean;
  warnings: string[];
  /** Whether a 公开时限 text reads as one deadline (the parser); a phrase wrapped over lines then stays whole. */
  isOneDeadline?: (text: string) => boolean;
}

/** Text in tick columns that is not a tick mark (a value the tick columns cannot express). */
export function tickColumnText(cells: string[]): string {
  for (const c of cells) {
    const t = c.trim();
    if (t.length > 1 && !isTicked(t) && !/^[□☐×✗✘]$/.test(t) && !isExplicitEmpty(t)) return t;
  }
  return "";
}

export function appendText(current: string | null, next: string): string | null {
  if (next === "") return current;
  if (current === null || current === "") return next;
  if (current.split("\n").includes(next)) return current;
  return `${current}\n${next}`;
}

export function applyRow(item: CatalogDocItem, v: RowValues): void {
  if (v.deadline !== "") item.deadlineText = appendText(item.deadlineText, v.deadline);
  if (v.content !== "")
    item.elements.push(
      ...parseElements(v.content, v.deadline === "" ? item.deadlineText : v.deadline, v.isOneDeadline),
    );
  for (const c of splitLegalBasis(v.legalBasis)) if (!item.legalBasis.includes(c)) item.legalBasis.push(c);
  if (v.subject !== "" && !item.subject) item.subject = v.subject;
  if (v.channels !== "") {
    const parsed = parseChannelCell(v.channels);
    if (parsed.note) item.remarks = appendText(item.remarks, parsed.note);
    for (const c of parsed.channels) if (!item.channels.includes(c)) item.channels.push(c);
    for (const o of parsed.other) if (!item.channelsOther.includes(o)) item.channelsOther.push(o);
  }
  if (v.responsible !== "" || v.cooperating !== "") {
    const units = parseResponsible(v.responsible);
    if (v.cooperating !== "")
      for (const u of parseResponsible(v.cooperating)) units.push({ name: u.name, role: "cooperating" });
    if (!item.responsibleText)
      item.responsibleText = v.cooperating !== "" ? formatResponsible(units) : v.responsible;
    for (const u of units) if (!item.units.some((x) => x.name === u.name)) item.units.push(u);
  }
  if (v.form !== "" && !item.form) item.form = v.form;
  if (v.hasAdminTicks && v.tickText.adminLevel !== "") {
    if (!item.adminLevel) item.adminLevel = v.tickText.adminLevel;
  } else if (v.hasAdminTicks) {
    const levels = [v.ticks.county ? "县级" : "", v.ticks.township ? "乡级" : "", ...v.ticks.village]
      .filter(Boolean)
      .join("、");
    if (levels !== "" && !item.adminLevel) item.adminLevel = levels;
  } else if (v.adminLevel !== "" && !item.adminLevel) item.adminLevel = v.adminLevel;
  if (v.hasAudienceTicks && v.tickText.audience !== "") {
    if (!item.audience) item.audience = v.tickText.audience;
  } else if (v.hasAudienceTicks) {
    const aud = [v.ticks.all ? "全社会" : "", v.ticks.specific ? "特定群体" : ""].filter(Boolean).join("、");
    if (aud !== "" && !item.audience) item.audience = aud;
  } else if (v.audience !== "" && !item.audience) item.audience = v.audience;
  if (v.hasModeTicks) {
    if (!item.mode) {
      if (v.ticks.active) item.mode = "主动";
      else if (v.ticks.request) item.mode = "依申请";
    }
    if (v.ticks.active && v.ticks.request) {
      item.extra.公开方式 = "主动、依申请";
      v.warnings.push("“主动”和“依申请”都已勾选：按“主动”导入，原文保存在其他字段。");
    }
  } else if (v.mode !== "" && !item.mode) {
    if (/依申请/.test(v.mode) && !/主动/.test(v.mode)) item.mode = "依申请";
    else if (/主动/.test(v.mode)) item.mode = "主动";
    else item.extra.公开方式 = v.mode;
  } else if (v.inferActive && !item.mode) item.mode = "主动";
  if (v.remarks !== "") item.remarks = appendText(item.remarks, v.remarks);
  for (const [k, val] of v.extra) {
    const prev = item.extra[k];
    item.extra[k] = prev && prev !== val && v.continuation ? `${prev}\n${val}` : val;
  }
}
