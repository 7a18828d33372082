/**
 * @module .docx export of the annual report in the official-document look (GB/T 9704 conventions): A4, margins
 * 37/35/28/26 mm, title in 方正小标宋简体 二号, section headings in 黑体 三号, body in 仿宋_GB2312 三号 at a fixed
 * 28-point line, tables in 宋体 with the merged headers of 国办公开办函〔2021〕30号 (gridSpan / vMerge).
 */

import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from "docx";
import type { ApplicationRowCode, SectionCode } from "./annual-report.format.ts";
import * as official from "./annual-report.format.ts";
import { type AnnualReportData, proactiveValue } from "./annual-report.rules.ts";

/** Fonts of the official-document look. East-Asian text uses the Chinese font; Latin and digits Times New Roman. */
export const DOCX_FONTS = {
  title: "方正小标宋简体",
  heading: "黑体",
  body: "仿宋_GB2312",
  table: "宋体",
  latin: "Times New Roman",
} as const;

const MM = 56.7; // twips per millimetre
const PAGE = { width: 11906, height: 16838 }; // A4 in twips
const MARGIN = {
  top: Math.round(37 * MM),
  bottom: Math.round(35 * MM),
  left: Math.round(28 * MM),
  right: Math.round(26 * MM),
};
/** Usable text width in twips. */
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

// Sizes are in half-points: 二号 22pt = 44, 三号 16pt = 32, 五号 10.5pt = 21, 小五 9pt = 18.
const SIZE = { title: 44, body: 32, table: 21, tableSmall: 18 } as const;
const BODY_LINE = 560; // 28pt fixed line (GB/T 9704: 22 lines per page)
const INDENT_2_CHARS = 640; // two 三号 characters

function font(eastAsia: string) {
  return { ascii: DOCX_FONTS.latin, hAnsi: DOCX_FONTS.latin, eastAsia, cs: DOCX_FONTS.latin };
}

function bodyParagraph(text: string): Paragraph {
  return new Paragraph({
    indent: { firstLine: INDENT_2_CHARS },
    spacing: { line: BODY_LINE, lineRule: LineRuleType.EXACT },
    alignment: AlignmentType.JUSTIFIED,
    children: [new TextRun({ text, font: font(DOCX_FONTS.body), size: SIZE.body })],
  });
}

function sectionHeading(code: SectionCode): Paragraph {
  return new Paragraph({
    heading: HeadingLevel.HEADING_1,
    indent: { firstLine: INDENT_2_CHARS },
    spacing: { line: BODY_LINE, lineRule: LineRuleType.EXACT },
    keepNext: true,
    children: [
      new TextRun({ text: official.sectionTitle(code), font: font(DOCX_FONTS.heading), size: SIZE.body }),
    ],
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;
const TABLE_BORDERS = {
  top: BORDER,
  bottom: BORDER,
  left: BORDER,
  right: BORDER,
  insideHorizontal: BORDER,
  insideVertical: BORDER,
} as const;

interface CellOptions {
  columnSpan?: number;
  rowSpan?: number;
  /** Widths (twips) of the grid columns this cell covers, summed for the cell width. */
  width: number;
  align?: "left" | "center";
  size: number;
}

function textCell(text: string, options: CellOptions): TableCell {
  return new TableCell({
    ...(options.columnSpan && options.columnSpan > 1 ? { columnSpan: options.columnSpan } : {}),
    ...(options.rowSpan && options.rowSpan > 1 ? { rowSpan: options.rowSpan } : {}),
    width: { size: options.width, type: WidthType.DXA },
    verticalAlign: VerticalAlignTable.CENTER,
    margins: { left: 60, right: 60, top: 30, bottom: 30 },
    children: [
      new Paragraph({
        alignment: options.align === "left" ? AlignmentType.LEFT : AlignmentType.CENTER,
        children: [new TextRun({ text, font: font(DOCX_FONTS.table), size: options.size })],
      }),
    ],
  });
}

function sum(widths: readonly number[], from: number, count: number): number {
  return widths.slice(from, from + count).reduce((a, b) => a + b, 0);
}

function table(columnWidths: number[], rows: TableRow[]): Table {
  return new Table({
    columnWidths,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    borders: TABLE_BORDERS,
    rows,
  });
}

/** Splits `total` twips into `count` equal integer widths (the remainder goes to the last). */
function equalWidths(total: number, count: number): number[] {
  const each = Math.floor(total / count);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? total - each * (count - 1) : each));
}

/** Table 二: four stacked sub-tables in one 4-column grid; heading rows span 4, single values span 3. */
function proactiveTable(data: AnnualReportData): Table {
  const labelWidth = 2400;
  const widths = [labelWidth, ...equalWidths(TEXT_WIDTH - labelWidth, official.PROACTIVE_GRID_COLUMNS - 1)];
  const size = SIZE.table;
  const rows: TableRow[] = [];
  for (const sub of official.PROACTIVE_SUBTABLES) {
    const span = sub.columns.length === 1 ? official.PROACTIVE_GRID_COLUMNS - 1 : 1;
    rows.push(
      new TableRow({
        cantSplit: true,
        children: [
          textCell(sub.heading, { columnSpan: official.PROACTIVE_GRID_COLUMNS, width: TEXT_WIDTH, size }),
        ],
      }),
      new TableRow({
        cantSplit: true,
        children: [
          textCell(official.PROACTIVE_CONTENT_HEADER, { width: labelWidth, size }),
          ...sub.columns.map((c, i) =>
            textCell(c.label, { columnSpan: span, width: sum(widths, 1 + i, span), size }),
          ),
        ],
      }),
      ...sub.rows.map(
        (row) =>
          new TableRow({
            cantSplit: true,
            children: [
              textCell(row.label, { width: labelWidth, size }),
              ...sub.columns.map((c, i) =>
                textCell(official.formatNumber(proactiveValue(data, sub.code, row.code, c.code)), {
                  columnSpan: span,
                  width: sum(widths, 1 + i, span),
                  size,
                }),
              ),
            ],
          }),
      ),
    );
  }
  return table(widths, rows);
}

/** Table 三: 3 label columns + 7 data columns, three header rows (corner 3×3, 申请人情况, 法人或其他组织). */
function applicationsTable(data: AnnualReportData): Table {
  const labelWidths = [640, 1000, 2600];
  const dataWidths = equalWidths(TEXT_WIDTH - sum(labelWidths, 0, 3), official.APPLICATION_COLUMNS.length);
  const widths = [...labelWidths, ...dataWidths];
  const size = SIZE.tableSmall;
  const labelTotal = sum(labelWidths, 0, official.APPLICATIONS_LABEL_COLUMNS);
  const dataTotal = sum(dataWidths, 0, dataWidths.length);
  const natural = official.APPLICANT_TYPES[0];
  const organisations = official.APPLICANT_TYPES.filter((a) => a.organisation);
  const dw = (i: number) => dataWidths[i] ?? 0;

  const header = [
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: [
        textCell(official.APPLICATIONS_CORNER_NOTE, {
          columnSpan: official.APPLICATIONS_LABEL_COLUMNS,
          rowSpan: 3,
          width: labelTotal,
          size,
        }),
        textCell(official.APPLICANT_HEADER, {
          columnSpan: official.APPLICATION_COLUMNS.length,
          width: dataTotal,
          size,
        }),
      ],
    }),
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: [
        textCell(natural.label, { rowSpan: 2, width: dw(0), size }),
        textCell(official.ORGANISATION_HEADER, {
          columnSpan: organisations.length,
          width: sum(dataWidths, 1, organisations.length),
          size,
        }),
        textCell("总计", { rowSpan: 2, width: dw(official.APPLICATION_COLUMNS.length - 1), size }),
      ],
    }),
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: organisations.map((o, i) => textCell(o.label, { width: dw(1 + i), size })),
    }),
  ];

  const values = (code: ApplicationRowCode): TableCell[] =>
    official.APPLICATION_COLUMNS.map((c, i) =>
      textCell(official.formatNumber(data.applications[code][c.code]), { width: dw(i), size }),
    );

  const topRow = (code: ApplicationRowCode): TableRow => {
    const row = official.APPLICATION_ROWS.find((r) => r.code === code);
    if (!row) throw new Error(code);
    return new TableRow({
      cantSplit: true,
      children: [
        textCell(row.label, {
          columnSpan: official.APPLICATIONS_LABEL_COLUMNS,
          width: labelTotal,
          align: "left",
          size,
        }),
        ...values(code),
      ],
    });
  };

  const body: TableRow[] = [topRow("received"), topRow("carried_over")];
  let first = true;
  const resultsCell = (): TableCell[] => {
    if (!first) return [];
    first = false;
    return [
      textCell(official.RESULTS_GROUP_LABEL, {
        rowSpan: official.RESULTS_ROWSPAN,
        width: widths[0] ?? 0,
        size,
      }),
    ];
  };
  const innerWidth = sum(widths, 1, 2);
  for (const group of official.OUTCOME_GROUPS) {
    if (group.outcomes.length === 1) {
      const o = group.outcomes[0];
      body.push(
        new TableRow({
          cantSplit: true,
          children: [
            ...resultsCell(),
            textCell(o.label, { columnSpan: 2, width: innerWidth, align: "left", size }),
            ...values(o.code),
          ],
        }),
      );
      continue;
    }
    group.outcomes.forEach((o, i) => {
      body.push(
        new TableRow({
          cantSplit: true,
          children: [
            ...resultsCell(),
            ...(i === 0
              ? [textCell(group.label, { rowSpan: group.outcomes.length, width: widths[1] ?? 0, size })]
              : []),
            textCell(o.label, { width: widths[2] ?? 0, align: "left", size }),
            ...values(o.code),
          ],
        }),
      );
    });
  }
  body.push(
    new TableRow({
      cantSplit: true,
      children: [
        textCell(official.CONCLUDED_TOTAL_LABEL, { columnSpan: 2, width: innerWidth, align: "left", size }),
        ...values("concluded_total"),
      ],
    }),
  );
  body.push(topRow("carried_forward"));
  return table(widths, [...header, ...body]);
}

/** Table 四: 15 equal columns under 行政复议 (5) and 行政诉讼 (10: 未经复议直接起诉 5, 复议后起诉 5). */
function reviewLitigationTable(data: AnnualReportData): Table {
  const count = official.CASE_RESULTS.length * official.CASE_BLOCKS.length;
  const widths = equalWidths(TEXT_WIDTH, count);
  const size = SIZE.tableSmall;
  const n = official.CASE_RESULTS.length;
  const litigation = official.CASE_BLOCKS.filter((b) => b.parent !== null);
  return table(widths, [
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: [
        textCell(official.REVIEW_HEADER, { columnSpan: n, width: sum(widths, 0, n), size }),
        textCell(official.LITIGATION_HEADER, {
          columnSpan: n * litigation.length,
          width: sum(widths, n, n * litigation.length),
          size,
        }),
      ],
    }),
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: [
        ...official.CASE_RESULTS.map((r, i) =>
          textCell(r.label, { rowSpan: 2, width: widths[i] ?? 0, size }),
        ),
        ...litigation.map((b, j) =>
          textCell(b.label, { columnSpan: n, width: sum(widths, n * (j + 1), n), size }),
        ),
      ],
    }),
    new TableRow({
      tableHeader: true,
      cantSplit: true,
      children: litigation.flatMap((_, j) =>
        official.CASE_RESULTS.map((r, i) => textCell(r.label, { width: widths[n * (j + 1) + i] ?? 0, size })),
      ),
    }),
    new TableRow({
      cantSplit: true,
      children: official.CASE_BLOCKS.flatMap((b, j) =>
        official.CASE_RESULTS.map((r, i) =>
          textCell(official.formatNumber(data.reviewLitigation[b.code][r.code]), {
            width: widths[n * j + i] ?? 0,
            size,
          }),
        ),
      ),
    }),
  ]);
}

function narrativeParagraphs(texts: readonly string[]): Paragraph[] {
  const paras = texts.flatMap(official.paragraphs);
  return (paras.length === 0 ? ["无。"] : paras).map(bodyParagraph);
}

/** Small gap after a table so the next heading does not touch it. */
function spacer(): Paragraph {
  return new Paragraph({ spacing: { line: BODY_LINE, lineRule: LineRuleType.EXACT }, children: [] });
}

/** Builds the docx Document (exported for tests and for callers that want to post-process it). */
export function annualReportDocxDocument(data: AnnualReportData): Document {
  const title = official.reportTitle(data.agencyName, data.year);
  return new Document({
    title,
    subject: `政府信息公开工作年度报告（${official.FORMAT_BASIS}格式）`,
    creator: data.agencyName || "Gongkai",
    styles: {
      default: {
        document: { run: { font: font(DOCX_FONTS.body), size: SIZE.body } },
        title: { run: { font: font(DOCX_FONTS.title), size: SIZE.title, color: "000000" } },
        heading1: { run: { font: font(DOCX_FONTS.heading), size: SIZE.body, color: "000000", bold: false } },
      },
    },
    sections: [
      {
        properties: { page: { size: PAGE, margin: MARGIN } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    children: ["— ", PageNumber.CURRENT, " —"],
                    font: font(DOCX_FONTS.table),
                    size: 28,
                  }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            spacing: { after: BODY_LINE },
            children: [new TextRun({ text: title, font: font(DOCX_FONTS.title), size: SIZE.title })],
          }),
          sectionHeading("overview"),
          ...narrativeParagraphs([data.overview]),
          sectionHeading("proactive"),
          proactiveTable(data),
          spacer(),
          sectionHeading("applications"),
          applicationsTable(data),
          spacer(),
          sectionHeading("review_litigation"),
          reviewLitigationTable(data),
          spacer(),
          sectionHeading("problems"),
          ...narrativeParagraphs([data.problems]),
          sectionHeading("other_matters"),
          ...narrativeParagraphs([official.processingFeesSentence(data.processingFees), data.otherMatters]),
        ],
      },
    ],
  });
}

/** The report as a .docx file. */
export async function renderAnnualReportDocx(data: AnnualReportData): Promise<Buffer> {
  return Packer.toBuffer(annualReportDocxDocument(data));
}
