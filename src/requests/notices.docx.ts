/**
 * @module Notices as .docx (package `docx` v9) in the official-letter look of GB/T 9704-2012: A4, margins
 * 37/35/28/26 mm; title 方正小标宋简体 二号 centred; 文号 仿宋 三号 centred under it; 主送 flush left; body 仿宋_GB2312
 * 三号, first-line indent of two characters, fixed 28-point lines; 落款 and 成文日期 right-aligned, four characters in
 * from the right margin; page numbers "— 1 —" in 宋体 四号.
 */
import { AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, TextRun } from "docx";
import type { NoticeDocument } from "./notices.rules.ts";

const FONTS = {
  title: "方正小标宋简体",
  body: "仿宋_GB2312",
  footer: "宋体",
  latin: "Times New Roman",
} as const;
const MM = 56.7;
const PAGE = { width: 11906, height: 16838 };
const MARGIN = {
  top: Math.round(37 * MM),
  bottom: Math.round(35 * MM),
  left: Math.round(28 * MM),
  right: Math.round(26 * MM),
};
const SIZE = { title: 44, body: 32, footer: 28 } as const;
const LINE = 560;
const CHAR = 320; // one 三号 character in twips

function font(eastAsia: string) {
  return { ascii: FONTS.latin, hAnsi: FONTS.latin, eastAsia, cs: FONTS.latin };
}

function run(text: string, size: number = SIZE.body, face: string = FONTS.body): TextRun[] {
  // Stored notices issued before paragraphs were split may still hold line breaks: keep them as breaks.
  return text
    .split("\n")
    .map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, font: font(face), size }));
}

function line(
  children: TextRun[],
  options: {
    indent?: number;
    align?: "left" | "center" | "right";
    rightIndent?: number;
    /** Keep on the same page as the next paragraph (the closing block never starts a page alone). */
    keepNext?: boolean;
  } = {},
): Paragraph {
  return new Paragraph({
    keepNext: options.keepNext ?? false,
    keepLines: true,
    spacing: { line: LINE, lineRule: LineRuleType.EXACT },
    alignment:
      options.align === "center"
        ? AlignmentType.CENTER
        : options.align === "right"
          ? AlignmentType.RIGHT
          : AlignmentType.JUSTIFIED,
    indent: { firstLine: options.indent ?? 0, right: options.rightIndent ?? 0 },
    children,
  });
}

export function noticeDocxDocument(notice: NoticeDocument): Document {
  return new Document({
    title: notice.title,
    creator: notice.signature || "Gongkai",
    styles: { default: { document: { run: { font: font(FONTS.body), size: SIZE.body } } } },
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
                    font: font(FONTS.footer),
                    size: SIZE.footer,
                  }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { line: 700, lineRule: LineRuleType.EXACT },
            children: run(notice.title, SIZE.title, FONTS.title),
          }),
          line(run(notice.docNumber), { align: "center" }),
          line([]),
          ...(notice.recipient ? [line(run(notice.recipient))] : []),
          ...notice.paragraphs.map((p, i) =>
            line(run(p), { indent: 2 * CHAR, keepNext: i === notice.paragraphs.length - 1 }),
          ),
          line([], { keepNext: true }),
          line(run(notice.signature), { align: "right", rightIndent: 4 * CHAR, keepNext: true }),
          line(run(notice.dateText), { align: "right", rightIndent: 4 * CHAR }),
        ],
      },
    ],
  });
}

export async function renderNoticeDocx(notice: NoticeDocument): Promise<Buffer> {
  return Packer.toBuffer(noticeDocxDocument(notice));
}
