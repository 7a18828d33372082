/**
 * @module Test fixture builder: a published report page written to .docx as an agency's Word file holds it — its
 * paragraphs in order and its tables with merged cells as Word merges them (gridSpan for colspan, vMerge
 * restart/continue for rowspan), cell text in 宋体 paragraphs. Used to turn the real report of
 * fixtures/hanyang-2022-office.html into the .docx the audit imports (no real .docx of that report could be
 * obtained; see fixtures/README.md).
 */
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { type HTMLElement, parse } from "node-html-parser";

function text(el: HTMLElement): string {
  return el.text
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function cellParagraphs(el: HTMLElement): Paragraph[] {
  const t = text(el);
  return [new Paragraph({ children: t ? [new TextRun({ text: t, font: "宋体", size: 21 })] : [] })];
}

function tableOf(el: HTMLElement): Table {
  const rows = el.querySelectorAll("tr").map(
    (tr) =>
      new TableRow({
        children: tr.querySelectorAll("td, th").map(
          (td) =>
            new TableCell({
              children: cellParagraphs(td),
              columnSpan: Number(td.getAttribute("colspan") ?? "1"),
              rowSpan: Number(td.getAttribute("rowspan") ?? "1"),
            }),
        ),
      }),
  );
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/** The report body of `html` (its title heading, paragraphs and tables, in order) as a .docx file. */
export async function docxFromReportPage(html: string): Promise<Uint8Array> {
  const root = parse(html);
  const children: (Paragraph | Table)[] = [];
  const title = root.querySelector("h1") ?? root.querySelector(".article h2");
  if (title) children.push(new Paragraph({ children: [new TextRun({ text: text(title), bold: true })] }));
  const body =
    root.querySelector(".TRS_Editor") ?? root.querySelector(".article") ?? root.querySelector("body") ?? root;
  for (const el of body.childNodes as HTMLElement[]) {
    const tag = el.rawTagName?.toLowerCase();
    if (tag === "p")
      children.push(new Paragraph({ children: [new TextRun({ text: text(el), font: "宋体" })] }));
    else if (tag === "table") children.push(tableOf(el));
  }
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}
