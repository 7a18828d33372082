/**
 * @module The downloadable 政府信息公开申请表 (.docx) of an agency, generated from the same fields the online form
 * asks for (条例第29条: 申请人的姓名或者名称、身份证明、联系方式; 所需信息的名称、文号或者便于查询的其他特征性描述;
 * 指定提供形式). For applicants who apply in writing (当面、邮寄、传真).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from "docx";
import { APPLICANT_TYPES } from "../legal/annual-report-codes.ts";
import { FORM_DELIVERY_HINT } from "./applicant.rules.ts";
import { DELIVERY_METHODS, FORMS, ID_TYPES } from "./info-request.ts";

const FONT = { ascii: "Times New Roman", hAnsi: "Times New Roman", eastAsia: "宋体", cs: "Times New Roman" };
const BOX = "☐";

/** The rows of the form: a label and what to fill (blank, or boxes to tick). */
export function applicationFormRows(): { section: string; label: string; fill: string }[] {
  const boxes = (o: Record<string, string>) =>
    Object.values(o)
      .map((v) => `${BOX}${v}`)
      .join("  ");
  const types = Object.fromEntries(APPLICANT_TYPES.map((t) => [t.code, t.label]));
  return [
    { section: "申请人信息", label: "申请人类型", fill: boxes(types) },
    { section: "申请人信息", label: "姓名或名称", fill: "" },
    { section: "申请人信息", label: "身份证明（证件类型）", fill: boxes(ID_TYPES) },
    { section: "申请人信息", label: "证件号码", fill: "" },
    { section: "申请人信息", label: "联系电话", fill: "" },
    { section: "申请人信息", label: "电子邮箱", fill: "" },
    { section: "申请人信息", label: "通信地址", fill: "" },
    { section: "申请人信息", label: "邮政编码", fill: "" },
    { section: "所需信息", label: "所需信息的名称", fill: "" },
    { section: "所需信息", label: "文号", fill: "" },
    { section: "所需信息", label: "所需信息的其他特征描述", fill: "\n\n" },
    { section: "所需信息", label: "信息的指定提供形式", fill: boxes(FORMS) },
    {
      section: "所需信息",
      label: "获取信息的方式",
      fill: `${boxes(DELIVERY_METHODS)}\n（${FORM_DELIVERY_HINT}）`,
    },
  ];
}

const text = (t: string, bold = false, size = 24) =>
  t.split("\n").map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0, bold, size, font: FONT }));

const cell = (t: string, opts: { bold?: boolean; width: number; span?: number }) =>
  new TableCell({
    children: [new Paragraph({ children: text(t, opts.bold ?? false) })],
    width: { size: opts.width, type: WidthType.PERCENTAGE },
    verticalAlign: VerticalAlign.CENTER,
    ...(opts.span ? { columnSpan: opts.span } : {}),
  });

/** The form as a .docx for the agency (its full name in the title). */
export async function applicationFormDocx(agencyName: string): Promise<Buffer> {
  const rows = applicationFormRows();
  const sections = [...new Set(rows.map((r) => r.section))];
  const tableRows: TableRow[] = [];
  for (const s of sections) {
    tableRows.push(new TableRow({ children: [cell(s, { bold: true, width: 100, span: 2 })] }));
    for (const r of rows.filter((x) => x.section === s))
      tableRows.push(new TableRow({ children: [cell(r.label, { width: 28 }), cell(r.fill, { width: 72 })] }));
  }
  tableRows.push(
    new TableRow({ children: [cell("申请人签名或者盖章", { width: 28 }), cell("", { width: 72 })] }),
    new TableRow({
      children: [cell("申请日期", { width: 28 }), cell("      年    月    日", { width: 72 })],
    }),
  );
  const border = { style: BorderStyle.SINGLE, size: 4, color: "000000" };
  const doc = new Document({
    creator: "Gongkai",
    title: `${agencyName}政府信息公开申请表`,
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: text(`${agencyName}\n政府信息公开申请表`, true, 36),
          }),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            borders: {
              top: border,
              bottom: border,
              left: border,
              right: border,
              insideHorizontal: border,
              insideVertical: border,
            },
            rows: tableRows,
          }),
          new Paragraph({
            children: text(
              "填表说明：1. 依据《中华人民共和国政府信息公开条例》第二十九条，申请人应当提交书面申请，并提供身份证明（身份证件复印件；法人或其他组织提供统一社会信用代码证书复印件）。\n2. 所需信息请尽量写明名称、文号或便于查询的其他特征。\n3. 本机关自收到申请之日起20个工作日内答复（条例第三十三条）。也可以在本机关政府信息公开专栏在线提交申请。",
              false,
              21,
            ),
          }),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}
