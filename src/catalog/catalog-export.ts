/**
 * @module Export of a catalog in the standard table layout (基层政务公开标准目录): a two-row header
 * (公开事项: 一级/二级/三级事项 and one column per deeper level the catalog uses, 公开对象: 全社会/特定群体, 公开方式: 主动/依申请, 公开层级: 县级/乡级), the channel
 * tick list with ■/□, merged first-level cells (.xlsx, .docx), and as .csv and .json. What is exported imports
 * back to the same catalog (catalog-import.rules.ts reads every convention written here).
 */
import { stringify } from "csv-stringify/sync";
import {
  AlignmentType,
  Document,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from "docx";
import ExcelJS from "exceljs";
import { neutralizeFormula } from "../shared/csv.ts";
import {
  type CatalogDoc,
  type CatalogDocItem,
  type CatalogHeader,
  levelName,
  maxDepth,
} from "./catalog.model.ts";
import {
  formatChannelTickList,
  formatElements,
  formatLegalBasis,
  formatNumberedName,
  formatResponsible,
} from "./catalog-cells.rules.ts";
import { EXTRA_PREFIX } from "./catalog-import.rules.ts";

export const EXPORT_FORMATS = ["json", "xlsx", "docx", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === "string" && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Column groups of the standard layout: [group heading, sub-headings] (a group without subs spans both header
 * rows). 公开事项 has one sub-column per level the catalog uses (at least 一级/二级/三级事项).
 */
function layoutFor(depth: number): [string, string[]][] {
  return [
    ["序号", []],
    ["公开事项", Array.from({ length: Math.max(3, depth) }, (_, i) => levelName(i + 1))],
    ["公开内容（要素）", []],
    ["公开依据", []],
    ["公开时限", []],
    ["公开主体", []],
    ["公开渠道和载体", []],
    ["公开对象", ["全社会", "特定群体"]],
    ["公开方式", ["主动", "依申请"]],
    ["公开形式", []],
    ["公开层级", ["县级", "乡级"]],
    ["责任单位", []],
    ["备注", []],
  ];
}

/** Column indexes of the layout for a catalog `levels` deep (the columns after 公开事项 shift by depth − 3). */
function columnsFor(levels: number) {
  const d = Math.max(3, levels) - 3;
  return {
    seq: 0,
    l1: 1,
    content: 4 + d,
    legal: 5 + d,
    deadline: 6 + d,
    subject: 7 + d,
    channels: 8 + d,
    all: 9 + d,
    specific: 10 + d,
    active: 11 + d,
    request: 12 + d,
    form: 13 + d,
    county: 14 + d,
    township: 15 + d,
    responsible: 16 + d,
    remarks: 17 + d,
    width: 18 + d,
  };
}

export interface ExportTable {
  top: string[];
  sub: string[];
  /** Data rows; `group` is the index of the row's 一级事项 (for merged first-level cells). */
  rows: { cells: string[]; group: number }[];
  extraKeys: string[];
  /** Levels of 公开事项 columns (≥ 3). */
  levels: number;
  /** The catalog's notes (注：…) written under the table; the stated-totals line goes above it. */
  footnotes: string[];
}

function hasOwnData(item: CatalogDocItem): boolean {
  return (
    item.elements.length > 0 ||
    item.deadlineText !== null ||
    item.legalBasis.length > 0 ||
    item.subject !== null ||
    item.channels.length + item.channelsOther.length > 0 ||
    item.audience !== null ||
    item.mode !== null ||
    item.form !== null ||
    item.adminLevel !== null ||
    item.responsibleText !== null ||
    item.units.length > 0 ||
    item.remarks !== null ||
    Object.keys(item.extra).length > 0
  );
}

function tick(on: boolean): string {
  return on ? "√" : "";
}

/** The catalog as the rows of the standard table. */
export function exportTable(doc: CatalogDoc): ExportTable {
  const extraKeys: string[] = [];
  const collect = (items: CatalogDocItem[]) => {
    for (const i of items) {
      for (const k of Object.keys(i.extra)) if (!extraKeys.includes(k)) extraKeys.push(k);
      collect(i.children);
    }
  };
  collect(doc.items);
  const levels = Math.max(3, maxDepth(doc.items));
  const COL = columnsFor(levels);
  const BASE_WIDTH = COL.width;
  /** Columns whose blank cell the importer fills from the row above (so an empty value is written 「—」). */
  const CARRIED = [COL.legal, COL.deadline, COL.subject, COL.form, COL.responsible];
  const top: string[] = [];
  const sub: string[] = [];
  for (const [group, subs] of layoutFor(levels)) {
    if (subs.length === 0) {
      top.push(group);
      sub.push("");
    } else
      subs.forEach((s, i) => {
        top.push(i === 0 ? group : "");
        sub.push(s);
      });
  }
  for (const k of extraKeys) {
    top.push(`${EXTRA_PREFIX}${k}`);
    sub.push("");
  }

  const rows: { cells: string[]; group: number }[] = [];
  const emit = (path: CatalogDocItem[], group: number) => {
    const item = path[path.length - 1] as CatalogDocItem;
    const cells = new Array<string>(BASE_WIDTH + extraKeys.length).fill("");
    const l1 = path[0] as CatalogDocItem;
    cells[COL.seq] = l1.number ?? "";
    path.forEach((p, i) => {
      cells[COL.l1 + i] = formatNumberedName(p.number, p.name);
    });
    cells[COL.content] = formatElements(item.elements);
    cells[COL.legal] = formatLegalBasis(item.legalBasis);
    cells[COL.deadline] = item.deadlineText ?? "";
    cells[COL.subject] = item.subject ?? "";
    cells[COL.channels] = formatChannelTickList(item.channels, item.channelsOther);
    const aud = item.audience ?? "";
    if (aud === "" || /^(全社会|特定群体)(、(全社会|特定群体))?$/.test(aud)) {
      cells[COL.all] = tick(aud.includes("全社会"));
      cells[COL.specific] = tick(aud.includes("特定群体"));
    } else cells[COL.specific] = aud; // free text the ticks cannot express
    cells[COL.active] = tick(item.mode === "主动");
    cells[COL.request] = tick(item.mode === "依申请");
    cells[COL.form] = item.form ?? "";
    const lvl = item.adminLevel ?? "";
    if (lvl === "" || /^(县级|乡级)(、(县级|乡级))?$/.test(lvl)) {
      cells[COL.county] = tick(lvl.includes("县级"));
      cells[COL.township] = tick(lvl.includes("乡级"));
    } else cells[COL.county] = lvl;
    cells[COL.responsible] = item.responsibleText ?? formatResponsible(item.units);
    cells[COL.remarks] = item.remarks ?? "";
    extraKeys.forEach((k, i) => {
      cells[BASE_WIDTH + i] = item.extra[k] ?? "";
    });
    // A blank carried cell would repeat the row above on import: write an explicit 「—」 instead.
    const prev = rows[rows.length - 1];
    if (prev && prev.group === group)
      for (const c of CARRIED) if (cells[c] === "" && (prev.cells[c] ?? "") !== "") cells[c] = "—";
    rows.push({ cells, group });
  };
  const walk = (items: CatalogDocItem[], path: CatalogDocItem[], group: number) => {
    for (const item of items) {
      const here = [...path, item];
      if (item.children.length === 0 || hasOwnData(item)) emit(here, group);
      walk(item.children, here, group);
    }
  };
  doc.items.forEach((root, g) => {
    walk([root], [], g);
  });
  return { top, sub, rows, extraKeys, levels, footnotes: footnotesOf(doc.header) };
}

/** Notes of the catalog other than the stated-totals line (which headerLines writes above the table). */
function footnotesOf(header: CatalogHeader): string[] {
  return (header.notes ?? []).filter((n) => !/级事项\s*\d+\s*项/.test(n));
}

/** Lines above the table: 责任单位/填表人/复核人/审签人/填表时间 and the stated totals. */
export function headerLines(header: CatalogHeader): string[] {
  const parts: string[] = [];
  if (header.unit) parts.push(`责任单位：${header.unit}`);
  if (header.compiledBy) parts.push(`填表人：${header.compiledBy}`);
  if (header.reviewedBy) parts.push(`复核人：${header.reviewedBy}`);
  if (header.signedBy) parts.push(`审签人：${header.signedBy}`);
  if (header.compiledAt) parts.push(`填表时间：${header.compiledAt}`);
  const lines = parts.length > 0 ? [parts.join(" ")] : [];
  const totalsNote = header.notes?.find((n) => /级事项\s*\d+\s*项/.test(n));
  if (totalsNote) lines.push(totalsNote);
  else if (header.statedTotals && Object.keys(header.statedTotals).length > 0)
    lines.push(
      Object.entries(header.statedTotals)
        .map(([k, v]) => `${k}${v}项`)
        .join("，"),
    );
  return lines;
}

export function toCsv(doc: CatalogDoc): string {
  const t = exportTable(doc);
  const records = [
    [doc.title],
    ...headerLines(doc.header).map((l) => [l]),
    t.top,
    t.sub,
    ...t.rows.map((r) => r.cells),
    ...t.footnotes.map((n) => [n]),
  ];
  // The public export: every cell neutralised (CSV formula injection, e.g. an item named =HYPERLINK(…)).
  return `\ufeff${stringify(
    records.map((r) => r.map(neutralizeFormula)),
    { record_delimiter: "\r\n" },
  )}`;
}

export async function toXlsx(doc: CatalogDoc): Promise<Buffer> {
  const t = exportTable(doc);
  const width = t.top.length;
  const wb = new ExcelJS.Workbook();
  wb.creator = "Gongkai";
  const ws = wb.addWorksheet("主动公开事项目录", {
    pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  let r = 1;
  ws.getCell(r, 1).value = doc.title;
  ws.getCell(r, 1).font = { bold: true, size: 16 };
  ws.getCell(r, 1).alignment = { horizontal: "center" };
  ws.mergeCells(r, 1, r, width);
  r++;
  for (const line of headerLines(doc.header)) {
    ws.getCell(r, 1).value = line;
    ws.mergeCells(r, 1, r, width);
    r++;
  }
  const headTop = r;
  t.top.forEach((v, c) => {
    ws.getCell(headTop, c + 1).value = v;
  });
  t.sub.forEach((v, c) => {
    ws.getCell(headTop + 1, c + 1).value = v;
  });
  // Header merges: a group over its subs, a heading without subs over both header rows.
  let c = 1;
  for (const [, subs] of layoutFor(t.levels)) {
    if (subs.length === 0) ws.mergeCells(headTop, c, headTop + 1, c);
    else ws.mergeCells(headTop, c, headTop, c + subs.length - 1);
    c += Math.max(subs.length, 1);
  }
  for (; c <= width; c++) ws.mergeCells(headTop, c, headTop + 1, c);
  for (const row of [headTop, headTop + 1]) {
    ws.getRow(row).font = { bold: true };
    ws.getRow(row).alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  }
  r = headTop + 2;
  const first = r;
  for (const row of t.rows) {
    row.cells.forEach((v, ci) => {
      ws.getCell(r, ci + 1).value = v === "" ? null : v;
    });
    ws.getRow(r).alignment = { vertical: "top", wrapText: true };
    r++;
  }
  const lastDataRow = r - 1;
  for (const note of t.footnotes) {
    ws.getCell(r, 1).value = note;
    ws.mergeCells(r, 1, r, width);
    r++;
  }
  // Merged first-level cells (序号 and 一级事项) over each group's rows.
  const COL = columnsFor(t.levels);
  let start = 0;
  for (let i = 1; i <= t.rows.length; i++) {
    if (i === t.rows.length || t.rows[i]?.group !== t.rows[start]?.group) {
      if (i - start > 1) {
        ws.mergeCells(first + start, COL.seq + 1, first + i - 1, COL.seq + 1);
        ws.mergeCells(first + start, COL.l1 + 1, first + i - 1, COL.l1 + 1);
      }
      start = i;
    }
  }
  const widths = [
    6,
    ...Array.from({ length: t.levels }, (_, i) => (i === 0 ? 14 : 18)),
    40,
    30,
    24,
    14,
    22,
    6,
    6,
    6,
    6,
    10,
    6,
    6,
    16,
    16,
  ];
  for (let i = 1; i <= width; i++) ws.getColumn(i).width = widths[i - 1] ?? 16;
  for (let i = headTop; i <= lastDataRow; i++)
    for (let j = 1; j <= width; j++)
      ws.getCell(i, j).border = {
        top: { style: "thin" },
        left: { style: "thin" },
        bottom: { style: "thin" },
        right: { style: "thin" },
      };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cellParagraphs(text: string, bold = false): Paragraph[] {
  const lines = text === "" ? [""] : text.split("\n");
  return lines.map(
    (l) => new Paragraph({ children: [new TextRun({ text: l, bold, size: 18, font: "宋体" })] }),
  );
}

export async function toDocx(doc: CatalogDoc): Promise<Buffer> {
  const t = exportTable(doc);
  const headerRows: TableRow[] = [];
  const topCells: TableCell[] = [];
  const subCells: TableCell[] = [];
  const COL = columnsFor(t.levels);
  const layout: [string, string[]][] = [
    ...layoutFor(t.levels),
    ...t.extraKeys.map((k) => [`${EXTRA_PREFIX}${k}`, []] as [string, string[]]),
  ];
  for (const [group, subs] of layout) {
    if (subs.length === 0) {
      topCells.push(
        new TableCell({
          children: cellParagraphs(group, true),
          rowSpan: 2,
          verticalAlign: VerticalAlignTable.CENTER,
        }),
      );
    } else {
      topCells.push(new TableCell({ children: cellParagraphs(group, true), columnSpan: subs.length }));
      for (const s of subs) subCells.push(new TableCell({ children: cellParagraphs(s, true) }));
    }
  }
  headerRows.push(new TableRow({ children: topCells, tableHeader: true }));
  headerRows.push(new TableRow({ children: subCells, tableHeader: true }));
  const bodyRows: TableRow[] = [];
  t.rows.forEach((row, i) => {
    const groupStart = i === 0 || t.rows[i - 1]?.group !== row.group;
    let span = 1;
    while (t.rows[i + span]?.group === row.group) span++;
    const cells: TableCell[] = [];
    row.cells.forEach((v, ci) => {
      if (ci === COL.seq || ci === COL.l1) {
        if (!groupStart) return; // covered by the merged cell above
        cells.push(
          new TableCell({
            children: cellParagraphs(v),
            rowSpan: span,
            verticalAlign: VerticalAlignTable.CENTER,
          }),
        );
      } else cells.push(new TableCell({ children: cellParagraphs(v) }));
    });
    bodyRows.push(new TableRow({ children: cells, cantSplit: true }));
  });
  const document = new Document({
    creator: "Gongkai",
    title: doc.title,
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [new TextRun({ text: doc.title, bold: true, size: 32, font: "方正小标宋简体" })],
          }),
          ...headerLines(doc.header).map(
            (l) => new Paragraph({ children: [new TextRun({ text: l, size: 21 })] }),
          ),
          new Table({ rows: [...headerRows, ...bodyRows], width: { size: 100, type: WidthType.PERCENTAGE } }),
          ...t.footnotes.map((n) => new Paragraph({ children: [new TextRun({ text: n, size: 21 })] })),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(document));
}

export interface JsonExportMeta {
  agency: { slug: string; name: string };
  version?: { versionNo: number; status: string; publishedAt: string | null } | undefined;
}

export const JSON_FORMAT_ID = "gongkai-catalog";

export function toJson(doc: CatalogDoc, meta: JsonExportMeta, tree?: unknown): string {
  return `${JSON.stringify(
    {
      format: JSON_FORMAT_ID,
      formatVersion: 1,
      agency: meta.agency,
      version: meta.version ?? null,
      title: doc.title,
      header: doc.header,
      items: tree ?? doc.items,
    },
    null,
    2,
  )}\n`;
}
