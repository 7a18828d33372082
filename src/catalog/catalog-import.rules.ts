/**
 * @module Pure import of a catalog table: finds the header by meaning (whatever the local wording: 事项类别/一级事项,
 * 事项名称/二级事项, 公开责任/责任科室/责任股室, 公开渠道/公开渠道和载体, 公开时限及备注, two-row headers …), maps each
 * column to a field, and builds the item tree. Blank hierarchy cells and 「同上」 repeat the row above; blank
 * attribute cells repeat the row above inside the same 一级事项 (vertically merged cells lost by CSV); 「—」 is an
 * explicit empty. Unknown columns are kept in `extra`. Every row is reported with its warnings.
 *
 * Readers (catalog-import.readers.ts) turn .xlsx/.docx/.csv/.html into `RawTable`s; this module never does I/O.
 * Header detection is in catalog-import.columns.rules.ts, applying one row to its item in catalog-import.rows.rules.ts.
 */

import { toSimplifiedCharacters } from "../shared/simplified.ts";
import {
  type CatalogDoc,
  type CatalogDocItem,
  type CatalogHeader,
  emptyItem,
  levelName,
  MAX_ITEM_LEVEL,
  walkItems,
} from "./catalog.model.ts";
import {
  cleanCell,
  isDitto,
  isExplicitEmpty,
  isTicked,
  parseChannelCell,
  splitNumberPrefix,
} from "./catalog-cells.rules.ts";
import {
  type ColumnMapping,
  type ColumnRole,
  type FoundHeader,
  findHeader,
  isNoteLine,
  levelRole,
  norm,
  numberRole,
  parseHeaderLines,
  type RawRow,
  type RawTable,
  resolveColumns,
} from "./catalog-import.columns.rules.ts";
import {
  applyRow,
  attach,
  detectSeqAsLevel1,
  extraKey,
  isInside,
  pathNames,
  sameColumns,
  tickColumnText,
  villageLevelName,
} from "./catalog-import.rows.rules.ts";

export type { ColumnMapping, ColumnRole, RawRow, RawTable } from "./catalog-import.columns.rules.ts";
export { EXTRA_PREFIX, isNoteLine, parseHeaderLines, roleOfHeading } from "./catalog-import.columns.rules.ts";
export { docFromJson, type JsonDocResult } from "./catalog-import.json.rules.ts";

export interface ImportRowReport {
  table: string;
  row: number;
  /** Names from 一级事项 down to the row's item. */
  path: string[];
  level: number;
  warnings: string[];
  /** The row's item as parsed, for the clerk to check before anything is saved. */
  fields?: ImportRowFields;
}

/** What the import read from a row (the item's fields after the row; 同上 and merged cells resolved). */
export interface ImportRowFields {
  number: string | null;
  name: string;
  deadlineText: string | null;
  /** The parser's reading of the deadline, one line per rule (e.g. “办事指南：实时公开（当日）”). */
  deadlineReading: string[];
  /** Clauses of the deadline that were not understood (kept verbatim, no deadline computed from them). */
  deadlineUnparsed: string[];
  subject: string | null;
  audience: string | null;
  mode: string | null;
  adminLevel: string | null;
  channels: string[];
  responsible: string | null;
  elements: number;
  /** Headings of the columns whose 「同上」 was replaced by the cell above. */
  ditto: string[];
}

export interface ImportPreview {
  title: string;
  header: CatalogHeader;
  table: string;
  headerRows: number[];
  columns: ColumnMapping[];
  doc: CatalogDoc;
  rows: ImportRowReport[];
  /** Catalog-wide notes (ignored sheets, inferred mode …). */
  notes: string[];
  /** level1–level3 as before; `deeper`: items of 四级事项 and below. */
  counts: {
    level1: number;
    level2: number;
    level3: number;
    deeper: number;
    elements: number;
    warnings: number;
  };
}

export type ImportFailureCode =
  | "catalog_import_no_header"
  | "catalog_import_empty"
  | "catalog_import_too_large";

export type ImportResult =
  | { ok: true; preview: ImportPreview }
  | { ok: false; code: ImportFailureCode; message: string; table?: string; row?: number; column?: number };

export interface ImportOptions {
  /** Title to use when the file has none. */
  fallbackTitle: string;
  /** The deadline parser (src/calendar): clauses it could not read are warned about. */
  parseDeadline?: (text: string) => { unparsed: string[] };
  /** The parser's reading in words, one line per rule (shown in the preview). */
  describeDeadline?: (text: string) => string[];
  /** At most this many data rows (default 5000). */
  maxRows?: number;
  /** Text outside the tables (Word/HTML paragraphs): title, 填表人 … */
  outsideLines?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Tree building

type Level = number;

interface RowContext {
  path: (CatalogDocItem | undefined)[]; // index 1..MAX_ITEM_LEVEL
  previousCells: string[];
  previousLeaf: CatalogDocItem | undefined;
  seqOfLevel1: string | null;
}

const CARRIED_ROLES: ReadonlySet<ColumnRole> = new Set([
  "deadline",
  "subject",
  "legalBasis",
  "responsible",
  "cooperating",
  "channels",
  "form",
  "adminLevel",
]);

/**
 * Builds the catalog from the tables of one file. Uses the first table with a recognisable header; later tables
 * with the same columns (a table split over pages) are appended.
 */
export function buildImport(tables: RawTable[], options: ImportOptions): ImportResult {
  const notes: string[] = [];
  const maxRows = options.maxRows ?? 5000;
  const nonEmpty = tables.filter((t) => t.rows.some((r) => r.cells.some((c) => cleanCell(c) !== "")));
  if (nonEmpty.length === 0)
    return { ok: false, code: "catalog_import_empty", message: "文件中没有任何表格内容。" };

  let headerTable: RawTable | undefined;
  let found: FoundHeader | undefined;
  for (const t of nonEmpty) {
    found = findHeader(t);
    if (found) {
      headerTable = t;
      break;
    }
  }
  if (!headerTable || !found) {
    const first = nonEmpty[0] as RawTable;
    return {
      ok: false,
      code: "catalog_import_no_header",
      table: first.name,
      message: `未能识别表头：在“${first.name}”的前40行中，没有一行同时包含事项名称列（如“一级事项”“事项类别”“事项名称”）和公开内容、公开时限、公开渠道或责任单位等列。请检查文件是否为主动公开事项目录表格。`,
    };
  }
  const headerIndex = found.headerRows[found.headerRows.length - 1] as number;
  const before = headerTable.rows.slice(0, found.headerRows[0]);
  // Every row keeps the sheet/table it comes from (provenance, warnings).
  const tagged = (t: RawTable, rows: RawRow[]) => rows.map((r) => ({ ...r, table: t.name }));
  let data = tagged(headerTable, headerTable.rows.slice(headerIndex + 1));
  for (const t of nonEmpty) {
    if (t === headerTable) continue;
    const other = findHeader(t);
    if (other && sameColumns(other.columns, found.columns))
      data = data.concat(
        tagged(t, t.rows.slice((other.headerRows[other.headerRows.length - 1] as number) + 1)),
      );
    else if (!other && t.rows.every((r) => r.cells.length === found.columns.length || r.cells.length === 0))
      data = data.concat(tagged(t, t.rows));
    else notes.push(`已忽略“${t.name}”：其列与“${headerTable.name}”的表头不一致。`);
  }
  const headerTexts = found.headerRows.map((i) => (headerTable.rows[i] as RawRow).cells.map(norm).join("|"));
  // Repeated header rows (page breaks) and footer lines are not data.
  const footer: RawRow[] = [];
  const catalogNotes: string[] = [];
  data = data.filter((r) => {
    const joined = r.cells.map(norm).join("|");
    if (headerTexts.includes(joined)) return false;
    if (r.cells.every((c) => cleanCell(c) === "")) return false;
    const filled = [...new Set(r.cells.map(cleanCell).filter((c) => c !== ""))];
    if (filled.length <= 2 && filled.some((c) => /填表人|复核人|审签人|填表时间|审核人/.test(c))) {
      footer.push(r);
      return false;
    }
    // 「注：√表示公开对象；…」 under the table (often one cell merged across the row): the catalog's note, not an item.
    if (filled.length === 1 && isNoteLine(filled[0] as string)) {
      catalogNotes.push(filled[0] as string);
      return false;
    }
    return true;
  });
  if (data.length === 0)
    return {
      ok: false,
      code: "catalog_import_empty",
      table: headerTable.name,
      message: `“${headerTable.name}”只有表头，没有任何事项行。`,
    };
  if (data.length > maxRows)
    return {
      ok: false,
      code: "catalog_import_too_large",
      table: headerTable.name,
      row: data[maxRows]?.row,
      message: `“${headerTable.name}”有 ${data.length} 行，超过上限 ${maxRows} 行。`,
    };

  const columns = resolveColumns(found.columns, data);
  const outside = options.outsideLines ?? [];
  const metaLines = [...before, ...footer]
    .map((r) => [...new Set(r.cells.map(cleanCell).filter((c) => c !== ""))].join(" "))
    .concat(outside);
  const isMeta = (line: string) => /填表人|复核人|审签人|填表时间|责任单位[:：]|级事项\s*\d+\s*项/.test(line);
  const title =
    before
      .map((r) => [...new Set(r.cells.map(cleanCell).filter((c) => c !== ""))])
      .find((cells) => cells.length === 1 && !isMeta(cells[0] as string))?.[0] ??
    outside.find((l) => !isMeta(l) && l.length <= 100) ??
    options.fallbackTitle;
  const header = parseHeaderLines(metaLines);
  // 「公开主体：沅江市卫生健康局」 above a table without a 公开主体 column: the subject of every item.
  const statedSubject = columns.some((c) => c.role === "subject") ? undefined : statedSubjectOf(metaLines);
  if (statedSubject)
    notes.push(`表格没有“公开主体”列；按表格上方所写，各事项的公开主体为“${statedSubject}”。`);
  for (const line of outside) if (isNoteLine(line) && !catalogNotes.includes(line)) catalogNotes.push(line);
  if (catalogNotes.length > 0) {
    header.notes = [...(header.notes ?? []), ...catalogNotes];
    notes.push(`已将 ${catalogNotes.length} 条注释（如“${catalogNotes[0]}”）保存为目录的注释，而非事项。`);
  }

  const col = (role: ColumnRole) => columns.filter((c) => c.role === role).map((c) => c.index);
  const levelCols: (number | undefined)[] = [];
  const numberCols: (number | undefined)[] = [];
  let maxLevel = 1;
  for (let level = 1; level <= MAX_ITEM_LEVEL; level++) {
    levelCols[level] = col(levelRole(level))[0];
    numberCols[level] = col(numberRole(level))[0];
    if (levelCols[level] !== undefined) maxLevel = level;
  }
  const seqCol = col("seq")[0];
  const seqIsLevel1Number = seqCol !== undefined && detectSeqAsLevel1(data, seqCol, levelCols[1]);
  const hasMode = col("mode").length + col("modeActive").length + col("modeRequest").length > 0;
  const inferActive = !hasMode && /主动公开/.test(toSimplifiedCharacters(title));
  if (inferActive) notes.push("表格没有“公开方式”列；标题为主动公开目录，各事项按“主动”公开导入。");

  const parse = options.parseDeadline;
  const isOneDeadline = parse ? (text: string) => parse(text).unparsed.length === 0 : undefined;
  const roots: CatalogDocItem[] = [];
  const reports: ImportRowReport[] = [];
  const ctx: RowContext = { path: [], previousCells: [], previousLeaf: undefined, seqOfLevel1: null };

  for (const raw of data) {
    const warnings: string[] = [];
    const tableName = raw.table ?? headerTable.name;
    const dittoCols: string[] = [];
    // 同上 repeats the cell above; blank hierarchy/attribute cells are resolved below.
    const cells = raw.cells.map((c, i) => {
      const text = cleanCell(c);
      if (isDitto(text)) {
        dittoCols.push(columns.find((x) => x.index === i)?.heading || `第${i + 1}列`);
        const above = ctx.previousCells[i] ?? "";
        if (above === "") warnings.push(`第${i + 1}列为“同上”，但上一行该列为空。`);
        return above;
      }
      return text;
    });
    const get = (i: number | undefined) => (i === undefined ? "" : (cells[i] ?? ""));
    const spanLeft = (i: number | undefined) => i !== undefined && raw.spanLeft?.[i] === true;

    // Hierarchy: names per level (number prefixes split off), the deepest named level is the row's item.
    const names: ({ number: string | null; name: string } | undefined)[] = [];
    let deepest: Level = 0;
    const unnamed: boolean[] = [];
    for (let level = 1; level <= maxLevel; level++) {
      const ci = levelCols[level];
      const text = get(ci);
      if (ci === undefined || text === "" || spanLeft(ci)) continue;
      const split = splitNumberPrefix(text);
      // 「—」 alone: no item at this level — unless a deeper level is named (then an unnamed item, see below).
      if (split.name === "" && split.number === null) {
        unnamed[level] = true;
        continue;
      }
      const numberCell = get(numberCols[level]);
      names[level] = {
        number: split.number ?? (numberCell !== "" ? numberCell.replace(/[、.．]$/, "") : null),
        name: split.name,
      };
      deepest = level;
    }
    // 「—」 above a named level: an item whose name the source does not give.
    for (let level = 1; level < maxLevel; level++)
      if (unnamed[level] && deepest > level && names[level] === undefined)
        names[level] = { number: get(numberCols[level]) || null, name: "" };
    const seq = get(seqCol).replace(/[、.．]$/, "");
    // A new 序号 on a row whose 一级事项 cell is blank starts a new 一级事项 named by the row (merged cells lost).
    if (seqIsLevel1Number && seq !== "" && names[1] === undefined && seq !== ctx.seqOfLevel1 && deepest > 1) {
      names[1] = names[deepest];
      for (let l = 2; l <= deepest; l++) names[l] = undefined;
      deepest = 1;
    }
    if (seqIsLevel1Number && seq !== "" && names[1] && names[1].number === null) names[1].number = seq;

    let leaf: CatalogDocItem | undefined;
    if (deepest === 0) {
      leaf = ctx.previousLeaf; // a continuation row (all hierarchy cells blank or merged)
      if (!leaf) {
        warnings.push("该行没有事项名称，且上方没有可归属的事项，已跳过。");
        reports.push({ table: tableName, row: raw.row, path: [], level: 0, warnings });
        ctx.previousCells = cells;
        continue;
      }
    } else {
      for (let level = 1; level <= deepest; level++) {
        const named = names[level];
        const current = ctx.path[level];
        const parent = level === 1 ? undefined : ctx.path[level - 1];
        if (!named) {
          if (current && (level === 1 || parent?.children.includes(current))) continue; // carried down
          if (level === 1) {
            warnings.push("一级事项为空，且上方没有一级事项：已建立名称为空的一级事项。");
          } else warnings.push(`${levelName(level)}为空：已建立名称为空的${levelName(level)}。`);
          const item = emptyItem(level, "");
          attach(roots, parent, item);
          setPath(ctx, level, item);
          continue;
        }
        const same =
          current !== undefined &&
          current.name === named.name &&
          (named.number === null || current.number === named.number || current.number === null) &&
          (level === 1 || (parent?.children.includes(current) ?? false));
        if (same) continue;
        const item = emptyItem(level, named.name);
        item.number = named.number;
        item.provenance = { sheet: tableName, row: raw.row };
        attach(roots, parent, item);
        setPath(ctx, level, item);
        if (level === 1) ctx.seqOfLevel1 = seq !== "" ? seq : named.number;
      }
      leaf = ctx.path[deepest] as CatalogDocItem;
    }
    const continuation = leaf === ctx.previousLeaf && deepest === 0;
    const sameGroup =
      ctx.previousLeaf !== undefined && ctx.path[1] !== undefined && isInside(ctx.path[1], ctx.previousLeaf);

    // Attribute cells: blank repeats the row above inside the same 一级事项 (merged cells), 「—」 is empty.
    const attr = (role: ColumnRole): string => {
      const i = col(role)[0];
      if (i === undefined) return "";
      const v = get(i);
      if (isExplicitEmpty(v)) return "";
      if (v === "" && CARRIED_ROLES.has(role) && sameGroup && !continuation) {
        const above = ctx.previousCells[i] ?? "";
        return isExplicitEmpty(above) ? "" : above;
      }
      return v;
    };
    applyRow(leaf, {
      isOneDeadline,
      content: attr("content"),
      deadline: attr("deadline"),
      legalBasis: attr("legalBasis"),
      subject: attr("subject") || (statedSubject ?? ""),
      channels: attr("channels"),
      responsible: attr("responsible"),
      cooperating: attr("cooperating"),
      form: attr("form"),
      adminLevel: attr("adminLevel"),
      audience: attr("audience"),
      remarks: attr("remarks"),
      mode: attr("mode"),
      tickText: {
        audience: tickColumnText(col("audienceAll").concat(col("audienceSpecific")).map(get)),
        adminLevel: tickColumnText(
          col("adminCounty").concat(col("adminTownship"), col("adminVillage")).map(get),
        ),
      },
      ticks: {
        all: col("audienceAll").some((i) => isTicked(get(i))),
        specific: col("audienceSpecific").some((i) => isTicked(get(i))),
        active: col("modeActive").some((i) => isTicked(get(i))),
        request: col("modeRequest").some((i) => isTicked(get(i))),
        county: col("adminCounty").some((i) => isTicked(get(i))),
        township: col("adminTownship").some((i) => isTicked(get(i))),
        village: columns
          .filter((c) => c.role === "adminVillage" && isTicked(get(c.index)))
          .map((c) => villageLevelName(c.heading)),
      },
      hasAudienceTicks: col("audienceAll").length + col("audienceSpecific").length > 0,
      hasModeTicks: col("modeActive").length + col("modeRequest").length > 0,
      hasAdminTicks: col("adminCounty").length + col("adminTownship").length + col("adminVillage").length > 0,
      extra: columns
        .filter((c) => c.role === "extra" || (c.role === "seq" && !seqIsLevel1Number))
        .map((c) => [extraKey(c), get(c.index)] as [string, string])
        .filter(([, v]) => v !== ""),
      inferActive,
      continuation,
      warnings,
    });
    if (!leaf.provenance.row) leaf.provenance = { sheet: tableName, row: raw.row };

    // Warnings that need the whole row.
    const channelCell = attr("channels");
    if (channelCell !== "") {
      for (const u of parseChannelCell(channelCell).unknown)
        warnings.push(`非标准公开渠道“${u}”：将作为其他渠道保存。`);
    }
    const deadline = attr("deadline");
    if (deadline !== "" && options.parseDeadline) {
      for (const clause of options.parseDeadline(deadline).unparsed)
        warnings.push(`公开时限“${clause}”未能解析，请核对。`);
    }
    if (
      col("responsible").length > 0 &&
      attr("responsible") === "" &&
      leaf.units.length === 0 &&
      !leaf.responsibleText
    )
      warnings.push("缺少责任单位。");
    if (col("deadline").length > 0 && deadline === "" && !leaf.deadlineText) warnings.push("缺少公开时限。");
    if (col("content").length > 0 && attr("content") === "" && leaf.elements.length === 0)
      warnings.push("缺少公开内容（要素）。");

    const deadlineText = leaf.deadlineText;
    reports.push({
      table: tableName,
      row: raw.row,
      path: pathNames(roots, leaf),
      level: leaf.level,
      warnings,
      fields: {
        number: leaf.number,
        name: leaf.name,
        deadlineText,
        deadlineReading:
          deadlineText && options.describeDeadline ? options.describeDeadline(deadlineText) : [],
        deadlineUnparsed:
          deadlineText && options.parseDeadline ? options.parseDeadline(deadlineText).unparsed : [],
        subject: leaf.subject,
        audience: leaf.audience,
        mode: leaf.mode,
        adminLevel: leaf.adminLevel,
        channels: [...leaf.channels, ...leaf.channelsOther],
        responsible: leaf.responsibleText,
        elements: leaf.elements.length,
        ditto: dittoCols,
      },
    });
    ctx.previousCells = cells;
    ctx.previousLeaf = leaf;
  }

  // Parents carry no row data of their own unless a row named them as its deepest level.
  const counts = { level1: 0, level2: 0, level3: 0, deeper: 0, elements: 0, warnings: 0 };
  for (const { item } of walkItems(roots)) {
    if (item.level === 1) counts.level1++;
    else if (item.level === 2) counts.level2++;
    else if (item.level === 3) counts.level3++;
    else counts.deeper++;
    counts.elements += item.elements.length;
  }
  counts.warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  return {
    ok: true,
    preview: {
      title,
      header,
      table: headerTable.name,
      headerRows: found.headerRows.map((i) => (headerTable.rows[i] as RawRow).row),
      columns,
      doc: { title, header, items: roots },
      rows: reports,
      notes,
      counts,
    },
  };
}

/** The 公开主体 a catalog states once above its table (「公开主体：X」, also written in 繁体), or undefined. */
export function statedSubjectOf(lines: string[]): string | undefined {
  for (const line of lines) {
    const text = cleanCell(line);
    // toSimplifiedCharacters keeps every character in place: a match's position holds in the text as written.
    const m = /^(?:公开主体|公开单位|发布主体)\s*[:：]\s*(\S[^:：]{0,40}?)\s*$/d.exec(
      toSimplifiedCharacters(text),
    );
    const at = m?.indices?.[1];
    if (at) return text.slice(at[0], at[1]);
  }
  return undefined;
}

function setPath(ctx: RowContext, level: Level, item: CatalogDocItem): void {
  ctx.path[level] = item;
  for (let l = level + 1; l <= MAX_ITEM_LEVEL; l++) ctx.path[l] = undefined;
}
