/**
 * @module Reading a published annual report's tables into the official cells (国办公开办函〔2021〕30号). Pure: takes
 * the `ReportDocument` of report-import.readers.ts, returns `AnnualReportData` plus where each cell was read and
 * warnings. Rows are recognised by their enumerators (一、/（三）/1.) and key words, not by exact wording, so the
 * variants agencies print (full-width digits, 1、 vs 1., shortened labels, extra spaces) read the same; table 三's
 * columns are mapped by their header labels when the header is present. Nothing is guessed silently: a table or
 * row that is not found is reported, and the audit treats its cells as unknown, not as 0.
 */
import { toSimplifiedCharacters } from "../shared/simplified.ts";
import {
  APPLICATION_COLUMNS,
  type ApplicationColumnCode,
  type ApplicationRowCode,
  CASE_BLOCKS,
  CASE_RESULTS,
  OUTCOME_GROUPS,
  type OutcomeCode,
  type SectionCode,
} from "./annual-report.format.ts";
import { type AnnualReportData, emptyReport, setCell } from "./annual-report.rules.ts";
import type { GridCell, ReportBlock, ReportDocument } from "./report-import.readers.ts";

export type ReportFormatVersion = "2021" | "2019";

export interface ImportWarning {
  code:
    | "table_missing"
    | "row_missing"
    | "row_unrecognised"
    | "cell_blank"
    | "cell_unreadable"
    | "label_mismatch"
    | "columns_assumed"
    | "format_2019"
    | "section_missing";
  message: string;
  /** Official cell or section names concerned. */
  cells: string[];
}

export interface ImportedReport {
  title: string | null;
  format: ReportFormatVersion;
  data: AnnualReportData;
  /** Which parts were found in the document (a missing part's cells are unknown, not 0). */
  found: { proactive: boolean; applications: boolean; reviewLitigation: boolean; sections: SectionCode[] };
  /** Where each table cell was read: cell path joined with "." → 「表3第5行第4列」. */
  sources: Record<string, string>;
  warnings: ImportWarning[];
}

// ---------------------------------------------------------------------------------------------------------------
// Text normalisation and enumerators

/** NFKC (full-width digits and brackets to ASCII), no white space, one kind of quote. */
export function normalizeLabel(text: string): string {
  // 繁体 pages (申請人情況, 結轉下年度繼續辦理) read like the official labels.
  return toSimplifiedCharacters(text.normalize("NFKC"))
    .replace(/\s+/g, "")
    .replace(/[“”"「」『』]/g, '"')
    .replace(/[．。]/g, ".");
}

const CN_NUMERALS = "一二三四五六七八九十";
const TOP = /^([一二三四五六])、/;
const GROUP = /^\(([一二三四五六七八])\)/;
const SUB = /^(\d{1,2})[.、]/;

function cnIndex(ch: string): number {
  return CN_NUMERALS.indexOf(ch) + 1;
}

/** A cell value: a number, blank (「」「—」「/」「无」), or unreadable text. */
export function parseNumberCell(text: string): { kind: "number"; value: number } | { kind: "blank" } | null {
  const t = text.normalize("NFKC").replace(/[\s,，]/g, "");
  if (t === "" || /^[-—–―/\\无－]+$/.test(t)) return { kind: "blank" };
  const m = /^(\d+(?:\.\d+)?)(?:件|个|万元|元)?$/.exec(t);
  if (!m) return null;
  return { kind: "number", value: Number(m[1]) };
}

function isValueCell(cell: GridCell): boolean {
  return parseNumberCell(cell.text) !== null;
}

/** The distinct cells of a row, in order (a merged cell appears once). */
function distinct(row: GridCell[]): GridCell[] {
  const out: GridCell[] = [];
  for (const cell of row) if (out[out.length - 1] !== cell && !out.includes(cell)) out.push(cell);
  return out;
}

interface SplitRow {
  labels: string[];
  values: GridCell[];
  /** Grid column index of each value cell (its first column). */
  columns: number[];
}

/**
 * Splits a row into its label cells and its last `width` cells as values. A data row has at least `width - 2`
 * readable value cells there (so one or two unreadable cells, e.g. 「十四」, are still read — and reported — rather
 * than the row being taken for a header); `labelled` rows must have a label before them.
 */
function dataRow(row: GridCell[], width: number, labelled: boolean): SplitRow | null {
  const cells = distinct(row);
  if (cells.length < width + (labelled ? 1 : 0)) return null;
  const values = cells.slice(-width);
  if (values.filter(isValueCell).length < width - 2) return null;
  const labels = cells
    .slice(0, cells.length - width)
    .map((c) => c.text)
    .filter((t) => t !== "");
  if (labelled && labels.length === 0) return null;
  return { labels, values, columns: values.map((v) => row.indexOf(v)) };
}

/** Splits a row into its label cells and the run of value cells at its end. */
function splitRow(row: GridCell[]): SplitRow {
  const cells = distinct(row);
  let i = cells.length;
  while (i > 0 && isValueCell(cells[i - 1] as GridCell)) i--;
  const values = cells.slice(i);
  const labels = cells
    .slice(0, i)
    .map((c) => c.text)
    .filter((t) => t !== "");
  return { labels, values, columns: values.map((v) => row.indexOf(v)) };
}

function allText(grid: GridCell[][]): string {
  return normalizeLabel(grid.flatMap((r) => distinct(r).map((c) => c.text)).join("|"));
}

// ---------------------------------------------------------------------------------------------------------------
// Table 三

const GROUP_OUTCOMES: Record<number, readonly OutcomeCode[]> = Object.fromEntries(
  OUTCOME_GROUPS.map((g, i) => [i + 1, g.outcomes.map((o) => o.code)]),
);

/** Keywords that identify a row when its enumerator is missing or unusual. */
const ROW_KEYWORDS: readonly [RegExp, ApplicationRowCode][] = [
  [/本年新收/, "received"],
  [/上年结转/, "carried_over"],
  [/结转下年/, "carried_forward"],
  [/^\(七\)|^总计$/, "concluded_total"],
  [/部分公开/, "partially_granted"],
  [/^\(一\)予以公开|^予以公开$/, "granted"],
];

function outcomeKey(label: string): string {
  return normalizeLabel(label)
    .replace(/^\d{1,2}[.、]/, "")
    .replace(/^\([一二三四五六七八]\)/, "")
    .slice(0, 4);
}

/**
 * The row's code from its label cells. `context` carries the enclosing group (（三）…（六）) from the rows above: a
 * table broken across pages (Word prints it as two tables) continues with 「2.没有现成信息…」 without its merged
 * group cell.
 */
function identifyApplicationRow(
  labels: string[],
  context: { group: number } = { group: 0 },
): { code: ApplicationRowCode | null; note?: string } {
  const norm = labels.map(normalizeLabel);
  let top = 0;
  let group = 0;
  for (const l of norm) {
    const t = TOP.exec(l);
    if (t) top = cnIndex(t[1] as string);
    const g = GROUP.exec(l);
    if (g) group = cnIndex(g[1] as string);
  }
  const own = norm[norm.length - 1] ?? "";
  const sub = SUB.exec(own);
  if (group > 0) context.group = group;
  else if (top > 0 && top !== 3) context.group = 0;
  else if (sub && top === 0) group = context.group;
  if (group >= 3 && group <= 6 && sub) {
    const list = GROUP_OUTCOMES[group] ?? [];
    const code = list[Number(sub[1]) - 1];
    return code ? { code } : { code: null, note: `（${CN_NUMERALS[group - 1]}）下没有第${sub[1]}项` };
  }
  if (group === 1) return { code: "granted" };
  if (group === 2) return { code: "partially_granted" };
  if (group === 7) return { code: "concluded_total" };
  if (group === 6 && !sub) return { code: "other_other", note: "2019" };
  if (group >= 3 && group <= 5 && !sub) {
    // A sub-row without its number (「属于国家秘密」): find it by its words within the group.
    const key = outcomeKey(own);
    const list = GROUP_OUTCOMES[group] ?? [];
    const groupDef = OUTCOME_GROUPS[group - 1];
    const match = groupDef?.outcomes.find((o) => outcomeKey(o.label) === key);
    if (match && list.includes(match.code)) return { code: match.code };
    return { code: null, note: "小计行或无法识别的行" };
  }
  if (top === 1) return { code: "received" };
  if (top === 2) return { code: "carried_over" };
  if (top === 4) return { code: "carried_forward" };
  for (const [re, code] of ROW_KEYWORDS) if (norm.some((l) => re.test(l))) return { code };
  return { code: null };
}

/** Maps the 7 value positions of table 三 to columns using the header rows; official order when absent. */
function applicationColumnsOrder(
  grid: GridCell[][],
  firstDataRow: number,
  columns: number[],
): { order: ApplicationColumnCode[]; assumed: boolean } {
  const official = APPLICATION_COLUMNS.map((c) => c.code);
  const found: (ApplicationColumnCode | undefined)[] = columns.map((col) => {
    for (let r = firstDataRow - 1; r >= 0; r--) {
      const text = normalizeLabel(grid[r]?.[col]?.text ?? "");
      const hit = APPLICATION_COLUMNS.find(
        (c) => text === c.label || (c.code === "total" && text === "总计"),
      );
      if (hit) return hit.code;
    }
    return undefined;
  });
  const unique = new Set(found.filter((x) => x !== undefined));
  if (unique.size === official.length && found.every((x) => x !== undefined))
    return { order: found as ApplicationColumnCode[], assumed: false };
  return { order: official, assumed: true };
}

function cellName(row: ApplicationRowCode, column: ApplicationColumnCode): string {
  const rowDef = ROW_NAMES.get(row) ?? row;
  const col = APPLICATION_COLUMNS.find((c) => c.code === column)?.label ?? column;
  return `${rowDef}[${col}]`;
}

const ROW_NAMES = new Map<ApplicationRowCode, string>([
  ["received", "一、本年新收"],
  ["carried_over", "二、上年结转"],
  ["concluded_total", "三（七）总计"],
  ["carried_forward", "四、结转下年度继续办理"],
  ["granted", "三（一）予以公开"],
  ["partially_granted", "三（二）部分公开"],
  ...OUTCOME_GROUPS.slice(2).flatMap((g) =>
    g.outcomes.map((o): [ApplicationRowCode, string] => [o.code, `三${g.label.slice(0, 3)}${o.label}`]),
  ),
]);

// ---------------------------------------------------------------------------------------------------------------
// The whole document

interface TableRef {
  index: number;
  grid: GridCell[][];
}

function position(table: TableRef, row: number, col: number): string {
  return `表格${table.index + 1}第${row + 1}行第${col + 1}列`;
}

/**
 * Columns empty in every row are dropped: Word exports pad rows with empty cells (a narrow first column, cells
 * after the last one — gridBefore/gridAfter), which would otherwise be read as blank values.
 */
export function withoutEmptyColumns(grid: GridCell[][]): GridCell[][] {
  const width = Math.max(0, ...grid.map((row) => row.length));
  const used = Array.from({ length: width }, (_, c) => grid.some((row) => (row[c]?.text ?? "") !== ""));
  if (used.every(Boolean)) return grid;
  return grid.map((row) => row.filter((_, c) => used[c]));
}

/** Tables right after table 三 that hold more of its rows (no header of their own, not table 四). */
function continuations(tables: TableRef[], first: TableRef, review: TableRef | undefined): TableRef[] {
  const out: TableRef[] = [];
  for (const t of tables.slice(first.index + 1)) {
    if (t === review || /申请人情况|第二十条/.test(allText(t.grid))) break;
    const rows = t.grid.map((row) => dataRow(row, 7, true)).filter((x) => x !== null);
    if (rows.length === 0) break;
    out.push(t);
  }
  return out;
}

export function documentToReport(doc: ReportDocument): ImportedReport {
  const warnings: ImportWarning[] = [];
  const sources: Record<string, string> = {};
  const identity = identityOf(doc.title, doc.blocks);
  const data = emptyReport(identity.year, identity.agencyName);
  const tables: TableRef[] = [];
  doc.blocks.forEach((b) => {
    if (b.kind === "table") tables.push({ index: tables.length, grid: withoutEmptyColumns(b.grid) });
  });
  const is2019 = tables.some((t) =>
    /本年新制作数量|上一年项目数量|本年增\/减|本年新公开数量/.test(allText(t.grid)),
  );
  const format: ReportFormatVersion = is2019 ? "2019" : "2021";
  if (is2019)
    warnings.push({
      code: "format_2019",
      message:
        "该报告使用国办公开办函〔2019〕60号试行格式（表二为“本年新制作数量/上一年项目数量”等栏目），" +
        "未使用国办公开办函〔2021〕30号格式；表二的规章、规范性文件和收费栏目无法与现行格式对照。",
      cells: ["二、主动公开政府信息情况"],
    });

  const set = (path: string[], value: number, source: string) => {
    setCell(data, path, value);
    sources[path.join(".")] = source;
  };
  const readValue = (cell: GridCell, name: string): number => {
    const parsed = parseNumberCell(cell.text);
    if (parsed?.kind === "number") return parsed.value;
    if (parsed?.kind === "blank") {
      warnings.push({ code: "cell_blank", message: `${name}为空白或“—”，按0计。`, cells: [name] });
      return 0;
    }
    warnings.push({ code: "cell_unreadable", message: `${name}“${cell.text}”不是数字。`, cells: [name] });
    return Number.NaN;
  };

  const applications = tables.find((t) => /申请人情况|本年新收|商业企业/.test(allText(t.grid)));
  const review = tables.find((t) => /行政复议/.test(allText(t.grid)) && /结果维持/.test(allText(t.grid)));
  const found = {
    proactive: false,
    applications: false,
    reviewLitigation: false,
    sections: [] as SectionCode[],
  };

  // Table 三, with the tables that continue it (a table broken across pages is printed as several).
  if (applications) {
    const seen = new Set<ApplicationRowCode>();
    let order: ApplicationColumnCode[] | null = null;
    let single2019Other = false;
    const context = { group: 0 };
    const parts = [applications, ...continuations(tables, applications, review)];
    const rows = parts.flatMap((t) => t.grid.map((row, r) => ({ table: t, row, r })));
    rows.forEach(({ table, row, r }) => {
      const split = dataRow(row, 7, true);
      if (!split) return;
      const { code, note } = identifyApplicationRow(split.labels, context);
      if (!code) {
        warnings.push({
          code: "row_unrecognised",
          message: `表三第${r + 1}行“${split.labels.join(" / ")}”不是格式中的行${note ? `（${note}）` : ""}，未读取。`,
          cells: [],
        });
        return;
      }
      if (note === "2019") single2019Other = true;
      if (note === "2019")
        warnings.push({
          code: "format_2019",
          message: "表三“（六）其他处理”未按现行格式分为3个子项，已计入“3.其他”。",
          cells: ["三（六）其他处理"],
        });
      if (!order) {
        const mapped = applicationColumnsOrder(table.grid, r, split.columns);
        order = mapped.order;
        if (mapped.assumed)
          warnings.push({
            code: "columns_assumed",
            message: "未能从表三表头识别申请人类型各列，按格式顺序（自然人、商业企业……总计）读取。",
            cells: [],
          });
      }
      if (seen.has(code)) {
        warnings.push({
          code: "row_unrecognised",
          message: `表三第${r + 1}行与前面的“${ROW_NAMES.get(code)}”重复，未读取。`,
          cells: [ROW_NAMES.get(code) ?? code],
        });
        return;
      }
      seen.add(code);
      split.values.forEach((cell, i) => {
        const column = (order as ApplicationColumnCode[])[i] as ApplicationColumnCode;
        const name = cellName(code, column);
        set(["applications", code, column], readValue(cell, name), position(table, r, split.columns[i] ?? 0));
      });
    });
    found.applications = seen.size > 0;
    // The 2019 format has one （六）其他处理 row (read as 3.其他): its two other sub-rows are not missing there.
    const other2019 = (GROUP_OUTCOMES[6] ?? []).filter((c) => c !== "other_other");
    const missing = [...ROW_NAMES.keys()].filter(
      (code) => !seen.has(code) && !(single2019Other && (other2019 as readonly string[]).includes(code)),
    );
    if (found.applications && missing.length > 0)
      warnings.push({
        code: "row_missing",
        message: `表三缺少${missing.length}行：${missing.map((c) => ROW_NAMES.get(c)).join("、")}。`,
        cells: missing.map((c) => ROW_NAMES.get(c) ?? c),
      });
  }
  if (!found.applications)
    warnings.push({
      code: "table_missing",
      message: "未找到“三、收到和处理政府信息公开申请情况”表格。",
      cells: ["三、收到和处理政府信息公开申请情况"],
    });

  // Table 四: one data row of 15 values.
  if (review) {
    for (let r = 0; r < review.grid.length && !found.reviewLitigation; r++) {
      const split = dataRow(review.grid[r] as GridCell[], 15, false);
      if (!split) continue;
      const values = split.values;
      CASE_BLOCKS.forEach((block, b) => {
        CASE_RESULTS.forEach((result, i) => {
          const cell = values[b * 5 + i] as GridCell;
          const name = `${block.code === "review" ? "" : "行政诉讼·"}${block.label}·${result.label}`;
          set(
            ["reviewLitigation", block.code, result.code],
            readValue(cell, name),
            position(review, r, split.columns[b * 5 + i] ?? 0),
          );
        });
      });
      found.reviewLitigation = true;
    }
  }
  if (!found.reviewLitigation)
    warnings.push({
      code: "table_missing",
      message: "未找到“四、政府信息公开行政复议、行政诉讼情况”表格的数据行（应有15个数字）。",
      cells: ["四、政府信息公开行政复议、行政诉讼情况"],
    });

  // Table 二: rows found by their labels in any other table (agencies print it as one or four tables).
  const applicationParts = applications ? [applications, ...continuations(tables, applications, review)] : [];
  readProactive(
    tables.filter((t) => !applicationParts.includes(t) && t !== review),
    format,
    set,
    readValue,
    warnings,
    found,
  );

  // Narratives
  const sections = narrativeSections(doc.blocks);
  data.overview = sections.overview ?? "";
  data.problems = sections.problems ?? "";
  data.otherMatters = sections.other_matters ?? "";
  found.sections = Object.keys(sections) as SectionCode[];
  return { title: doc.title, format, data, found, sources, warnings };
}

const PROACTIVE_ROWS: readonly { re: RegExp; path: [string, string]; columns: string[] }[] = [
  { re: /^规章$/, path: ["item1", "rules"], columns: ["issued", "repealed", "in_force"] },
  {
    re: /^(?:行政)?规范性文件$/,
    path: ["item1", "normative_documents"],
    columns: ["issued", "repealed", "in_force"],
  },
  { re: /^行政许可$/, path: ["item5", "licensing"], columns: ["decisions"] },
  { re: /^行政处罚$/, path: ["item6", "penalty"], columns: ["decisions"] },
  { re: /^行政强制$/, path: ["item6", "coercion"], columns: ["decisions"] },
  { re: /^行政事业性收费$/, path: ["item8", "administrative_fees"], columns: ["amount"] },
];

const PROACTIVE_COLUMN_NAMES: Record<string, string> = {
  issued: "本年制发件数",
  repealed: "本年废止件数",
  in_force: "现行有效件数",
  decisions: "本年处理决定数量",
  amount: "本年收费金额",
};

function readProactive(
  tables: TableRef[],
  format: ReportFormatVersion,
  set: (path: string[], value: number, source: string) => void,
  readValue: (cell: GridCell, name: string) => number,
  warnings: ImportWarning[],
  found: ImportedReport["found"],
): void {
  const seen = new Set<string>();
  for (const table of tables) {
    table.grid.forEach((row, r) => {
      const split = splitRow(row);
      const label = normalizeLabel(split.labels[split.labels.length - 1] ?? "");
      const def = PROACTIVE_ROWS.find((d) => d.re.test(label));
      if (!def || split.values.length === 0 || seen.has(def.path.join("."))) return;
      seen.add(def.path.join("."));
      if (format === "2019") {
        // 2019 format: 行政许可/处罚/强制 end with 处理决定数量 (same meaning); the other columns differ.
        if (def.path[0] === "item5" || def.path[0] === "item6") {
          const cell = split.values[split.values.length - 1] as GridCell;
          set(
            ["proactive", ...def.path, "decisions"],
            readValue(cell, `${label}·本年处理决定数量`),
            position(table, r, split.columns[split.columns.length - 1] ?? 0),
          );
        }
        return;
      }
      def.columns.forEach((column, i) => {
        const cell = split.values[i];
        if (!cell) return;
        set(
          ["proactive", ...def.path, column],
          readValue(cell, `${label}·${PROACTIVE_COLUMN_NAMES[column] ?? column}`),
          position(table, r, split.columns[i] ?? 0),
        );
      });
    });
  }
  found.proactive = seen.size > 0;
  if (!found.proactive)
    warnings.push({
      code: "table_missing",
      message: "未找到“二、主动公开政府信息情况”表格（规章、行政规范性文件、行政许可等行）。",
      cells: ["二、主动公开政府信息情况"],
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Identity and narrative sections

const TITLE_PARTS = /^(.*?)(\d{4})\s*年(?:度)?(?:.{0,6}?)政府信息公开(?:工作)?(?:年度)?报告/;
/** 「昌图县七家子镇2023年政府信息公开工作告年度报」 (a published title with its last words scrambled). */
const TITLE_GARBLED = /^(.*?)(\d{4})\s*年(?:度)?政府信息公开(?:工作)?[告年度报]{3,6}$/;
/** 「2019年上海市人民政府办公厅政府信息公开工作年度报告」: the year first, then the organ. */
const TITLE_YEAR_FIRST = /^(\d{4})年(?:度)?(.{2,40}?)(?:\d{4}年(?:度)?)?政府信息公开(?:工作)?(?:年度)?报告/;

export function identityOf(
  title: string | null,
  blocks: ReportBlock[],
): { agencyName: string; year: number } {
  const candidates = [title ?? "", ...blocks.slice(0, 6).map((b) => (b.kind === "paragraph" ? b.text : ""))];
  for (const c of candidates) {
    const text = toSimplifiedCharacters(c.normalize("NFKC")).replace(/\s+/g, "");
    const m = TITLE_PARTS.exec(text) ?? TITLE_GARBLED.exec(text);
    if (m?.[1]) return { agencyName: m[1].replace(/[《》"“”]/g, ""), year: Number(m[2]) };
    const y = TITLE_YEAR_FIRST.exec(text);
    if (y) return { agencyName: (y[2] ?? "").replace(/[《》"“”]/g, ""), year: Number(y[1]) };
    if (m) return { agencyName: "", year: Number(m[2]) };
  }
  return { agencyName: "", year: 0 };
}

const SECTION_KEYS: readonly [RegExp, SectionCode][] = [
  [/总体情况/, "overview"],
  [/主动公开/, "proactive"],
  [/收到和处理|依申请/, "applications"],
  [/行政复议|行政诉讼/, "review_litigation"],
  [/问题|改进/, "problems"],
  [/其他/, "other_matters"],
];

/** Splits the paragraphs under the headings 一、…六、 (in order; a heading must follow the previous one). */
export function narrativeSections(blocks: ReportBlock[]): Partial<Record<SectionCode, string>> {
  const out: Partial<Record<SectionCode, string[]>> = {};
  let current: SectionCode | null = null;
  let last = 0;
  for (const b of blocks) {
    if (b.kind !== "paragraph") continue;
    const t = normalizeLabel(b.text);
    const top = TOP.exec(t);
    if (top && t.length <= 40) {
      const n = cnIndex(top[1] as string);
      const key = SECTION_KEYS.find(([re]) => re.test(t))?.[1];
      if (key && n > last) {
        current = key;
        last = n;
        out[key] = [];
        continue;
      }
    }
    if (current) out[current]?.push(b.text);
  }
  const result: Partial<Record<SectionCode, string>> = {};
  for (const [k, v] of Object.entries(out)) result[k as SectionCode] = (v ?? []).join("\n");
  return result;
}
